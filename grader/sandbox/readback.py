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
MAX_CELL_SOURCE = 200_000  # the failing cell's code kept for likely fixes (a whole script)
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
        cell_source = text if source.kind == "script" else cell_sources.get(cell, "")
        code = _code_line(cell_source, line)
        ename, evalue = str(record.get("ename", ""))[:200], str(record.get("evalue", ""))[:2000]
        outcomes.append(CellOutcome(
            file=source.label, cell=cell if source.kind == "notebook" or sections > 1 else 0,
            status=status, ename=ename, evalue=evalue, line=line, code=code[:300],
            duration_s=number(record.get("duration_s")),
            source=cell_source[:MAX_CELL_SOURCE] if status != "ok" else "",
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
            application=plain_application(record.get("application")),
            nested=read_nested(record.get("nested")),
        ))
    return captures


def plain_compile(value) -> dict | None:
    """Compile settings as plain, bounded data (names and numbers only)."""
    if not isinstance(value, dict):
        return None
    allowed = {}
    for key in ("loss_config", "optimizer_config"):  # a loss's or optimizer's plain arguments
        item = value.get(key)
        if isinstance(item, dict):
            allowed[key] = {str(k)[:60]: (v[:100] if isinstance(v, str) else v)
                            for k, v in list(item.items())[:40]
                            if v is None or isinstance(v, (bool, int, str)) or
                            (isinstance(v, float) and math.isfinite(v))}
    for key in ("loss", "metrics", "optimizer", "learning_rate"):
        item = value.get(key)
        if isinstance(item, (str, int, float)) or item is None:
            allowed[key] = item if not isinstance(item, str) else item[:100]
        elif isinstance(item, list):
            allowed[key] = [str(v)[:100] for v in item[:20]]
        else:
            allowed[key] = str(item)[:100]
    if isinstance(value.get("optimizer_config"), dict):
        allowed["optimizer_config"] = _scalars(value["optimizer_config"])
    schedule = value.get("learning_rate_schedule")
    if isinstance(schedule, dict) and isinstance(schedule.get("class"), str):
        allowed["learning_rate_schedule"] = {"class": schedule["class"][:80],
                                             "config": _scalars(schedule.get("config"))}
    return allowed


def _scalars(value, limit: int = 40) -> dict:
    """A mapping of names to numbers, flags and short texts (anything else dropped)."""
    if not isinstance(value, dict):
        return {}
    kept = {}
    for key, item in list(value.items())[:limit]:
        if not isinstance(key, str):
            continue
        if item is None or isinstance(item, bool) or (isinstance(item, (int, float)) and math.isfinite(item)):
            kept[key[:60]] = item
        elif isinstance(item, str):
            kept[key[:60]] = item[:100]
    return kept


def plain_application(value) -> dict | None:
    """Which ``keras.applications`` function built a model, with its arguments, as plain bounded data."""
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return None
    kept = _scalars(value, 12)
    shape = value.get("input_shape")
    if isinstance(shape, list) and len(shape) <= 8 and all(d is None or _int(d) or d == 0 for d in shape):
        kept["input_shape"] = shape
    return kept


def read_nested(value) -> list[dict]:
    """The models nested in an exported one, as the capture listed them (names, objects, applications)."""
    if not isinstance(value, list):
        return []
    kept = []
    for item in value[:50]:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            kept.append({"name": item["name"][:400], "object": _int(item.get("object")),
                         "application": plain_application(item.get("application"))})
    return kept


EVENTS = ("train", "save", "load", "save_weights", "load_weights", "substituted", "inspected")
MAX_EVENTS = 2000


def read_events(path: Path, label: str) -> list[dict]:
    """What the code did with its models (the watcher's records in the capture file), as plain data.

    Information that the student's process wrote: the checks that read it (which weights a model
    trains, save and load) compare it with what the grader rebuilt, never take a count from it.
    """
    events = []
    for record in read_jsonl(path, MAX_CAPTURE_FILE):
        kind = record.get("event")
        if kind not in EVENTS:
            continue
        event = {"event": kind, "file": label, "where": str(record.get("where", ""))[:40],
                 "line": _int(record.get("line")), "object": _int(record.get("object"))}
        if kind == "train":
            event.update(call=str(record.get("call", ""))[:40], builds=record.get("builds") is True,
                         trainable=_int(record.get("trainable")), total=_int(record.get("total")),
                         parts=[{"name": str(p.get("name", ""))[:200], "object": _int(p.get("object")),
                                 "trainable": _int(p.get("trainable")), "total": _int(p.get("total"))}
                                for p in (record.get("parts") or [])[:50] if isinstance(p, dict)])
        elif kind == "inspected":
            event.update(check=str(record.get("check", ""))[:200], question=str(record.get("question", ""))[:40],
                         members=[_int(m) for m in (record.get("members") or [])[:100]
                                  if isinstance(record.get("members"), list)],
                         count=_int(record.get("count")), rows=_int(record.get("rows")),
                         max_difference=number(record.get("max_difference"), high=1e30)
                         if "max_difference" in record else None,
                         missing=str(record["missing"])[:40] if record.get("missing") else None,
                         name=str(record.get("name", ""))[:100],
                         not_models=record.get("not_models") is True, type=str(record.get("type", ""))[:80],
                         shape=[_int(d) for d in (record.get("shape") or [])[:4]] if isinstance(record.get("shape"), list) else None,
                         expected_shape=[_int(d) for d in (record.get("expected_shape") or [])[:4]]
                         if isinstance(record.get("expected_shape"), list) else None,
                         error=str(record["error"])[:300] if record.get("error") else None)
        elif kind == "substituted":
            event.update(application=str(record.get("application", ""))[:80],
                         weights=str(record.get("weights", ""))[:200], path=str(record.get("file", ""))[:200],
                         error=str(record.get("error", ""))[:300])
        else:
            architecture = record.get("architecture")
            event.update(path=str(record.get("path", ""))[:200], format=str(record.get("format", ""))[:20],
                         error=str(record["error"])[:500] if record.get("error") else None,
                         architecture=architecture if isinstance(architecture, str) else None,
                         compile=plain_compile(record.get("compile")))
        events.append(event)
        if len(events) >= MAX_EVENTS:
            break
    return events


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
    return capped_only(read_fit_calls(path, file))


def capped_only(calls: list[dict]) -> list[dict]:
    """The calls the cap shortened, as ``execution.capped_fits`` lists them (without the hook's own fields)."""
    return [{k: v for k, v in call.items() if k not in ("capped", "object", "serial")} for call in calls if call["capped"]]


def read_fit_calls(path: Path, file: str, *, remove: bool = True) -> list[dict]:
    """Every ``fit()`` call the hook saw while one file ran (``capped`` says whether the cap shortened it),
    with the id of the model object it trained; written by the student's process, so what a check reads
    of them is shown as reported by it."""
    records = []
    for record in read_jsonl(path, MAX_LOG_BYTES, remove=remove):
        counts = {name: _count(record.get(name)) for name in FIT_COUNTS}
        if counts["epochs_asked"] is None or counts["epochs_run"] is None:
            continue
        cell = record.get("cell")
        call = {"file": file, "cell": cell[:40] if isinstance(cell, str) else None, **counts,
                "capped": record.get("capped", True) is not False, "object": _int(record.get("object")) or None,
                "serial": _count(record.get("serial"))}
        if record.get("loop") is True:  # a student's own training loop (PyTorch), not a fit() call
            call["loop"] = True
        records.append(call)
        if len(records) >= MAX_LOG_RECORDS:
            break
    return records


def _count(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_COUNT:
        return value
    return None


MAX_LISTING_BYTES = 2_500_000
_LISTED_KINDS = ("file", "link", "folder", "more")


def read_listing(path: Path) -> list[dict] | None:
    """The files the sandbox listed after a program ended (``grader_inside/files.py``): ``{"path", "kind",
    "size", "sha256"}`` each, checked field by field; None when the listing never finished (the run was
    stopped before it, or something wrote over it)."""
    records = read_jsonl(path, MAX_LISTING_BYTES)
    if not records or records[-1].get("done") is not True:
        return None
    listed = []
    for record in records[:-1]:
        where, kind, sha = record.get("path"), record.get("kind"), record.get("sha256")
        if not isinstance(where, str) or not where.startswith("/") or len(where) > 4096 or kind not in _LISTED_KINDS:
            continue
        listed.append({"path": where, "kind": kind, "size": _count(record.get("size")) or 0,
                       "sha256": sha if isinstance(sha, str) and len(sha) == 64 else None})
    return listed


MAX_VALUES_BYTES = 2_000_000
MAX_VALUE_ITEMS = 10_000


def read_values(path: Path, file: str) -> list[dict]:
    """Values the student's code left in the variables a rubric asks about (``reported_value``), as the
    student's own process wrote them: ``{"file", "variable", "value", "where"}``, numbers (or lists of
    numbers) only. Untrusted by nature: reports show them as reported by the student's code."""
    values = []
    for record in read_jsonl(path, MAX_VALUES_BYTES):
        variable, value = record.get("variable"), _plain_value(record.get("value"))
        if not isinstance(variable, str) or not variable.isidentifier() or len(variable) > 100:
            continue
        values.append({"file": file, "variable": variable, "value": value, "kind": record.get("kind")
                       if record.get("kind") in ("number", "numbers", "text", "other") else "other",
                       "where": str(record.get("where", ""))[:40]})
        if len(values) >= MAX_LOG_RECORDS:
            break
    return values


def _plain_value(value):
    """A finite number, a flat list of them (bounded), a short text, or None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [v if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None
                for v in value[:MAX_VALUE_ITEMS]]
    if isinstance(value, str):
        return value[:200]
    return None
