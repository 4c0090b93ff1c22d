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

import contextlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from grader.execution.limits import Limits
from grader.execution.process import Ended, Output
from grader.execution.runner import Layout, owned_file, run_sandboxed, seal
from grader.execution.sandbox import Sandbox, choose_sandbox, uid_slot
from grader.submission.files import copy_into, scan


@dataclass
class ProgramRun:
    ended: Ended
    out_of_memory: bool
    output: str
    results: dict[str, Path] = field(default_factory=dict)  # valid until the ``with`` block ends


@contextlib.contextmanager
def confined_program(program: Path, *, inputs: dict[str, Path], results: list[str], arguments: list[str],
                     limits: Limits, sandbox: Sandbox | None = None, env: dict[str, str] | None = None,
                     devices: list[str] = (), folder: Path | None = None,
                     support: tuple[Path, ...] = ()) -> Iterator[ProgramRun]:
    """``with confined_program(...) as run:`` read ``run.results`` inside the block; the folder goes after.

    ``folder``'s regular files (links refused) become the working folder's content; ``support``
    files are copied beside the program, for it to import.
    """
    sandbox = sandbox or choose_sandbox("auto")
    layout = Layout(Path(tempfile.mkdtemp(prefix="grader-program-")), sandbox)
    try:
        with uid_slot(sandbox) as uid:
            _prepare(layout, program, inputs, results, uid, folder, support)
            argv = [sys.executable, layout.program(program.name), *[_inside(layout, a, results) for a in arguments]]
            output = Output(limits.output)
            ended, out_of_memory = run_sandboxed(argv, layout, limits, uid, timeout=limits.timeout, output=output,
                                                 extra_env=env, devices=list(devices))
        yield ProgramRun(ended, out_of_memory, output.text(), {name: layout.output / name for name in results})
    finally:
        if not os.environ.get("GRADER_KEEP_WORKDIR"):
            shutil.rmtree(layout.root, ignore_errors=True)


def _prepare(layout: Layout, program: Path, inputs: dict[str, Path], results: list[str], uid: int | None,
             folder: Path | None = None, support: tuple[Path, ...] = ()) -> None:
    layout.work.mkdir(parents=True)
    if folder is not None:
        copy_into(scan(folder), layout.work)
    for name, path in inputs.items():
        shutil.copy2(path, layout.work / name)
    layout.programs.mkdir()
    for file in (program, *support):
        shutil.copy2(file, layout.programs / file.name)
    layout.output.mkdir()
    seal(layout, uid)
    for name in results:
        owned_file(layout.output / name, uid)


def _inside(layout: Layout, argument: str, results: list[str]) -> str:
    """A file name among the inputs or results, as the confined program sees it."""
    if argument in results:
        return layout.output_file(argument)
    if (layout.work / argument).exists():
        return f"{layout.work_inside()}/{argument}"
    return argument
