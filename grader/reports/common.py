"""What every report shares: reading a result, writing a file atomically, writing values for people.

A *result* here is a results.json document (:meth:`grader.grading.results.GradedSubmission.to_json`):
reports are a file boundary, so they read the same document that is stored.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from grader.formatting import format_shape as _shape_text

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


# --- results -------------------------------------------------------------------------------


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
    if _is_shape(value) or (isinstance(value, (list, tuple)) and value and all(_is_shape(item) for item in value)):
        return _shape_text(value)
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
    """A check's expected and found values, short, as its kind shows them (a train check: its bound
    and its metric, not its learning curve)."""
    from grader.checks import check_kinds

    kind = check_kinds().get(check.get("kind", ""))
    if kind is not None and kind.compared is not None:
        return kind.compared(check)
    if isinstance(check.get("found"), dict) and "curve" in check["found"]:  # stored before "kind" was recorded
        return check_kinds()["train"].compared(check)
    return check.get("expected"), check.get("found")


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


