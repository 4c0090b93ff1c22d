"""How a run ended, in one status and one sentence a student understands.

Example:
    >>> from grader.execution.result import CellOutcome
    >>> cells = [CellOutcome(file="hw.ipynb", cell=7, status="error", ename="MemoryError")]
    >>> file_status(Ended("ok", 0), cells, out_of_memory=False, finished=True)
    'memory'
"""

from __future__ import annotations

import re

from grader.sandbox.limits import Limits, describe
from grader.sandbox.process import Ended
from grader.execution.result import CellOutcome, ExecutionResult
from grader.i18n import msg, render

MEMORY_ERRORS = {"MemoryError", "_ArrayMemoryError", "ResourceExhaustedError", "OutOfMemoryError"}
# What a process prints when an allocation failed in C or C++ before it aborted (the kernel of a
# notebook, TensorFlow, NumPy): such a death is a memory verdict, not a crash.
ALLOCATION_FAILED = re.compile(r"std::bad_alloc|Cannot allocate memory|[Ff]ailed to allocate|OOM when allocating|"
                               r"[Oo]ut of memory|MemoryError")
COPY_FAILED = 97  # the sandbox's entry script: the submission did not fit in the disk limit


def file_status(ended: Ended, cells: list[CellOutcome], out_of_memory: bool, finished: bool = True) -> str:
    """``ok``, ``error``, ``timeout``, ``memory`` or ``killed`` for one file's run.

    ``finished`` is False when the harness never reached its end (``os._exit``, a crash).
    """
    if ended.status == "timeout":
        return "timeout"
    if out_of_memory or any(c.ename in MEMORY_ERRORS for c in cells):
        return "memory"
    if (any(c.status == "died" for c in cells) or ended.status == "killed"
            or ended.returncode not in (0, COPY_FAILED) or (not finished and ended.returncode == 0)):
        return "killed"
    if any(c.status == "timeout" for c in cells):
        return "timeout"
    if ended.returncode == COPY_FAILED or any(c.status == "error" for c in cells):
        return "error"
    return "ok"


def allocation_failed(printed: str) -> bool:
    """Whether the end of what a run printed says an allocation failed (``std::bad_alloc``, ...).

    >>> allocation_failed("terminate called after throwing an instance of 'std::bad_alloc'")
    True
    >>> allocation_failed("Segmentation fault")
    False
    """
    return bool(ALLOCATION_FAILED.search(printed[-20_000:]))


def message(result: ExecutionResult, limits: Limits, lang: str = "en") -> str:
    """One line for the top of the report, in ``lang``."""
    return render(summary(result, limits), lang)


def summary(result: ExecutionResult, limits: Limits) -> dict:
    """What happened when the code ran, as a message to render in any language (root cause first)."""
    problems = [c for c in result.cells if c.status != "ok"]
    kind = msg(f"exec.kind.{_kind(result)}")
    if result.status == "ok":
        return msg("exec.ok")
    if result.status == "timeout":
        where = next((c for c in problems if c.status == "timeout" and not c.evalue.startswith("not run")), None)
        if where is not None and where.duration_s and where.duration_s >= limits.cell_timeout * 0.95:
            return msg("exec.cell_timeout", kind=kind, limit=describe("cell_timeout", limits.cell_timeout),
                       place=_place(where))
        return msg("exec.timeout", kind=kind, limit=describe("timeout", limits.timeout), place=_place(where))
    if result.status == "memory":
        where = next((c for c in problems if c.ename in MEMORY_ERRORS or c.status == "died"), None)
        return msg("exec.memory", kind=kind, limit=describe("memory", limits.memory), place=_place(where))
    if result.status == "killed":
        where = next((c for c in problems if c.status == "died"), None)
        return msg("exec.killed", kind=kind, place=_place(where))
    # Lead with a root cause: a NameError is usually the echo of an earlier failed cell.
    causes = [c for c in problems if c.status == "error" and c.ename != "NameError" and c.hint]
    first = causes[0] if causes else (problems[0] if problems else None)
    if first is None:
        return msg("exec.stopped", kind=kind)
    evalue = first.evalue.splitlines()[0] if first.evalue else ""
    text = msg("exec.error.hint", where=where_message(first), ename=first.ename, evalue=evalue, hint=first.hint) \
        if first.hint else msg("exec.error", where=where_message(first), ename=first.ename, evalue=evalue)
    return msg("exec.more", text=text, count=len(problems) - 1) if len(problems) > 1 else text


def where_message(cell: CellOutcome) -> dict:
    """``hw.ipynb, cell 7, line 3`` as a message."""
    return msg("exec.where", file=cell.file, cell=msg("exec.where.cell", cell=cell.cell) if cell.cell else "",
               line=msg("exec.where.line", line=cell.line) if cell.line else "")


def _kind(result: ExecutionResult) -> str:
    files = {c.file for c in result.cells} | {c.file for c in result.captures}
    if files and all(f.endswith(".ipynb") for f in files):
        return "notebook"
    if files and all(f.endswith(".py") for f in files):
        return "script"
    return "code"


def _place(cell: CellOutcome | None):
    return msg("exec.place", where=where_message(cell)) if cell is not None and (cell.cell or cell.line) else ""
