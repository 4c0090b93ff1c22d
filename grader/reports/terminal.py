"""The short plain-text summary printed by ``grader check`` and ``grade``."""

from __future__ import annotations

import re
from typing import Any

from grader.execution.result import STATUS_ORDER as STATUSES
from grader.grading.results import GradedSubmission
from grader.i18n import text

# Escape sequences (CSI, OSC, and single-character ones), then every other control character
# but newline and tab: a file name or an exception message from a student must not move the
# cursor, retitle the instructor's terminal or hide lines.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(value: Any) -> str:
    r"""``value`` as text that is safe to print on a terminal (control characters removed).

    >>> printable("hw.py\x1b]0;pwned\x07: ok\x1b[2J\r")
    'hw.py: ok'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", str(value)))

MARKS = {"pass": "term.mark.pass", "partial": "term.mark.partial", "fail": "term.mark.fail"}


def _points(value: float) -> str:
    return f"{value:g}"


def summary(result: GradedSubmission, *, width: int = 100) -> str:
    """Per-activity lines for one result, with the first failing check's message."""
    execution = result.execution
    lang = result.language or "en"
    percent = 100 * result.score / result.max_score if result.max_score else 0.0
    lines = [
        f"{result.assignment} / {result.submission}: {_points(result.score)}/{_points(result.max_score)} ({percent:.0f}%)",
        f"  {text('term.execution', lang)}: {status_word(execution.status, lang)} ({execution.duration_s or 0:.1f} s)"
        + (f": {execution.message}" if execution.status != "ok" else ""),
    ]
    if execution.fit_cap_message:  # the student's own training was capped: say so, whole
        lines.append("  " + execution.fit_cap_message.replace("`", ""))
    for activity in result.activities:
        failing = [c for c in result.checks if c.activity == activity.id and c.status not in ("pass", "info")]
        mark = text(MARKS[activity.status], lang) if activity.status in MARKS else activity.status
        line = (f"  [{mark:<4}] {text('term.activity', lang)} {activity.id:>3}  "
                f"{_points(activity.points)}/{_points(activity.max_points)}  {activity.title}")
        lines.append(_clip(line, width))
        if failing:
            lines.append(_clip(f"           {failing[0].title}: {failing[0].message}", width))
    hidden = sum(1 for c in result.checks if c.hidden)
    if hidden:
        lines.append(_clip("  " + text("term.hidden", lang, count=hidden), width))
    if result.graded_by_instructor and result.graded_by_instructor.get("checks"):
        lines.append(_clip("  " + text("pack.instructor_checks", lang, count=result.graded_by_instructor["checks"],
                                       points=f"{result.graded_by_instructor.get('points', 0):g}",
                                       total=f"{result.max_score + result.graded_by_instructor.get('points', 0):g}"), width))
    if result.old_api:
        lines.append(_clip(f"  {text('report.old_api', lang)}: {len(result.old_api)}", width))
        for call in result.old_api[:3]:
            lines.append(_clip(f"    {call.get('line')}: {call.get('code')} -> {call.get('now')}", width))
    return printable("\n".join(lines))


def result_line(result: GradedSubmission, seconds: float) -> str:
    """One submission of a batch, in its language: ``actividad2/carla: 20/20  execution ok  (21.4 s)``."""
    lang = result.language or "en"
    return printable(text("term.result", lang, name=f"{result.assignment}/{result.submission}",
                          score=f"{_points(result.score)}/{_points(result.max_score)}",
                          status=status_word(result.execution.status, lang), seconds=f"{seconds:.1f}"))


def status_word(status: str, lang: str) -> str:
    """How a run ended in one word of ``lang`` (``memory`` -> ``sin memoria``); an unknown status as it is."""
    return text(f"status.{status}", lang) if status in STATUSES else status


def batch_line(index: int, total: int, result: GradedSubmission, seconds: float) -> str:
    return f"[{index}/{total}] {result_line(result, seconds)}"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= width else text[: width - 1] + "…"
