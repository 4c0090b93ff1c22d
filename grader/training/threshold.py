"""When a metric passes: an absolute bound, or a bound relative to what the reference reaches.

In a rubric: ``threshold: 60`` (the better side follows the metric: at most 60 for an error,
at least 60 for accuracy), ``{max: 60}``, ``{min: 0.9}``, or ``{relative: 1.5}`` (an error at
most 1.5 x the reference's; for accuracy a factor <= 1, e.g. 0.9 x the reference's).

Example:
    >>> bound = Threshold.from_config({"relative": 1.5}, metric="rmse")
    >>> bound.limit(reference=40.0), bound.passes(55.0, reference=40.0)
    (60.0, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from grader.training.metrics import LOWER_IS_BETTER


@dataclass(frozen=True)
class Threshold:
    kind: str  # "max", "min" or "relative"
    value: float
    lower_is_better: bool = True

    @property
    def needs_reference(self) -> bool:
        return self.kind == "relative"

    def limit(self, reference: float | None = None) -> float:
        """The bound the metric is compared with."""
        if self.kind != "relative":
            return self.value
        if reference is None or not math.isfinite(reference):
            raise ValueError("the reference's own value is needed for a relative threshold")
        return self.value * reference

    def passes(self, value: float, reference: float | None = None) -> bool:
        if value is None or not math.isfinite(value):
            return False
        bound = self.limit(reference)
        upper = self.kind == "max" or (self.kind == "relative" and self.lower_is_better)
        return value <= bound if upper else value >= bound

    def get_config(self) -> dict[str, Any]:
        return {self.kind: self.value}

    @classmethod
    def from_config(cls, config: Any, *, metric: str) -> "Threshold":
        lower = LOWER_IS_BETTER[metric]
        if isinstance(config, (int, float)) and not isinstance(config, bool):
            return cls("max" if lower else "min", float(config), lower)
        if not isinstance(config, dict) or len(config) != 1 or next(iter(config)) not in ("max", "min", "relative"):
            raise ValueError(f"threshold must be a number, {{max: N}}, {{min: N}} or {{relative: F}}, got {config!r}")
        kind, value = next(iter(config.items()))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"threshold {kind} must be a number, got {value!r}")
        if kind == "relative":
            if value <= 0:
                raise ValueError(f"a relative threshold is a factor > 0, got {value!r}")
            if lower and value < 1:
                raise ValueError(f"{metric} is an error (lower is better): a relative threshold must be >= 1 "
                                 f"(e.g. 1.5 = at most 1.5 x the reference's), got {value!r}")
            if not lower and value > 1:
                raise ValueError(f"{metric} is higher-is-better: a relative threshold must be <= 1 "
                                 f"(e.g. 0.9 = at least 0.9 x the reference's), got {value!r}")
        return cls(kind, float(value), lower)
