"""The result channel, read on the trusted side: plain JSON lines the sandbox left behind.

Everything here treats the files as hostile: each is read up to a size limit, each line must
parse as a JSON object, each field is type-checked and cut to length, and anything else is
dropped. Nothing is unpickled or imported; shapes and counts are recomputed elsewhere from
the architectures alone.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import nbformat

from grader.execution import diagnostics
from grader.execution.result import Capture, CellOutcome
from grader.submission.submission import SourceFile

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
    cell_sources = _cell_sources(source, text)
    outcomes = []
    for record in read_jsonl(path, MAX_PROGRESS_FILE):
        if "cell" not in record:
            continue
        cell = _int(record.get("cell"))
        if len(outcomes) >= MAX_CELLS:
            break
        status = record.get("status") if record.get("status") in ("ok", "error", "timeout", "died") else "error"
        line = _int(record.get("line")) or None
        if source.kind == "script":
            code = diagnostics.code_line(text, line)
        else:
            code = diagnostics.code_line(cell_sources.get(cell, ""), line)
        ename, evalue = str(record.get("ename", ""))[:200], str(record.get("evalue", ""))[:2000]
        outcomes.append(CellOutcome(
            file=source.label, cell=cell if source.kind == "notebook" or len(cell_sources) > 1 else 0,
            status=status, ename=ename, evalue=evalue, line=line, code=code[:300],
            hint=diagnostics.explain(ename, evalue, code) if status == "error" else "",
            duration_s=number(record.get("duration_s")),
        ))
    return outcomes


def finished(path: Path) -> bool:
    """Whether the harness or notebook worker got to its end (not killed, not ``os._exit``)."""
    return any(record.get("finished") is True for record in read_jsonl(path, MAX_PROGRESS_FILE))


def _cell_sources(source: SourceFile, text: str) -> dict[int, str]:
    if source.kind == "script":
        from grader.execution.harness import split_cells
        return {i: cell for i, (_, cell) in enumerate(split_cells(text), start=1)}
    notebook = nbformat.read(str(source.path), as_version=4)  # validated by read_source
    return {i: cell.source for i, cell in enumerate(notebook.cells, start=1)}


def read_captures(path: Path, label: str, order: int) -> list[Capture]:
    captures = []
    for record in read_jsonl(path, MAX_CAPTURE_FILE):
        variable = record.get("variable")
        architecture = record.get("architecture")
        if not isinstance(variable, str) or not variable or len(variable) > 200:
            continue
        captures.append(Capture(
            file=label,
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
