"""results.json: the machine-readable result of one submission (schema 1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.reports.html import write_text_atomic


def write_results(result: dict[str, Any], path: str | Path) -> Path:
    """Write ``result`` to ``path`` atomically: readers see the old file or the new one."""
    return write_text_atomic(path, json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def read_results(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
