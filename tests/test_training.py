"""Training checks: data preparation, metrics, thresholds, the sandboxed trainer, reports.

Training runs for real (CPU, in the sandbox) on small generated data, so these tests are
quick; the airline protocol end to end is in test_training_airline.py.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.options import GradingOptions

from grader.data.load import load_dataset
from grader.data.spec import DataSpec
from grader.errors import InputError
from grader.training.metrics import measure, measure_split
from grader.training.threshold import Threshold

ROOT = Path(__file__).resolve().parent.parent
AIRLINE = ROOT / "resources" / "actividad2" / "international-airline-passengers.csv"


# ------------------------------------------------------------------------------------ data


# The airline protocol, array by array against the course's helper: tests/test_airline_protocol.py.


def test_missing_keras_data_set_says_where_and_how_to_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    with pytest.raises(InputError) as caught:
        load_dataset(DataSpec.from_config("mnist"), input_shape=(784,), loss="sparse_categorical_crossentropy")
    line = caught.value.one_line()
    assert str(tmp_path / "keras" / "datasets" / "mnist.npz") in line
    assert "never downloads" in line and "grader data" in line


def test_cached_mnist_is_read_normalized_and_shaped_for_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (50, 28, 28), dtype=np.uint8), "y_train": np.arange(50) % 10,
              "x_test": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), "y_test": np.arange(20) % 10}
    np.savez(tmp_path / "datasets" / "mnist.npz", **arrays)
    spec = DataSpec.from_config({"name": "mnist", "train_samples": 30})
    data = load_dataset(spec, input_shape=(784,), loss="categorical_crossentropy")
    x, y = data.splits["train"]
    assert x.shape == (30, 784) and y.shape == (30, 10)
    assert np.allclose(x[0], arrays["x_train"][0].reshape(-1) / 255.0)
    assert y[3].argmax() == 3
    convolutional = load_dataset(DataSpec.from_config("mnist"), input_shape=(28, 28, 1),
                                 loss="sparse_categorical_crossentropy")
    assert convolutional.splits["test"][0].shape == (20, 28, 28, 1)
    assert convolutional.splits["test"][1].tolist() == arrays["y_test"].tolist()


def test_data_file_errors_name_the_file(tmp_path):
    broken = tmp_path / "data.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="data.npz.*not a readable .npz"):
        load_dataset(DataSpec.from_config({"file": "data.npz"}), base=tmp_path)
    np.savez(broken, x_train=np.zeros((2, 2)))
    with pytest.raises(InputError, match="no array 'y_train'"):
        load_dataset(DataSpec.from_config({"file": "data.npz"}), base=tmp_path)


# ------------------------------------------------------------------- metrics and thresholds


def test_metrics_follow_their_definitions():
    predicted, expected = np.array([[1.0], [2.0], [4.0]]), np.array([1.0, 3.0, 2.0])
    assert measure("mse", predicted, expected) == pytest.approx((0 + 1 + 4) / 3)
    assert measure("rmse", predicted, expected) == pytest.approx(math.sqrt(5 / 3))
    assert measure("mae", predicted, expected) == pytest.approx(1.0)
    probabilities = np.array([[0.7, 0.3], [0.4, 0.6], [0.9, 0.1]])
    assert measure("accuracy", probabilities, np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert measure("accuracy", probabilities, np.eye(2)[[0, 1, 1]]) == pytest.approx(2 / 3)
    assert measure("accuracy", np.array([[0.2], [0.8]]), np.array([0, 0])) == 0.5  # one sigmoid unit


def test_thresholds_absolute_and_relative():
    assert Threshold.from_config(60, metric="rmse").passes(59.9)
    assert not Threshold.from_config(60, metric="rmse").passes(60.1)
    assert Threshold.from_config(0.9, metric="accuracy").passes(0.95)
    assert not Threshold.from_config({"min": 0.9}, metric="accuracy").passes(0.85)
    relative = Threshold.from_config({"relative": 1.5}, metric="rmse")
    assert relative.limit(reference=40) == 60 and relative.passes(60, reference=40)
    assert not relative.passes(60.01, reference=40)
    assert not relative.passes(float("nan"), reference=40)
    accuracy = Threshold.from_config({"relative": 0.9}, metric="accuracy")
    assert accuracy.passes(0.9, reference=1.0) and not accuracy.passes(0.89, reference=1.0)


@pytest.mark.parametrize("config, metric, words", [
    ({"relative": 0.8}, "rmse", "must be >= 1"),
    ({"relative": 1.2}, "accuracy", "must be <= 1"),
    ({"most": 3}, "rmse", "threshold must be a number"),
    ({"max": "low"}, "mae", "must be a number"),
])
def test_bad_thresholds_say_what_is_allowed(config, metric, words):
    with pytest.raises(ValueError, match=words):
        Threshold.from_config(config, metric=metric)


# ----------------------------------------------------------- the trainer, through the grader

BLOBS_RUBRIC = """\
schema: 1
assignment: blobs
title: Three classes
reference: reference
models:
  classifier:
    build: models.py:classifier
    variable: model
activities:
  - id: "1"
    checks:
      - {id: found, kind: model_found, model: classifier}
      - &accuracy
        id: accuracy
        kind: train
        model: classifier
        data: {name: blobs, samples: 300, classes: 3, features: 8, seed: 1}
        loss: sparse_categorical_crossentropy
        optimizer: {name: adam, learning_rate: 0.01}
        epochs: 12
        batch_size: 32
        metric: accuracy
        threshold: {min: 0.9}
      - <<: *accuracy   # the same training, as docs/rubric.md suggests sharing it
        id: accuracy-vs-reference
        split: train
        threshold: {relative: 1.0}
"""

REFERENCE = """\
import keras
from keras import layers


def classifier():
    return keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu", name="hidden"),
                             layers.Dense(3, activation="softmax", name="output")])
"""

STUDENT = """\
import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"),
                          layers.Dense(3, activation="softmax")])
"""
# Frozen layers keep their random initial weights: the model cannot learn the classes.
FROZEN = STUDENT.replace('activation="relu")', 'activation="relu", trainable=False)').replace(
    'activation="softmax")', 'activation="softmax", trainable=False)')
# One softmax unit cannot hold three classes: Keras refuses the labels.
ONE_UNIT = STUDENT.replace("layers.Dense(3,", "layers.Dense(1,")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from grader.grading.rubric import load_rubric

    root = tmp_path_factory.mktemp("blobs-course")
    (root / "reference").mkdir()
    (root / "reference" / "models.py").write_text(REFERENCE)
    (root / "rubric.yaml").write_text(BLOBS_RUBRIC)
    for name, code in {"student": STUDENT, "frozen": FROZEN, "one_unit": ONE_UNIT}.items():
        (root / f"{name}.py").write_text(code)
    return root, load_rubric(root / "rubric.yaml")


def _grade(course, name, *, device="auto", trainer=None):
    from grader.grading.grade import grade_submission

    root, rubric = course
    return grade_submission(root / f"{name}.py", rubric, GradingOptions(device=device), trainer=trainer).to_json()


@pytest.fixture(scope="module")
def graded(course):
    """``graded(name)``: the result of grading one submission of the course (once per module)."""
    results = {}

    def grade(name):
        if name not in results:
            results[name] = _grade(course, name, device="cpu")
        return results[name]

    return grade


def _check(result, check_id):
    return next(c for c in result["checks"] if c["id"] == check_id)


@pytest.mark.sandbox
def test_classification_accuracy_passes_for_a_model_that_learns(graded):
    result = graded("student")
    check = _check(result, "accuracy")
    assert check["status"] == "pass", check["message"]
    assert check["found"]["value"] >= 0.9 and check["found"]["epochs_run"] == 12
    assert check["found"]["device"] == "CPU"
    assert len(check["found"]["curve"]["loss"]) == 12 and len(check["found"]["curve"]["val_loss"]) == 12
    assert check["found"]["curve"]["loss"][-1] < check["found"]["curve"]["loss"][0]  # it learned
    assert "accuracy" in check["message"] and "at least 90.0%" in check["message"]


@pytest.mark.sandbox
def test_relative_threshold_compares_with_the_reference_trained_the_same_way(course, graded):
    from grader.data.load import load_dataset
    from grader.expectations.reference import reference_architecture
    from grader.checks.kinds.train import parse_train_options
    from grader.training.run import Trainer

    root, rubric = course
    check = _check(graded("student"), "accuracy-vs-reference")
    # The reference, trained on its own by the trainer under the check's protocol:
    spec = next(c for a in rubric.activities for c in a.checks if c.id == "accuracy-vs-reference")
    settings = parse_train_options(spec.options)
    data = load_dataset(settings.protocol.data, input_shape=(8,), loss=settings.protocol.loss)
    run = Trainer(use_cache=False).train(reference_architecture(rubric, rubric.models["classifier"]),
                                         settings.protocol, data)
    reference_accuracy = measure_split("accuracy", data, "train", run.predictions["train"])
    assert check["expected"]["reference"] == pytest.approx(reference_accuracy)
    assert check["expected"]["limit"] == pytest.approx(1.0 * reference_accuracy)
    # The student's model is the reference's architecture with other names: the same numbers.
    assert check["found"]["value"] == pytest.approx(reference_accuracy)
    assert check["status"] == "pass"
    frozen = _check(graded("frozen"), "accuracy-vs-reference")
    assert frozen["status"] == "fail" and frozen["found"]["value"] < reference_accuracy
    assert "reference model reaches with the same training" in frozen["message"]


def test_a_model_that_cannot_learn_fails_with_its_number(graded):
    check = _check(graded("frozen"), "accuracy")
    assert check["status"] == "fail"
    assert check["found"]["value"] < 0.9
    assert "but it must be at least 90.0%" in check["message"]


@pytest.mark.sandbox
def test_a_model_keras_cannot_train_on_the_data_fails_with_the_reason(graded):
    check = _check(graded("one_unit"), "accuracy")
    assert check["status"] == "fail"
    assert "could not train your model" in check["message"]
    assert check["hint"]


@pytest.mark.sandbox
def test_same_submission_graded_twice_gives_identical_scores_and_metrics(course):
    """Seeded training in a fresh sandbox each time (no cache): bit-identical numbers."""
    from grader.training.run import Trainer

    root, rubric = course
    first = _grade(course, "student", trainer=Trainer(use_cache=False, device=None))
    second = _grade(course, "student", trainer=Trainer(use_cache=False, device=None))
    assert first["score"] == second["score"]
    assert _check(first, "accuracy")["found"]["cached"] is False  # trained afresh each time
    assert _check(second, "accuracy")["found"]["cached"] is False
    for check_id in ("accuracy", "accuracy-vs-reference"):
        one, two = _check(first, check_id), _check(second, check_id)
        assert one["found"]["value"] == two["found"]["value"]
        assert one["found"]["curve"] == two["found"]["curve"]
        assert one["found"]["metrics"] == two["found"]["metrics"]


@pytest.mark.sandbox
def test_training_outcomes_are_cached_by_architecture(course, tmp_path):
    from grader.training.run import Trainer

    first = _check(_grade(course, "student", trainer=Trainer(cache=tmp_path)), "accuracy")
    again = _check(_grade(course, "student", trainer=Trainer(cache=tmp_path)), "accuracy")  # a later run
    assert first["found"]["cached"] is False and again["found"]["cached"] is True
    assert again["found"]["value"] == first["found"]["value"]
    # student model + reference model: the same architecture but for names, so one entry
    assert len(list(tmp_path.glob("*.json"))) == 1


@pytest.mark.sandbox
def test_time_budget_stops_training_and_says_so(course, tmp_path):
    import dataclasses

    root, rubric = course
    spec = next(c for a in rubric.activities for c in a.checks if c.id == "accuracy")
    options = {**spec.options, "epochs": 200, "time_budget": 0.5}
    from grader.checks import check_kind

    changed = dataclasses.replace(spec, options=options, settings=check_kind("train").parse(options))
    short = dataclasses.replace(rubric, activities=[dataclasses.replace(rubric.activities[0], checks=[changed])])
    from grader.grading.grade import grade_submission

    result = grade_submission(root / "student.py", short, GradingOptions(device="cpu")).to_json()
    check = _check(result, "accuracy")
    assert 1 <= check["found"]["epochs_run"] < 200
    assert check["found"]["stopped"] == "time_budget"
    assert "time budget of 0.5 s ran out" in check["message"]


def test_report_shows_learning_curve_and_threshold(graded):
    from grader.reports.html import render_report

    result = dict(graded("student"), language="es")
    html = render_report(result)
    assert html.count('class="curve"') == 2 and html.count('class="gauge"') == 2
    assert "Pérdida por época" in html and "Entrenado en CPU" in html
    points = html.split('<polyline points="')[1].split('"')[0].split()
    assert len(points) == 12  # one point per epoch
    hidden = dict(result, checks=[{**c, "hidden": True} if c["id"] == "accuracy" else c for c in result["checks"]])
    assert render_report(hidden).count('class="curve"') == 1  # a hidden check shows no curve


# ------------------------------------------------------------------ hostile worker output


def test_worker_output_is_read_as_untrusted_data():
    from grader.sandbox.limits import Limits
    from grader.training.run import read_run

    data = load_dataset(DataSpec.from_config({"name": "blobs", "samples": 50, "classes": 2, "features": 2}),
                        input_shape=(2,))
    records = [{"epoch": 1, "loss": float("inf"), "val_loss": "x"},
               {"split": "train", "predictions": [[0.1]] * 3},          # wrong length: dropped
               {"split": "nowhere", "predictions": []},
               {"done": True, "device": "G" * 1000, "stopped": "rm -rf /"}]
    run = read_run(records, data, ended="ok", out_of_memory=False, output="boom\n", limits=Limits())
    assert run.status == "crashed" and "boom" in run.problem
    assert run.epochs == [{"epoch": 1, "loss": None, "val_loss": None}]
    assert run.predictions == {} and len(run.device) == 200 and run.stopped is None
    killed = read_run([], data, ended="timeout", out_of_memory=False, output="", limits=Limits(timeout=30))
    assert killed.status == "timeout" and "30 s" in killed.problem
    oom = read_run([], data, ended="killed", out_of_memory=True, output="", limits=Limits(memory=2**30))
    assert oom.status == "memory" and "1024 MB" in oom.problem


def test_layer_names_and_compile_settings_do_not_change_the_cache_key():
    import keras
    from keras import layers

    from grader.sandbox.devices import Device
    from grader.training.protocol import Protocol
    from grader.frameworks.keras.training import without_compile
    from grader.training.run import run_key

    protocol = Protocol.from_config({"data": "blobs", "loss": "mse"})
    data = load_dataset(protocol.data, input_shape=(8,))

    def model(names, units=3):
        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(units, name="out" if names else None)],
                                 name="mine" if names else None)
        model.compile(loss="mse", optimizer="adam")
        return without_compile(model.to_json())

    cpu = Device("cpu")
    assert run_key(model(True), protocol, data, cpu) == run_key(model(False), protocol, data, cpu)
    assert run_key(model(True), protocol, data, cpu) != run_key(model(True, units=4), protocol, data, cpu)
    assert run_key(model(True), protocol, data, cpu) != run_key(model(True), protocol, data, Device("gpu"))


# ------------------------------------------------------------------ rubric, devices, CLI


@pytest.mark.parametrize("change, words", [
    ({"metric": "f1"}, "metric 'f1' is not supported; use one of: mse, rmse, mae, accuracy"),
    ({"metric": "rmse", "threshold": {"relative": 0.5}}, "must be >= 1"),
    ({"data": "imagenet"}, "unknown data set 'imagenet'"),
    ({"epochs": 0}, "'epochs' must be a whole number from 1"),
    ({"split": "validation"}, "split 'validation' is not supported"),
    ({"optimizer": {"learning_rate": 0.1}}, "'optimizer' must be a name"),
])
def test_train_check_settings_are_validated_when_the_rubric_loads(tmp_path, change, words):
    import yaml

    from grader.grading.rubric import load_rubric

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "models.py").write_text(REFERENCE)
    rubric = yaml.safe_load(BLOBS_RUBRIC)
    rubric["activities"][0]["checks"][1].update(change)
    (tmp_path / "rubric.yaml").write_text(yaml.safe_dump(rubric))
    with pytest.raises(InputError) as caught:
        load_rubric(tmp_path / "rubric.yaml")
    assert words in str(caught.value) and "rubric.yaml: line" in str(caught.value)


def test_gpu_device_refused_with_the_reason_when_none_is_visible(monkeypatch, capsys):
    from grader.cli import main
    from grader.sandbox import devices

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    with pytest.raises(ValueError, match="CUDA_VISIBLE_DEVICES hides every GPU"):
        devices.choose_device("gpu")
    assert devices.choose_device("auto").kind == "cpu"
    assert devices.choose_device("cpu").environment() == {"CUDA_VISIBLE_DEVICES": "-1"}
    code = main(["check", str(ROOT / "submissions" / "actividad2" / "correct_script.py"), "--device", "gpu"])
    assert code == 2 and "no usable GPU" in capsys.readouterr().err


def test_gpu_device_files_are_bound_into_the_sandbox():
    from grader.sandbox.limits import Limits
    from grader.sandbox.levels import bwrap_arguments

    args = bwrap_arguments("bwrap", Limits(), binds=[], command=["python"], env={},
                           devices=["/dev/nvidia0", "/dev/nvidiactl"])
    assert "--dev-bind /dev/nvidia0 /dev/nvidia0" in " ".join(args)
    assert args.index("--dev-bind") > args.index("--dev")  # after the fresh /dev, not under it


def test_grader_data_lists_missing_and_ready_data_sets(tmp_path, monkeypatch, capsys):
    import yaml

    from grader.cli import main
    from grader.data.sources import keras_cache

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "models.py").write_text(REFERENCE)
    rubric = yaml.safe_load(BLOBS_RUBRIC)
    rubric["activities"][0]["checks"][1]["data"] = {"name": "mnist", "train_samples": 100}
    (tmp_path / "rubric.yaml").write_text(yaml.safe_dump(rubric))
    assert main(["data", str(tmp_path / "rubric.yaml")]) == 1
    out = capsys.readouterr().out
    assert "MISSING  mnist: " + str(tmp_path / "keras" / "datasets" / "mnist.npz") in out
    assert "ready    blobs: generated from a seed" in out

    def fake_download(name):  # what keras.datasets.mnist.load_data() leaves in the cache
        folder = tmp_path / "keras" / "datasets"
        folder.mkdir(parents=True)
        np.savez(folder / "mnist.npz", x_train=np.zeros((2, 28, 28), np.uint8), y_train=np.zeros(2, np.uint8),
                 x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))

    monkeypatch.setattr(keras_cache, "download", fake_download)
    assert main(["data", str(tmp_path / "rubric.yaml"), "--download"]) == 0
    assert "ready    mnist" in capsys.readouterr().out


def test_exports_show_the_metric_and_its_bound_not_the_curve():
    from grader.reports.exporters.gradescope import gradescope_results
    from grader.reports.exporters.junit import junit_xml

    check = {"id": "a10-train", "activity": "10", "title": "RMSE", "status": "fail", "points": 0, "max_points": 1,
             "message": "too high", "hint": "", "expected": {"limit": 98.94, "threshold": {"relative": 1.25}},
             "found": {"value": 110.12, "curve": {"loss": [0.1] * 150, "val_loss": [0.2] * 150}}}
    result = {"assignment": "actividad2", "submission": "ana", "score": 0, "max_score": 1, "status": "graded",
              "checks": [check], "activities": [], "execution": {"status": "ok", "cells": []}}
    xml = junit_xml([result])
    assert "Expected: 98.94" in xml and "Found:    110.12" in xml and "val_loss" not in xml
    text = json.dumps(gradescope_results(result))
    assert "Expected: 98.94. Found: 110.12." in text and "val_loss" not in text
