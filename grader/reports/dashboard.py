"""Class-wide figures for the batch index: score histogram, pass rates, most common findings.

Everything here is plain data; the sentences are written by ``index.html.j2`` so that they can be
translated with the rest of the page.

Example::

    >>> stats = class_stats([{"assignment": "actividad2", "submission": "ana", "score": 15, "max_score": 20},
    ...                      {"assignment": "actividad2", "submission": "carla", "score": 20, "max_score": 20}])
    >>> [(bar["low"], bar["count"]) for bar in stats["histogram"] if bar["count"]]
    [(70, 1), (90, 1)]
    >>> stats["findings"][0]                                       # doctest: +SKIP
    {'kind': 'differs', 'share': 31.0, 'count': 4, 'total': 13, 'model': 'AlexNet',
     'layer': 'block1_conv', 'expected': 'Conv2D(96, 11x11, strides 4, relu)',
     'found': 'Conv2D(96, 11x11, strides 11, relu)', 'assignment': 'actividad2'}
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from grader.reports.common import percent

BINS = 10  # histogram bars of 10 percentage points each; 100% goes in the last one
MAX_FINDINGS = 12


def histogram(results: list[dict]) -> list[dict[str, Any]]:
    """Submissions per score band: ``[{"low": 0, "high": 10, "count": 2, "height": 50.0}, ...]``.

    ``height`` is the bar's height in percent of the tallest bar.
    """
    counts = [0] * BINS
    for result in results:
        share = percent(result.get("score"), result.get("max_score"))
        if share is not None:
            counts[min(int(share // (100 / BINS)), BINS - 1)] += 1
    tallest = max(counts) or 1
    width = 100 // BINS
    return [{"low": i * width, "high": (i + 1) * width, "count": count, "height": 100.0 * count / tallest}
            for i, count in enumerate(counts)]


def _rate(passed: int, total: int) -> float | None:
    return 100.0 * passed / total if total else None


def activity_rates(results: list[dict]) -> list[dict[str, Any]]:
    """Per assignment and activity: how many submissions passed it entirely."""
    table: dict[tuple, dict] = {}
    for result in results:
        for activity in result.get("activities") or []:
            key = (result.get("assignment", ""), str(activity.get("id", "")))
            row = table.setdefault(key, {"assignment": key[0], "id": key[1], "title": activity.get("title", ""),
                                         "passed": 0, "total": 0})
            row["total"] += 1
            row["passed"] += activity.get("status") == "pass"
    return [{**row, "rate": _rate(row["passed"], row["total"])} for row in table.values()]


def check_rates(results: list[dict]) -> list[dict[str, Any]]:
    """Per assignment and check: how many submissions passed it, hardest first."""
    table: dict[tuple, dict] = {}
    for result in results:
        for check in result.get("checks") or []:
            if check.get("status") == "info":  # shown, never scored: not a check to pass
                continue
            key = (result.get("assignment", ""), str(check.get("id", "")))
            row = table.setdefault(key, {"assignment": key[0], "id": key[1], "activity": str(check.get("activity", "")),
                                         "title": check.get("title", ""), "passed": 0, "total": 0})
            row["total"] += 1
            row["passed"] += check.get("status") == "pass"
    rows = [{**row, "rate": _rate(row["passed"], row["total"])} for row in table.values()]
    return sorted(rows, key=lambda row: (row["rate"] if row["rate"] is not None else 101, row["assignment"]))


def findings(results: list[dict], *, limit: int = MAX_FINDINGS) -> list[dict[str, Any]]:
    """The layer differences most students share, most common first.

    A finding is a model that was not built (``no_model``), or a layer that differs in kind or
    settings (``differs``), is missing, or is extra; each counted once per submission. Differences that only follow from an earlier one (a shape or a
    parameter count) are left out: they would repeat the same mistake.
    """
    counts: Counter = Counter()
    graded: Counter = Counter(r.get("assignment", "") for r in results if r.get("status") != "error")
    for result in results:
        seen = set()
        for model in result.get("models") or []:
            if not model.get("found"):  # one finding, not one per layer of a model never built
                title = model.get("title") or model.get("id", "")
                found = [(result.get("assignment", ""), "no_model", title, None, None, None)]
            else:
                found = [_finding(result.get("assignment", ""), model, row) for row in _grouped(model.get("rows") or [])]
            for finding in found:
                if finding is not None and finding not in seen:
                    seen.add(finding)
                    counts[finding] += 1
    ranked = []
    for (assignment, kind, model, layer, expected, found), count in counts.items():
        total = graded[assignment] or 1
        ranked.append({"assignment": assignment, "kind": kind, "model": model, "layer": layer,
                       "expected": expected, "found": found, "count": count, "total": total,
                       "share": 100.0 * count / total})
    ranked.sort(key=lambda f: (-f["count"], f["assignment"], f["model"], f["layer"] or "", f["found"] or ""))
    return ranked[:limit]


def _grouped(rows: list[dict]) -> list[dict]:
    """Rows with each run of consecutive missing layers folded into one (an unfinished model)."""
    grouped: list[dict] = []
    run: list[dict] = []
    for row in [*rows, {"status": "end"}]:
        if row.get("status") == "missing" and row.get("reference"):
            run.append(row)
            continue
        if len(run) == 1:
            grouped.append(run[0])
        elif run:
            first, last = run[0]["reference"], run[-1]["reference"]
            grouped.append({"status": "missing", "reference": {
                "name": f"{first.get('name')} … {last.get('name')}",
                "describe": f"{len(run)} layers, {first.get('describe')} … {last.get('describe')}"}})
        run = []
        if row.get("status") != "end":
            grouped.append(row)
    return grouped


def _finding(assignment: str, model: dict, row: dict) -> tuple | None:
    title = model.get("title") or model.get("id", "")
    reference, student = row.get("reference") or {}, row.get("student") or {}
    status = row.get("status")
    if status == "missing" and reference:
        return assignment, "missing", title, reference.get("name"), reference.get("describe"), None
    if status == "extra" and student:
        return assignment, "extra", title, student.get("name"), None, student.get("describe")
    if status == "differs" and reference and student and set(row.get("differs") or []) & {"kind", "config"}:
        return assignment, "differs", title, reference.get("name"), reference.get("describe"), student.get("describe")
    return None


def class_stats(results: Iterable[dict]) -> dict[str, Any]:
    """Everything the dashboard part of index.html shows."""
    results = list(results)
    activities = activity_rates(results)
    return {
        "histogram": histogram(results),
        "activities": activities,
        "checks": check_rates(results),
        "findings": findings(results),
        "several_assignments": len({row["assignment"] for row in activities}) > 1,
    }
