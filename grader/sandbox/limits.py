"""The resource limits one submission runs under.

Limits come from the rubric's ``limits:`` block, with these defaults, and the CLI's
``--timeout`` and ``--memory`` override them. Sizes accept plain bytes or a unit
(``"512M"``, ``"4G"``); times are seconds. ``gpu_fraction`` is the share of one GPU a training
of the course asks a Ray cluster for (``grade --cluster``; ``--gpu-fraction`` overrides it).

Example:
    >>> limits = Limits.from_config({"memory": "2G", "timeout": 120})
    >>> limits.memory, limits.timeout, limits.cell_timeout
    (2147483648, 120.0, 120.0)
    >>> Limits.from_config(limits.get_config()) == limits
    True
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

GIB = 2**30
MIB = 2**20
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": MIB, "g": GIB, "t": 2**40}

# Lower bounds below which the limit breaks the tool rather than the student's code:
# TensorFlow needs ~0.4 GB of data segment and ~32 threads just to import.
MINIMUMS = {"memory": 512 * MIB, "processes": 64, "disk": 16 * MIB, "output": 1024,
            "timeout": 1.0, "cell_timeout": 1.0, "cpu_time": 1.0}


@dataclass(frozen=True)
class Limits:
    """Bounds on one submission's run. ``cpu_time=None`` means ``timeout`` x CPU count."""

    timeout: float = 600.0           # wall clock, whole submission
    cell_timeout: float = 300.0      # wall clock, one notebook cell
    memory: int = 4 * GIB            # resident memory of everything the submission starts
    processes: int = 512             # processes and threads together (TensorFlow needs ~32)
    cpu_time: float | None = None    # CPU seconds per process
    disk: int = 1 * GIB              # working directory and /tmp, and the largest single file
    output: int = 1 * MIB            # stdout/stderr/display kept; the rest is cut with a marker
    gpu_fraction: float | None = None  # share of a GPU per training on a cluster; None: the flag's, or none

    def __post_init__(self) -> None:
        for name, minimum in MINIMUMS.items():
            value = getattr(self, name)
            if value is not None and value < minimum:
                raise ValueError(f"limits.{name} must be at least {describe(name, minimum)}, "
                                 f"got {describe(name, value)}")
        if self.gpu_fraction is not None:
            object.__setattr__(self, "gpu_fraction", gpu_share(self.gpu_fraction, "limits.gpu_fraction"))
        if self.cell_timeout > self.timeout:
            object.__setattr__(self, "cell_timeout", self.timeout)

    @property
    def cpu_seconds(self) -> float:
        return self.cpu_time if self.cpu_time is not None else self.timeout * (os.cpu_count() or 1)

    def overriding(self, **changes: Any) -> "Limits":
        """A copy with the given limits changed; ``None`` values keep the current one."""
        kept = {k: v for k, v in changes.items() if v is not None}
        if "timeout" in kept and "cell_timeout" not in kept:
            kept["cell_timeout"] = min(self.cell_timeout, kept["timeout"])
        return replace(self, **kept)

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Limits":
        """Build from plain values; sizes may be strings such as ``"4G"``."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"unknown limit {unknown[0]!r}; allowed: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for name, value in config.items():
            if name in ("memory", "disk", "output"):
                values[name] = parse_size(value)
            elif name == "processes":
                values[name] = _whole_number(name, value)
            elif value is None and name == "cpu_time":
                values[name] = None
            elif name == "gpu_fraction":
                values[name] = value  # checked by gpu_share when the limits are made
            else:
                values[name] = _seconds(name, value)
        if "timeout" in values and "cell_timeout" not in values:
            values["cell_timeout"] = min(cls.cell_timeout, values["timeout"])
        return cls(**values)

    def describe(self) -> str:
        """One line for reports: ``memory 4 GB, 512 processes, ...``."""
        return (f"{describe('timeout', self.timeout)} per submission, {describe('cell_timeout', self.cell_timeout)} "
                f"per cell, memory {describe('memory', self.memory)}, {self.processes} processes/threads, "
                f"disk {describe('disk', self.disk)}, output kept {describe('output', self.output)}")


def parse_size(value: Any) -> int:
    """``4G`` -> 4294967296. Plain numbers are bytes."""
    if isinstance(value, bool):
        raise ValueError(f"expected a size such as 512M or 4G, got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"a size cannot be negative, got {value}")
        return int(value)
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError(f"expected a size such as 512M or 4G, got {value!r}")
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit.lower()])


def describe(name: str, value: float | int) -> str:
    """Human units for one limit: ``4 GB``, ``600 s``."""
    if name in ("memory", "disk", "output"):
        for unit, size in (("GB", GIB), ("MB", MIB), ("KB", 2**10)):
            if value >= size:
                amount = value / size
                return f"{amount:.0f} {unit}" if amount == int(amount) else f"{amount:.1f} {unit}"
        return f"{int(value)} bytes"
    if name == "processes":
        return str(int(value))
    return f"{value:g} s"


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"limits.{name} must be a number of seconds, got {value!r}")
    return float(value)


def _whole_number(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"limits.{name} must be a whole number, got {value!r}")
    return value


def gpu_share(value: Any, what: str = "the GPU share") -> float:
    """``value`` as a share of one GPU: more than 0 and at most 1 (the rubric's ``limits.gpu_fraction``,
    ``--gpu-fraction`` and the cluster executor all read it here).

    >>> gpu_share(0.25)
    0.25
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a fraction such as 0.25, got {value!r}")
    if not 0 < value <= 1:
        raise ValueError(f"{what} must be more than 0 and at most 1 (0.25: four trainings share one GPU), got {value}")
    return float(value)
