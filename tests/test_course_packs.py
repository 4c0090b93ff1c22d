"""The Balseiro and UGR packs as an instructor meets them: the grader derives the handouts' figures from the
references, and ``grader validate`` passes (issue 14).

The figures are the ones the handouts print (keras-facts C, D, F), asserted against what the grader
derives: the cards it builds from the references in the sandbox, and the lines ``grader validate``
prints. The UGR pack is validated whole on the tests' stand-ins (training included); the Balseiro
pack's validation takes about ten minutes on two cores and is measured, with the command that
repeats it, in ``benchmarks/RESULTS.md``. Grading the example folders is part of
``tests/test_end_to_end.py`` (one ``grade submissions/`` for every course).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from grader.grading.rubric import load_rubric
from grader.grading.validate import RubricReport, _figures, reference_solution

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# model id: (total, trainable, non-trainable), as the handouts print them (or keras-facts where they do not).
HANDOUT = {
    "balseiro_p2": {"imdb_dense": (1_003_561, 1_003_361, 200), "imdb_conv": (599_277, 599_277, 0),
                    "mnist_dense": (79_510, 79_510, 0), "mnist_conv": (6_000, 6_000, 0),
                    "vgg_cifar100": (6_151_892, 6_151_892, 0), "alexnet_cifar100": (4_334_824, 4_333_288, 1_536),
                    "cifar_mse": (308_310, 308_310, 0), "xor_221": (9, 9, 0), "pima": (101, 101, 0)},
    "ugr_p3": {"cnn": (58_796, 58_796, 0), "slides_example": (901, 901, 0), "autoencoder": (4_385, 4_385, 0)},
}


@pytest.mark.slow  # builds every reference model of two courses and validates them (11 s): out of the unit tier
@pytest.mark.parametrize("course", sorted(HANDOUT))
def test_the_grader_derives_the_handouts_figures_and_validate_prints_them(course):
    from grader.expectations.reference import reference_cards

    rubric = load_rubric(ROOT / "rubrics" / f"{course}.yaml")
    cards = reference_cards(rubric)
    for model_id, figures in HANDOUT[course].items():
        card = cards[model_id]
        assert (card.total_params, card.trainable_params, card.non_trainable_params) == figures, model_id
    report = RubricReport(rubric.path)
    for model_id, spec in rubric.models.items():
        _figures(report, rubric, spec, cards[model_id])
    assert report.problems == []
    assert any(line.startswith("model cnn (mnist_cnn.py:mnist_cnn): 58,796 parameters") and
               line.endswith("handout total 58,796 agrees") for line in report.notes) or course != "ugr_p3"
    assert any("1,003,561 parameters (1,003,361 trainable, 200 non-trainable); handout total 1,003,561 agrees; "
               "handout non-trainable 200 agrees" in line for line in report.notes) or course != "balseiro_p2"


def test_a_reference_that_drifts_from_the_handout_fails_validate_with_both_figures(tmp_path):
    from grader.cards.card import ModelCard

    rubric = load_rubric(ROOT / "rubrics" / "ugr_p3.yaml")
    report = RubricReport(rubric.path)
    drifted = ModelCard("cnn", total_params=97_196, trainable_params=97_196)  # 'same' in the 5x5 conv
    _figures(report, rubric, rubric.models["cnn"], drifted)
    assert report.problems == [
        f"{rubric.path}: model 'cnn': the reference mnist_cnn.py:mnist_cnn has 97,196 total parameters, the rubric "
        "states the handout's expect_total: 58,796. Fix: make the reference build the handout's model (or correct "
        "the stated figure)"]


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_the_reference_solution_puts_each_model_in_its_notebook_and_trains_it_as_the_rubric_checks(tmp_path):
    import nbformat

    from grader.frameworks import framework
    from grader.frameworks.keras.rebuild import card_from_json

    rubric = load_rubric(ROOT / "rubrics" / "balseiro_p2.yaml")
    cards = {}
    for model_id, spec in rubric.models.items():
        file_name, _, function = spec.build.partition(":")
        loaded = importlib.util.spec_from_file_location(f"pack_{file_name[:-3]}", rubric.reference / file_name)
        module = importlib.util.module_from_spec(loaded)
        loaded.loader.exec_module(module)
        cards[model_id] = framework("keras").canonical(card_from_json(getattr(module, function)().to_json(), model_id))
    folder = reference_solution(rubric, cards, tmp_path / "solution")
    assert sorted(p.name for p in folder.iterdir()) == [
        "ej01.ipynb", "ej02_3.ipynb", "ej02_4.ipynb", "ej02_6.ipynb", "ej03.ipynb", "ej04.ipynb", "ej05.ipynb",
        "ej06.ipynb", "ej07.ipynb", "ej08.ipynb", "ej09.ipynb", "ej10.ipynb"]
    code = "\n".join(cell.source for cell in nbformat.read(folder / "ej06.ipynb", as_version=4).cells)
    assert "for _fold in range(5):\n    model = _build()\n    model.fit(_np.zeros((2, 8), 'float32')" in code
    xor = "\n".join(cell.source for cell in nbformat.read(folder / "ej02_6.ipynb", as_version=4).cells)
    assert "model_1.fit(_np.zeros((2, 2), 'float32'), _np.zeros((2, 1), 'float32'), batch_size=1" in xor
    assert "model_2 = _build()" in xor


@pytest.mark.slow
def test_validate_passes_for_the_ugr_pack_on_the_stand_ins(tmp_path, monkeypatch):
    from standins import datasets as standins

    from grader.grading.validate import validate_rubric

    home = tmp_path / "keras"
    standins.write_fashion_mnist(home)
    standins.write_mnist_hard(home)  # the easy stand-in is learnt to 100 % by any network: no model beats another
    monkeypatch.setenv("KERAS_HOME", str(home))
    report = validate_rubric(ROOT / "rubrics" / "ugr_p3.yaml")
    assert report.problems == [], report.problems
    lines = "\n".join(report.notes)
    assert "model cnn (mnist_cnn.py:mnist_cnn): 58,796 parameters (58,796 trainable, 0 non-trainable); " \
           "handout total 58,796 agrees" in lines
    assert "model slides_example (ejemplos.py:dense_example): 901 parameters" in lines
    # What every bound is relative to: the reference's own run, the student's other model, a baseline.
    assert "a11-train: the reference reaches test accuracy" in lines and "x the reference's" in lines
    assert "(better than model cnn's" in lines and "(better than the noisy_input baseline's" in lines
    assert report.notes[-2].startswith("the reference solution scores 28/29 (28 of them can be shown by reference "
                                       "models; a12-uses read(s) what only a student's code holds)")
    assert report.notes[-1] == "an empty submission scores 0/29"


@pytest.mark.sandbox
def test_a_missing_data_set_speaks_to_the_instructor_and_the_other_checks_are_graded(tmp_path, monkeypatch):
    """validate on a machine without the Keras cache (a course's CI): one note per data set naming the
    file and the command, the checks that need it left out of the expectation, the rubric valid; not
    "avisa al profesor" nor "fix the reference solution"."""
    from grader.grading.validate import validate_rubric

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty"))
    report = validate_rubric(ROOT / "rubrics" / "ugr_p3.yaml")
    assert report.problems == []
    missing = [note for note in report.notes if note.startswith("data set ")]
    assert [note.split()[2] for note in missing] == ["mnist", "fashion_mnist"]
    for note in missing:
        assert str(tmp_path / "empty" / "datasets") in note and "--download" in note
    assert any("without the checks it cannot pass here" in note for note in report.notes)
    assert not any("avisa" in note or "fix the reference solution" in note for note in report.notes)
    assert report.notes[-1] == "an empty submission scores 0/29"


@pytest.mark.sandbox
def test_a_one_unit_sigmoid_classifier_trains_on_labels_shaped_n_and_logits_losses_take_their_arguments():
    """The issue's bug: ``target.shape=(300,), output.shape=(300, 1)`` stopped every binary classifier."""
    import keras

    from grader.data.load import load_dataset
    from grader.data.spec import DataSpec
    from grader.frameworks import framework
    from grader.training.metrics import measure_split
    from grader.training.protocol import Protocol
    from grader.training.run import Trainer

    adapter, trainer = framework("keras"), Trainer(use_cache=False)
    cases = (
        (keras.layers.Dense(1, activation="sigmoid"), 2, "binary_crossentropy", "binary_accuracy", False),
        (keras.layers.Dense(3), 3, {"name": "categorical_crossentropy", "from_logits": True}, "accuracy", True),
    )
    for output, classes, loss, metric, logits in cases:
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), output])
        architecture, shape = adapter.training.prepare(model.to_json(), (8,))
        protocol = Protocol.from_config({"data": {"name": "blobs", "samples": 300, "classes": classes, "features": 8},
                                         "loss": loss, "epochs": 10, "optimizer": {"name": "adam", "learning_rate": 0.01}})
        data = load_dataset(protocol.data, input_shape=shape, loss=protocol.loss_name)
        assert data.splits["train"][1].ndim == (2 if classes == 3 else 1)  # one-hot for CCE, (n,) for one unit
        run = trainer.train(architecture, protocol, data)
        assert run.status == "ok", run.problem
        assert protocol.from_logits is logits
        assert measure_split(metric, data, "test", run.predictions["test"], logits=logits) > 0.9
