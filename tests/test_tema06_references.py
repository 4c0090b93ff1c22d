"""Tema 06 references: the totals the handout's models have, as the grader derives them.

The grader never takes a number from the reference's own process either: the reference is built
in the sandbox, exported and described like a student's model, and the card's totals are what is
asserted here, beside torch's own count of the same object (built in this process, for the test
only). Skipped where torch is not installed.
"""

import importlib.util
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference" / "tema06"


def reference(file_name, function):
    spec = importlib.util.spec_from_file_location(f"tema06_{Path(file_name).stem}", REFERENCE / file_name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)()


@pytest.fixture(scope="module")
def cards():
    """The rubric's reference cards, built in the sandbox as grading builds them."""
    from grader.expectations.reference import reference_cards
    from grader.grading.rubric import load_rubric

    return reference_cards(load_rubric(ROOT / "rubrics" / "tema06.yaml"))


@pytest.mark.sandbox
def test_autoencoder_has_224601_parameters(cards):
    ae = cards["ae"]
    assert ae.total_params == ae.trainable_params == 224_601
    assert sum(p.numel() for p in reference("autoencoder.py", "autoencoder").parameters()) == 224_601
    assert ae.input_shapes == [[None, 784]] and ae.output_shapes == [[None, 784]]
    assert ae.layers[0].name == "encoder.0" and ae.layers[-1].name == "decoder.9"
    assert ae.layer("encoder.8").output_shape == [None, 9]  # the code: 9 numbers per image
    assert [layer.describe() for layer in ae.layers[:2]] == ["Linear(784, 128)", "ReLU()"]


@pytest.mark.sandbox
def test_cifar10_model_has_4210090_parameters(cards):
    cnn = cards["cnn"]
    assert cnn.total_params == cnn.trainable_params == 4_210_090
    assert sum(p.numel() for p in reference("cifar10.py", "cifar10_model").parameters()) == 4_210_090
    params = {layer.name: layer.params for layer in cnn.layers}
    assert params["conv1"] == 3 * 32 * 9 + 32 == 896
    assert params["conv2"] == 32 * 32 * 9 + 32 == 9_248
    assert params["fc3"] == 8192 * 512 + 512 == 4_194_816
    assert params["fc4"] == 512 * 10 + 10 == 5_130
    assert cnn.layer("pool2").output_shape == [None, 32, 16, 16]
    assert cnn.layer("flat").output_shape == [None, 8192]
    assert cnn.output_shapes == [[None, 10]]


def test_references_have_the_handout_attribute_names():
    ae = reference("autoencoder.py", "autoencoder")
    cnn = reference("cifar10.py", "cifar10_model")
    assert [name for name, _ in ae.named_children()] == ["encoder", "decoder"]
    assert [name for name, _ in cnn.named_children()] == [
        "conv1", "act1", "drop1", "conv2", "act2", "pool2", "flat", "fc3", "act3", "drop3", "fc4"]
