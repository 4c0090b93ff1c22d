"""The result channel, read on the trusted side: plain JSON lines the sandbox left behind.

The one reader of what crosses the boundary outward (written by :mod:`grader_inside.records`):
every file is read up to a size limit, each line must parse as a JSON object nested at most 64
deep, each field is type-checked and cut to length, and anything else is dropped. Nothing is
unpickled or imported; shapes and counts are recomputed elsewhere from the architectures alone.

What crosses, per run of a student's file: models found after each cell (``capture<i>.jsonl``),
how each cell ended (``progress<i>.jsonl``), legacy mode's translations (``legacy.jsonl``) and
the capped ``fit()`` calls (``fit_cap.jsonl``); per reference build, ``references.jsonl``; per
training, ``result.jsonl``; and, for every run, a bounded copy of what it printed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import nbformat

from grader.execution.result import Capture, CellOutcome
from grader.submission.files import read_bytes
from grader.submission.submission import MAX_SOURCE_BYTES, SourceFile

MAX_CAPTURE_FILE = 50_000_000
MAX_PROGRESS_FILE = 5_000_000
MAX_CELLS = 10_000
MAX_DEPTH = 64  # nested lists and mappings in one record (architectures nest about 10 deep)
MAX_SECONDS = 10**7


def read_jsonl(path: Path, limit: int, *, remove: bool = False) -> list[dict]:
    """The JSON objects among the first ``limit`` bytes of ``path``, one per line; anything else is dropped.

    ``remove`` deletes the file once read (logs the sandbox appends to across files of a submission).
    """
    if not path.exists():
        return []
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit)
    finally:
        if remove:
            path.unlink(missing_ok=True)
    records = []
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's stack
            continue
        if isinstance(record, dict) and depth_of(record, MAX_DEPTH) <= MAX_DEPTH:
            records.append(record)
    return records


def depth_of(value, limit: int) -> int:
    """How deeply lists and mappings nest in ``value`` (iteratively; stops counting past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def number(value, *, low: float = 0.0, high: float = MAX_SECONDS) -> float:
    """A finite number in ``[low, high]`` from untrusted data, else ``low``.

    >>> number("12"), number(float("nan")), number(3.5), number(True)
    (0.0, 0.0, 3.5, 0.0)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return low
    return float(min(max(value, low), high))


def read_progress(path: Path, source: SourceFile, text: str) -> list[CellOutcome]:
    """How each cell (notebook) or ``# %%`` section (script) ended; ``text`` is the file's code."""
    records = read_jsonl(path, MAX_PROGRESS_FILE)
    cell_sources = _notebook_cells(source) if source.kind == "notebook" else {}
    sections = max((_int(r.get("cells")) for r in records if "cells" in r), default=1)
    outcomes = []
    for record in records:
        if "cell" not in record:
            continue
        cell = _int(record.get("cell"))
        if len(outcomes) >= MAX_CELLS:
            break
        status = record.get("status") if record.get("status") in ("ok", "error", "timeout", "died") else "error"
        line = _int(record.get("line")) or None
        code = _code_line(text if source.kind == "script" else cell_sources.get(cell, ""), line)
        ename, evalue = str(record.get("ename", ""))[:200], str(record.get("evalue", ""))[:2000]
        outcomes.append(CellOutcome(
            file=source.label, cell=cell if source.kind == "notebook" or sections > 1 else 0,
            status=status, ename=ename, evalue=evalue, line=line, code=code[:300],
            duration_s=number(record.get("duration_s")),
        ))
    died = _died_while_running(records, source, text, sections)
    if died is not None and len(outcomes) < MAX_CELLS:
        outcomes.append(died)
    return outcomes


def _died_while_running(records: list[dict], source: SourceFile, text: str, sections: int) -> CellOutcome | None:
    """The statement a script was running when its process ended without an outcome for it (killed
    by the memory cgroup, an abort), from the harness's ``running`` marks; None when it ended normally."""
    if any(r.get("finished") is True for r in records):
        return None
    marks = [r for r in records if "running" in r]
    if not marks:
        return None
    cell, line = _int(marks[-1].get("running")), _int(marks[-1].get("line")) or None
    if any(_int(r.get("cell")) == cell for r in records if "cell" in r and "running" not in r):
        return None  # that cell has its outcome: the run ended between cells
    return CellOutcome(file=source.label, cell=cell if sections > 1 else 0, status="died", line=line,
                       code=_code_line(text, line)[:300])


def _code_line(source: str, line: int | None) -> str:
    """The stripped source line ``line`` (1-based) of ``source``, or ``""``."""
    lines = source.splitlines()
    return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""


def finished(path: Path) -> bool:
    """Whether the harness or notebook worker got to its end (not killed, not ``os._exit``)."""
    return any(record.get("finished") is True for record in read_jsonl(path, MAX_PROGRESS_FILE))


def _notebook_cells(source: SourceFile) -> dict[int, str]:
    """The notebook's cells by number (the grader's own reading of the file it validated)."""
    try:
        notebook = nbformat.reads(read_bytes(source.path, MAX_SOURCE_BYTES).decode("utf-8"), as_version=4)
    except Exception:  # noqa: BLE001 - it was validated before running; without it, no code line is shown
        return {}
    return {i: cell.source for i, cell in enumerate(notebook.cells, start=1)}


def read_captures(path: Path, label: str, order: int) -> list[Capture]:
    captures = []
    for record in read_jsonl(path, MAX_CAPTURE_FILE):
        variable = record.get("variable")
        architecture = record.get("architecture")
        if not isinstance(variable, str) or not variable or len(variable) > 200:
            continue
        framework = record.get("framework", "keras")
        captures.append(Capture(
            file=label,
            framework=framework[:40] if isinstance(framework, str) else "",
            variable=variable,
            object_id=_int(record.get("object")),
            where=str(record.get("where", ""))[:40],
            model_class=str(record.get("class", ""))[:80],
            built=bool(record.get("built")),
            order=order * 1_000_000 + len(captures),
            architecture=architecture if isinstance(architecture, str) else None,
            error=str(record["error"])[:500] if record.get("error") else None,
            compile=plain_compile(record.get("compile")),
        ))
    return captures


def plain_compile(value) -> dict | None:
    """Compile settings as plain, bounded data (names and numbers only)."""
    if not isinstance(value, dict):
        return None
    allowed = {}
    for key in ("loss", "metrics", "optimizer", "learning_rate"):
        item = value.get(key)
        if isinstance(item, (str, int, float)) or item is None:
            allowed[key] = item if not isinstance(item, str) else item[:100]
        elif isinstance(item, list):
            allowed[key] = [str(v)[:100] for v in item[:20]]
        else:
            allowed[key] = str(item)[:100]
    return allowed


def _int(value) -> int:
    """A whole number from untrusted data (0 when it is not one, or not a plausible one)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63 else 0


MAX_LOG_BYTES = 200_000
MAX_LOG_RECORDS = 500
MAX_TEXT = 200
MAX_COUNT = 10**9
FIT_COUNTS = ("epochs_asked", "epochs_run", "batch_size", "batches_asked", "batches_run", "line")


def read_translations(path: Path, file: str) -> list[dict]:
    """What legacy mode translated while one file ran (``{"old", "new", "file", "line"}``); removes the log
    so that the next file of the submission starts with an empty one."""
    records, seen = [], set()
    for record in read_jsonl(path, MAX_LOG_BYTES, remove=True):
        old, new = record.get("old"), record.get("new")
        if not isinstance(old, str) or not isinstance(new, str) or not old.strip():
            continue
        line = _count(record.get("line")) or 0
        key = (old[:MAX_TEXT], new[:MAX_TEXT], line)
        if key in seen:
            continue
        seen.add(key)
        records.append({"old": key[0], "new": key[1], "file": file, "line": line})
        if len(records) >= MAX_LOG_RECORDS:
            break
    return records


def read_capped_fits(path: Path, file: str) -> list[dict]:
    """The ``fit()`` calls the cap shortened while one file ran; removes the log (see :func:`read_translations`).

    Information for the report only: nothing is graded on them.
    """
    records = []
    for record in read_jsonl(path, MAX_LOG_BYTES, remove=True):
        counts = {name: _count(record.get(name)) for name in FIT_COUNTS}
        if counts["epochs_asked"] is None or counts["epochs_run"] is None:
            continue
        cell = record.get("cell")
        records.append({"file": file, "cell": cell[:40] if isinstance(cell, str) else None, **counts})
        if len(records) >= MAX_LOG_RECORDS:
            break
    return records


def _count(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_COUNT:
        return value
    return None
