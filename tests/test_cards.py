"""Model cards: rebuilt from exported JSON, canonicalized, outlined, aligned."""

import json

import keras
import pytest
from keras import layers

from grader.i18n import render
from grader.frameworks.keras.canonical import canonical
from grader.cards.card import LayerCard, ModelCard
from grader.frameworks.keras.outline import outline_from_json
from grader.cards.card import UnreadableModel
from grader.frameworks.keras.rebuild import card_from_json
from grader.checks.align import align, similarity


def _alexnet_block1(fused: bool, functional: bool):
    if functional:
        x = inputs = keras.Input((224, 224, 3))
        x = layers.ZeroPadding2D(2)(x)
        x = layers.Conv2D(96, 11, strides=4, activation="relu" if fused else None)(x)
        if not fused:
            x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(3, strides=2)(x)
        return keras.Model(inputs, x)
    stack = [keras.Input((224, 224, 3)), layers.ZeroPadding2D(2),
             layers.Conv2D(96, 11, strides=4, activation="relu" if fused else None)]
    if not fused:
        stack.append(layers.Activation("relu"))
    return keras.Sequential([*stack, layers.MaxPooling2D(3, strides=2)])


def test_card_round_trips_through_config():
    card = card_from_json(_alexnet_block1(True, False).to_json(), name="m")
    assert ModelCard.from_config(json.loads(json.dumps(card.get_config()))) == card


@pytest.mark.parametrize("fused, functional", [(True, False), (False, False), (True, True), (False, True)])
def test_equivalent_spellings_have_the_same_canonical_layers(fused, functional):
    card = canonical(card_from_json(_alexnet_block1(fused, functional).to_json(), name="m"))
    assert [layer.describe() for layer in card.layers] == [
        "ZeroPadding2D(padding 2)", "Conv2D(96, 11x11, strides 4x4, relu)", "MaxPooling2D(3x3, strides 2x2)"]
    assert card.layers[1].output_shape == [None, 55, 55, 96]
    assert card.layers[-1].output_shape == [None, 27, 27, 96]
    assert card.total_params == 34_944


def test_counts_come_from_the_architecture_not_from_the_object():
    model = keras.Sequential([keras.Input((4, 1)), layers.SimpleRNN(4)])
    model.count_params = lambda: 35  # what a student might do to fake activity 8
    assert card_from_json(model.to_json(), name="m").total_params == 24


def test_an_unbuilt_model_is_built_from_the_reference_input_and_says_so():
    unbuilt = keras.Sequential([layers.SimpleRNN(5), layers.Dense(1)])
    card = card_from_json(unbuilt.to_json(), name="modelRNN", input_shape=[4, 1])
    assert card.total_params == 41
    assert card.input_from_reference
    assert "(4, 1)" in render(card.notes[0], "en") and "(4, 1)" in render(card.notes[0], "es")
    with pytest.raises(UnreadableModel, match="never built"):
        card_from_json(unbuilt.to_json(), name="modelRNN")


@pytest.mark.parametrize("module", ["os", "builtins", "__main__", "subprocess"])
def test_a_layer_from_another_module_is_never_rebuilt_only_outlined(module, monkeypatch):
    arch = json.loads(keras.Sequential([keras.Input((2,)), layers.Dense(1, name="dense")]).to_json())
    arch["config"]["layers"][1]["module"] = module
    monkeypatch.setattr(keras.saving, "deserialize_keras_object",
                        lambda *a, **k: pytest.fail("a non-Keras class reached Keras's deserializer"))
    card = card_from_json(json.dumps(arch), name="m")
    assert card.opaque_layers == ["dense (Dense)"]
    assert card.layers[0].output_shape is None and card.total_params == 0
    assert card.notes[0]["id"] == "note.custom_layers"


@pytest.mark.parametrize("module", ["os", "builtins", "subprocess"])
def test_an_object_from_another_module_inside_a_keras_layer_is_refused(module):
    arch = json.loads(keras.Sequential([keras.Input((2,)), layers.Dense(1)]).to_json())
    arch["config"]["layers"][1]["config"]["dtype"] = {"module": module, "class_name": "system", "config": {}}
    with pytest.raises(UnreadableModel, match="not part of Keras"):
        card_from_json(json.dumps(arch), name="m")


def test_a_students_own_activation_is_graded_by_name_without_running_it():
    def my_act(x):
        raise AssertionError("the student's function ran in the grader")

    model = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation=my_act, name="dense"), layers.Dense(2)])
    card = card_from_json(model.to_json(), name="m")
    assert [layer.describe() for layer in card.layers] == ["Dense(10, my_act)", "Dense(2)"]
    assert card.total_params == 4 * 10 + 10 + 10 * 2 + 2
    assert card.notes == [{"id": "note.custom_function",
                           "fields": {"layer": "dense", "setting": "activation", "name": "my_act"}}]


def test_a_billion_parameters_described_in_400_bytes_allocate_nothing():
    """The rebuild creates variables without values: the true count, no memory (issue 7, attack 4)."""
    import resource

    arch = {"class_name": "Sequential", "module": "keras", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "module": "keras.layers", "config": {"name": "in", "batch_shape": [None, 20000]}},
        {"class_name": "Dense", "module": "keras.layers", "config": {"name": "big", "units": 50000}}]}}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    card = card_from_json(json.dumps(arch), name="m")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert card.total_params == 20000 * 50000 + 50000
    assert grown_mb < 200, f"the rebuild allocated {grown_mb:.0f} MB for a {card.total_params:,}-parameter layer"


@pytest.mark.parametrize("architecture", [
    "[" * 200_000 + "]" * 200_000,
    '{"config": ' * 5_000 + "1" + "}" * 5_000,
    '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": '
    + "[" * 100 + "1" + "]" * 100 + "}}]}}",
    '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": "x"}}]}}',
    "NaN",
])
def test_hostile_descriptions_give_a_reason_never_a_crash(architecture):
    with pytest.raises(UnreadableModel):
        card_from_json(architecture, name="m")
    outline_from_json(architecture, name="m")  # None or an outline; never an exception


def test_lambda_layers_are_refused():
    model = keras.Sequential([keras.Input((2,)), layers.Lambda(lambda x: x * 2)])
    with pytest.raises(UnreadableModel):
        card_from_json(model.to_json(), name="m")


def test_garbage_is_refused_with_a_reason():
    with pytest.raises(UnreadableModel, match="not valid JSON"):
        card_from_json("{not json", name="m")


def test_outline_reads_kinds_and_input_without_keras_building_anything():
    model = keras.Sequential([layers.SimpleRNN(5, input_shape=(4, 1)), layers.Dense(1)])
    outline = outline_from_json(model.to_json(), name="m")
    assert [layer.kind for layer in outline.layers] == ["SimpleRNN", "Dense"]
    assert outline.input_shapes == [[None, 4, 1]]
    assert outline_from_json("[]", name="m") is None


def _layers(*specs):
    return [LayerCard(f"l{i}", kind, dict(config)) for i, (kind, config) in enumerate(specs)]


def test_alignment_pairs_a_wrong_setting_and_marks_insertions_and_deletions():
    ref = _layers(("Conv2D", {"strides": [4, 4]}), ("BatchNormalization", {}), ("MaxPooling2D", {}))
    stu = _layers(("Conv2D", {"strides": [2, 2]}), ("MaxPooling2D", {}), ("Dropout", {"rate": 0.5}))
    assert align(ref, stu) == [(0, 0), (1, None), (2, 1), (None, 2)]


def test_similarity_prefers_the_model_like_the_reference():
    ref = ModelCard("r", _layers(("SimpleRNN", {"units": 5}), ("Dense", {"units": 1})), input_shapes=[[None, 4, 1]])
    same = ModelCard("a", _layers(("SimpleRNN", {"units": 5}), ("Dense", {"units": 1})), input_shapes=[[None, 4, 1]])
    lstm = ModelCard("b", _layers(("LSTM", {"units": 5}), ("Dense", {"units": 1})), input_shapes=[[None, 4, 1]])
    other = ModelCard("c", _layers(("Conv2D", {}),), input_shapes=[[None, 8, 8, 1]])
    assert similarity(ref, same) == pytest.approx(1.0)
    assert similarity(ref, same) > similarity(ref, lstm) > similarity(ref, other)


def test_an_activation_that_cannot_be_folded_is_one_kind_however_it_is_written():
    def block(activation):
        inputs = keras.Input((8, 8, 4))
        x = layers.Add()([inputs, layers.Conv2D(4, 1)(inputs)])
        return keras.Model(inputs, activation(x))

    written = [canonical(card_from_json(block(a).to_json(), name="m")).layers[-1]
               for a in (layers.ReLU(), layers.Activation("relu"))]
    assert [(layer.kind, layer.config) for layer in written] == [("Activation", {"activation": "relu"})] * 2
