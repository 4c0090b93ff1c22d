"""Every state a model variable passed through is a candidate, and the report says which was graded.

The flow of Actividad 2, activity 8 then 10, as students write it: ``modelRNN`` holds the
SimpleRNN(5) alone (the handout asks to check its 35 parameters), then the same object gets a
``Dense(1)`` and is compiled. Both activities must find their model in that one variable.
"""

from __future__ import annotations

from pathlib import Path

import keras

from grader.checks.matching import candidates, match_models
from grader.execution.result import Capture
from grader.frameworks import framework
from grader.grading.rubric import ModelSpec, Rubric
from grader.i18n import render

KERAS = framework("keras")


def _card(model):
    compiled = {"loss": model.loss, "optimizer": type(model.optimizer).__name__, "metrics": None} \
        if model.compiled else None
    return KERAS.card_from_export(model.to_json(), name="ref", source="reference", compile_settings=compiled)


def _state(model, line, object_id=1, variable="modelRNN"):
    """What the harness records after the statement on ``line`` (the object's state then)."""
    compiled = {"loss": model.loss, "optimizer": type(model.optimizer).__name__, "metrics": None} \
        if model.compiled else None
    return Capture(file="rnn.py", variable=variable, object_id=object_id, where=f"line {line}",
                   model_class="Sequential", built=True, order=line, architecture=model.to_json(), compile=compiled)


def _references():
    base = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5, name="rnn")])
    dense = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5, name="rnn"),
                              keras.layers.Dense(1, name="output")])
    dense.compile(loss="mean_squared_error", optimizer="adam")
    return {"rnn_base": _card(base), "rnn_dense": _card(dense)}


def _rubric():
    rubric = Rubric(path=Path("rubric.yaml"), assignment="a2", title="A2", reference=Path("."))
    for model_id in ("rnn_base", "rnn_dense"):
        rubric.models[model_id] = ModelSpec(id=model_id, build=f"rnn.py:{model_id}", variables=["modelRNN"])
    return rubric


def _one_object_flow():
    """modelRNN = Sequential(); add SimpleRNN (line 3); summary; add Dense (line 5); compile (line 6)."""
    model = keras.Sequential([keras.Input((4, 1))])
    model.add(keras.layers.SimpleRNN(5))
    first = _state(model, 3)
    model.add(keras.layers.Dense(1))
    second = _state(model, 5)
    model.compile(loss="mean_squared_error", optimizer="adam")
    return [first, second, _state(model, 6)]


def test_each_state_of_one_object_is_a_candidate():
    states = _one_object_flow()
    assert [c.where for c in candidates(states)] == ["line 3", "line 5", "line 6"]


def test_a_state_seen_twice_is_one_candidate_at_its_last_place():
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
    assert [c.where for c in candidates([_state(model, 3), _state(model, 9)])] == ["line 9"]


def test_the_simple_rnn_alone_and_then_with_dense_each_grade_their_activity():
    matches = match_models(_rubric(), _one_object_flow(), _references())
    base, dense = matches["rnn_base"], matches["rnn_dense"]
    assert base.capture.where == "line 3" and [layer.kind for layer in base.card.layers] == ["SimpleRNN"]
    assert base.card.total_params == 35  # what activity 8 asks the student to verify
    assert dense.capture.where == "line 6" and dense.card.compile is not None  # the compiled state
    assert dense.card.total_params == 41


def test_the_report_says_which_state_was_graded_in_its_language():
    base = match_models(_rubric(), _one_object_flow(), _references())["rnn_base"]
    assert render(base.found, "en") == "modelRNN (rnn.py, line 3)"
    assert render(base.found, "es") == "modelRNN (rnn.py, línea 3)"
    note = render(base.notes[-1], "es")
    assert "después de línea 3" in note and "línea 6" in note


def test_the_last_state_graded_needs_no_note():
    dense = match_models(_rubric(), _one_object_flow(), _references())["rnn_dense"]
    assert dense.notes == []
