"""UNLP clase 9 graded as a course: the correct notebook scores full marks when its data sets exist, and the
sandbox tells the grader what the code did with its models (applications, training, saving, an ensemble).

The sandbox has no network and, until issue 13, no view of the instructor's Keras cache: here the
correct notebook's data cells are given stand-in arrays of the real shapes (the only change to it),
and the grader's own train checks read stand-in MNIST from a ``KERAS_HOME`` of the test's own
(``tests/standins/datasets.py``). MobileNet's ImageNet weights are absent, so the sandbox builds it
with ``weights=None`` and says so: the architecture is graded the same.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from standins.datasets import write_mnist  # noqa: E402

RUBRIC = ROOT / "rubrics" / "unlp_clase9.yaml"
NOTEBOOKS = ROOT / "submissions" / "unlp_clase9"

STANDIN_DATA = '''\
# Stand-in data sets of the real shapes (the grading sandbox of this test has no CIFAR-10 or MNIST).
import numpy as _np
class _Standin:
    def __init__(self, shape, train=64, test=32, classes=10):
        self.shape, self.train, self.test, self.classes = shape, train, test, classes
    def load_data(self):
        rng = _np.random.default_rng(0)
        def split(n):
            y = rng.integers(0, self.classes, size=(n,) + ((1,) if len(self.shape) == 3 else ())).astype("uint8")
            return rng.integers(0, 256, size=(n, *self.shape)).astype("uint8"), y
        return split(self.train), split(self.test)
'''


def _with_standin_data(source: Path, target: Path) -> Path:
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = cell.source.replace("cifar10.load_data()", "_Standin((32, 32, 3)).load_data()")
            cell.source = cell.source.replace("mnist.load_data()", "_Standin((28, 28)).load_data()")
    first_code = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    notebook.cells.insert(first_code, nbformat.v4.new_code_cell(STANDIN_DATA))
    nbformat.write(notebook, target)
    return target


@pytest.mark.slow
def test_the_correct_notebook_scores_full_marks_with_its_data(tmp_path, monkeypatch):
    from grader.grading.grade import grade_submission
    from grader.grading.rubric import load_rubric

    import dataclasses

    from grader.execution.fit_cap import FitCap

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    write_mnist(tmp_path / "keras", n_train=400, n_test=100)  # the train checks take the first 2000 and 500: all
    notebook = _with_standin_data(NOTEBOOKS / "correcto.ipynb", tmp_path / "correcto.ipynb")
    rubric = dataclasses.replace(load_rubric(RUBRIC), fit_cap=FitCap(epochs=1, batches=2))  # the student's fits
    result = grade_submission(notebook, rubric).to_json()
    failing = [(c["id"], c["message"]) for c in result["checks"] if c["status"] != "pass"]
    assert failing == []
    assert result["score"] == result["max_score"] == 73
    checks = {c["id"]: c for c in result["checks"]}
    assert checks["gan-trains"]["message"].startswith("Cada vez que tu código entrenó `GAN` (train_on_batch")
    assert checks["sl-roundtrip"]["message"].startswith("Guardado en `ungranmodelo.h5` (h5,")
    assert checks["en-average"]["found"]["members"] == 3


@pytest.mark.sandbox
def test_the_sandbox_reports_applications_training_and_files(tmp_path):
    """One script: MobileNet without its weights file, a GAN trained the slides' way, a model saved and
    loaded (and once loaded without its extension), an ensemble averaged."""
    from grader.execution.runner import execute
    from grader.submission.submission import Submission

    script = tmp_path / "clase9.py"
    script.write_text('''\
import numpy as np
import keras
from keras import layers
from keras.applications import MobileNet
base_model = MobileNet(input_shape=(32, 32, 3), weights="imagenet", include_top=False)
g = keras.Sequential([keras.Input((4,)), layers.Dense(6)], name="g")
d = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")], name="d")
d.compile(loss="binary_crossentropy", optimizer="adam")
d.trainable = False
x = keras.Input((4,))
GAN = keras.Model(x, d(g(x)))
GAN.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9))
for i in range(3):
    d.trainable = True
    d.train_on_batch(np.zeros((2, 6)), np.zeros((2, 1)))
    d.trainable = False
    GAN.train_on_batch(np.zeros((2, 4)), np.ones((2, 1)))
GAN.save("gan.keras")
again = keras.models.load_model("gan.keras")
try:
    keras.models.load_model("gan")
except ValueError:
    pass
models = [g, keras.models.clone_model(g)]
x_test = np.ones((5, 4))
average = (models[0].predict(x_test) + models[1].predict(x_test)) / 2
''')
    question = {"id": "avg", "kind": "ensemble", "framework": "keras", "members": "models", "average": "average",
                "inputs": "x_test", "rows": 8}
    result = execute(Submission.from_path(script), inspect=[question])
    assert result.status == "ok", result.message
    base = next(c for c in result.captures if c.variable == "base_model")
    assert base.application == {"name": "MobileNet", "weights": "imagenet", "include_top": False,
                                "input_shape": [32, 32, 3], "substituted": "mobilenet_1_0_224_tf_no_top.h5"}
    events = {}
    for event in result.events:
        events.setdefault(event["event"], []).append(event)
    assert [e["path"] for e in events["substituted"]] == ["mobilenet_1_0_224_tf_no_top.h5"]
    gan = [c for c in result.captures if c.variable == "GAN"][-1]  # its last state: compiled
    assert [n["name"] for n in gan.nested] == ["g", "d"]
    assert gan.compile["optimizer_config"]["momentum"] == pytest.approx(0.9)
    trained = [e for e in events["train"] if e["object"] == gan.object_id]
    assert [e["builds"] for e in trained] == [True, False]  # the call that built it, then one for all the others
    assert {p["name"]: p["trainable"] for p in trained[0]["parts"]} == {"g": 30, "d": 0}
    d_calls = [e for e in events["train"] if e["object"] == next(c.object_id for c in result.captures
                                                                  if c.variable == "d")]
    assert d_calls[0]["builds"] and d_calls[0]["trainable"] == 7
    saved, loaded = events["save"], events["load"]
    assert [(e["path"], e["format"], e["error"]) for e in saved] == [("gan.keras", "keras", None)]
    assert [(e["path"], e["error"] is None) for e in loaded] == [("gan.keras", True), ("gan", False)]
    assert json.loads(saved[0]["architecture"])["class_name"] == "Functional"
    answer = events["inspected"][0]
    assert answer["check"] == "avg" and answer["count"] == 2 and answer["max_difference"] == pytest.approx(0, abs=1e-6)


@pytest.mark.sandbox
def test_keras_applications_as_references_with_their_published_counts(tmp_path, monkeypatch):
    """References may call keras.applications (weights=None, or 'imagenet' without the file: the
    reference build substitutes it); their cards carry the published counts, and stay cached."""
    from grader.expectations import reference as expectations
    from grader.grading.rubric import load_rubric

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "apps.py").write_text('''\
import keras

def vgg16():
    return keras.applications.VGG16(weights=None)

def resnet50():
    return keras.applications.ResNet50(weights=None)

def mobilenet():
    return keras.applications.MobileNet(input_shape=(32, 32, 3), weights="imagenet", include_top=False)
''')
    (tmp_path / "rubric.yaml").write_text('''\
assignment: apps
reference: reference
models:
  vgg16: {build: apps.py:vgg16}
  resnet50: {build: apps.py:resnet50}
  mobilenet: {build: apps.py:mobilenet}
activities:
  - {id: "1", checks: [{kind: params, model: vgg16}, {kind: params, model: resnet50}, {kind: params, model: mobilenet}]}
''')
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    rubric = load_rubric(tmp_path / "rubric.yaml")
    cards = expectations.reference_cards(rubric)
    # keras-facts E; VGG16 and ResNet50 as Keras's application docs list them.
    assert {m: cards[m].total_params for m in cards} == {"vgg16": 138_357_544, "resnet50": 25_636_712,
                                                         "mobilenet": 3_228_864}
    assert cards["mobilenet"].application["name"] == "MobileNet"
    assert cards["mobilenet"].application["substituted"] == "mobilenet_1_0_224_tf_no_top.h5"

    def no_build(*args, **kwargs):
        raise AssertionError("the expectations were built again instead of read from the cache")

    monkeypatch.setattr(expectations, "_build", no_build)
    assert expectations.reference_cards(rubric)["vgg16"].total_params == 138_357_544
