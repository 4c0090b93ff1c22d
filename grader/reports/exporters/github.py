"""GitHub Actions annotations: a workflow log line per problem, shown on the run's summary page.

Printed by ``grade`` and ``grader check`` when ``GITHUB_ACTIONS=true`` (GitHub sets it). A failed
check becomes a ``::warning`` (the student's mistake, not the workflow's); a submission that could
not be graded becomes an ``::error``; ``grader validate`` reports broken rubrics as ``::error``.

Example::

    >>> annotation("error", "rubrics/a2.yaml: line 5: unknown key", file="rubrics/a2.yaml", title="rubric")
    '::error file=rubrics/a2.yaml,title=rubric::rubrics/a2.yaml: line 5: unknown key'
"""

from __future__ import annotations

import os
from typing import Iterable

from grader.reports.exporters import Exporter

# GitHub caps annotations per step; past this many the rest only appear in the log anyway.
MAX_ANNOTATIONS = 50


def _data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, *, file: str | None = None, line: int | None = None,
               title: str | None = None) -> str:
    """One workflow command (``level`` is ``error``, ``warning`` or ``notice``)."""
    if level not in ("error", "warning", "notice"):
        raise ValueError(f"level must be error, warning or notice, got {level!r}")
    props = [f"{key}={_property(value)}" for key, value in (("file", file), ("line", line), ("title", title))
             if value is not None]
    return f"::{level}{' ' + ','.join(props) if props else ''}::{_data(message)}"


def annotations(results: Iterable[dict]) -> list[str]:
    """The annotations for a batch: one per submission not graded, one per cell that failed (on its
    file and, for a script, its line), one per old API call (likewise), one per failed check."""
    lines = []
    for result in results:
        who = f"{result.get('assignment', '')}/{result.get('submission', '')}"
        execution = result.get("execution") or {}
        if result.get("status") == "error":
            lines.append(annotation("error", execution.get("message", ""), title=f"{who}: not graded"))
            continue
        for cell in execution.get("cells") or []:
            file, line = _place(result, cell.get("file", ""), cell.get("cell"), cell.get("line"))
            what = f"{cell.get('ename', '')}: {cell.get('evalue', '')}".strip(": ")
            hint = f" {cell['hint']}" if cell.get("hint") else ""
            lines.append(annotation("error", f"{what}.{hint}", file=file, line=line, title=f"{who}: {_where(cell)}"))
        for call in result.get("old_api") or []:
            file, line = _place(result, call.get("file", ""), call.get("cell"), call.get("line"))
            lines.append(annotation("warning", f"{call.get('explanation', '')} Now: {call.get('now', '')}",
                                    file=file, line=line, title=f"{who}: old API ({_where(call)})"))
        failing = [c for c in result.get("checks") or [] if c.get("status") in ("fail", "error")]
        for check in failing:
            lines.append(annotation("warning", check.get("message") or check.get("status", ""),
                                    file=_place(result, "", None, None)[0],
                                    title=f"{who}: {check.get('title') or check.get('id', '')}"))
    if len(lines) > MAX_ANNOTATIONS:
        hidden = len(lines) - MAX_ANNOTATIONS
        lines = lines[:MAX_ANNOTATIONS] + [annotation("notice", f"{hidden} more problems: see the reports")]
    return lines


def _place(result: dict, label: str, cell, line) -> tuple[str | None, int | None]:
    """The repository file an annotation goes on, and the line (a script's own lines only: a line of a
    notebook cell is no line of the .ipynb file)."""
    given = result.get("path") or ""
    if not given:
        return None, None
    path = given if not label or given.endswith(label) else f"{given.rstrip('/')}/{label}"
    return path, line if path.endswith(".py") and isinstance(line, int) and line > 0 else None


def _where(record: dict) -> str:
    parts = [f"cell {record['cell']}" if record.get("cell") else "", f"line {record['line']}" if record.get("line") else ""]
    return ", ".join(part for part in parts if part) or "the submission"


def print_annotations(results, path=None, links=None) -> None:
    """Print the annotations of ``results`` on standard output, where GitHub Actions reads them."""
    from grader.reports.terminal import printable

    for line in annotations(results):
        print(printable(line))


EXPORTER = Exporter(name="github", write=print_annotations, active=lambda: os.environ.get("GITHUB_ACTIONS") == "true",
                    help="GitHub Actions annotations (printed when GITHUB_ACTIONS=true)")
