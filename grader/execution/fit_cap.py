"""How much of the student's own training runs while grading.

A submission's ``fit()`` calls run at most ``epochs`` epochs on at most ``batches`` batches per
epoch, so a notebook that trains for an hour is graded in seconds (only its architecture is
graded). The rubric sets it (``fit_cap: {epochs: 2, batches: 10}``, or ``fit_cap: off``), and
``grader check --full`` / ``grade --full`` run the code as written. "No cap" is ``None``
everywhere: ``execute(..., fit_cap=None)`` runs the code as written.

The cap is applied inside the student's process by ``grader_inside.keras.fit_cap``; the
calls it shortened come back through :func:`grader.sandbox.readback.read_capped_fits`.

Example:
    >>> cap = FitCap(epochs=2, batches=10)
    >>> cap.get_config()
    {'epochs': 2, 'batches': 10}
    >>> FitCap.from_config({"epochs": 3}) == FitCap(epochs=3)
    True
    >>> parse_fit_cap("off") is None, parse_fit_cap({"batches": 5})
    (True, FitCap(epochs=2, batches=5))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from grader.i18n import msg

OFF = ("off", False)  # what a rubric writes to run the code as written


@dataclass(frozen=True)
class FitCap:
    """At most ``epochs`` epochs and ``batches`` batches per epoch for each ``fit()`` call."""

    epochs: int = 2
    batches: int = 10

    def __post_init__(self) -> None:
        for name in ("epochs", "batches"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"fit_cap.{name} must be a whole number of 1 or more, got {value!r}")

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "FitCap":
        """Build from plain values (missing ones take the defaults); unknown keys are refused."""
        if not isinstance(config, dict):
            raise ValueError(f"fit_cap must be a mapping such as {{epochs: 2, batches: 10}} or 'off', "
                             f"got {config!r}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} in fit_cap; allowed: {', '.join(sorted(known))}")
        return cls(**config)

    def describe(self) -> str:
        return f"at most {self.epochs} epoch(s) of at most {self.batches} batch(es) per fit() call"


def parse_fit_cap(value: Any) -> FitCap | None:
    """A rubric's ``fit_cap`` value: a mapping, ``off`` (None: run as written), or a FitCap.

    Raises ValueError saying what was given and what is allowed.
    """
    if isinstance(value, FitCap) or value is None:
        return value
    if isinstance(value, str) and value.strip().lower() == "off" or value is False:
        return None
    return FitCap.from_config(value)


def cap_key(fit_cap: FitCap | None) -> str:
    """A stable text for cache keys: ``epochs=2,batches=10`` or ``full``."""
    return "full" if fit_cap is None else ",".join(f"{k}={v}" for k, v in fit_cap.get_config().items())


def cap_message(capped: list[dict[str, Any]]) -> dict | None:
    """One plain sentence for the report, or None when no call was capped.

    >>> cap_message([{"epochs_asked": 150, "epochs_run": 2, "batches_run": 10}])["id"]
    'fitcap.one'
    """
    if not capped:
        return None
    if all(call.get("loop") for call in capped):
        return _loop_message(capped)
    if len(capped) == 1:
        call = capped[0]
        batches = call.get("batches_run")
        if batches is not None and batches != call.get("batches_asked"):
            return msg("fitcap.one", run=call["epochs_run"], asked=call["epochs_asked"], batches=batches)
        return msg("fitcap.one.epochs", run=call["epochs_run"], asked=call["epochs_asked"])
    epochs = max(call["epochs_run"] for call in capped)
    batches = max((call["batches_run"] for call in capped if call.get("batches_run") is not None), default=None)
    if batches is None:
        return msg("fitcap.many.epochs", count=len(capped), epochs=epochs)
    return msg("fitcap.many", count=len(capped), epochs=epochs, batches=batches)


def _loop_message(loops: list[dict[str, Any]]) -> dict:
    """The same sentence for students' own training loops (PyTorch), which the cap shortens one by one.

    >>> _loop_message([{"epochs_asked": 20, "epochs_run": 2, "batches_asked": 1875, "batches_run": 3,
    ...                 "line": 4, "loop": True}])["id"]
    'fitcap.loop.one'
    """
    if len(loops) == 1:
        loop = loops[0]
        batches = loop.get("batches_run")
        if batches is not None and batches != loop.get("batches_asked"):
            return msg("fitcap.loop.one", run=loop["epochs_run"], asked=loop["epochs_asked"], batches=batches,
                       line=loop.get("line") or "?")
        return msg("fitcap.loop.one.epochs", run=loop["epochs_run"], asked=loop["epochs_asked"],
                   line=loop.get("line") or "?")
    epochs = max(loop["epochs_run"] for loop in loops)
    batches = max((loop["batches_run"] for loop in loops if loop.get("batches_run") is not None), default=None)
    if batches is None:
        return msg("fitcap.loop.many.epochs", count=len(loops), epochs=epochs)
    return msg("fitcap.loop.many", count=len(loops), epochs=epochs, batches=batches)
