"""Tema 06 references: the totals the handout's models have, as the grader derives them.

The grader never takes a number from the reference's own process either: the reference model is
exported and described like a student's, and the card's totals are what is asserted here, beside
torch's own count of the same object. Skipped where torch is not installed.
"""

import importlib.util
import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from grader_torch_proto.inside import export  # noqa: E402
from grader_torch_proto.trusted import describe, load  # noqa: E402

REFERENCE = Path(__file__).resolve().parent.parent / "reference" / "tema06"


def reference(file_name, function):
    spec = importlib.util.spec_from_file_location(f"tema06_{Path(file_name).stem}", REFERENCE / file_name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)(), module.INPUT_SHAPE


def card(file_name, function):
    model, shape = reference(file_name, function)
    return model, describe(load(json.dumps(export(model))), shape)


def test_autoencoder_has_224601_parameters():
    model, ae = card("autoencoder.py", "autoencoder")
    assert ae["total_params"] == ae["trainable_params"] == 224_601
    assert sum(p.numel() for p in model.parameters()) == 224_601
    assert ae["output_shape"] == [32, 784] and ae["traced"]
    names = [layer["name"] for layer in ae["layers"]]
    assert names[0] == "encoder.0" and names[-1] == "decoder.9"
    encoded = next(layer for layer in ae["layers"] if layer["name"] == "encoder.8")
    assert encoded["output_shape"] == [32, 9]  # the code: 9 numbers per image


def test_cifar10_model_has_4210090_parameters():
    model, cnn = card("cifar10.py", "cifar10_model")
    assert cnn["total_params"] == cnn["trainable_params"] == 4_210_090
    assert sum(p.numel() for p in model.parameters()) == 4_210_090
    by_name = {layer["name"]: layer for layer in cnn["layers"]}
    assert by_name["conv1"]["params"] == 3 * 32 * 9 + 32 == 896
    assert by_name["conv2"]["params"] == 32 * 32 * 9 + 32 == 9_248
    assert by_name["fc3"]["params"] == 8192 * 512 + 512 == 4_194_816
    assert by_name["fc4"]["params"] == 512 * 10 + 10 == 5_130
    assert by_name["pool2"]["output_shape"] == [32, 32, 16, 16]
    assert by_name["flat"]["output_shape"] == [32, 8192]
    assert cnn["output_shape"] == [32, 10]


def test_references_have_the_handout_attribute_names():
    ae, _ = reference("autoencoder.py", "autoencoder")
    cnn, _ = reference("cifar10.py", "cifar10_model")
    assert [name for name, _ in ae.named_children()] == ["encoder", "decoder"]
    assert [name for name, _ in cnn.named_children()] == [
        "conv1", "act1", "drop1", "conv2", "act2", "pool2", "flat", "fc3", "act3", "drop3", "fc4"]
