"""Matching and the check kinds, one at a time, on cards built in this process (no sandbox).

The reference is a SimpleRNN(5) + Dense(1) on 4 months (41 parameters, keras-facts B); the
student's models are built here and exported as the harness would (``to_json()``).
"""

from __future__ import annotations

from pathlib import Path

import keras
import pytest

from grader.checks import check_kind
from grader.checks.kind import CheckContext, run_check
from grader.checks.matching import match_models
from grader.execution.result import Capture, CellOutcome, ExecutionResult
from grader.frameworks import framework
from grader.grading.rubric import CheckSpec, ModelSpec, Rubric
from grader.i18n import render

KERAS = framework("keras")


def _rnn(units=5, dense=True, name=None, compiled=True, cell="SimpleRNN"):
    layers = [keras.Input((4, 1)), getattr(keras.layers, cell)(units, name="rnn")]
    if dense:
        layers.append(keras.layers.Dense(1, name="output"))
    model = keras.Sequential(layers, name=name)
    if compiled:
        model.compile(loss="mean_squared_error", optimizer="adam")
    return model


def _card(model, name="ref"):
    return KERAS.card_from_export(model.to_json(), name=name, source="reference",
                                  compile_settings=_compile(model))


def _compile(model):
    if not model.compiled:
        return None
    return {"loss": model.loss if isinstance(model.loss, str) else type(model.loss).__name__,
            "optimizer": type(model.optimizer).__name__, "metrics": None}


def _capture(model, variable="modelRNN", order=0, framework_name="keras"):
    return Capture(file="hw.py", variable=variable, object_id=id(model) + order, where=f"line {order + 1}",
                   model_class="Sequential", built=True, order=order, architecture=model.to_json(),
                   compile=_compile(model), framework=framework_name)


def _rubric(**models) -> Rubric:
    rubric = Rubric(path=Path("rubric.yaml"), assignment="tiny", title="Tiny", reference=Path("."))
    for model_id, variables in models.items():
        rubric.models[model_id] = ModelSpec(id=model_id, build="rnn.py:f", variables=variables)
    return rubric


def _spec(kind, model="rnn", **options):
    return CheckSpec(id=f"c-{kind}", kind=kind, model=model if check_kind(kind).about == "model" else None,
                     options=options, settings=check_kind(kind).parse(options, KERAS))


def _outcome(kind, captures, execution=None, **options):
    rubric = _rubric(rnn=["modelRNN"])
    matches = match_models(rubric, captures, {"rnn": _card(_rnn())})
    context = CheckContext(matches=matches, execution=execution or ExecutionResult(captures=captures))
    return run_check(check_kind(kind), _spec(kind, **options), context)


# --------------------------------------------------------------------------------- matching


def test_the_named_variable_is_graded_before_a_near_miss_elsewhere():
    captures = [_capture(_rnn(units=4), "modelRNN"), _capture(_rnn(units=6), "other", order=1)]
    match = match_models(_rubric(rnn=["modelRNN"]), captures, {"rnn": _card(_rnn())})["rnn"]
    assert match.capture.variable == "modelRNN" and match.how == "variable"


def test_a_model_exactly_like_the_reference_elsewhere_wins_and_the_note_says_so():
    captures = [_capture(_rnn(units=4), "modelRNN"), _capture(_rnn(), "other", order=1)]
    match = match_models(_rubric(rnn=["modelRNN"]), captures, {"rnn": _card(_rnn())})["rnn"]
    assert match.capture.variable == "other" and match.how == "closest"
    assert "`modelRNN`" in render(match.notes[0], "en")


def test_without_the_named_variable_the_closest_model_is_graded_and_the_note_says_so():
    captures = [_capture(_rnn(), "mi_modelo")]
    match = match_models(_rubric(rnn=["modelRNN"]), captures, {"rnn": _card(_rnn())})["rnn"]
    assert match.how == "closest" and match.capture.variable == "mi_modelo"
    assert "`modelRNN`" in render(match.notes[0], "en")


def test_a_model_exactly_like_another_rubric_model_is_left_to_that_model():
    rubric = _rubric(rnn=["modelRNN"], lstm=["modelRNN"])
    references = {"rnn": _card(_rnn()), "lstm": _card(_rnn(cell="LSTM"))}
    captures = [_capture(_rnn(units=8), "modelRNN"), _capture(_rnn(cell="LSTM"), "modelRNN", order=1)]
    matches = match_models(rubric, captures, references)
    assert matches["rnn"].card.layers[0].config["units"] == 8  # the wrong SimpleRNN, not the exact LSTM
    assert matches["lstm"].card.layers[0].kind == "LSTM"


def test_models_of_another_framework_are_never_candidates():
    captures = [_capture(_rnn(), "modelRNN", framework_name="torch")]
    match = match_models(_rubric(rnn=["modelRNN"]), captures, {"rnn": _card(_rnn())})["rnn"]
    assert match.card is None and match.how == "missing"


# ------------------------------------------------------------------------------ check kinds


def test_model_found_says_which_variable_was_graded():
    outcome = _outcome("model_found", [_capture(_rnn())])
    assert outcome.passed and "modelRNN (hw.py, line 1)" in render(outcome.message, "en")


def test_a_missing_model_fails_every_model_check_and_says_where_the_grader_looked():
    outcome = _outcome("params", [])
    assert not outcome.passed and not outcome.error
    assert "`modelRNN`" in render(outcome.message, "en")


def test_input_shape_passes_fails_and_explains_a_model_without_one():
    assert _outcome("input_shape", [_capture(_rnn())]).passed
    other = keras.Sequential([keras.Input((6, 1)), keras.layers.SimpleRNN(5), keras.layers.Dense(1)])
    outcome = _outcome("input_shape", [_capture(other)])
    assert not outcome.passed and outcome.hint == "keras.Input(shape=(4, 1))"


def test_output_shape_names_the_layer_where_the_model_departs():
    outcome = _outcome("output_shape", [_capture(_rnn(units=4, dense=False))], at="rnn")
    assert not outcome.passed and outcome.expected == [None, 5] and outcome.found == [None, 4]
    assert outcome.hint.startswith("SimpleRNN(5")


@pytest.mark.parametrize("units, through, passed", [(5, None, True), (4, None, False), (5, "rnn", True)])
def test_params_compare_the_counts_the_grader_recomputed(units, through, passed):
    options = {"through": through} if through else {}
    outcome = _outcome("params", [_capture(_rnn(units=units))], **options)
    assert outcome.passed is passed
    if not passed:
        assert (outcome.expected, outcome.found) == (41, 4 * 1 + 4 * 4 + 4 + 4 + 1)


def test_layers_report_a_wrong_setting_a_missing_and_an_extra_layer():
    outcome = _outcome("layers", [_capture(_rnn(units=4))])
    assert not outcome.passed and "units" in render(outcome.message, "en")
    extra = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5), keras.layers.Dense(3),
                              keras.layers.Dense(1)])
    message = render(_outcome("layers", [_capture(extra)]).message, "en")
    assert "Dense(3)" in message
    missing = render(_outcome("layers", [_capture(_rnn(dense=False))]).message, "en")
    assert "Dense(1)" in missing


def test_compile_compares_the_loss_by_name_and_says_how_to_compile():
    assert _outcome("compile", [_capture(_rnn())]).passed
    outcome = _outcome("compile", [_capture(_rnn(compiled=False))])
    assert not outcome.passed and outcome.hint.endswith(".compile(loss='mean_squared_error', optimizer='adam')")


def test_runs_fails_when_empty_code_ran_cleanly_and_when_a_cell_failed():
    assert not _outcome("runs", []).passed  # ran, built nothing
    assert _outcome("runs", [_capture(_rnn())]).passed
    failed = ExecutionResult(status="error", captures=[_capture(_rnn())],
                             cells=[CellOutcome(file="hw.py", cell=2, status="error", ename="ValueError")])
    assert not _outcome("runs", failed.captures, execution=failed).passed


def test_keras_api_counts_old_calls_found_in_the_source():
    rubric = _rubric(rnn=["modelRNN"])
    matches = match_models(rubric, [], {"rnn": _card(_rnn())})
    old = [{"now": "model.fit(x, y, epochs=150)"}]
    outcome = run_check(check_kind("keras_api"), _spec("keras_api"),
                        CheckContext(matches=matches, execution=ExecutionResult(), old_calls=old))
    assert not outcome.passed and outcome.found == 1 and outcome.hint == "model.fit(x, y, epochs=150)"


def test_a_check_that_needs_shapes_says_so_for_a_students_own_layer_class():
    class Mine(keras.layers.Layer):
        def call(self, x):
            return x

    model = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5, name="rnn"), Mine(name="mine"),
                              keras.layers.Dense(1, name="output")])
    outcome = _outcome("params", [_capture(model)])
    assert outcome.error and "mine (Mine)" in render(outcome.message, "en")
    assert _outcome("model_found", [_capture(model)]).passed  # what does not need its insides is graded
