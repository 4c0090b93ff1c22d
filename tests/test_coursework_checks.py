"""What whole courses needed beyond architectures (issue 14), one unit at a time, no sandbox.

Compile arguments and metric objects, regularizers, thresholds relative to another model or a
baseline, the new data preparations, models tied to files and example references, and the check
kinds for submission rules, reported values, static reading and fit() observations. The end-to-end
runs (sandbox, training, the course packs) are in ``tests/test_course_packs.py``.
"""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest

from grader.cards.card import ModelCard
from grader.checks.kind import CheckContext
from grader.checks.matching import in_files, match_models
from grader.execution.result import CellOutcome, Capture, ExecutionResult
from grader.frameworks import framework
from grader.frameworks.keras.rebuild import card_from_json
from grader.grading.rubric import Activity, CheckSpec, ModelSpec, Rubric
from grader.i18n import render
from grader.inside.keras.capture import compile_settings
from grader.sandbox.readback import plain_compile
from grader.submission.code import CodeCell

KERAS = framework("keras")


def _card(model, name="m") -> ModelCard:
    compiled = plain_compile(compile_settings(model)) if getattr(model, "compiled", False) else None
    return KERAS.canonical(card_from_json(model.to_json(), name=name, compile_settings=compiled))


def _dense(units=1, activation="sigmoid", l2=None, inputs=3, **compile_args):
    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(
        units, activation=activation, kernel_regularizer=keras.regularizers.L2(l2) if l2 else None)])
    if compile_args:
        model.compile(**compile_args)
    return model


def _check(kind: str, options: dict, model: str | None = None) -> CheckSpec:
    from grader.checks import check_kind

    return CheckSpec(id=f"t-{kind}", kind=kind, model=model, options=options,
                     settings=check_kind(kind).parse(options, KERAS))


def _outcome(kind, options, *, match=None, context=None, model=None):
    from grader.checks import check_kind
    from grader.checks.kind import run_check

    context = context or CheckContext(matches={model: match} if match else {}, execution=ExecutionResult())
    return run_check(check_kind(kind), _check(kind, options, model), context)


def _match(reference, student, capture=None):
    from grader.checks.align import align
    from grader.checks.matching import Match

    return Match(model_id="m", reference=reference, card=student, capture=capture or Capture(
        "hw.ipynb", "model", 7, "cell 3", "Sequential", True, 0), how="variable",
        pairs=align(reference.layers, student.layers, KERAS.families))


# ------------------------------------------------------------------------------ compile


def test_metric_and_loss_objects_equal_their_names_and_accuracy_resolves_as_keras_does():
    reference = _card(_dense(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.SGD(0.1),
                             metrics=[keras.metrics.BinaryAccuracy()]))
    for metrics in (["binary_accuracy"], ["accuracy"], ["acc"], [keras.metrics.BinaryAccuracy()]):
        student = _card(_dense(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.1), metrics=metrics))
        outcome = _outcome("compile", {"settings": ["loss", "optimizer.learning_rate", "metrics"]}, model="m",
                           match=_match(reference, student))
        assert outcome.passed, (metrics, render(outcome.message, "en"))
    # The issue's message was "metrics debería ser binary_accuracy y el tuyo es binaryaccuracy".
    student = _card(_dense(loss="mse", optimizer="sgd", metrics=[keras.metrics.MeanAbsoluteError()]))
    outcome = _outcome("compile", {"settings": ["metrics"]}, model="m", match=_match(reference, student))
    assert render(outcome.message, "es") == ("metrics debería ser [binary_accuracy] y el tuyo es "
                                             "[mean_absolute_error].")


def test_learning_rate_and_loss_arguments_are_compared_with_a_clear_message():
    reference = _card(_dense(units=10, activation="linear", optimizer=keras.optimizers.SGD(learning_rate=0.003),
                             loss=keras.losses.CategoricalCrossentropy(from_logits=True)))
    assert reference.compile["learning_rate"] != 0.003  # float32: 0.003000000026...
    student = _card(_dense(units=10, activation="linear", optimizer=keras.optimizers.SGD(learning_rate=0.01),
                           loss="categorical_crossentropy"))
    options = {"settings": ["loss", "loss.from_logits", "optimizer", "optimizer.learning_rate"]}
    outcome = _outcome("compile", options, model="m", match=_match(reference, student))
    assert not outcome.passed
    assert outcome.expected["optimizer.learning_rate"] == 0.003 and outcome.found["optimizer.learning_rate"] == 0.01
    assert render(outcome.message, "es") == (
        "loss.from_logits debería valer True y en tu modelo vale False; la tasa de aprendizaje "
        "(optimizer.learning_rate) debería ser 0.003 y la tuya es 0.01.")
    assert outcome.hint == ("m.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), "
                            "optimizer=keras.optimizers.SGD(learning_rate=0.003))")
    same = _card(_dense(units=10, activation="linear", optimizer=keras.optimizers.SGD(0.003),
                        loss=keras.losses.CategoricalCrossentropy(from_logits=True)))
    assert _outcome("compile", options, model="m", match=_match(reference, same)).passed


def test_compile_settings_are_parsed_with_one_line_errors():
    from grader.checks.kinds.compile import CompileOptions

    assert CompileOptions.parse({"settings": ["optimizer.momentum"]}).settings == ("optimizer.momentum",)
    for wrong in (["lr"], ["metrics.threshold"], ["loss.from logits"], "loss"):
        with pytest.raises(ValueError, match="compile setting|must be a list"):
            CompileOptions.parse({"settings": wrong})


# ------------------------------------------------------------------------------ regularizers


def test_regularizers_compare_by_kind_and_factor_and_name_the_layer():
    from grader.frameworks.keras.config import regularizer_code

    l2 = keras.regularizers.L2(1e-4)
    assert regularizer_code(keras.saving.serialize_keras_object(l2)) == "L2(0.0001)"
    assert regularizer_code(keras.saving.serialize_keras_object(keras.regularizers.L1L2(l1=0.0, l2=1e-4))) \
        == "L2(0.0001)"
    assert regularizer_code(keras.saving.serialize_keras_object(keras.regularizers.l1_l2(0.01, 0.02))) \
        == "L1L2(l1=0.01, l2=0.02)"
    reference = _card(_dense(units=100, l2=1e-4, inputs=3072))
    for student, words in ((_dense(units=100, inputs=3072), "kernel_regularizer None instead of L2(0.0001)"),
                           (_dense(units=100, l2=0.05, inputs=3072), "kernel_regularizer L2(0.05) instead of L2(0.0001)")):
        student = _card(student)
        outcome = _outcome("layers", {"settings": ["units", "kernel_regularizer"]}, model="m",
                           match=_match(reference, student))
        assert not outcome.passed and words in render(outcome.message, "en")
        assert "kernel_regularizer=regularizers.L2(0.0001)" in outcome.hint[0]
        # Listed apart, the units alone pass: a regularizer mistake costs its own check only.
        assert _outcome("layers", {"settings": ["units", "activation"]}, model="m",
                        match=_match(reference, student)).passed
    plain = _card(_dense(units=100, inputs=3072))
    regularized = _card(_dense(units=100, l2=0.01, inputs=3072))
    # Where the reference has none, a student's regularizer is compared only when the check lists it.
    assert _outcome("layers", {}, model="m", match=_match(plain, regularized)).passed
    assert not _outcome("layers", {"settings": ["kernel_regularizer"]}, model="m",
                        match=_match(plain, regularized)).passed


# ------------------------------------------------------------------------------ thresholds, metrics


def test_better_than_thresholds_ask_for_an_improvement_and_baselines_need_no_reference():
    from grader.data.dataset import Dataset
    from grader.training.metrics import baseline_value, measure
    from grader.training.threshold import Threshold

    better = Threshold.from_config({"better_than": {"model": "cnn"}}, metric="accuracy")
    assert better.passes(0.91, reference=0.90) and not better.passes(0.90, reference=0.90)
    lower = Threshold.from_config({"better_than": {"baseline": "noisy_input"}, "margin": 0.01}, metric="mse")
    assert lower.limit(0.05) == pytest.approx(0.04) and lower.passes(0.039, 0.05) and not lower.passes(0.045, 0.05)
    for wrong in ({"better_than": {"model": 3}}, {"better_than": {"baseline": "zeros"}},
                  {"better_than": {"model": "cnn"}, "margin": -1}, {"better_than": {"model": "cnn"}, "factor": 2}):
        with pytest.raises(ValueError):
            Threshold.from_config(wrong, metric="accuracy")
    labels = np.eye(3)[[0, 0, 1, 2]]
    data = Dataset("t", {"train": (np.zeros((4, 2)), labels), "test": (np.zeros((4, 2)), labels)})
    assert baseline_value("accuracy", data, "test", "majority") == 0.5
    clean, noisy = np.zeros((2, 4)), np.full((2, 4), 0.5)
    assert baseline_value("mse", Dataset("d", {"train": (noisy, clean), "test": (noisy, clean)}), "test",
                          "noisy_input") == 0.25
    # One output unit: accuracy and binary accuracy read 0/1 labels shaped (n,) or (n, 1) alike; with
    # logits the boundary is 0.
    predicted = np.array([[0.9], [0.2], [0.6], [0.4]])
    assert measure("binary_accuracy", predicted, np.array([1, 0, 0, 0])) == 0.75
    assert measure("accuracy", predicted, np.array([[1], [0], [0], [0]])) == 0.75
    assert measure("accuracy", np.array([[2.0], [-1.0]]), np.array([1, 0]), logits=True) == 1.0


def test_a_rubric_check_comparing_with_another_model_must_name_one_of_the_rubric(tmp_path):
    from grader.errors import InputError
    from grader.grading.rubric import load_rubric

    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "m.py").write_text("def a(): pass\n")
    base = ("assignment: t\nreference: ref\nmodels:\n  cnn: {build: m.py:a}\n  better: {build: m.py:a, example: true}\n"
            "activities:\n  - id: '1'\n    checks:\n      - {kind: train, model: better, data: mnist, metric: accuracy, "
            "threshold: %s}\n")
    (tmp_path / "ok.yaml").write_text(base % "{better_than: {model: cnn}}")
    assert load_rubric(tmp_path / "ok.yaml").activities[0].checks[0].settings.models_named() == ("cnn",)
    for threshold, problem in (("{better_than: {model: rnn}}", "which the rubric does not define"),
                               ("{better_than: {model: better}}", "with itself")):
        (tmp_path / "bad.yaml").write_text(base % threshold)
        with pytest.raises(InputError, match=problem):
            load_rubric(tmp_path / "bad.yaml")


def test_models_tied_to_files_examples_and_handout_figures_load_and_refuse_what_cannot_hold(tmp_path):
    from grader.errors import InputError
    from grader.grading.rubric import load_rubric

    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "m.py").write_text("def a(): pass\n")
    good = ("assignment: t\nreference: ref\nmodels:\n"
            "  one: {build: m.py:a, variable: model, file: ej01.ipynb, expect_total: 58796}\n"
            "  mine: {build: m.py:a, example: true, file: [ej02*.ipynb]}\n"
            "activities:\n  - id: '1'\n    checks:\n      - {kind: output_shape, model: mine}\n"
            "      - {kind: reported_value, variable: acc}\n")
    (tmp_path / "r.yaml").write_text(good)
    rubric = load_rubric(tmp_path / "r.yaml")
    assert rubric.models["one"].files == ["ej01.ipynb"] and rubric.models["one"].expect == {"total": 58796}
    assert rubric.models["mine"].example and rubric.max_score == 1  # a reported value scores 0 by default
    for edit, problem in (
            (("{kind: output_shape, model: mine}", "{kind: layers, model: mine}"), "is an example"),
            (("{kind: output_shape, model: mine}", "{kind: output_shape, model: mine, at: d}"), "inner layers"),
            (("{kind: reported_value, variable: acc}", "{kind: reported_value, variable: acc, points: 2}"),
             "scores only when the rubric opts in"),
            (("expect_total: 58796", "expect_total: '58 796'"), "expect_total must be a whole number"),
            (("file: ej01.ipynb", "file: sub/ej01.ipynb"), "file must be a file name")):
        (tmp_path / "bad.yaml").write_text(good.replace(*edit))
        with pytest.raises(InputError, match=problem):
            load_rubric(tmp_path / "bad.yaml")
    (tmp_path / "opt.yaml").write_text(good.replace("variable: acc}", "variable: acc, points: 2, scores: true}"))
    assert load_rubric(tmp_path / "opt.yaml").max_score == 3


# ------------------------------------------------------------------------------ matching


def _capture(file, variable, object_id, model, order):
    return Capture(file, variable, object_id, f"cell {order}", "Sequential", True, order, architecture=model.to_json())


def test_several_notebooks_tie_models_to_files_and_an_example_is_never_another_models(tmp_path):
    dense = _dense(units=10, activation="softmax", inputs=784)
    conv = keras.Sequential([keras.Input((784,)), keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")])
    references = {"ej1": _card(dense), "ej2": _card(dense), "mine": _card(conv)}
    rubric = Rubric(path=tmp_path / "r.yaml", assignment="t", title="t", reference=tmp_path, models={
        "ej1": ModelSpec("ej1", "m.py:a", variables=["model"], files=["ej01.ipynb"]),
        "ej2": ModelSpec("ej2", "m.py:a", variables=["model"], files=["ej02.ipynb"]),
        "mine": ModelSpec("mine", "m.py:b", variables=["mejorado"], example=True)},
        activities=[Activity("1", checks=[CheckSpec("c", "model_found", model=m) for m in ("ej1", "ej2", "mine")])])
    wrong = _dense(units=10, activation="relu", inputs=784)
    captures = [_capture("ej01.ipynb", "model", 1, wrong, 0), _capture("ej02.ipynb", "model", 2, dense, 1),
                _capture("ej02.ipynb", "otra", 3, conv, 2)]
    matches = match_models(rubric, captures, references)
    # ej02's exact model is not graded as ej01's, whose own (wrong) model is.
    assert matches["ej1"].capture.object_id == 1 and matches["ej2"].capture.object_id == 2
    # No `mejorado`: the latest model with the example's interface that no other rubric model got.
    assert matches["mine"].capture.variable == "otra"
    assert "no se encontró `mejorado`" in render(matches["mine"].notes[0], "es")
    assert in_files(captures, ["ej0[2]*"]) == captures[1:]
    # Only the models other rubric models were given: nothing left for the example.
    assert match_models(rubric, captures[:2], references)["mine"].capture is None


# ------------------------------------------------------------------------------ submission rules


def _context(**execution) -> CheckContext:
    capture = Capture("p3.ipynb", "model", 1, "cell 2", "Sequential", True, 0, architecture="{}")
    return CheckContext(matches={"m": None}, execution=ExecutionResult(captures=[capture], **execution),
                        code=execution.pop("code", []) if "code" in execution else [])


def test_no_input_sees_a_cell_that_waited_and_a_call_a_try_would_hide():
    from grader.checks import check_kind

    kind = check_kind("no_input")
    cells = [CellOutcome("p3.ipynb", 3, "error", "StdinNotImplementedError", "raw_input was called", 1,
                         "EPOCAS = int(input('Épocas: ') or EPOCAS)")]
    code = [CodeCell("p3.ipynb", 3, "EPOCAS = int(input('Épocas: ') or EPOCAS)"),
            CodeCell("p3.ipynb", 5, "try:\n    n = getpass.getpass()\nexcept Exception:\n    n = 1"),
            CodeCell("p3.ipynb", 4, "import getpass")]
    context = _context(cells=cells)
    context.code = [code[0], code[2], code[1]]
    outcome = kind.run(None, context)
    assert not outcome.passed
    assert render(outcome.message, "es") == (
        "Tu código pide datos mientras se ejecuta: p3.ipynb, celda 3, línea 1 se detuvo esperando una respuesta "
        "(`EPOCAS = int(input('Épocas: ') or EPOCAS)`); p3.ipynb, celda 5, línea 2 llama a getpass.getpass "
        "(`n = getpass.getpass()`).")
    assert kind.run(None, _context()).passed
    empty = CheckContext(matches={"m": None}, execution=ExecutionResult())
    assert not kind.run(None, empty).passed  # a blank handout earns no rule's point


def test_no_disk_writes_names_each_file_and_honours_ignore():
    from grader.checks import check_kind

    kind = check_kind("no_disk_writes")
    written = [{"file": "p3.ipynb", "path": "modelo_1_1.keras", "change": "created", "size": 709_642, "kind": "file"},
               {"file": "p3.ipynb", "path": "~/.keras/datasets/mnist.npz", "change": "created", "size": 9, "kind": "file"},
               {"file": "p3.ipynb", "path": "pima.csv", "change": "changed", "size": 9, "kind": "file"}]
    spec = _check("no_disk_writes", {"ignore": ["~/.keras/**"]})
    outcome = kind.run(spec, _context(written=written))
    assert not outcome.passed and outcome.found == ["modelo_1_1.keras", "pima.csv"]
    assert render(outcome.message, "es") == ("Tu código escribe en el disco: creó `modelo_1_1.keras` (693 KB, al "
                                             "ejecutar p3.ipynb); modificó `pima.csv` (al ejecutar p3.ipynb).")
    assert kind.run(spec, _context(written=written[1:2])).passed
    unobserved = kind.run(spec, _context(unobserved=["p3.ipynb"]))
    assert not unobserved.passed and "could not see" in render(unobserved.message, "en")


def test_written_files_are_what_the_run_created_or_changed_not_the_tools_own():
    from grader.execution.written import written_files

    copied = {"pima.csv": "a" * 64, "ej06.ipynb": "b" * 64}
    listing = [{"path": "/home/student/work/pima.csv", "kind": "file", "size": 5, "sha256": "c" * 64},
               {"path": "/home/student/work/ej06.ipynb", "kind": "file", "size": 5, "sha256": "b" * 64},
               {"path": "/home/student/work/figuras", "kind": "folder", "size": 0, "sha256": None},
               {"path": "/home/student/work/out/a.png", "kind": "file", "size": 5, "sha256": "d" * 64},
               {"path": "/home/student/.cache/matplotlib/fontlist.json", "kind": "file", "size": 5, "sha256": None},
               {"path": "/tmp/grader-kernel-1", "kind": "file", "size": 0, "sha256": None},
               {"path": "/tmp/resultados.txt", "kind": "file", "size": 3, "sha256": None}]
    assert [(w["path"], w["change"]) for w in written_files(listing, copied, file="ej06.ipynb")] == [
        ("pima.csv", "changed"), ("figuras", "created"), ("out/a.png", "created"), ("/tmp/resultados.txt", "created")]


# ------------------------------------------------------------------------------ values and code


def test_a_reported_value_is_marked_as_the_students_and_scores_only_when_the_rubric_opts_in(tmp_path):
    from grader.grading.grade import score_execution

    rubric = Rubric(path=tmp_path / "r.yaml", assignment="t", title="t", reference=tmp_path, language="es",
                    activities=[Activity("1.2", checks=[
                        _check("reported_value", {"variable": ["acc_svm", "acc"], "expect": {"min": 0.9}}),
                        CheckSpec("scored", "reported_value", points=1, settings=_check("reported_value", {
                            "variable": "precisiones", "reduce": "mean", "expect": {"min": 0.9}, "scores": True}).settings)])])
    rubric.activities[0].checks[0].points = 0
    values = [{"file": "p.ipynb", "variable": "acc_svm", "value": 0.5, "kind": "number", "where": "cell 3"},
              {"file": "p.ipynb", "variable": "acc_svm", "value": 0.962, "kind": "number", "where": "cell 9"},
              {"file": "p.ipynb", "variable": "precisiones", "value": [0.7, 0.8], "kind": "numbers", "where": "cell 4"}]
    result = score_execution(ExecutionResult(values=values), rubric, {}, "ana")
    info, scored = result.checks
    assert (info.status, info.points, info.trust) == ("info", 0.0, "reported")
    assert info.message == ("Según tu código, `acc_svm` vale 0.962 (p.ipynb); se espera como mínimo 0.9, y lo "
                            "cumple. Lo calculó tu propio código; el corrector no lo ha recalculado.")
    assert (scored.status, scored.found) == ("fail", 0.75) and "(su media)" in scored.message
    assert result.activities[0].status == "fail" and result.score == 0


def test_uses_resolves_calls_through_the_imports_of_the_file():
    from grader.checks import check_kind

    kind = check_kind("uses")
    spec = _check("uses", {"calls": ["skimage.feature.hog", "sklearn.svm"]})
    context = _context()
    context.code = [CodeCell("p3.ipynb", 2, "from sklearn import svm\nfrom skimage.feature import hog\n%matplotlib inline"),
                    CodeCell("p3.ipynb", 10, "h = [hog(i) for i in x]\nclf = svm.SVC(C=10).fit(h, y)")]
    outcome = kind.run(spec, context)
    assert outcome.passed, render(outcome.message, "en")
    assert render(outcome.message, "en") == ("Your code calls skimage.feature.hog (p3.ipynb, cell 10, line 1); "
                                             "sklearn.svm (p3.ipynb, cell 10, line 2).")
    context.code = context.code[:1] + [CodeCell("other.ipynb", 1, "svm.SVC()")]  # another file's imports do not count
    assert render(kind.run(spec, context).message, "en") == \
        "No call to skimage.feature.hog, sklearn.svm was found in your code."


# ------------------------------------------------------------------------------ fit() observations


def _fit(serial, obj, batch_size=16, cell="cell 4"):
    return {"file": "ej06.ipynb", "cell": cell, "epochs_asked": 200, "epochs_run": 2, "batch_size": batch_size,
            "batches_asked": 39, "batches_run": 10, "line": 14, "capped": True, "object": obj, "serial": serial}


def test_loop_models_tells_a_fresh_model_per_fold_from_one_model_trained_again():
    from grader.execution.fit_cap import FitCap

    reference = _card(_dense(units=1, activation="relu", inputs=8))
    capture = Capture("ej06.ipynb", "model", 55, "cell 4", "Sequential", True, 0)
    match = _match(reference, reference, capture)
    spec = {"count": 5}

    def outcome(calls, captures=(capture,)):
        context = CheckContext(matches={"m": match}, execution=ExecutionResult(
            captures=list(captures), fit_calls=calls, fit_cap=FitCap()))
        return _outcome("loop_models", spec, model="m", match=match, context=context)

    fresh = outcome([_fit(i, 50 + i % 2) for i in range(1, 6)])  # ids of freed models recur; serials do not
    assert fresh.passed and fresh.found == {"models": 5, "fit_calls": 5}
    reused = outcome([_fit(1, 55) for _ in range(5)])
    assert not reused.passed and "el mismo modelo `model` 5 veces" in render(reused.message, "es")
    three = outcome([_fit(i, i) for i in range(1, 4)])
    assert not three.passed and "3 modelo(s)" in render(three.message, "es")
    # Every state the variable held (the runner's model history, issue 13) counts the same way.
    history = [Capture("ej06.ipynb", "model", 100 + i, "cell 4", "Sequential", True, i) for i in range(5)]
    assert outcome([], history).passed
    other_cell = outcome([_fit(i, i, cell="cell 9") for i in range(1, 6)])
    assert not other_cell.passed  # fits of another cell are another loop's


def test_fit_call_reads_the_arguments_of_the_graded_models_own_calls():
    from grader.execution.fit_cap import FitCap

    reference = _card(_dense(units=1, activation="tanh", inputs=2))
    capture = Capture("ej02_6.ipynb", "model_1", 7, "cell 4", "Sequential", True, 0)
    match = _match(reference, reference, capture)
    calls = [{**_fit(1, 7, batch_size=1), "file": "ej02_6.ipynb"}, {**_fit(2, 8, batch_size=4), "file": "ej02_6.ipynb"}]

    def outcome(calls, cap=FitCap()):
        context = CheckContext(matches={"m": match}, execution=ExecutionResult(fit_calls=calls, fit_cap=cap))
        return _outcome("fit_call", {"expect": {"batch_size": 1}}, model="m", match=match, context=context)

    assert outcome(calls).passed  # model_2's batch of 4 is not model_1's
    wrong = outcome([{**calls[0], "batch_size": 4}])
    assert not wrong.passed and "batch_size=4 en lugar de 1" in render(wrong.message, "es")
    assert wrong.hint == "model_1.fit(..., batch_size=1)"
    assert not outcome([]).passed
    assert outcome(calls, cap=None).error  # no hook: it could not look


def test_a_layers_check_restricted_to_kinds_leaves_other_layers_to_other_checks():
    def net(batch_norm, l2):
        layers = [keras.Input((100,)), keras.layers.Dense(30, activation="relu", kernel_regularizer=keras.regularizers.L2(l2))]
        layers += [keras.layers.BatchNormalization()] if batch_norm else []
        return keras.Sequential([*layers, keras.layers.Dense(1, activation="sigmoid",
                                                             kernel_regularizer=keras.regularizers.L2(l2))])

    reference, student = _card(net(True, 0.01)), _card(net(False, 0.01))
    l2 = {"kinds": ["Dense"], "settings": ["units", "kernel_regularizer"]}
    assert _outcome("layers", l2, model="m", match=_match(reference, student)).passed  # the missing BN is not its concern
    whole = _outcome("layers", {"settings": ["units", "activation"]}, model="m", match=_match(reference, student))
    assert not whole.passed and "BatchNormalization" in render(whole.message, "en")
    assert not _outcome("layers", l2, model="m", match=_match(reference, _card(net(True, 0.1)))).passed
    with pytest.raises(ValueError, match="'kinds' must be a list of layer classes"):
        _check("layers", {"kinds": "Dense"})


# ------------------------------------------------------------------------------ data


def test_grader_data_checks_that_a_cached_file_holds_the_arrays_keras_returns(tmp_path, monkeypatch, capsys):
    import yaml

    from grader.cli import main

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    folder = tmp_path / "keras" / "datasets"
    folder.mkdir(parents=True)
    np.savez(folder / "mnist.npz", x_train=np.zeros((4, 784), np.uint8), y_train=np.zeros(4, np.uint8),
             x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.zeros(2, np.uint8))
    np.savez(folder / "boston_housing.npz", x=np.zeros((10, 13)), y=np.zeros(10))
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "m.py").write_text("def a(): pass\n")
    checks = [{"kind": "train", "model": "m", "data": data, "metric": "mse", "threshold": 1.0}
              for data in ({"name": "mnist"}, {"name": "boston_housing", "standardize": True},
                           {"name": "imdb", "num_words": 100, "maxlen": 20})]
    (tmp_path / "r.yaml").write_text(yaml.safe_dump({"assignment": "t", "reference": "reference",
                                                     "models": {"m": {"build": "m.py:a"}},
                                                     "activities": [{"id": "1", "checks": checks}]}))
    assert main(["data", str(tmp_path / "r.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"INVALID  mnist: {folder / 'mnist.npz'}" in out and "its train examples are shaped (784,), expected (28, 28)" in out
    assert f"ready    boston_housing: {folder / 'boston_housing.npz'}" in out
    assert f"MISSING  imdb: {folder / 'imdb.npz'}" in out
    assert "2 data set(s) missing or invalid: run 'grader data --download'" in out


def test_imdb_reviews_become_counts_marks_or_padded_sequences(tmp_path, monkeypatch):
    from standins import datasets as standins  # noqa: F401 - tests/ is on sys.path under pytest

    from grader.data.load import load_dataset
    from grader.data.spec import DataSpec

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    standins.write_imdb(tmp_path)
    counts = load_dataset(DataSpec.from_config({"name": "imdb", "num_words": 50, "vectorize": "counts",
                                                "train_samples": 20}), input_shape=(50,), loss="binary_crossentropy")
    marks = load_dataset(DataSpec.from_config({"name": "imdb", "num_words": 50, "vectorize": "multi_hot",
                                               "train_samples": 20}), input_shape=(50,), loss="binary_crossentropy")
    padded = load_dataset(DataSpec.from_config({"name": "imdb", "num_words": 50, "maxlen": 7}), input_shape=(7,),
                          loss="binary_crossentropy")
    x, y = counts.splits["train"]
    assert x.shape == (20, 50) and y.shape == (20,) and x[:, 1].tolist() == [1.0] * 20  # every review starts with 1
    assert x.max() > 1 and set(np.unique(marks.splits["train"][0])) <= {0.0, 1.0}
    assert (marks.splits["train"][0] > 0).sum() == (x > 0).sum()
    assert padded.splits["train"][0].shape[1] == 7 and counts.task == "classification"
    for wrong in ({"name": "mnist", "maxlen": 3}, {"name": "imdb", "vectorize": "counts"},
                  {"name": "imdb", "num_words": 10, "vectorize": "tfidf"}, {"name": "mnist", "target": "clean"},
                  {"name": "mnist", "noise": {"gaussian": -1}}, {"name": "mnist", "permute": {"seed": "x"}}):
        with pytest.raises(ValueError):
            DataSpec.from_config(wrong)
