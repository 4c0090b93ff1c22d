"""The Tema 06 course graded end to end: the five example notebooks, in the sandbox, on stand-in data.

The course as shipped (``rubrics/tema06.yaml``, ``reference/tema06/``, ``submissions/tema06/``),
with two changes a test needs: the data the notebooks load with torchvision are small generated
stand-ins served as the rubric's ``offline: {torchvision_datasets: [MNIST, CIFAR10]}`` serves
the real files (from ``$GRADER_TORCHVISION_DATA``), and the train checks train on stand-in arrays (``.npz``)
instead of the Keras cache. Each notebook is graded once, as ``grade`` grades it; the tests read
the results. Needs torch and a torchvision that imports.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

try:
    import torch  # noqa: F401
    import torchvision  # noqa: F401
except Exception as exc:  # noqa: BLE001 - not installed, or a build that does not import
    pytest.skip(f"torch and torchvision are not usable here: {type(exc).__name__}: {exc}", allow_module_level=True)

from standins.torchvision_data import _labels, cifar_images, mnist_images, write_cifar10, write_mnist  # noqa: E402

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "submissions" / "tema06"
OFFLINE = {"torchvision_datasets": ["MNIST", "CIFAR10"]}


def _course(root: Path) -> Path:
    """The shipped rubric, with stand-in data: ``./data`` for torchvision and ``.npz`` arrays for the train checks."""
    data = root / "data"
    write_mnist(data, train=96, test=32)
    write_cifar10(data, per_batch=16, test=32)
    rng = np.random.default_rng(1)
    digits = mnist_images(_labels(160, rng), rng)
    np.savez(root / "mnist_standin.npz", x_train=digits[:128], y_train=np.zeros(128, np.uint8),
             x_test=digits[128:], y_test=np.zeros(32, np.uint8))
    labels = _labels(192, rng)
    images = cifar_images(labels, rng).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # channels last, as Keras keeps them
    np.savez(root / "cifar_standin.npz", x_train=images[:160], y_train=labels[:160].astype(np.int64),
             x_test=images[160:], y_test=labels[160:].astype(np.int64))
    text = (ROOT / "rubrics" / "tema06.yaml").read_text(encoding="utf-8")
    text = text.replace("reference: ../reference/tema06", f"reference: {ROOT / 'reference' / 'tema06'}")
    text = text.replace("data: {name: mnist, target: inputs, train_samples: 2000, test_samples: 500}",
                        f"data: {{file: {root / 'mnist_standin.npz'}, target: inputs}}")
    text = text.replace("data: {name: cifar10, train_samples: 2000, test_samples: 500}",
                        f"data: {{file: {root / 'cifar_standin.npz'}}}")
    text = re.sub(r"epochs: (20|5)\n", "epochs: 3\n", text)
    rubric = root / "tema06.yaml"
    rubric.write_text(text, encoding="utf-8")
    return rubric


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from grader.expectations.reference import reference_cards
    from grader.grading import grade
    from grader.grading.rubric import load_rubric
    from grader.options import GradingOptions

    root = tmp_path_factory.mktemp("tema06")
    rubric = load_rubric(_course(root))
    assert rubric.offline == OFFLINE  # as shipped: the stand-ins are served as the real files would be
    references = reference_cards(rubric)
    previous = os.environ.get("GRADER_TORCHVISION_DATA")
    os.environ["GRADER_TORCHVISION_DATA"] = str(root / "data")  # this machine's torchvision root
    try:
        results = {path.stem: grade.grade_submission(path, rubric, GradingOptions(device="cpu"), references=references)
                   for path in sorted(SUBMISSIONS.glob("*.ipynb"))}
        results["correct --full"] = grade.grade_submission(SUBMISSIONS / "correct.ipynb", rubric,
                                                           GradingOptions(device="cpu", full=True, lang="en"),
                                                           references=references)
    finally:
        if previous is None:
            os.environ.pop("GRADER_TORCHVISION_DATA", None)
        else:
            os.environ["GRADER_TORCHVISION_DATA"] = previous
    return {name: result.to_json() for name, result in results.items()}


def _check(result: dict, check_id: str) -> dict:
    return next(check for check in result["checks"] if check["id"] == check_id)


def _failing(result: dict) -> dict[str, str]:
    return {check["id"]: check["message"] for check in result["checks"] if check["status"] != "pass"}


def _model(result: dict, model_id: str) -> dict:
    return next(model for model in result["models"] if model["id"] == model_id)


def test_the_correct_notebook_gets_full_marks(graded):
    result = graded["correct"]
    assert _failing(result) == {}, result["execution"]["message"]
    assert result["score"] == result["max_score"] == 17
    assert _model(result, "ae")["student_total"] == _model(result, "ae")["reference_total"] == 224_601
    assert _model(result, "cnn")["student_total"] == _model(result, "cnn")["reference_total"] == 4_210_090
    assert _model(result, "cnn")["found"] == "model (correct.ipynb, celda 11)"  # a Spanish course; the handout reuses `model`
    # its loops ran capped, and the report says so
    assert result["execution"]["fit_cap_message"].startswith("Para calificar rápido, tus 2 bucles de entrenamiento")
    assert {(c["epochs_asked"], c["epochs_run"]) for c in result["execution"]["capped_fits"]} == {(20, 2)}
    train = _check(result, "cnn-train")
    assert train["found"]["value"] >= train["expected"]["limit"] and train["found"]["device"] == "CPU"


def test_full_runs_the_loops_as_written(graded):
    result = graded["correct --full"]
    assert result["execution"]["fit_cap_message"] == "" and result["execution"]["capped_fits"] == []
    assert "Epoch 19: model accuracy" in result["execution"]["output"]
    assert result["score"] == result["max_score"]


def test_a_wrong_layer_is_named_with_its_fix_in_current_pytorch(graded):
    result = graded["wrong_layer"]
    assert set(_failing(result)) == {"cnn-dense", "cnn-output", "cnn-params", "cnn-train", "runs"}
    first = _model(result, "cnn")["findings"][0]
    assert (first["layer"], first["fix"]) == ("fc3", "nn.Linear(8192, 512)")
    assert "out_features 256 en lugar de 512" in first["message"]
    assert _model(result, "cnn")["student_total"] == 8192 * 256 + 256 + 896 + 9248 + 5130
    failed = [cell for cell in result["execution"]["cells"] if cell["status"] != "ok"]
    assert failed and "256" in failed[0]["evalue"]  # its own training cell fails, as it would for the student
    assert "Linear recibe 256 características pero espera 512" in failed[0]["hint"]


def test_a_module_forward_never_calls_is_reported(graded):
    result = graded["forward_skips_dropout"]
    assert set(_failing(result)) == {"cnn-conv"}
    assert "`drop1`" in _failing(result)["cnn-conv"]
    assert any("nunca la llama" in note for note in _model(result, "cnn")["notes"])
    assert _check(result, "cnn-params")["status"] == "pass"  # the same modules, so the same parameters


def test_a_partial_notebook_gets_what_it_did(graded):
    result = graded["partial"]
    assert {"ae-encoder", "ae-params", "cnn-conv", "cnn-pool"} <= {c["id"] for c in result["checks"]
                                                                   if c["status"] == "pass"}
    assert {"cnn-flat", "cnn-dense", "cnn-output", "cnn-params", "cnn-train"} <= set(_failing(result))
    assert _model(result, "cnn")["student_total"] == 896 + 9248


def test_the_handouts_testloader_from_trainset_is_flagged(graded):
    result = graded["test_on_trainset"]
    assert set(_failing(result)) == {"cnn-test-data"}
    check = _check(result, "cnn-test-data")
    assert "celda 9, línea 12" in check["message"] and "`testloader` se construye con `trainset`" in check["message"]
    assert check["hint"] == "testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=True)"


def test_the_report_shows_the_layer_table_in_both_languages(graded, tmp_path):
    from grader.reports.exporters import exporters

    html = exporters()["html"] if "html" in exporters() else next(e for e in exporters().values()
                                                                  if e.default == "report.html")
    for name, lang in (("wrong_layer", "es"), ("correct --full", "en")):
        path = tmp_path / f"{lang}.html"
        html.write(graded[name], path)
        text = path.read_text(encoding="utf-8")
        assert "Linear(8192, 512)" in text and "(None, 32, 16, 16)" in text
    assert "nn.Linear(8192, 512)" in (tmp_path / "es.html").read_text(encoding="utf-8")
    assert json.dumps(graded["correct"])  # results.json is plain data
