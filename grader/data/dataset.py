"""A data set ready for training: arrays per split, plus how to read its numbers.

Example:
    >>> import numpy as np
    >>> data = Dataset("toy", {"train": (np.zeros((4, 2)), np.zeros(4)), "test": (np.ones((2, 2)), np.ones(2))})
    >>> data.sizes()
    {'train': 4, 'test': 2}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SPLITS = ("train", "test")


@dataclass
class Dataset:
    """``splits`` maps "train"/"test" to ``(x, y)``.

    ``target_range`` is ``(low, high)`` when the targets were min-max scaled: metrics "in
    original units" map predictions back with it. ``units`` names those units per language.
    """

    name: str
    splits: dict[str, tuple[np.ndarray, np.ndarray]]
    target_range: tuple[float, float] | None = None
    units: dict[str, str] = field(default_factory=dict)
    task: str = "regression"  # or "classification"
    notes: list = field(default_factory=list)  # how it was prepared: messages (grader.i18n), for the report

    def sizes(self) -> dict[str, int]:
        return {split: int(len(x)) for split, (x, _) in self.splits.items()}

    def to_original(self, values: np.ndarray) -> np.ndarray:
        """Scaled targets or predictions back in the data set's own units."""
        if self.target_range is None:
            return np.asarray(values, dtype="float64")
        low, high = self.target_range
        return np.asarray(values, dtype="float64") * (high - low) + low

    def fingerprint(self) -> str:
        """A hash of every array: part of the cache key of a training run."""
        digest = hashlib.sha256(self.name.encode())
        for split in sorted(self.splits):
            for array in self.splits[split]:
                array = np.ascontiguousarray(array)
                digest.update(f"{split}|{array.dtype}|{array.shape}".encode())
                digest.update(array.tobytes())
        return digest.hexdigest()[:32]

    def describe(self) -> dict[str, Any]:
        """Plain data for results.json."""
        return {"name": self.name, "task": self.task, "sizes": self.sizes(),
                "input_shape": list(self.splits["train"][0].shape[1:]), "notes": list(self.notes)}
