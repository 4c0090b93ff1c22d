"""Export a batch's grades as one CSV file: one row per submission, one column per activity.

Example::

    >>> result = {"assignment": "actividad2", "submission": "carla", "status": "graded", "score": 1, "max_score": 2,
    ...           "checks": [{"id": "a1", "activity": "1", "title": "Input", "status": "pass", "points": 1,
    ...                       "max_points": 1, "message": "ok"},
    ...                      {"id": "a2", "activity": "1", "title": "Layers", "status": "fail", "points": 0,
    ...                       "max_points": 1, "message": "strides 2x2 instead of 4x4"}],
    ...           "activities": [{"id": "1", "title": "Block 1", "points": 1, "max_points": 2, "status": "partial"}]}
    >>> write_grades_csv([result], "grades.csv")
    PosixPath('grades.csv')
    >>> print(open("grades.csv").read())
    assignment,submission,score,max_score,percent,status,execution_status,failed_checks,activity_1
    actividad2,carla,1,2,50,graded,,1,1
    <BLANKLINE>
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any, Iterable

from grader.reports.common import failed_checks, percent, write_text_atomic
from grader.reports.exporters import Exporter

COLUMNS = ("assignment", "submission", "score", "max_score", "percent", "status",
           "execution_status", "failed_checks")

# A spreadsheet runs a cell that starts with one of these as a formula; submission names are
# chosen by students, so such text gets a leading apostrophe (the usual CSV-injection guard).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def activity_ids(results: Iterable[dict]) -> list[str]:
    """Every activity id in ``results``, in the order first seen.

    >>> activity_ids([{"activities": [{"id": "1"}, {"id": "2"}]}, {"activities": [{"id": "3"}]}])
    ['1', '2', '3']
    """
    seen: dict[str, None] = {}
    for result in results:
        for activity in result.get("activities") or []:
            seen.setdefault(str(activity.get("id", "")), None)
    return list(seen)


def grades_table(results: Iterable[dict]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the grades CSV, as strings.

    >>> header, rows = grades_table([{"assignment": "actividad2", "submission": "carla", "score": 17.5,
    ...                               "max_score": 20, "activities": [{"id": "1", "points": 3}]}])
    >>> header[-1], rows[0][2]
    ('activity_1', '17.5')
    """
    results = list(results)
    ids = activity_ids(results)
    header = list(COLUMNS) + [f"activity_{activity_id}" for activity_id in ids]
    rows = []
    for result in results:
        points = {str(a.get("id", "")): a.get("points") for a in result.get("activities") or []}
        score, max_score = result.get("score"), result.get("max_score")
        share = percent(score, max_score)
        rows.append([
            _text(result.get("assignment", "")),
            _text(result.get("submission", "")),
            _number(score),
            _number(max_score),
            _number(None if share is None else round(share, 1)),
            _text(result.get("status", "")),
            _text((result.get("execution") or {}).get("status", "")),
            str(failed_checks(result)),
            *(_number(points.get(activity_id)) for activity_id in ids),
        ])
    return header, rows


def grades_csv(results: Iterable[dict]) -> str:
    """The grades CSV as text (``\\r\\n`` line endings, as the csv module writes them).

    >>> grades_csv([{"assignment": "actividad2", "submission": "carla"}]).splitlines()[0].split(",")[:3]
    ['assignment', 'submission', 'score']
    """
    header, rows = grades_table(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_grades_csv(results: Iterable[dict], path: str | os.PathLike, encoding: str = "utf-8") -> Path:
    """Write the grades CSV to ``path`` atomically.

    Pass ``encoding="utf-8-sig"`` for Excel, which otherwise misreads accented names.

    >>> write_grades_csv([{"assignment": "actividad2", "submission": "carla"}], "out/grades.csv")
    PosixPath('out/grades.csv')
    """
    return write_text_atomic(path, grades_csv(results), encoding=encoding)


def _number(value: Any) -> str:
    # Empty for "no value" so spreadsheets see a blank cell, and 18.0 as 18.
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(round(value, 4))
    return str(value)


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


EXPORTER = Exporter(name="grades_csv", write=lambda results, path, links=None: write_grades_csv(results, path),
                    commands=("grade",), default="grades.csv", help="one row per student, for Moodle, Canvas, spreadsheets")
