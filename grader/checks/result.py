"""The outcome of one check, as it appears in results.json."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

STATUSES = ("pass", "fail", "error", "skipped")


@dataclass
class CheckResult:
    id: str
    activity: str
    title: str
    status: str
    points: float
    max_points: float
    message: str
    expected: Any = None
    found: Any = None
    model: str | None = None
    hint: str = ""
    hidden: bool = False  # students see that it exists and its score, never its expectations

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "CheckResult":
        return cls(**config)


def format_shape(shape: Any) -> str:
    """``[None, 27, 27, 96]`` -> ``(None, 27, 27, 96)``, the way Keras prints shapes."""
    if shape is None:
        return "none"
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    items = ["None" if d is None else str(d) for d in shape]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def format_count(count: int | None) -> str:
    return "none" if count is None else f"{count:,}"
