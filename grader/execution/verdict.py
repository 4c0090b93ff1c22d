"""How a run ended, in one status and one sentence a student understands.

Example:
    >>> from grader.execution.result import CellOutcome
    >>> cells = [CellOutcome(file="hw.ipynb", cell=7, status="error", ename="MemoryError")]
    >>> file_status(Ended("ok", 0), cells, out_of_memory=False, finished=True)
    'memory'
"""

from __future__ import annotations

from grader.execution.limits import Limits, describe
from grader.execution.process import Ended
from grader.execution.result import CellOutcome, ExecutionResult

MEMORY_ERRORS = {"MemoryError", "_ArrayMemoryError", "ResourceExhaustedError", "OutOfMemoryError"}
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


def message(result: ExecutionResult, limits: Limits) -> str:
    """One line for the top of the report."""
    problems = [c for c in result.cells if c.status != "ok"]
    kind = _kind(result)
    if result.status == "ok":
        return "ran without errors"
    if result.status == "timeout":
        where = next((c for c in problems if c.status == "timeout"), None)
        if where is not None and where.cell and where.evalue.startswith("not run"):
            where = None
        if where is not None and where.duration_s and where.duration_s >= limits.cell_timeout * 0.95:
            return (f"your {kind} ran past the limit of {describe('cell_timeout', limits.cell_timeout)} "
                    f"in {where.where}; it was stopped there and the models built before were graded")
        return (f"your {kind} ran past the time limit of {describe('timeout', limits.timeout)}"
                f"{_place(where)}; the models built before that were graded")
    if result.status == "memory":
        where = next((c for c in problems if c.ename in MEMORY_ERRORS or c.status == "died"), None)
        return (f"your {kind} ran out of memory{_place(where)} (limit {describe('memory', limits.memory)}); "
                "use smaller arrays or batches. The models built before that were graded")
    if result.status == "killed":
        where = next((c for c in problems if c.status == "died"), None)
        return (f"your {kind} stopped abruptly{_place(where)} (it crashed or exited without finishing); "
                "the models built before that were graded")
    # Lead with a root cause: a NameError is usually the echo of an earlier failed cell.
    causes = [c for c in problems if c.status == "error" and c.ename != "NameError" and c.hint]
    first = causes[0] if causes else (problems[0] if problems else None)
    if first is None:
        return f"your {kind} stopped with an error"
    text = f"{first.where}: {first.ename}: {first.evalue.splitlines()[0] if first.evalue else ''}".strip()
    if first.hint:
        text += f" -> {first.hint}"
    more = len(problems) - 1
    if more:
        text += f" (and {more} more cell{'s' if more > 1 else ''} with errors)"
    return text


def _kind(result: ExecutionResult) -> str:
    files = {c.file for c in result.cells} | {c.file for c in result.captures}
    if files and all(f.endswith(".ipynb") for f in files):
        return "notebook"
    if files and all(f.endswith(".py") for f in files):
        return "script"
    return "code"


def _place(cell: CellOutcome | None) -> str:
    return f" in {cell.where}" if cell is not None and (cell.cell or cell.line) else ""
