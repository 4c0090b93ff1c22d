"""The aligned model diff: each mistake once, its downstream effect summarized, graph models included."""

from __future__ import annotations

import keras
from keras import layers

from grader.frameworks.keras.canonical import canonical
from grader.frameworks.keras.rebuild import card_from_model
from grader.checks.align import align
from grader.checks.diff import findings, pair_diffs
from grader.frameworks import framework
from grader.i18n import render


KERAS = framework("keras")


def _card(model):
    return canonical(card_from_model(model, name=model.name))


def _diff(reference, student):
    ref, stu = _card(reference), _card(student)
    pairs = align(ref.layers, stu.layers, KERAS.families)
    return ref, stu, pairs, findings(ref, stu, pairs, KERAS)


def _block(stride=1, projection=False, name="ref"):
    inputs = keras.Input((16, 16, 32))
    x = layers.Conv2D(8, 1, name=f"{name}_c1")(inputs)
    x = layers.BatchNormalization(name=f"{name}_bn1")(x)
    x = layers.Activation("relu", name=f"{name}_r1")(x)
    x = layers.Conv2D(8, 3, strides=stride, padding="same", name=f"{name}_c2")(x)
    x = layers.BatchNormalization(name=f"{name}_bn2")(x)
    x = layers.Conv2D(32, 1, name=f"{name}_c3")(x)
    shortcut = layers.Conv2D(32, 1, strides=stride, name=f"{name}_proj")(inputs) if projection else inputs
    x = layers.Add(name=f"{name}_add")([x, shortcut])
    return keras.Model(inputs, layers.Activation("relu", name=f"{name}_out")(x), name=name)


def test_a_wrong_stride_in_a_residual_block_is_reported_once_with_its_consequences():
    ref, stu, pairs, found = _diff(_block(), _block(stride=2, projection=True, name="stu"))
    messages = [render(f["message"], "en") for f in found]
    causes = [f for f in found if "consequence" not in f["attributes"]]
    assert [(f["layer"], f["attributes"]) for f in causes] == [
        ("stu_c2", ["strides", "output_shape"]), ("stu_proj", ["extra"])]
    assert messages[0] == "Your layer `stu_c2` (Conv2D, matching `ref_c2`) has strides (2, 2) instead of (1, 1)."
    assert causes[0]["fix"] == "Conv2D(8, (3, 3), padding='same')"
    # Every later shape differs because of the stride: one summary sentence, not one per layer.
    summary = [m for m in messages if m.startswith("Because of this")]
    assert len(summary) == 1 and "`stu_c2` outputs (None, 8, 8, 8) instead of (None, 16, 16, 8)" in summary[0]
    assert "Por eso" in render(next(f["message"] for f in found if "consequence" in f["attributes"]), "es")


def test_the_same_model_written_differently_has_no_findings():
    inputs = keras.Input((16, 16, 32))
    x = layers.Conv2D(8, (1, 1), activation="relu")(inputs)  # Activation folded into the conv
    x = layers.BatchNormalization()(x)
    reference = keras.Model(inputs, x)
    student = keras.Sequential([keras.Input((16, 16, 32)), layers.Conv2D(8, 1), layers.ReLU(),
                                layers.BatchNormalization()])
    assert _diff(reference, student)[3] == []


def test_graph_models_with_two_inputs_and_two_outputs_are_aligned():
    def model(units, name):
        a, b = keras.Input((4,), name=f"{name}_a"), keras.Input((6,), name=f"{name}_b")
        x = layers.Concatenate(name=f"{name}_cat")([layers.Dense(units, name=f"{name}_da")(a),
                                                   layers.Dense(3, name=f"{name}_db")(b)])
        return keras.Model([a, b], [layers.Dense(1, name=f"{name}_o1")(x), layers.Dense(2, name=f"{name}_o2")(x)])

    ref, stu, pairs, found = _diff(model(5, "r"), model(7, "s"))
    assert len(ref.input_shapes) == 2 and len(ref.output_shapes) == 2
    diffs = {d.stu.name: d for d in pair_diffs(ref, stu, pairs) if d.stu is not None and d.ref is not None}
    assert set(diffs) == {"s_da", "s_db", "s_cat", "s_o1", "s_o2"}  # every layer paired with its counterpart
    assert diffs["s_da"].settings == ["units"]
    assert [f["layer"] for f in found if "consequence" not in f["attributes"]] == ["s_da"]
    assert "units 7 instead of 5" in render(found[0]["message"], "en")
