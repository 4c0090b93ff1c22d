"""What train checks share while one submission is graded: the trainer, the rubric's data, the reference.

Example::

    >>> context = TrainingContext(trainer=Trainer(), base=Path("rubrics"), resources=[],
    ...                           reference_architectures=lambda model_id: "...")   # doctest: +SKIP
    >>> context.dataset(protocol, input_shape=(4, 1)).splits["test"][0].shape          # doctest: +SKIP
    (43, 4, 1)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.cards.card import UnreadableModel
from grader.data.dataset import Dataset
from grader.data.load import load_dataset
from grader.errors import InputError
from grader.training.metrics import measure_split
from grader.training.protocol import Protocol
from grader.training.run import Trainer

# Weights, gradients and two optimizer moments in float32: what training a model holds at least.
TRAINING_BYTES_PER_PARAMETER = 16


def describe_size(size: int) -> str:
    """``4294967296`` -> ``4 GB``."""
    return f"{size / 2**30:.1f} GB".replace(".0 GB", " GB") if size >= 2**30 else f"{size / 2**20:.0f} MB"


@dataclass
class TrainingContext:
    """What train checks share while one submission is graded: the trainer and the rubric's data.

    ``reference_architectures`` maps a model id to the reference's exported architecture.
    """

    trainer: Trainer
    base: Path
    resources: list[Path] = field(default_factory=list)
    reference_architectures: Any = None  # callable: model id -> architecture JSON
    frameworks: dict = field(default_factory=dict)  # model id -> its framework
    # check id -> the reference's metric under that check's protocol, known ahead (a student pack), or
    # {"path", "problem", "fix"}: why the pack's maker could not train it (raised as an InputError)
    reference_values: dict = field(default_factory=dict)
    _data: dict = field(default_factory=dict)
    _built: dict = field(default_factory=dict)

    def built(self, architecture: str, input_shape, adapter) -> tuple[str, tuple]:
        """What ``adapter`` trains for this export (``Framework.training.prepare``), once per model
        however many checks train it."""
        key = (adapter.name, architecture, tuple(input_shape or ()))
        if key not in self._built:
            try:
                self._built[key] = adapter.training.prepare(architecture, input_shape)
            except UnreadableModel as exc:
                self._built[key] = exc
        if isinstance(self._built[key], UnreadableModel):
            raise self._built[key]
        return self._built[key]

    def dataset(self, protocol: Protocol, input_shape) -> Dataset:
        key = (json.dumps(protocol.data.get_config(), sort_keys=True), tuple(input_shape or ()), protocol.loss_name)
        if key not in self._data:
            try:
                self._data[key] = load_dataset(protocol.data, input_shape=input_shape, loss=protocol.loss_name,
                                               base=self.base, resources=self.resources)
            except ValueError as exc:
                self._data[key] = exc
        found = self._data[key]
        if isinstance(found, ValueError):
            raise found
        return found

    def reference_value(self, model_id: str, reference_input, check, check_id: str = "") -> float:
        """What the reference reaches under ``check``'s protocol: known ahead (a student pack), or trained."""
        if check_id in self.reference_values:
            known = self.reference_values[check_id]
            if isinstance(known, dict):  # the pack's maker could not train the reference: the same line here
                raise InputError(known.get("path") or None, known.get("problem", ""), known.get("fix", ""))
            return float(known)
        from grader.frameworks import framework

        adapter = framework(self.frameworks.get(model_id, "keras"))
        # The reference is prepared as a student's model is (what the worker trains is the adapter's to say).
        architecture, input_shape = self.built(self.reference_architectures(model_id), reference_input, adapter)
        data = self.dataset(check.protocol, input_shape)
        run = self.trainer.train(architecture, check.protocol, data, adapter.name)
        if run.status != "ok":
            raise InputError(None, f"the reference model {model_id!r} could not be trained under the rubric's "
                             f"protocol ({run.status}: {run.problem})",
                             "fix the train check's settings or the reference; 'grader validate' shows it")
        return measure_split(check.metric, data, check.split, run.predictions[check.split], check.units,
                             logits=check.protocol.from_logits)


