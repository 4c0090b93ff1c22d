"""Run one of the grader's own programs in the sandbox, on files the grader prepared.

Training checks use this: the training worker runs confined exactly like student code (own
uid, no network, bounded memory, time and output), because the architecture it rebuilds
came from a student. Inputs are copied in read-only; only the named result files come back.

Example:
    >>> run = run_program(Path("worker.py"), inputs={"job.json": job}, results=["result.jsonl"],
    ...                   arguments=["job.json"], limits=Limits(timeout=120))   # doctest: +SKIP
    >>> run.ended.status, run.results["result.jsonl"].exists()                   # doctest: +SKIP
    ('ok', True)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from grader.execution import cgroups
from grader.execution.limits import Limits
from grader.execution.process import Ended, Output, run_confined
from grader.execution.runner import confine, Layout, owned_file, private_etc
from grader.execution.sandbox import Sandbox, choose_sandbox, uid_slot


@dataclass
class ProgramRun:
    ended: Ended
    out_of_memory: bool
    output: str
    results: dict[str, Path] = field(default_factory=dict)  # valid until the context exits
    root: Path | None = None


class confined_program:  # noqa: N801 - used as a context manager, like open()
    """``with confined_program(...) as run:`` read ``run.results`` inside the block; the folder goes after."""

    def __init__(self, program: Path, *, inputs: dict[str, Path], results: list[str], arguments: list[str],
                 limits: Limits, sandbox: Sandbox | None = None, env: dict[str, str] | None = None,
                 devices: list[str] = ()):
        self.program, self.inputs, self.results, self.arguments = program, inputs, results, arguments
        self.limits, self.sandbox, self.env, self.devices = limits, sandbox, env or {}, list(devices)
        self.layout: Layout | None = None

    def __enter__(self) -> ProgramRun:
        sandbox = self.sandbox or choose_sandbox("auto")
        layout = self.layout = Layout(Path(tempfile.mkdtemp(prefix="grader-train-")), sandbox)
        with uid_slot(sandbox) as uid:
            _prepare(layout, self.program, self.inputs, self.results, uid)
            argv = [sys.executable, layout.program(self.program.name),
                    *[_inside(layout, a, self.results) for a in self.arguments]]
            group = None
            if sandbox.cgroup and sandbox.level != "none":
                group = cgroups.create_cgroup(f"train-{os.getpid()}-{uuid.uuid4().hex[:12]}",
                                              memory=self.limits.memory, processes=self.limits.processes)
            output = Output(self.limits.output)
            try:
                confined = confine(argv, layout, self.limits, uid, group, extra_env=self.env, devices=self.devices)
                ended = run_confined(confined, timeout=self.limits.timeout, output=output, cwd=layout.root,
                                     on_end=group.kill if group else None)
                out_of_memory = bool(group and group.oom_killed())
            finally:
                if group:
                    group.remove()
        return ProgramRun(ended, out_of_memory, output.text(),
                          {name: layout.output / name for name in self.results}, layout.root)

    def __exit__(self, *exc) -> None:
        if self.layout is not None and not os.environ.get("GRADER_KEEP_WORKDIR"):
            shutil.rmtree(self.layout.root, ignore_errors=True)


def _prepare(layout: Layout, program: Path, inputs: dict[str, Path], results: list[str], uid: int | None) -> None:
    layout.work.mkdir(parents=True)
    for name, path in inputs.items():
        shutil.copy2(path, layout.work / name)
    layout.programs.mkdir()
    shutil.copy2(program, layout.programs / program.name)
    layout.output.mkdir()
    private_etc(layout, uid)
    for path in [layout.root, *layout.root.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    for name in results:
        owned_file(layout.output / name, uid)
    if uid is not None:
        os.chown(layout.root, uid, uid)
        os.chmod(layout.root, 0o700)


def _inside(layout: Layout, argument: str, results: list[str]) -> str:
    """A file name among the inputs or results, as the confined program sees it."""
    if argument in results:
        return layout.output_file(argument)
    if (layout.work / argument).exists():
        return f"{layout.work_inside()}/{argument}"
    return argument
