"""Gradescope's autograder ``results.json``: run grader inside a Gradescope autograder image.

Gradescope runs ``/autograder/run_autograder`` with the student's files in
``/autograder/submission/`` and reads ``/autograder/results/results.json``: a total ``score``,
the ``execution_time`` in seconds, an ``output`` shown on top, and one entry of ``tests`` per
check (``name``, ``number``, ``score``, ``max_score``, ``status`` passed/failed, ``output``).
docs/instructors.md shows a complete ``run_autograder``.

Example::

    >>> result = {"assignment": "actividad2", "submission": "carla", "status": "graded", "score": 1, "max_score": 2,
    ...           "checks": [{"id": "a1", "activity": "1", "title": "Input", "status": "pass", "points": 1,
    ...                       "max_points": 1, "message": "ok"},
    ...                      {"id": "a2", "activity": "1", "title": "Layers", "status": "fail", "points": 0,
    ...                       "max_points": 1, "message": "strides 2x2 instead of 4x4"}],
    ...           "activities": [{"id": "1", "title": "Block 1", "points": 1, "max_points": 2, "status": "partial"}]}
    >>> [test["status"] for test in gradescope_results(result)["tests"]]
    ['passed', 'failed']
    >>> write_gradescope(result, "results.json")          # on Gradescope: /autograder/results/results.json
    PosixPath('results.json')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from grader.reports.common import compared_values, format_value, write_text_atomic
from grader.reports.exporters import Exporter
from grader.reports.exporters.results_json import dumps


def _output(check: dict) -> str:
    lines = [check.get("message") or ""]
    expected, found = compared_values(check)
    if check.get("status") != "pass" and (expected is not None or found is not None):
        lines.append(f"Expected: {format_value(expected)}. Found: {format_value(found)}.")
    if check.get("hint"):
        lines.append(f"Fix: {check['hint']}")
    return "\n".join(line for line in lines if line)


def gradescope_results(result: dict, *, visibility: str = "visible") -> dict[str, Any]:
    """The Gradescope results.json content for one grader result."""
    execution = result.get("execution") or {}
    activities = {str(a.get("id")): a.get("title", "") for a in result.get("activities") or []}
    numbers: dict[str, int] = {}
    tests = []
    for check in result.get("checks") or []:
        activity = str(check.get("activity", ""))
        numbers[activity] = numbers.get(activity, 0) + 1
        tests.append({
            "name": check.get("title") or check.get("id", ""),
            "number": f"{activity}.{numbers[activity]}" if activity else str(len(tests) + 1),
            "score": check.get("points") or 0.0,
            "max_score": check.get("max_points") or 0.0,
            "status": "passed" if check.get("status") in ("pass", "info") else "failed",
            "output": _output(check),
            "tags": [t for t in (f"actividad {activity}" if activity else "", activities.get(activity, "")) if t],
            "visibility": visibility,
        })
    summary = f"{result.get('title') or result.get('assignment', '')}: execution {execution.get('status', 'ok')}"
    if execution.get("status", "ok") != "ok" and execution.get("message"):
        summary += f" ({execution['message']})"
    return {
        "score": result.get("score") or 0.0,
        "execution_time": round(execution.get("duration_s") or 0.0, 1),
        "output": summary,
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def write_gradescope(result: dict, path: str | os.PathLike) -> Path:
    """Write Gradescope's results.json for ``result`` to ``path`` atomically."""
    return write_text_atomic(path, dumps(gradescope_results(result), indent=2) + "\n")


EXPORTER = Exporter(name="gradescope", write=lambda results, path, links=None: write_gradescope(results[0], path),
                    flag="--gradescope", commands=("check",),
                    help="Gradescope's results.json (e.g. /autograder/results/results.json)")
