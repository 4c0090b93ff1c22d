"""Render grading results as self-contained HTML pages: one per submission, one index per batch.

A *result* is the dict a submission's ``results.json`` holds. Example::

    >>> page = render_report(result)                      # report.html as a string
    >>> write_report(result, "out/actividad2/carla/report.html")
    >>> write_index(results, "out/index.html",
    ...             links={"actividad2/carla": "actividad2/carla/report.html"})

Everything from a submission (variable names, error messages, layer names) is untrusted:
the templates are autoescaped, so it always reaches the page as text.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

import grader
from grader.i18n import DEFAULT_LANGUAGE, LANGUAGES, render, text
from grader.reports import svg
from grader.reports.audience import student_view

# Check statuses that cost the student points.
FAILED_CHECK_STATUSES = ("fail", "error")

# Defaults for optional fields, so the templates can use plain attribute access under
# StrictUndefined (which still catches typos in the templates themselves).
_CELL_DEFAULTS = {"file": "", "cell": None, "status": "error", "ename": "", "evalue": "",
                  "line": None, "code": "", "hint": "", "duration_s": None}
_CHECK_DEFAULTS = {"id": "", "activity": None, "title": "", "status": "skipped", "points": None,
                   "max_points": None, "message": "", "expected": None, "found": None,
                   "model": None, "hint": "", "hidden": False}
_ACTIVITY_DEFAULTS = {"id": "", "title": "", "points": None, "max_points": None, "status": ""}
_MODEL_DEFAULTS = {"id": "", "title": "", "variable": "", "found": None, "notes": [],
                   "reference_total": None, "student_total": None, "rows": [], "findings": []}
_ROW_DEFAULTS = {"status": "same", "differs": [], "reference": None, "student": None}
_LAYER_DEFAULTS = {"name": "", "kind": "", "describe": "", "output_shape": None, "params": None}


# --- small helpers shared with csv_export ------------------------------------------------


def result_key(result: dict) -> str:
    """The key that names a result in a batch.

    >>> result_key({"assignment": "actividad2", "submission": "carla"})
    'actividad2/carla'
    """
    return f"{result.get('assignment', '')}/{result.get('submission', '')}"


def percent(score: Any, max_score: Any) -> float | None:
    """``score`` as a percentage of ``max_score``, or None when either is missing or max is 0.

    >>> percent(17, 20)
    85.0
    """
    if not _is_number(score) or not _is_number(max_score) or max_score <= 0:
        return None
    return 100.0 * score / max_score


def failed_checks(result: dict) -> int:
    """How many checks cost the student points (status ``fail`` or ``error``).

    >>> failed_checks({"checks": [{"status": "pass"}, {"status": "fail"}]})
    1
    """
    return sum(1 for check in result.get("checks") or [] if check.get("status") in FAILED_CHECK_STATUSES)


def write_text_atomic(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half.

    The text goes to a temporary file in the same directory, which then replaces ``path``.
    Line endings are written exactly as they are in ``text``.

    >>> write_text_atomic("out/index.html", "<!doctype html>...")
    PosixPath('out/index.html')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w", encoding=encoding, newline="", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates the file 0600; reports are meant to be shared and served.
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


# --- formatting (also registered as template filters) -------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_number(value: Any, digits: int = 2) -> str:
    """A score, point value or count for people: thousands separators, no trailing zeros.

    >>> format_number(62379752), format_number(17.5), format_number(18.0), format_number(None)
    ('62,379,752', '17.5', '18', '—')
    """
    if value is None:
        return "—"
    if not _is_number(value):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_shape(value: Any) -> str:
    """A shape the way Keras prints it: ``[None, 27, 27, 96]`` becomes ``(None, 27, 27, 96)``.

    A list of shapes (a model with several outputs) becomes a list of tuples.

    >>> format_shape([None, 27, 27, 96]), format_shape([None, 10]), format_shape([[None, 2], [None]])
    ('(None, 27, 27, 96)', '(None, 10)', '[(None, 2), (None,)]')
    """
    if value is None:
        return "—"
    if _is_shape(value):
        parts = ["None" if dim is None else str(dim) for dim in value]
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    if isinstance(value, (list, tuple)) and value and all(_is_shape(item) for item in value):
        return "[" + ", ".join(format_shape(item) for item in value) + "]"
    return format_value(value)


def _is_shape(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(dim is None or _is_int(dim) for dim in value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def format_value(value: Any) -> str:
    """Any JSON value from a check's ``expected``/``found``, written for a student.

    Lists of integers and None are shapes; integers get thousands separators.

    >>> format_value([None, 27, 27, 96]), format_value(34944), format_value({"units": 10})
    ('(None, 27, 27, 96)', '34,944', 'units=10')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if _is_int(value):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return repr(value)  # shortest exact form: 0.001 stays 0.001
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        if value and (_is_shape(value) or all(_is_shape(item) for item in value)):
            return format_shape(value)
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{key}={format_value(item)}" for key, item in value.items())
    return str(value)


def compared_values(check: dict) -> tuple[Any, Any]:
    """A check's expected and found values, short: a train check shows its bound and its metric,
    not its learning curve."""
    expected, found = check.get("expected"), check.get("found")
    if isinstance(found, dict) and "curve" in found:
        bound = expected.get("limit", expected.get("threshold")) if isinstance(expected, dict) else expected
        return bound, found.get("value", found.get("status"))
    return expected, found


def format_percent(value: float | None) -> str:
    """A percentage with at most one decimal.

    >>> format_percent(85.0), format_percent(72.456), format_percent(None)
    ('85%', '72.5%', '—')
    """
    return "—" if value is None else f"{format_number(round(value, 1), digits=1)}%"


def format_date(text: str | None) -> str:
    """An ISO timestamp as ``YYYY-MM-DD HH:MM`` plus its zone; anything else unchanged.

    >>> format_date("2026-11-23T12:00:00+00:00")
    '2026-11-23 12:00 UTC'
    """
    if not text:
        return "—"
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return str(text)
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def code_spans(value: Any) -> Markup:
    """Escape a message and show its `backticked` parts as code.

    >>> str(code_spans("`conv2d` <b>"))
    '<code>conv2d</code> &lt;b&gt;'
    """
    escaped = str(escape("" if value is None else value))
    return Markup(re.sub(r"`([^`\n]+)`", r"<code>\1</code>", escaped))


def _safe_href(href: str | None) -> str | None:
    # Links come from the caller, but keep javascript:/data: out of the page whatever they hold.
    if not href:
        return None
    scheme = urlsplit(str(href)).scheme.lower()
    return str(href) if scheme in ("", "http", "https", "file") else None


# --- rendering ----------------------------------------------------------------------------


def make_environment() -> Environment:
    """A jinja2 Environment for the report templates (autoescaped, strict about undefined names).

    >>> make_environment().get_template("report.html.j2")
    <Template 'report.html.j2'>
    """
    env = Environment(
        loader=PackageLoader("grader.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=format_number, shape=format_shape, value=format_value,
                       pct=format_percent, date=format_date, ticks=code_spans)
    return env


def _with_defaults(defaults: dict, record: dict | None) -> dict:
    return {**defaults, **(record or {})}


def _model_view(model: dict) -> dict:
    model = _with_defaults(_MODEL_DEFAULTS, model)
    rows = []
    for row in model["rows"] or []:
        row = _with_defaults(_ROW_DEFAULTS, row)
        for side in ("reference", "student"):
            if row[side] is not None:
                row[side] = _with_defaults(_LAYER_DEFAULTS, row[side])
        row["differs"] = list(row["differs"] or [])
        rows.append(row)
    model["rows"] = rows
    model["notes"] = list(model["notes"] or [])
    model["findings"] = [{"message": "", "fix": "", "attributes": [], **f} for f in model["findings"] or []]
    return model


def _report_context(result: dict) -> dict:
    """What report.html.j2 needs: the result with defaults filled in and checks grouped by activity."""
    lang = result.get("language") if result.get("language") in LANGUAGES else DEFAULT_LANGUAGE
    execution = _with_defaults({"status": "ok", "message": "", "duration_s": None, "cells": []},
                               result.get("execution"))
    execution["cells"] = [_with_defaults(_CELL_DEFAULTS, cell) for cell in execution["cells"] or []]

    checks = [_with_defaults(_CHECK_DEFAULTS, check) for check in result.get("checks") or []]
    for check in checks:
        check["training"] = _training_view(check, lang)
    activities = [_with_defaults(_ACTIVITY_DEFAULTS, a) for a in result.get("activities") or []]
    known = {str(activity["id"]) for activity in activities}
    sections = [
        {"activity": activity, "checks": [c for c in checks if str(c["activity"]) == str(activity["id"])]}
        for activity in activities
    ]
    models = [_model_view(model) for model in result.get("models") or []]

    return {
        "title": result.get("title") or result.get("assignment") or "Grading report",
        **_score_fields(result),
        "execution": execution,
        "sections": sections,
        "other_checks": [check for check in checks if str(check["activity"]) not in known],
        "models": models,
        "model_ids": {model["id"] for model in models},
        "grader_version": result.get("grader_version") or grader.__version__,
        "graded_at": result.get("graded_at"),
        "rubric": result.get("rubric") or "",
        "lang": lang,
        "t": lambda message_id, **fields: text(message_id, lang, **fields),
        "old_api": [{"file": "", "cell": 0, "line": 0, "code": "", "now": "", "explanation": "", **c}
                    for c in result.get("old_api") or []],
        "legacy": {"enabled": False, "translations": [], **(result.get("legacy") or {})},
    }


def _training_view(check: dict, lang: str) -> dict | None:
    """Learning curve and metric gauge of a train check (None for other checks or hidden ones)."""
    found, expected = check.get("found"), check.get("expected")
    if not isinstance(found, dict) or not isinstance(found.get("curve"), dict):
        return None
    curve = found["curve"]
    view = {"curve": Markup(svg.learning_curve(curve.get("loss"), curve.get("val_loss"),
                                               label=text("report.training.curve", lang))),
            "gauge": Markup(""), "device": str(found.get("device") or ""), "fit_s": found.get("fit_s"),
            "cached": bool(found.get("cached")),
            "notes": [render(n, lang) for n in (found.get("data") or {}).get("notes") or []]}
    if isinstance(expected, dict) and _is_number(found.get("value")) and _is_number(expected.get("limit")):
        threshold = expected.get("threshold") or {}
        lower = "min" not in threshold and not (expected.get("metric") == "accuracy")
        view["gauge"] = Markup(svg.threshold_gauge(found["value"], expected["limit"], lower_is_better=lower,
                                                   label=check.get("message", "")))
    return view


def _score_fields(result: dict) -> dict:
    """What both the report and an index row show about a result."""
    return {
        "assignment": result.get("assignment", ""),
        "submission": result.get("submission", ""),
        "status": result.get("status", "graded"),
        "score": result.get("score"),
        "max_score": result.get("max_score"),
        "percent": percent(result.get("score"), result.get("max_score")),
        "failed_checks": failed_checks(result),
    }


def render_report(result: dict, *, audience: str = "student") -> str:
    """The report.html page for one submission, as a string.

    ``audience="student"`` (the default) leaves out the expectations of hidden checks (see
    :mod:`grader.reports.audience`); ``"instructor"`` shows everything.

    >>> html = render_report({"assignment": "actividad2", "submission": "carla", "score": 17,
    ...                       "max_score": 20, "status": "graded"})
    >>> "85%" in html
    True
    """
    if audience not in ("student", "instructor"):
        raise ValueError(f"audience must be 'student' or 'instructor', got {audience!r}")
    if audience == "student":
        result = student_view(result)
    return make_environment().get_template("report.html.j2").render(**_report_context(result))


def _index_row(result: dict, links: dict[str, str]) -> dict:
    execution = result.get("execution") or {}
    return {
        "key": result_key(result),
        **_score_fields(result),
        "execution_status": execution.get("status", "ok"),
        "execution_message": execution.get("message", ""),
        "href": _safe_href(links.get(result_key(result))),
    }


def _index_summary(rows: list[dict]) -> dict:
    scored = [row for row in rows if _is_number(row["score"])]
    maxima = {row["max_score"] for row in scored}
    percents = [row["percent"] for row in rows if row["percent"] is not None]
    return {
        "count": len(rows),
        # A mean "x / y" only makes sense when every submission was graded out of the same total.
        "mean_score": sum(row["score"] for row in scored) / len(scored) if scored else None,
        "common_max": maxima.pop() if len(maxima) == 1 else None,
        "mean_percent": sum(percents) / len(percents) if percents else None,
        "execution_errors": sum(1 for row in rows if row["execution_status"] != "ok"),
        "grading_errors": sum(1 for row in rows if row["status"] == "error"),
    }


def render_index(results: Iterable[dict], links: dict[str, str] | None = None) -> str:
    """The index.html page for a batch: one row per result, in the order given.

    ``links`` maps a result's key (``"assignment/submission"``) to the relative href of its report;
    results without a link are listed without one.

    >>> html = render_index([result], {"actividad2/carla": "actividad2/carla/report.html"})
    """
    results = list(results)
    rows = [_index_row(result, links or {}) for result in results]
    titles = {result.get("title") or result.get("assignment", "") for result in results}
    from grader.reports.dashboard import class_stats

    return make_environment().get_template("index.html.j2").render(
        rows=rows,
        summary=_index_summary(rows),
        stats=class_stats(results),
        title=titles.pop() if len(titles) == 1 else "",
        grader_version=grader.__version__,
    )


def write_report(result: dict, path: str | os.PathLike) -> Path:
    """Render one submission's report and write it (UTF-8, atomically) to ``path``.

    >>> write_report(result, "out/actividad2/carla/report.html")
    PosixPath('out/actividad2/carla/report.html')
    """
    return write_text_atomic(path, render_report(result))


def write_index(results: Iterable[dict], path: str | os.PathLike,
                links: dict[str, str] | None = None) -> Path:
    """Render the batch index and write it (UTF-8, atomically) to ``path``.

    >>> write_index(results, "out/index.html", {"actividad2/carla": "actividad2/carla/report.html"})
    PosixPath('out/index.html')
    """
    return write_text_atomic(path, render_index(results, links))
