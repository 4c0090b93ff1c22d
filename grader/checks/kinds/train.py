"""``train``: train the student's model under the rubric's protocol and compare a metric with a threshold.

The grader rebuilds the student's exported architecture (the framework's own classes only),
trains it in the sandbox with the rubric's data, loss, optimizer, epochs, batch size and seed,
and computes the metric itself from the predictions. A relative threshold trains the reference
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

from dataclasses import dataclass
from typing import Any

from grader.cards.card import UnreadableModel
from grader.checks.kind import CheckKind, Outcome
from grader.data.dataset import Dataset
from grader.errors import InputError
from grader.frameworks import framework
from grader.i18n import msg
from grader.training.context import TRAINING_BYTES_PER_PARAMETER, describe_size
from grader.training.metrics import ACCURACIES, METRICS, UNITS, baseline_value, measure_split
from grader.training.protocol import PROTOCOL_KEYS, Protocol
from grader.training.run import TrainingRun
from grader.training.threshold import Threshold

TRAIN_DEFAULTS = {"split": "test", "units": "original"}
SPLITS = ("train", "test")


@dataclass(frozen=True)
class TrainCheck:
    """A train check's options: how to train (the protocol), what to measure where, and the bound."""

    protocol: Protocol
    metric: str
    split: str
    units: str
    threshold: Threshold

    NAMES = ("data", "loss", "optimizer", "epochs", "batch_size", "seed", "time_budget", "metric", "split",
             "units", "threshold")
    REQUIRED = ("data", "metric", "threshold")

    def models_named(self) -> tuple[str, ...]:
        """Other rubric models the check compares with (``better_than: {model: ...}``)."""
        return (self.threshold.against,) if self.threshold.kind == "better_than_model" else ()

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "TrainCheck":
        missing = [key for key in cls.REQUIRED if key not in raw]
        if missing:
            raise ValueError(f"a train check needs '{missing[0]}' (see docs/rubric.md, section 'train')")
        check = parse_train_options(raw)
        if adapter is not None and adapter.training is not None and adapter.training.check is not None:
            adapter.training.check(check.protocol)  # the framework's own losses and optimizers
        return check


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


def run(spec, match, checks_context) -> Outcome:
    """Outcome of one train check for the student's model in ``match``."""
    context = checks_context.training
    if context is None:
        return Outcome(False, msg("train.not_run"), error=True)
    adapter = framework(match.framework)
    if adapter.training is None:
        return Outcome(False, msg("train.not_supported", framework=adapter.title), error=True)
    check = spec.settings
    protocol = check.protocol
    reference_input = match.reference.input_shapes[0][1:] if match.reference.input_shapes else None
    try:
        architecture, input_shape = context.built(match.capture.architecture, reference_input, adapter)
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
    except InputError as exc:  # the grading machine lacks the data: the instructor's to fix, not the student's
        return _setup_problem(exc, protocol, expected)
    reference = None
    if check.threshold.needs_reference:
        try:
            reference = context.reference_value(match.model_id, reference_input, check, spec.id)
        except InputError as exc:
            return _setup_problem(exc, protocol, expected)
        expected["reference"] = round(reference, 6)
    elif check.threshold.kind == "better_than_baseline":
        try:
            reference = baseline_value(check.metric, data, check.split, check.threshold.against)
        except ValueError as exc:
            return Outcome(False, msg("train.data", data=protocol.data.name, problem=str(exc)), expected,
                           hint=msg("train.hint.input"))
        expected["baseline"] = round(reference, 6)
    elif check.threshold.kind == "better_than_model":
        compared = _other_model(checks_context, check, data, context)
        if isinstance(compared, Outcome):
            compared.expected = expected
            return compared
        reference, other_found = compared
        expected["other"] = {"model": check.threshold.against, **other_found}
    run = context.trainer.train(architecture, protocol, data, adapter.name)
    found = _found(run, data, check)
    if run.status != "ok":
        problem = msg(f"train.{run.status}", problem=run.problem, framework=adapter.title)
        return Outcome(False, problem, expected, found, hint=msg("train.hint.failed"))
    value = found["value"]
    limit = check.threshold.limit(reference)
    expected["limit"] = round(limit, 6)
    fields = dict(metric=msg(f"train.metric.{check.metric}"), split=msg(f"train.split.{check.split}"),
                  value=_number(value, check.metric), units=_units(data, check),
                  relation=_relation(check.threshold),
                  limit=_number(limit, check.metric), epochs=len(run.epochs), batch=protocol.batch_size,
                  bound=_bound_note(check.threshold, reference, checks_context, check.metric))
    if run.stopped == "nan":
        return Outcome(False, msg("train.diverged", epochs=len(run.epochs)), expected, found,
                       hint=msg("train.hint.diverged"))
    passed = check.threshold.passes(value, reference)
    message = msg("train.pass" if passed else "train.fail", **fields)
    if run.stopped == "time_budget":
        message = msg("train.budget", base=message, epochs=len(run.epochs), asked=protocol.epochs,
                      budget=f"{protocol.time_budget:g}")
    return Outcome(passed, message, expected, found, hint="" if passed else msg("train.hint.metric"))


def _setup_problem(exc: InputError, protocol, expected: dict) -> Outcome:
    """The check cannot be graded on this machine (a data set is missing, the reference cannot be trained):
    the student is told it is not their code; results.json keeps the instructor's line with its fix."""
    return Outcome(False, msg("train.setup", data=protocol.data.name), expected, {"setup_problem": exc.one_line()},
                   error=True)


def _other_model(checks_context, check: TrainCheck, data: Dataset, context) -> Outcome | tuple[float, dict]:
    """Train the student's own model graded as ``better_than.model`` under the same protocol: its metric,
    or an Outcome saying why the comparison cannot be made."""
    other = checks_context.matches.get(check.threshold.against)
    title = other.title or other.model_id if other is not None else check.threshold.against
    if other is None or other.card is None or other.capture is None:
        return Outcome(False, msg("train.other.missing", other=title), hint=msg("train.hint.other"))
    adapter = framework(other.framework)
    other_input = other.reference.input_shapes[0][1:] if other.reference.input_shapes else None
    try:
        architecture, input_shape = context.built(other.capture.architecture, other_input, adapter)
        if tuple(input_shape) != tuple(data.splits["train"][0].shape[1:]):
            raise ValueError(f"it takes inputs shaped {tuple(input_shape)}, the data are shaped "
                             f"{tuple(data.splits['train'][0].shape[1:])}")
    except (UnreadableModel, ValueError) as exc:
        return Outcome(False, msg("train.other.unusable", other=title, problem=str(exc)), hint=msg("train.hint.other"))
    run = context.trainer.train(architecture, check.protocol, data, adapter.name)
    if run.status != "ok":
        return Outcome(False, msg("train.other.unusable", other=title, problem=run.problem or run.status),
                       hint=msg("train.hint.other"))
    value = measure_split(check.metric, data, check.split, run.predictions[check.split], check.units,
                          logits=check.protocol.from_logits)
    return value, {"title": title, "variable": other.capture.variable, "value": round(value, 6), "cached": run.cached}


def _relation(threshold: Threshold):
    upper = _upper(threshold)
    if threshold.kind.startswith("better_than") and threshold.value == 0:
        return msg("train.less_than" if upper else "train.more_than")
    return msg("train.at_most" if upper else "train.at_least")


def _found(run: TrainingRun, data: Dataset, check: TrainCheck) -> dict[str, Any]:
    found: dict[str, Any] = {"status": run.status, "epochs_run": len(run.epochs), "device": run.device,
                             "fit_s": round(run.fit_s, 3), "cached": run.cached, "stopped": run.stopped,
                             "curve": {"loss": [e["loss"] for e in run.epochs],
                                       "val_loss": [e["val_loss"] for e in run.epochs]},
                             "data": data.describe()}
    if run.status == "ok":
        logits = check.protocol.from_logits
        found["value"] = round(measure_split(check.metric, data, check.split, run.predictions[check.split],
                                             check.units, logits=logits), 6)
        found["metrics"] = {split: round(measure_split(check.metric, data, split, run.predictions[split],
                                                       check.units, logits=logits), 6) for split in data.splits}
    return found


def _upper(threshold: Threshold) -> bool:
    return threshold.kind == "max" or (threshold.kind != "min" and threshold.lower_is_better)


def _number(value: float, metric: str) -> str:
    return f"{value:.1%}" if metric in ACCURACIES else f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"


def _units(data: Dataset, check: TrainCheck) -> Any:
    if check.metric in ACCURACIES or check.units != "original" or not data.units:
        return ""
    return {lang: f" {text}" for lang, text in data.units.items()}


def _bound_note(threshold: Threshold, reference: float | None, checks_context=None, metric: str = "") -> Any:
    if threshold.kind == "relative":
        return msg("train.relative", factor=f"{threshold.value:g}", reference=_number(reference, metric))
    margin = _number(threshold.value, metric) if threshold.value else ""
    if threshold.kind == "better_than_model":
        other = checks_context.matches.get(threshold.against) if checks_context is not None else None
        title = (other.title or other.model_id) if other is not None else threshold.against
        return msg("train.better_than.model", other=title, value=_number(reference, metric),
                   margin=msg("train.margin", margin=margin) if margin else "")
    if threshold.kind == "better_than_baseline":
        return msg(f"train.better_than.{threshold.against}", value=_number(reference, metric),
                   margin=msg("train.margin", margin=margin) if margin else "")
    return ""


def compared(check: dict) -> tuple:
    """The short pair a report shows: the bound and the metric, not the learning curve."""
    expected, found = check.get("expected"), check.get("found")
    bound = expected.get("limit", expected.get("threshold")) if isinstance(expected, dict) else expected
    return bound, found.get("value", found.get("status")) if isinstance(found, dict) else found


def pack(spec, model_spec, reference, training) -> dict:
    """What a student pack needs to grade this check without the reference: what it reaches."""
    check = spec.settings
    if not check.threshold.needs_reference or training is None:
        return {}
    reference_input = reference.input_shapes[0][1:] if reference.input_shapes else None
    try:
        return {"reference_value": training.reference_value(model_spec.id, reference_input, check, spec.id)}
    except InputError as exc:  # a data set missing where the pack is made: the pack says so as the course would
        return {"reference_value": {"path": exc.path, "problem": exc.problem, "fix": exc.fix}}


KIND = CheckKind(name="train", run=run, title=lambda options: msg("title.train"), options=TrainCheck,
                 measures=True, compared=compared, pack=pack)
