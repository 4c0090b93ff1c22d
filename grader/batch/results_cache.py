"""Results by content key, shared by ``grade`` and ``grader check`` on one machine.

A result is stored (in the instructor's view, with every hidden check's details) under the content
key of its submission (:func:`grader.batch.keys.submission_key`: the submission's files, the course,
every grading option, the grader's code and versions). Either command reuses what the other graded
under the same key instead of grading again.

Example:
    >>> import os, tempfile
    >>> os.environ["GRADER_CACHE_DIR"] = tempfile.mkdtemp()
    >>> from grader.grading.results import GradedSubmission
    >>> result = GradedSubmission("hw", "HW", "en", "ana", "graded", 1.0, 1.0, cache_key="0" * 32)
    >>> store_result(result)
    >>> load_result("0" * 32) == result, load_result("1" * 32)
    (True, None)
"""

from __future__ import annotations

import json
import re

from grader.cache import cache_dir, write_cache
from grader.grading.results import GradedSubmission
from grader.reports.exporters.results_json import dumps

_KEY = re.compile(r"^[0-9a-f]{16,64}$")


def _path(key: str):
    return cache_dir() / "results" / f"{key}.json"


def store_result(result: GradedSubmission) -> None:
    """Keep ``result`` under its ``cache_key`` (nothing when it has none: it must be graded again)."""
    if result.cache_key and _KEY.match(result.cache_key) and result.audience == "instructor":
        write_cache(_path(result.cache_key), dumps(result.to_json()))


def load_result(key: str) -> GradedSubmission | None:
    """The result stored under ``key``, or None."""
    if not key or not _KEY.match(key):
        return None
    try:
        document = json.loads(_path(key).read_text(encoding="utf-8"))
        if document.get("cache_key") != key:
            return None
        return GradedSubmission.from_json(document)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
