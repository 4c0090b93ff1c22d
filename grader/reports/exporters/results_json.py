"""results.json: the machine-readable result of one submission (schema 1), as strict JSON.

Strict JSON has no ``NaN`` or ``Infinity`` (Python writes them; most other readers refuse the
file). A number that is not finite (a training whose loss diverged, say) is written as ``null``,
and ``nonfinite`` lists where and what it was, so nothing is lost and every reader can load it.

Example:
    >>> clean, replaced = strict({"checks": [{"found": float("nan")}]})
    >>> clean, replaced
    ({'checks': [{'found': None}]}, [{'path': 'checks[0].found', 'value': 'NaN'}])
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from grader.reports.common import write_text_atomic
from grader.reports.exporters import Exporter


def strict(value: Any, path: str = "") -> tuple[Any, list[dict[str, str]]]:
    """``value`` with every non-finite float replaced by None, and the list of what was replaced."""
    replaced: list[dict[str, str]] = []

    def clean(item: Any, where: str) -> Any:
        if isinstance(item, float) and not math.isfinite(item):
            replaced.append({"path": where, "value": "NaN" if math.isnan(item) else
                             ("Infinity" if item > 0 else "-Infinity")})
            return None
        if isinstance(item, dict):
            return {key: clean(child, f"{where}.{key}" if where else str(key)) for key, child in item.items()}
        if isinstance(item, (list, tuple)):
            return [clean(child, f"{where}[{i}]") for i, child in enumerate(item)]
        return item

    return clean(value, path), replaced


def dumps(value: Any, **options: Any) -> str:
    """Strict JSON text for ``value``; non-finite numbers become ``null`` (see :func:`strict`)."""
    clean, _ = strict(value)
    return json.dumps(clean, allow_nan=False, ensure_ascii=False, **options)


def write_results(result: dict[str, Any], path: str | Path) -> Path:
    """Write ``result`` to ``path`` atomically: readers see the old file or the new one."""
    clean, replaced = strict(result)
    if replaced:
        clean["nonfinite"] = replaced
    return write_text_atomic(path, json.dumps(clean, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def read_results(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


EXPORTER = Exporter(name="results_json", write=lambda result, path, links=None: write_results(result, path),
                    per="submission", flag="--json", commands=("check",), default="results.json", order=90,
                    help="the machine-readable result (strict JSON, schema 1); written last, it commits a result")
