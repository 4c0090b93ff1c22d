"""Render grading results as self-contained HTML pages: one per submission, one index per batch.

A *result* is a results.json document. Example::

    >>> result = {"assignment": "actividad2", "submission": "carla", "score": 17, "max_score": 20}
    >>> page = render_report(result)                      # report.html as a string
    >>> "85%" in page
    True
    >>> page = render_index([result], links={"actividad2/carla": "actividad2/carla/report.html"})

Everything from a submission (variable names, error messages, layer names) is untrusted:
the templates are autoescaped, so it always reaches the page as text. The files are written by
the exporters ``report_html`` and ``index_html`` (:mod:`grader.reports.exporters`).
"""

from __future__ import annotations

import os
from typing import Iterable

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

import grader
from grader.cache import cache_dir
from grader.i18n import DEFAULT_LANGUAGE, LANGUAGES, render, text
from grader.reports import svg
from grader.reports.audience import student_view
from grader.execution.result import CellOutcome
from grader.grading.results import GradedSubmission
from grader.reports.common import (_is_number, _safe_href, code_spans, failed_checks, format_date, format_number,
                                   format_percent, format_shape, format_value, percent, result_key)
from grader.reports.dashboard import class_stats

# --- rendering ----------------------------------------------------------------------------


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept in the grader's cache (compiling the report's costs ~0.2 s a process);
    keyed by the template's source, so an edited template compiles again. A cache that cannot be
    written only costs that time."""

    def __init__(self) -> None:
        super().__init__(str(cache_dir() / "templates"))

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()


def make_environment() -> Environment:
    """A jinja2 Environment for the report templates (autoescaped, strict about undefined names).

    >>> make_environment().get_template("report.html.j2")
    <Template 'report.html.j2'>
    """
    env = Environment(
        loader=PackageLoader("grader.reports", "templates"),
        bytecode_cache=_TemplateCache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=format_number, shape=format_shape, value=format_value,
                       pct=format_percent, date=format_date, ticks=code_spans)
    return env


def _document(result: dict, audience: str) -> dict:
    """``result`` with every field results.json may have (the typed result fills what an older one lacks),
    as ``audience`` may see it."""
    typed = GradedSubmission.from_json(result)
    document = (student_view(typed) if audience == "student" else typed).to_json()
    empty_cell = CellOutcome(file="", cell=None).get_config()
    document["execution"]["cells"] = [{**empty_cell, **cell} for cell in document["execution"]["cells"]]
    return document


def _report_context(result: dict, audience: str = "student") -> dict:
    """What report.html.j2 needs: the full document, checks grouped by activity."""
    result = _document(result, audience)
    lang = result["language"] if result["language"] in LANGUAGES else DEFAULT_LANGUAGE
    checks = result["checks"]
    for check in checks:
        check["training"] = _training_view(check, lang)
    activities = result["activities"]
    known = {str(activity["id"]) for activity in activities}
    sections = [
        {"activity": activity, "checks": [c for c in checks if str(c["activity"]) == str(activity["id"])]}
        for activity in activities
    ]
    models = result["models"]
    return {
        "title": result["title"] or result["assignment"] or "Grading report",
        **_score_fields(result),
        "execution": result["execution"],
        "sections": sections,
        "other_checks": [check for check in checks if str(check["activity"]) not in known],
        "models": models,
        "model_ids": {model["id"] for model in models},
        "grader_version": result["grader_version"] or grader.__version__,
        "graded_at": result["graded_at"],
        "rubric": result["rubric"],
        "lang": lang,
        "t": lambda message_id, **fields: text(message_id, lang, **fields),
        "old_api": [{"file": "", "cell": 0, "line": 0, "code": "", "now": "", "explanation": "", **c}
                    for c in result["old_api"]],
        "legacy": result["legacy"],
        "graded_by_instructor": result.get("graded_by_instructor"),
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
    return make_environment().get_template("report.html.j2").render(**_report_context(result, audience))


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


def render_index(results: Iterable[dict], links: dict[str, str] | None = None, *, lang: str | None = None) -> str:
    """The index.html page for a batch: one row per result, in the order given.

    ``links`` maps a result's key (``"assignment/submission"``) to the relative href of its report;
    results without a link are listed without one. ``lang`` (default: the results' language when they
    share one, else English) is the language of every word on the page.

    >>> html = render_index([{"assignment": "actividad2", "submission": "carla", "score": 17, "max_score": 20}],
    ...                     {"actividad2/carla": "actividad2/carla/report.html"})
    >>> 'href="actividad2/carla/report.html"' in html
    True
    """
    results = list(results)
    rows = [_index_row(result, links or {}) for result in results]
    titles = {result.get("title") or result.get("assignment", "") for result in results}
    lang = lang or batch_language(results)
    return make_environment().get_template("index.html.j2").render(
        rows=rows,
        summary=_index_summary(rows),
        stats=class_stats(results),
        title=titles.pop() if len(titles) == 1 else "",
        grader_version=grader.__version__,
        lang=lang,
        t=lambda message_id, **fields: text(message_id, lang, **fields),
        status_words=status_words(lang),
    )


def status_words(lang: str) -> dict[str, str]:
    """How a run ended, in one word of ``lang``: ``{"ok": "ok", "memory": "sin memoria", ...}``."""
    return {"ok": text("status.ok", lang), "error": text("status.error", lang),
            "timeout": text("status.timeout", lang), "memory": text("status.memory", lang),
            "killed": text("status.killed", lang)}


def batch_language(results: Iterable[dict]) -> str:
    """The language of a batch's results when they share one, else the default (English).

    >>> batch_language([{"language": "es"}, {"language": "es"}]), batch_language([{"language": "es"}, {}])
    ('es', 'en')
    """
    languages = {result.get("language") or DEFAULT_LANGUAGE for result in results}
    return languages.pop() if len(languages) == 1 and languages <= set(LANGUAGES) else DEFAULT_LANGUAGE
