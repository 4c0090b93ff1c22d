"""The ``train`` check: train the student's model under the rubric's protocol and compare a metric.

The grader rebuilds the student's exported architecture (standard Keras layers only), trains
it in the sandbox with the rubric's data, loss, optimizer, epochs, batch size and seed, and
computes the metric itself from the predictions. A relative threshold trains the reference
model under the same protocol (once: training runs are cached).

Example (a rubric check)::

    - id: a10-train
      kind: train
      model: rnn_dense
      data: airline            # windows of `history` months, read from the model's input shape
      loss: mean_squared_error
      optimizer: adam
      epochs: 150
      batch_size: 5
      metric: rmse             # in thousands of passengers (the data set's own units)
      split: test
      threshold: {relative: 1.5}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.data.dataset import Dataset
from grader.data.load import load_dataset
from grader.errors import InputError
from grader.i18n import msg
from grader.training.metrics import METRICS, UNITS, measure_split
from grader.training.protocol import PROTOCOL_KEYS, Protocol
from grader.training.run import Trainer, TrainingRun
from grader.training.threshold import Threshold

TRAIN_DEFAULTS = {"split": "test", "units": "original"}
SPLITS = ("train", "test")


@dataclass(frozen=True)
class TrainCheck:
    protocol: Protocol
    metric: str
    split: str
    units: str
    threshold: Threshold


def parse_train_options(options: dict[str, Any]) -> TrainCheck:
    """The check's settings, validated; raises ``ValueError`` saying what was given and what is allowed."""
    options = {**TRAIN_DEFAULTS, **options}
    metric = options.get("metric")
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r} is not supported; use one of: {', '.join(METRICS)}")
    if options["split"] not in SPLITS:
        raise ValueError(f"split {options['split']!r} is not supported; use one of: {', '.join(SPLITS)}")
    if options["units"] not in UNITS:
        raise ValueError(f"units {options['units']!r} is not supported; use one of: {', '.join(UNITS)}")
    protocol = Protocol.from_config({k: options[k] for k in PROTOCOL_KEYS if k in options})
    return TrainCheck(protocol, metric, options["split"], options["units"],
                      Threshold.from_config(options.get("threshold"), metric=metric))


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
    _data: dict = field(default_factory=dict)
    _built: dict = field(default_factory=dict)

    def built(self, architecture: str, input_shape) -> tuple[str, tuple]:
        """:func:`grader.cards.rebuild.built_architecture`, once per model however many checks train it."""
        from grader.cards.rebuild import UnreadableModel, built_architecture

        key = (architecture, tuple(input_shape or ()))
        if key not in self._built:
            try:
                self._built[key] = built_architecture(architecture, input_shape)
            except UnreadableModel as exc:
                self._built[key] = exc
        if isinstance(self._built[key], UnreadableModel):
            raise self._built[key]
        return self._built[key]

    def dataset(self, protocol: Protocol, input_shape) -> Dataset:
        key = (json.dumps(protocol.data.get_config(), sort_keys=True), tuple(input_shape or ()), protocol.loss)
        if key not in self._data:
            try:
                self._data[key] = load_dataset(protocol.data, input_shape=input_shape, loss=protocol.loss,
                                               base=self.base, resources=self.resources)
            except ValueError as exc:
                self._data[key] = exc
        found = self._data[key]
        if isinstance(found, ValueError):
            raise found
        return found

    def reference_value(self, model_id: str, reference_input, check: TrainCheck) -> tuple[float, TrainingRun]:
        architecture = self.reference_architectures(model_id)
        data = self.dataset(check.protocol, reference_input)
        run = self.trainer.train(architecture, check.protocol, data)
        if run.status != "ok":
            raise InputError(None, f"the reference model {model_id!r} could not be trained under the rubric's "
                             f"protocol ({run.status}: {run.problem})",
                             "fix the train check's settings or the reference; 'grader validate' shows it")
        return measure_split(check.metric, data, check.split, run.predictions[check.split], check.units), run


def check_train(spec, match, context: TrainingContext | None):
    """Outcome of one train check for the student's model in ``match``."""
    from grader.cards.rebuild import UnreadableModel
    from grader.checks.kinds import Outcome

    if context is None:
        return Outcome(False, msg("train.not_run"), error=True)
    check = parse_train_options(spec.options)
    protocol = check.protocol
    reference_input = match.reference.input_shapes[0][1:] if match.reference.input_shapes else None
    try:
        architecture, input_shape = context.built(match.capture.architecture, reference_input)
    except UnreadableModel as exc:
        return Outcome(False, msg("check.unreadable", problem=str(exc)), error=True)
    expected = {"threshold": check.threshold.get_config(), "metric": check.metric, "split": check.split,
                "protocol": protocol.get_config()}
    needed = match.card.total_params * TRAINING_BYTES_PER_PARAMETER
    if needed > context.trainer.limits.memory:
        # Known from the shapes alone (the rebuild allocates no weights): do not start a training
        # that can only run out of memory.
        return Outcome(False, msg("train.too_large", params=f"{match.card.total_params:,}",
                                  needed=describe_size(needed), limit=describe_size(context.trainer.limits.memory)),
                       expected, hint=msg("train.hint.metric"))
    try:
        data = context.dataset(protocol, input_shape)
    except ValueError as exc:
        return Outcome(False, msg("train.data", data=protocol.data.name, problem=str(exc)), expected,
                       hint=msg("train.hint.input"))
    reference = None
    if check.threshold.needs_reference:
        reference, _ = context.reference_value(match.model_id, reference_input, check)
        expected["reference"] = round(reference, 6)
    run = context.trainer.train(architecture, protocol, data)
    found = _found(run, data, check)
    if run.status != "ok":
        problem = msg(f"train.{run.status}", problem=run.problem)
        return Outcome(False, problem, expected, found, hint=msg("train.hint.failed"))
    value = found["value"]
    limit = check.threshold.limit(reference)
    expected["limit"] = round(limit, 6)
    fields = dict(metric=msg(f"train.metric.{check.metric}"), split=msg(f"train.split.{check.split}"),
                  value=_number(value, check.metric), units=_units(data, check),
                  relation=msg("train.at_most" if _upper(check.threshold) else "train.at_least"),
                  limit=_number(limit, check.metric), epochs=len(run.epochs), batch=protocol.batch_size,
                  bound=_bound_note(check.threshold, reference))
    if run.stopped == "nan":
        return Outcome(False, msg("train.diverged", epochs=len(run.epochs)), expected, found,
                       hint=msg("train.hint.diverged"))
    passed = check.threshold.passes(value, reference)
    message = msg("train.pass" if passed else "train.fail", **fields)
    if run.stopped == "time_budget":
        message = msg("train.budget", base=message, epochs=len(run.epochs), asked=protocol.epochs,
                      budget=f"{protocol.time_budget:g}")
    return Outcome(passed, message, expected, found, hint="" if passed else msg("train.hint.metric"))


def _found(run: TrainingRun, data: Dataset, check: TrainCheck) -> dict[str, Any]:
    found: dict[str, Any] = {"status": run.status, "epochs_run": len(run.epochs), "device": run.device,
                             "fit_s": round(run.fit_s, 3), "cached": run.cached, "stopped": run.stopped,
                             "curve": {"loss": [e["loss"] for e in run.epochs],
                                       "val_loss": [e["val_loss"] for e in run.epochs]},
                             "data": data.describe()}
    if run.status == "ok":
        found["value"] = round(measure_split(check.metric, data, check.split, run.predictions[check.split],
                                             check.units), 6)
        found["metrics"] = {split: round(measure_split(check.metric, data, split, run.predictions[split],
                                                       check.units), 6) for split in data.splits}
    return found


def _upper(threshold: Threshold) -> bool:
    return threshold.kind == "max" or (threshold.kind == "relative" and threshold.lower_is_better)


def _number(value: float, metric: str) -> str:
    return f"{value:.1%}" if metric == "accuracy" else f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"


def _units(data: Dataset, check: TrainCheck) -> Any:
    if check.metric == "accuracy" or check.units != "original" or not data.units:
        return ""
    return {lang: f" {text}" for lang, text in data.units.items()}


def _bound_note(threshold: Threshold, reference: float | None) -> Any:
    if threshold.kind != "relative":
        return ""
    return msg("train.relative", factor=f"{threshold.value:g}", reference=f"{reference:.4g}")
