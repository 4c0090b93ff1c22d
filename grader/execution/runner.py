"""Run a submission in the sandbox and collect what it left behind.

Each file of a submission runs in a fresh sandbox (see :mod:`grader.execution.sandbox`): a
kernel driven by nbclient for notebooks, the standalone harness for scripts. The sandbox
holds a copy of the student's files and the course's resource files, nothing else of the
grader's. The wall clock is enforced from outside, and every process the run started is
killed when it ends. What comes back is read as untrusted data by
:mod:`grader.execution.readback`.

Example:
    >>> from grader.submission.submission import Submission
    >>> result = execute(Submission.from_path("hw.py"), limits=Limits(timeout=60))  # doctest: +SKIP
    >>> result.status, [c.variable for c in result.captures]                       # doctest: +SKIP
    ('ok', ['modelRNN'])
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from grader.execution import cgroups, verdict
from grader.execution.capped_fits import read_capped_fits
from grader.execution.fit_cap import FitCap
from grader.execution.limits import Limits
from grader.execution.process import Ended, Output, run_confined
from grader.execution.readback import finished, read_captures, read_progress
from grader.execution.result import STATUS_ORDER, CellOutcome, ExecutionResult
from grader.execution.translations import read_translations
from grader.execution.sandbox import (HOME, OUTPUT, PROGRAMS, SUBMISSION, WORK, Sandbox, bwrap_arguments,
                                      choose_sandbox, launcher_argv, rlimits_for, stage_paths, uid_slot)
from grader.submission.files import copy_into, scan
from grader.submission.submission import SourceFile, Submission, read_source

HERE = Path(__file__).resolve().parent
PROGRAM_FILES = (HERE / "harness.py", HERE / "notebook_worker.py")
LEGACY_KERAS = HERE / "legacy_keras.py"
FIT_CAP_PATCH = HERE / "fit_cap_patch.py"
COPY_IN = ('cp -R /grader/submission/. /home/student/work/ '
           '|| { echo "grader: the submission does not fit in the sandbox disk limit" >&2; exit 97; }; '
           'exec "$@"')


@dataclass
class Layout:
    """Where things are on the host, and where the student's code sees them."""

    root: Path
    sandbox: Sandbox
    work: Path = field(init=False)
    programs: Path = field(init=False)
    output: Path = field(init=False)
    etc: Path = field(init=False)

    def __post_init__(self):
        self.work, self.programs = self.root / "work", self.root / "programs"
        self.output, self.etc = self.root / "output", self.root / "etc"

    @property
    def isolated(self) -> bool:
        return self.sandbox.level == "bwrap"

    def work_inside(self) -> str:
        return WORK if self.isolated else str(self.work)

    def program(self, name: str) -> str:
        return f"{PROGRAMS}/{name}" if self.isolated else str(self.programs / name)

    def output_file(self, name: str) -> str:
        return f"{OUTPUT}/{name}" if self.isolated else str(self.output / name)


def execute(
    submission: Submission,
    *,
    resources: list[Path] = (),
    limits: Limits | None = None,
    sandbox: Sandbox | None = None,
    timeout: float | None = None,
    cell_timeout: float | None = None,
    legacy_keras: bool = False,
    fit_cap: FitCap | None = None,
) -> ExecutionResult:
    """Run every file of ``submission`` in the sandbox and return what happened.

    ``limits`` bound the run (``timeout`` and ``cell_timeout`` override its wall clocks);
    ``sandbox`` defaults to :func:`choose_sandbox` ``("auto")``. ``legacy_keras`` runs Keras 1/2
    code through :mod:`grader.execution.legacy_keras` and returns the translations it made in
    ``result.translations``. ``fit_cap`` caps the submission's own ``fit()`` calls (see
    :mod:`grader.execution.fit_cap`) and returns the calls it shortened in ``result.capped_fits``;
    None runs the code as written.
    Raises :class:`grader.errors.InputError` when a file cannot be run at all.
    """
    limits = (limits or Limits()).overriding(timeout=timeout, cell_timeout=cell_timeout)
    sandbox = sandbox or choose_sandbox("auto")
    sources = {source.path: read_source(source) for source in submission.files}
    started = time.monotonic()
    result = ExecutionResult(sandbox=sandbox.describe(), sandbox_level=sandbox.level, limits=limits,
                             fit_cap=fit_cap, left_out=[r.message() for r in submission.refused])
    output = Output(limits.output)
    layout = Layout(Path(tempfile.mkdtemp(prefix="grader-")), sandbox)
    try:
        with uid_slot(sandbox) as uid:
            _prepare(submission, resources, layout, uid, legacy_keras, fit_cap)
            for order, source in enumerate(submission.files):
                remaining = limits.timeout - (time.monotonic() - started)
                if remaining <= 1:
                    result.cells.append(CellOutcome(file=source.label, cell=0, status="timeout",
                                                    evalue="not run: the time limit was used up"))
                    _worsen(result, "timeout")
                    continue
                _run_file(source, order, sources[source.path], layout, limits, uid, remaining, output, result)
    finally:
        if not os.environ.get("GRADER_KEEP_WORKDIR"):
            shutil.rmtree(layout.root, ignore_errors=True)
    result.duration_s = time.monotonic() - started
    result.output_tail = output.text()
    result.output_cut = max(output.cut, 0)
    result.message = verdict.message(result, limits)
    return result


def _run_file(source: SourceFile, order: int, text: str, layout: Layout, limits: Limits, uid: int | None,
              remaining: float, output: Output, result: ExecutionResult) -> None:
    capture, progress = f"capture{order}.jsonl", f"progress{order}.jsonl"
    for name in (capture, progress, "legacy.jsonl", "fit_cap.jsonl"):
        owned_file(layout.output / name, uid)
    cell_timeout = min(limits.cell_timeout, remaining)
    command = _command(source, layout, capture, progress, cell_timeout, limits)
    ended, out_of_memory = run_sandboxed(command, layout, limits, uid, timeout=remaining, output=output)
    cells = read_progress(layout.output / progress, source, text)
    result.cells.extend(cells)
    result.captures.extend(read_captures(layout.output / capture, source.label, order))
    result.translations.extend(read_translations(layout.output / "legacy.jsonl", source.label))
    result.capped_fits.extend(read_capped_fits(layout.output / "fit_cap.jsonl", source.label))
    status = verdict.file_status(ended, cells, out_of_memory, finished(layout.output / progress))
    result.status = _worst(result.status, status)


def run_sandboxed(command: list[str], layout: Layout, limits: Limits, uid: int | None, *, timeout: float,
                  output: Output, extra_env: dict[str, str] | None = None,
                  devices: list[str] = ()) -> tuple[Ended, bool]:
    """Run ``command`` confined in the prepared ``layout``, in a cgroup of its own when there is one;
    return how it ended and whether the cgroup's memory limit killed it."""
    group = None
    if layout.sandbox.cgroup and layout.sandbox.level != "none":
        group = cgroups.create_cgroup(f"run-{os.getpid()}-{uuid.uuid4().hex[:12]}",
                                      memory=limits.memory, processes=limits.processes)
    try:
        argv = confine(command, layout, limits, uid, group, extra_env=extra_env, devices=devices)
        ended = run_confined(argv, timeout=timeout, output=output, cwd=layout.root,
                             on_end=group.kill if group else None)
        return ended, bool(group and group.oom_killed())
    finally:
        if group:
            group.remove()


def _prepare(submission: Submission, resources: list[Path], layout: Layout, uid: int | None,
             legacy_keras: bool = False, fit_cap: FitCap | None = None) -> None:
    work = layout.work
    # Regular files only, read without following anything, within the scan's budget: links,
    # devices and pipes were refused when the submission was scanned (see grader.submission.files).
    copy_into(submission.listing or scan(submission.path), work)
    for resource in resources:
        target = work / resource.name
        if target.exists():  # the student's own copy wins, as on their machine
            continue
        if resource.is_dir():
            shutil.copytree(resource, target)
        else:
            shutil.copy2(resource, target)
    layout.programs.mkdir()
    for program in PROGRAM_FILES:
        shutil.copy2(program, layout.programs / program.name)
    layout.output.mkdir()
    if legacy_keras:  # the harness installs it when it finds it beside the capture files
        shutil.copy2(LEGACY_KERAS, layout.output / LEGACY_KERAS.name)
    if fit_cap is not None:  # likewise: the harness caps fit() when it finds these two files
        shutil.copy2(FIT_CAP_PATCH, layout.output / FIT_CAP_PATCH.name)
        (layout.output / "fit_cap.json").write_text(json.dumps(fit_cap.get_config()))
    seal(layout, uid)
    if uid is not None and layout.sandbox.level == "process":  # no private copy: the code works in place
        for path in [work, *work.rglob("*")]:
            os.chown(path, uid, uid)


def seal(layout: Layout, uid: int | None) -> None:
    """Finish a prepared folder: the sandbox's own /etc, every file readable, and a root that
    only the run's uid may enter."""
    private_etc(layout, uid)
    for path in [layout.root, *layout.root.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    if uid is not None:
        os.chown(layout.root, uid, uid)
        os.chmod(layout.root, 0o700)


def private_etc(layout: Layout, uid: int | None) -> None:
    """The sandbox's own /etc/passwd, group and hosts: one user, no names to resolve."""
    layout.etc.mkdir()
    passwd_uid = uid if uid is not None else os.getuid()
    (layout.etc / "passwd").write_text(f"student:x:{passwd_uid}:{passwd_uid}:student:{HOME}:/usr/sbin/nologin\n")
    (layout.etc / "group").write_text(f"student:x:{passwd_uid}:\n")
    (layout.etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")


def owned_file(path: Path, uid: int | None) -> None:
    path.touch(mode=0o600)
    if uid is not None:
        os.chown(path, uid, uid)


def _command(source: SourceFile, layout: Layout, capture: str, progress: str, cell_timeout: float,
             limits: Limits) -> list[str]:
    target = f"{layout.work_inside()}/{source.label}"
    capture_path, progress_path = layout.output_file(capture), layout.output_file(progress)
    harness = layout.program("harness.py")
    if source.kind == "script":
        return [sys.executable, harness, target, capture_path, progress_path]
    return [sys.executable, layout.program("notebook_worker.py"), target, capture_path, progress_path,
            f"{cell_timeout:.1f}", harness, str(limits.output)]


def _environment(layout: Layout) -> dict[str, str]:
    home = HOME if layout.isolated else str(layout.work)
    venv_bin = os.path.dirname(os.path.abspath(sys.executable))
    env = {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": "student", "LOGNAME": "student",
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp" if layout.isolated else str(layout.root),
        "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1", "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "MALLOC_ARENA_MAX": "2",  # halves TensorFlow's virtual size, so the AS backstop stays meaningful
    }
    if "CUDA_VISIBLE_DEVICES" in os.environ:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


def confine(command: list[str], layout: Layout, limits: Limits, uid: int | None, group, *,
             extra_env: dict[str, str] | None = None, devices: list[str] = ()) -> list[str]:
    """The launcher command that runs ``command`` confined. ``devices`` (GPU device files) are
    bound into the sandbox; a run that gets them has no address-space backstop, which CUDA's
    large virtual mappings would trip (the memory cgroup still bounds what it uses)."""
    sandbox = layout.sandbox
    env = {**_environment(layout), **(extra_env or {})}
    rlimits = rlimits_for(limits, uid=uid, level=sandbox.level)
    if devices:
        rlimits.pop("AS", None)
    procs = group.procs_files() if group else []
    if sandbox.level != "bwrap":
        return launcher_argv(command, cwd=str(layout.work), uid=uid, stage=stage_paths(None), rlimits=rlimits,
                             cgroup_procs=procs, env=env, subreaper=True)
    binds = [(str(layout.work), SUBMISSION, False), (str(layout.programs), PROGRAMS, False)]
    binds += [(str(path), f"{OUTPUT}/{path.name}", path.suffix == ".jsonl") for path in sorted(layout.output.iterdir())]
    binds += [(str(layout.etc / name), f"/etc/{name}", False) for name in ("passwd", "group", "hosts")]
    inner = ["/bin/sh", "-c", COPY_IN, "grader-entry", *command]
    argv = bwrap_arguments(sandbox.bwrap, limits, binds=binds, command=inner, env=env, devices=devices)
    return launcher_argv(argv, cwd="/", uid=uid, stage=stage_paths(sandbox.bwrap), rlimits=rlimits,
                         cgroup_procs=procs)


def _worst(current: str, new: str) -> str:
    return new if STATUS_ORDER.index(new) > STATUS_ORDER.index(current) else current


def _worsen(result: ExecutionResult, status: str) -> None:
    result.status = _worst(result.status, status)
