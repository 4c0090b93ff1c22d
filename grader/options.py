"""Every option that changes how a submission is graded, in one object from the command line to the cache key.

``grader check``, ``grade`` and ``grader validate`` build one :class:`GradingOptions` from their
flags; the batch carries it in every job, grading reads it, and the batch's content key hashes
its :meth:`GradingOptions.key` (so changing any option regrades, and nothing else does).

Example:
    >>> options = GradingOptions(timeout=120, lang="es")
    >>> GradingOptions.from_config(options.get_config()) == options
    True
    >>> options.key() == GradingOptions(timeout=120, lang="en").key()
    False
    >>> GradingOptions(device="tpu")
    Traceback (most recent call last):
    ...
    ValueError: device must be one of auto, cpu, gpu; got 'tpu'
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from grader.i18n import LANGUAGES

SANDBOX_LEVELS = ("auto", "bwrap", "process", "none")
DEVICES = ("auto", "cpu", "gpu")


@dataclass(frozen=True)
class GradingOptions:
    """How to grade: limits, isolation, device, language, legacy mode and the students' own training.

    ``None`` means "as the rubric says" (timeout, memory, lang, legacy_keras).
    """

    timeout: float | None = None      # seconds for a whole submission
    memory: int | None = None         # bytes for everything a submission starts
    sandbox: str = "auto"             # the isolation level asked for (see grader.sandbox.levels)
    device: str = "auto"              # where train checks train
    lang: str | None = None           # the language of every message
    legacy_keras: bool | None = None  # run Keras 1/2 code through the translation layer
    full: bool = False                # run the students' own fit() as written (no cap)

    def __post_init__(self):
        if self.sandbox not in SANDBOX_LEVELS:
            raise ValueError(f"sandbox must be one of {', '.join(SANDBOX_LEVELS)}; got {self.sandbox!r}")
        if self.device not in DEVICES:
            raise ValueError(f"device must be one of {', '.join(DEVICES)}; got {self.device!r}")
        if self.lang is not None and self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {self.lang!r}")
        if self.timeout is not None and not self.timeout > 0:
            raise ValueError(f"timeout must be more than 0 seconds; got {self.timeout!r}")

    def get_config(self) -> dict:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict) -> "GradingOptions":
        names = {f.name for f in fields(cls)}
        unknown = set(config) - names
        if unknown:
            raise ValueError(f"unknown grading option {sorted(unknown)[0]!r}; use one of: {', '.join(sorted(names))}")
        return cls(**config)

    def key(self) -> str:
        """What the options contribute to a result's content key (every option: all change a result)."""
        return json.dumps(self.get_config(), sort_keys=True)
