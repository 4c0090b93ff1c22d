"""Prepare a sandbox's folder, run a program of ``grader_inside`` confined in it, and clean up.

One run has a private folder on the host (mode 0700, owned by the run's uid):

* ``work/``: what the program works on (a student's regular files, a reference's files, or the
  inputs of a training), copied in; at the ``bwrap`` level it is copied again inside the sandbox,
  into its size-bounded home, so nothing written there reaches the host;
* ``programs/``: a copy of the :mod:`grader.inside` package (as ``grader_inside``) and the run's
  manifests, read-only;
* ``output/``: the result files, each created empty and bound writable one by one;
* ``etc/``: the sandbox's own ``passwd``, ``group`` and ``hosts``.

Every program is started as ``python -m grader_inside MANIFEST`` (see :mod:`grader.sandbox.manifest`).

Example:
    >>> with run_program(manifest("train", framework="keras", job={...}, data="data.npz", result="result.jsonl"),
    ...                  inputs={"data.npz": path}, results=["result.jsonl"], limits=Limits()) as run:  # doctest: +SKIP
    ...     records = read_jsonl(run.results["result.jsonl"], 10_000_000)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from grader.sandbox import cgroups
from grader.sandbox.levels import (HOME, OUTPUT, PROGRAMS, SUBMISSION, WORK, Sandbox, bwrap_arguments, choose_sandbox,
                                   launcher_argv, rlimits_for, stage_paths, uid_slot)
from grader.sandbox.limits import Limits
from grader.sandbox.process import Ended, Output, run_confined
from grader.sandbox.warm import seed
from grader.submission.files import Listing, copy_into, scan

INSIDE = Path(__file__).resolve().parent.parent / "inside"
INSIDE_NAME = "grader_inside"
COPY_IN = ('cp -R /grader/submission/. /home/student/work/ '
           '|| { echo "grader: the submission does not fit in the sandbox disk limit" >&2; exit 97; }; '
           'exec "$@"')
# The same, then, once the program has exited, every process it left is killed (the PID namespace
# is the sandbox's own) and the files left in the home and /tmp are listed by grader_inside/files.py
# into the result file "$1": observed after the student's code ran, not reported by it.
COPY_IN_OBSERVED = ('out=$1; shift; '
                    'cp -R /grader/submission/. /home/student/work/ '
                    '|| { echo "grader: the submission does not fit in the sandbox disk limit" >&2; exit 97; }; '
                    '"$@"; status=$?; '
                    'kill -9 -1 2>/dev/null; kill -9 -1 2>/dev/null; '
                    f'"$1" -I -S {PROGRAMS}/{INSIDE_NAME}/files.py "$out" {HOME} /tmp; '
                    'exit $status')


@dataclass
class Layout:
    """Where things are on the host, and where the confined program sees them."""

    root: Path
    sandbox: Sandbox
    work: Path = field(init=False)
    programs: Path = field(init=False)
    output: Path = field(init=False)
    etc: Path = field(init=False)
    # Files of this machine the program reads where it expects them, read-only: (host path, path under
    # the sandbox's home). Course data and weights a rubric declares offline (grader.data.offline).
    readonly: list[tuple[Path, str]] = field(default_factory=list)

    def __post_init__(self):
        self.work, self.programs = self.root / "work", self.root / "programs"
        self.output, self.etc = self.root / "output", self.root / "etc"

    @property
    def isolated(self) -> bool:
        return self.sandbox.level == "bwrap"

    def work_inside(self) -> str:
        return WORK if self.isolated else str(self.work)

    def programs_inside(self) -> str:
        return PROGRAMS if self.isolated else str(self.programs)

    def output_file(self, name: str) -> str:
        return f"{OUTPUT}/{name}" if self.isolated else str(self.output / name)

    def inside(self, name: str) -> str:
        """A file name among the work folder's, the programs' or the results, as the program sees it."""
        if (self.output / name).exists():
            return self.output_file(name)
        if (self.programs / name).exists():
            return f"{self.programs_inside()}/{name}"
        return f"{self.work_inside()}/{name}"

    def command(self, manifest_name: str) -> list[str]:
        return [sys.executable, "-m", INSIDE_NAME, f"{self.programs_inside()}/{manifest_name}"]


@contextlib.contextmanager
def prepared(sandbox: Sandbox | None = None, prefix: str = "grader-") -> Iterator[tuple[Layout, int | None]]:
    """A fresh run folder and a uid of its own, for the ``with`` block; the folder is removed after."""
    sandbox = sandbox or choose_sandbox("auto")
    layout = Layout(Path(tempfile.mkdtemp(prefix=prefix)), sandbox)
    try:
        with uid_slot(sandbox) as uid:
            yield layout, uid
    finally:
        if not os.environ.get("GRADER_KEEP_WORKDIR"):
            shutil.rmtree(layout.root, ignore_errors=True)


def fill(layout: Layout, *, listing: Listing | None = None, resources: list[Path] = (),
         inputs: dict[str, Path] | None = None, results: list[str] = (),
         replace: tuple[str, ...] = ()) -> dict[str, str]:
    """Copy what the program works on into ``work/``, ``grader_inside`` into ``programs/``, and
    create the result files. ``listing`` holds regular files only (see :mod:`grader.submission.files`);
    a resource of the same name as one of its files does not replace it (the student's copy wins,
    as on their machine) unless its name is in ``replace``. Returns, for each resource the
    submission had its own copy of, which copy is there: ``{"airlineUtils.py": "student"}``."""
    work = layout.work
    work.mkdir(parents=True, exist_ok=True)
    if listing is not None:
        copy_into(listing, work)
    copies = {}
    for resource in resources:
        target = work / resource.name
        if target.exists() or target.is_symlink():
            copies[resource.name] = "course" if resource.name in replace else "student"
            if resource.name not in replace:
                continue
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        if resource.is_dir():
            copy_into(scan(resource), target)
        else:
            shutil.copy2(resource, target)
    for name, path in (inputs or {}).items():
        shutil.copy2(path, work / name)
    layout.programs.mkdir(exist_ok=True)
    shutil.copytree(INSIDE, layout.programs / INSIDE_NAME, ignore=shutil.ignore_patterns("__pycache__"))
    seed(layout.programs)
    layout.output.mkdir(exist_ok=True)
    for name in results:
        (layout.output / name).touch()
    return copies


def write_manifest(layout: Layout, name: str, manifest: dict) -> str:
    """Store ``manifest`` in ``programs/`` (read-only inside); returns ``name``, for :meth:`Layout.command`."""
    path = layout.programs / name
    path.write_text(json.dumps(manifest), encoding="utf-8")
    os.chmod(path, 0o644)
    return name


def owned_file(layout: Layout, name: str, uid: int | None) -> Path:
    """An empty result file in ``output/`` that only the run's uid may write (bound writable inside)."""
    path = layout.output / name
    path.touch(mode=0o600)
    os.chmod(path, 0o600)
    if uid is not None:
        os.chown(path, uid, uid)
    return path


def seal(layout: Layout, uid: int | None) -> None:
    """Finish a prepared folder: the sandbox's own /etc, every file readable, result files owned by
    the run's uid, and a root that only the run's uid may enter."""
    private_etc(layout, uid)
    for path in [layout.root, *layout.root.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    for path in layout.output.iterdir():
        owned_file(layout, path.name, uid)
    if uid is not None:
        os.chown(layout.root, uid, uid)
        os.chmod(layout.root, 0o700)
        if layout.sandbox.level == "process":  # no private copy: the code works in place
            for path in [layout.work, *layout.work.rglob("*")]:
                os.chown(path, uid, uid)


def private_etc(layout: Layout, uid: int | None) -> None:
    """The sandbox's own /etc/passwd, group and hosts: one user, no names to resolve."""
    layout.etc.mkdir(exist_ok=True)
    passwd_uid = uid if uid is not None else os.getuid()
    (layout.etc / "passwd").write_text(f"student:x:{passwd_uid}:{passwd_uid}:student:{HOME}:/usr/sbin/nologin\n")
    (layout.etc / "group").write_text(f"student:x:{passwd_uid}:\n")
    (layout.etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")


def run_sandboxed(command: list[str], layout: Layout, limits: Limits, uid: int | None, *, timeout: float,
                  output: Output, extra_env: dict[str, str] | None = None,
                  devices: list[str] = (), observe: str | None = None) -> tuple[Ended, bool]:
    """Run ``command`` confined in the prepared ``layout``, in a cgroup of its own when there is one;
    return how it ended and whether the cgroup's memory limit killed it. ``observe`` names a result
    file (in ``output/``) where, at the ``bwrap`` level, the files left in the sandbox are listed
    once the command has ended (see :mod:`grader_inside.files`)."""
    group = None
    if layout.sandbox.cgroup and layout.sandbox.level != "none":
        group = cgroups.create_cgroup(f"run-{os.getpid()}-{uuid.uuid4().hex[:12]}",
                                      memory=limits.memory, processes=limits.processes)
    try:
        argv = confine(command, layout, limits, uid, group, extra_env=extra_env, devices=devices, observe=observe)
        ended = run_confined(argv, timeout=timeout, output=output, cwd=layout.root,
                             on_end=group.kill if group else None)
        return ended, bool(group and group.oom_killed())
    finally:
        if group:
            group.remove()


def environment(layout: Layout) -> dict[str, str]:
    """The whole environment of a confined program: nothing of the grader's own."""
    home = HOME if layout.isolated else str(layout.work)
    venv_bin = os.path.dirname(os.path.abspath(sys.executable))
    env = {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": "student", "LOGNAME": "student",
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp" if layout.isolated else str(layout.root),
        "PYTHONPATH": layout.programs_inside(),
        "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1", "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "MALLOC_ARENA_MAX": "2",  # halves TensorFlow's virtual size, so the AS backstop stays meaningful
    }
    if "CUDA_VISIBLE_DEVICES" in os.environ:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


def confine(command: list[str], layout: Layout, limits: Limits, uid: int | None, group, *,
            extra_env: dict[str, str] | None = None, devices: list[str] = (), observe: str | None = None) -> list[str]:
    """The launcher command that runs ``command`` confined. ``devices`` (GPU device files) are
    bound into the sandbox; a run that gets them has no address-space backstop, which CUDA's
    large virtual mappings would trip (the memory cgroup still bounds what it uses)."""
    sandbox = layout.sandbox
    env = {**environment(layout), **(extra_env or {})}
    rlimits = rlimits_for(limits, uid=uid, level=sandbox.level, cgroup=group is not None)
    if devices:
        rlimits.pop("AS", None)
    procs = group.procs_files() if group else []
    readonly = [str(host) for host, _ in layout.readonly]  # reachable by the run's uid, like the interpreter
    if sandbox.level != "bwrap":
        link_readonly(layout)
        return launcher_argv(command, cwd=str(layout.work), uid=uid, stage=stage_paths(None) + readonly,
                             rlimits=rlimits, cgroup_procs=procs, env=env, subreaper=True)
    binds = [(str(layout.work), SUBMISSION, False), (str(layout.programs), PROGRAMS, False)]
    binds += [(str(host), f"{HOME}/{inside}", False) for host, inside in layout.readonly]
    binds += [(str(path), f"{OUTPUT}/{path.name}", True) for path in sorted(layout.output.iterdir())]
    binds += [(str(layout.etc / name), f"/etc/{name}", False) for name in ("passwd", "group", "hosts")]
    inner = ["/bin/sh", "-c", COPY_IN, "grader-entry", *command] if observe is None else \
        ["/bin/sh", "-c", COPY_IN_OBSERVED, "grader-entry", layout.output_file(observe), *command]
    argv = bwrap_arguments(sandbox.bwrap, limits, binds=binds, command=inner, env=env, devices=devices)
    return launcher_argv(argv, cwd="/", uid=uid, stage=stage_paths(sandbox.bwrap) + readonly, rlimits=rlimits,
                         cgroup_procs=procs)


def link_readonly(layout: Layout) -> None:
    """Without bubblewrap the home is the work folder: the read-only files appear there as links (made
    after :func:`seal`, so that nothing follows them to change the machine's own files)."""
    for host, inside in layout.readonly:
        link = layout.work / inside
        if link.is_symlink() or link.exists():
            continue
        for folder in reversed([p for p in link.relative_to(layout.work).parents if str(p) != "."]):
            (layout.work / folder).mkdir(mode=0o755, exist_ok=True)
        link.symlink_to(host)


@dataclass
class ProgramRun:
    ended: Ended
    out_of_memory: bool
    output: str
    results: dict[str, Path] = field(default_factory=dict)  # valid until the ``with`` block ends


@contextlib.contextmanager
def run_program(manifest: dict, *, results: list[str], limits: Limits, sandbox: Sandbox | None = None,
                inputs: dict[str, Path] | None = None, folder: Path | None = None,
                env: dict[str, str] | None = None, devices: list[str] = ()) -> Iterator[ProgramRun]:
    """Run one ``grader_inside`` program confined; read ``run.results`` inside the ``with`` block.

    ``folder``'s regular files (links refused) and ``inputs`` (name -> file) make up the working
    folder. Values of ``manifest`` that name a file among them or among ``results`` are given as
    the program sees them.
    """
    with prepared(sandbox, prefix="grader-program-") as (layout, uid):
        fill(layout, listing=scan(folder) if folder is not None else None, inputs=inputs, results=results)
        placed = {key: layout.inside(value) if isinstance(value, str) and value in (*results, *(inputs or {})) else value
                  for key, value in manifest.items()}
        name = write_manifest(layout, "manifest.json", placed)
        seal(layout, uid)
        output = Output(limits.output)
        ended, out_of_memory = run_sandboxed(layout.command(name), layout, limits, uid, timeout=limits.timeout,
                                             output=output, extra_env=env, devices=list(devices))
        yield ProgramRun(ended, out_of_memory, output.text(), {name: layout.output / name for name in results})
