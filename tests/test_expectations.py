"""The figures the handout and the course facts give, against what the grader derives from the reference.

Expected numbers come from shared/notes/keras-facts.md (measured with Keras 3) and the issue
text; the grader must derive the same from reference/actividad2/.
"""

import shutil

import pytest

from grader.frameworks.keras.canonical import canonical
from grader.expectations.reference import reference_card

pytestmark = pytest.mark.sandbox  # every test here starts a sandbox


def _point(card, name):
    card = canonical(card)
    index = card.index(name)
    return card.layers[index].output_shape, card.params_through(index)["total"]


@pytest.mark.parametrize("point, shape, params", [
    ("block1_bn", [None, 55, 55, 96], 35_328),
    ("block1_pool", [None, 27, 27, 96], 35_328),
    ("block2_pool", [None, 13, 13, 256], 651_008),
    ("block3_conv", [None, 13, 13, 384], 1_536_128),
    ("block5_pool", [None, 6, 6, 256], 3_748_608),
    ("flatten", [None, 9216], 3_748_608),
    ("drop6", [None, 4096], 41_501_440),
    ("predictions", [None, 1000], 62_379_752),
])
def test_alexnet_points(references, point, shape, params):
    assert _point(references["alexnet"], point) == (shape, params)


def test_alexnet_totals(references):
    card = references["alexnet"]
    assert (card.total_params, card.trainable_params, card.non_trainable_params) == (62_379_752, 62_379_048, 704)


@pytest.mark.parametrize("model, total", [
    ("rnn_base", 35), ("rnn_4_units", 24), ("rnn_dense", 41), ("lstm_dense", 146),
])
def test_recurrent_totals(references, model, total):
    assert references[model].total_params == total
    assert references[model].input_shapes == [[None, 4, 1]]


def test_compile_settings_come_from_the_reference(references):
    assert references["rnn_dense"].compile["loss"] == "mean_squared_error"
    assert references["rnn_dense"].compile["optimizer"] == "Adam"


def test_cache_is_invalidated_when_the_reference_changes(rubric, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "reference"
    shutil.copytree(rubric.reference, copy)
    rubric = type(rubric)(**{**rubric.__dict__, "reference": copy})
    spec = rubric.models["rnn_base"]
    assert reference_card(rubric, spec).total_params == 35
    assert len(list((tmp_path / "cache" / "expectations").glob("*.json"))) == 1
    source = (copy / "rnn.py").read_text().replace("def simple_rnn(units=5)", "def simple_rnn(units=7)")
    (copy / "rnn.py").write_text(source)
    assert reference_card(rubric, spec).total_params == 7 * 7 + 7 + 7
    assert len(list((tmp_path / "cache" / "expectations").glob("*.json"))) == 2


def test_a_cached_card_is_used_without_running_the_reference(rubric, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    spec = rubric.models["rnn_dense"]
    first = reference_card(rubric, spec)
    monkeypatch.setattr("grader.expectations.reference.build_reference",
                        lambda *a: pytest.fail("the cache was not used"))
    assert reference_card(rubric, spec) == first
