"""When a metric passes: an absolute bound, or a bound relative to what the reference reaches.

In a rubric: ``threshold: 60`` (the better side follows the metric: at most 60 for an error,
at least 60 for accuracy), ``{max: 60}``, ``{min: 0.9}``, or ``{relative: 1.5}`` (an error at
most 1.5 x the reference's; for accuracy a factor <= 1, e.g. 0.9 x the reference's).

Two bounds need no reference architecture: ``{better_than: {model: cnn}, margin: 0.01}`` trains
the student's own model graded as ``cnn`` under the same protocol and asks for an improvement of
at least the margin (strictly better when the margin is 0); ``{better_than: {baseline: noisy_input}}``
compares with a model that does nothing (a denoiser that returns its noisy input; ``mean``
predicts the training targets' mean; ``majority`` always answers the most frequent class).

Example:
    >>> bound = Threshold.from_config({"relative": 1.5}, metric="rmse")
    >>> bound.limit(reference=40.0), bound.passes(55.0, reference=40.0)
    (60.0, True)
    >>> better = Threshold.from_config({"better_than": {"model": "cnn"}, "margin": 0.01}, metric="accuracy")
    >>> better.against, better.passes(0.95, reference=0.93), better.passes(0.935, reference=0.93)
    ('cnn', True, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from grader.training.metrics import LOWER_IS_BETTER


BASELINES = ("noisy_input", "mean", "majority")


@dataclass(frozen=True)
class Threshold:
    kind: str  # "max", "min", "relative", "better_than_model" or "better_than_baseline"
    value: float  # the bound, the factor, or the margin of a better_than
    lower_is_better: bool = True
    against: str = ""  # better_than: the rubric model id, or the baseline's name

    @property
    def needs_reference(self) -> bool:
        return self.kind == "relative"

    @property
    def compares(self) -> bool:
        """Whether the bound is another run's value (the reference's, another model's, a baseline's)."""
        return self.kind in ("relative", "better_than_model", "better_than_baseline")

    def limit(self, reference: float | None = None) -> float:
        """The bound the metric is compared with (``reference``: the value it is relative to)."""
        if self.kind in ("max", "min"):
            return self.value
        if reference is None or not math.isfinite(reference):
            raise ValueError("the value this threshold is relative to is needed")
        if self.kind == "relative":
            return self.value * reference
        return reference - self.value if self.lower_is_better else reference + self.value

    def passes(self, value: float, reference: float | None = None) -> bool:
        if value is None or not math.isfinite(value):
            return False
        bound = self.limit(reference)
        upper = self.kind == "max" or (self.kind != "min" and self.lower_is_better)
        if self.kind.startswith("better_than") and self.value == 0:
            return value < bound if upper else value > bound  # an improvement, not a tie
        return value <= bound if upper else value >= bound

    def get_config(self) -> dict[str, Any]:
        if self.kind == "better_than_model":
            return {"better_than": {"model": self.against}, "margin": self.value}
        if self.kind == "better_than_baseline":
            return {"better_than": {"baseline": self.against}, "margin": self.value}
        return {self.kind: self.value}

    @classmethod
    def from_config(cls, config: Any, *, metric: str) -> "Threshold":
        lower = LOWER_IS_BETTER[metric]
        if isinstance(config, (int, float)) and not isinstance(config, bool):
            return cls("max" if lower else "min", float(config), lower)
        if isinstance(config, dict) and "better_than" in config:
            return cls._better_than(config, lower)
        if not isinstance(config, dict) or len(config) != 1 or next(iter(config)) not in ("max", "min", "relative"):
            raise ValueError(f"threshold must be a number, {{max: N}}, {{min: N}}, {{relative: F}} or "
                             f"{{better_than: {{model: ID}}}}, got {config!r}")
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

    @classmethod
    def _better_than(cls, config: dict, lower: bool) -> "Threshold":
        unknown = sorted(set(config) - {"better_than", "margin"})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} in a better_than threshold; use better_than and margin")
        against, margin = config["better_than"], config.get("margin", 0.0)
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not math.isfinite(margin) or margin < 0:
            raise ValueError(f"the margin of a better_than threshold must be a number >= 0, got {margin!r}")
        if isinstance(against, dict) and len(against) == 1 and isinstance(against.get("model"), str):
            return cls("better_than_model", float(margin), lower, against["model"])
        if isinstance(against, dict) and len(against) == 1 and against.get("baseline") in BASELINES:
            return cls("better_than_baseline", float(margin), lower, against["baseline"])
        raise ValueError(f"better_than takes {{model: <a model of the rubric>}} or {{baseline: "
                         f"{' | '.join(BASELINES)}}}, got {against!r}")
