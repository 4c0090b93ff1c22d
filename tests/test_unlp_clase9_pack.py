"""The UNLP clase 9 course pack (issue 15): references, rubric, example notebooks, and the
Keras 3 behaviour of the slides' code that the grader's diagnostics rely on.

The figures and error texts asserted here are those recorded in NOTES-unlp15.md (Keras 3.15.1).
If a Keras upgrade changes one of them, the diagnostics built on it need a look too.
"""

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "reference" / "unlp_clase9"
RUBRIC = ROOT / "rubrics" / "unlp_clase9.yaml"
NOTEBOOKS = ROOT / "submissions" / "unlp_clase9"

# reference function -> (total, trainable, non-trainable) parameters
FIGURES = {
    "resnet.py:bottleneck_block": (70_016, 70_016, 0),
    "resnet.py:residual_bottleneck_block": (70_016, 70_016, 0),
    "resnet.py:resnet": (22_650_762, 22_650_762, 0),
    "transferencia.py:mobilenet_base": (3_228_864, 0, 3_228_864),
    "transferencia.py:transferencia": (3_361_354, 132_490, 3_228_864),
    "transferencia.py:finetuning": (3_361_354, 3_339_466, 21_888),
    "transferencia.py:transferencia_anidada": (3_361_354, 132_490, 3_228_864),
    "regularizacion.py:dropout_cifar": (1_853_770, 1_853_770, 0),
    "regularizacion.py:miembro_ensemble": (1_853_770, 1_853_770, 0),
    "regularizacion.py:batchnorm_cifar": (3_689_354, 3_689_034, 320),
    "regularizacion.py:batchnorm_antes_relu": (3_689_354, 3_689_034, 320),
    "optimizacion.py:sgd_momentum": (319_370, 319_370, 0),
    "optimizacion.py:cronograma": (319_370, 319_370, 0),
    "gan.py:generadora": (114_064, 114_064, 0),
    "gan.py:discriminadora": (100_609, 100_609, 0),
    "gan.py:gan": (214_673, 114_064, 100_609),
    "autoencoders.py:ae_slides": (101_200, 101_200, 0),
    "autoencoders.py:ae_denso_encoder": (111_913, 111_913, 0),
    "autoencoders.py:ae_denso_decoder": (112_688, 112_688, 0),
    "autoencoders.py:ae_denso": (224_601, 224_601, 0),
    "autoencoders.py:ae_conv_encoder": (1_904, 1_904, 0),
    "autoencoders.py:ae_conv_decoder": (2_481, 2_481, 0),
    "autoencoders.py:ae_conv": (4_385, 4_385, 0),
}

def _counts(model):
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    non_trainable = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return model.count_params(), trainable, non_trainable


def _module(path: Path, prefix: str):
    """Import a file under a private name (the pack's generic names, such as ``gan``, stay free)."""
    spec = importlib.util.spec_from_file_location(f"{prefix}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reference():
    modules = {}

    def build(entry):
        file, function = entry.split(":")
        if file not in modules:
            modules[file] = _module(PACK / file, "unlp_clase9_reference")
        return getattr(modules[file], function)()

    return build


@pytest.mark.slow  # over 0.3 s: out of the unit tier
@pytest.mark.parametrize("entry", sorted(FIGURES))
def test_reference_parameter_counts(reference, entry):
    assert _counts(reference(entry)) == FIGURES[entry]


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_the_residual_blocks_add_the_block_input(reference):
    block = reference("resnet.py:residual_bottleneck_block")
    add = block.get_layer("r_add")
    assert sorted(t._keras_history.operation.name for t in add.input) == ["entrada", "r_expand"]
    resnet = reference("resnet.py:resnet")
    adds = [layer for layer in resnet.layers if type(layer).__name__ == "Add"]
    assert len(adds) == 16
    assert resnet.get_layer("gap").input.shape == (None, 1, 1, 1024)


@pytest.mark.sandbox
def test_the_rubric_loads_and_names_layers_its_references_have():
    from grader.expectations.reference import reference_cards
    from grader.grading.grade import check_points
    from grader.grading.rubric import load_rubric

    rubric = load_rubric(RUBRIC)
    references = reference_cards(rubric)
    check_points(rubric, references)  # raises when a check names a layer the reference lacks
    assert set(references) == set(yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))["models"])
    assert {entry: (references[model].total_params, references[model].trainable_params,
                    references[model].non_trainable_params)
            for model, entry in (("resnet", "resnet.py:resnet"), ("transferencia", "transferencia.py:transferencia"),
                                 ("gan", "gan.py:gan"))} == \
        {entry: FIGURES[entry] for entry in ("resnet.py:resnet", "transferencia.py:transferencia", "gan.py:gan")}
    assert "PROPOSED" not in RUBRIC.read_text(encoding="utf-8")


def test_the_notebooks_are_generated_valid_and_without_outputs(tmp_path):
    generator = _module(NOTEBOOKS / "_generar.py", "unlp_clase9")
    names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == sorted(generator.VARIANTS)
    for name in names:
        on_disk = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        nbformat.validate(on_disk)
        assert on_disk.nbformat == 4
        assert on_disk.metadata["grader"]["assignment"] == "unlp_clase9"
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in on_disk.cells if c.cell_type == "code")
        assert on_disk == generator.notebook(name), f"{name}.ipynb is stale: run _generar.py"


# --- the slides' code under Keras 3 -----------------------------------------------------------

def _error(call):
    with pytest.raises(Exception) as info:
        call()
    return f"{type(info.value).__name__}: {info.value}"


def _slides_blocks(padding_3x3):
    from keras.layers import Activation, Add, Conv2D

    def bottleneck(x, n_reduction, n_expansion):  # as in the slides: no (x)
        x = Conv2D(n_reduction, (1, 1), padding="same", activation="relu")
        x = Conv2D(n_reduction, (3, 3), padding="same", activation="relu")
        x = Conv2D(n_expansion, (1, 1), padding="same", activation="relu")
        return x

    def residual_bottleneck(x, n_reduction, n_expansion):
        x_mod = x
        x_mod = Conv2D(n_reduction, (1, 1), activation="relu")(x_mod)
        x_mod = Conv2D(n_reduction, (3, 3), padding=padding_3x3, activation="relu")(x_mod)
        x_mod = Conv2D(n_expansion, (1, 1), activation=None)(x_mod)
        new_x = Add()([x, x_mod])
        return Activation("relu")(new_x)

    return bottleneck, residual_bottleneck


def _slides_resnet50(residual_bottleneck, input_shape, classes):
    from keras.layers import Conv2D, Dense, GlobalAveragePooling2D, Input
    from keras.models import Model

    input = Input(shape=input_shape)
    x = Conv2D(64, (7, 7), strides=(2, 2), padding="same", activation="relu")(input)
    for i, (block_n, reduction) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512])):
        expansion = reduction * 2
        x = Conv2D(expansion, (3, 3), strides=(2, 2), padding="same", activation="relu")(x)
        for j in range(block_n):
            x = residual_bottleneck(x, reduction, expansion)
        x = GlobalAveragePooling2D(name="gap")(x)  # indented inside the loop, as in the slides
        x = Dense(classes, activation="softmax")(x)
    return Model(inputs=[input], outputs=[x])


def test_trap_a_bottleneck_returns_a_layer():
    import keras

    bottleneck, _ = _slides_blocks("same")
    inputs = keras.Input(shape=(32, 32, 256))
    returned = bottleneck(inputs, 64, 256)
    assert type(returned).__name__ == "Conv2D" and returned.filters == 256 and not returned.built
    text = _error(lambda: keras.Model(inputs=inputs, outputs=bottleneck(inputs, 64, 256)))
    assert re.fullmatch(
        r"ValueError: All `outputs` values must be KerasTensors\. Received: outputs=<Conv2D name=conv2d_\d+, "
        r"built=False> including invalid value <Conv2D name=conv2d_\d+, built=False> of type "
        r"<class 'keras\.src\.layers\.convolutional\.conv2d\.Conv2D'>", text), text
    text = _error(lambda: keras.layers.Add()([inputs, bottleneck(inputs, 64, 256)]))
    assert re.fullmatch(
        r"ValueError: Only input tensors may be passed as positional arguments\. The following argument value "
        r"should be passed as a keyword argument: <Conv2D name=conv2d_\d+, built=False> \(of type "
        r"<class 'keras\.src\.layers\.convolutional\.conv2d\.Conv2D'>\)", text), text


def test_trap_b_head_inside_the_stage_loop():
    _, residual = _slides_blocks("same")
    text = _error(lambda: _slides_resnet50(residual, (32, 32, 3), 10))
    assert re.fullmatch(r"ValueError: Input 0 with name 'None' of layer 'conv2d_\d+' is incompatible with the "
                        r"layer: expected min_ndim=4, found ndim=2\. Full shape received: \(None, 10\)", text), text


def test_the_slides_residual_block_without_same_padding():
    import keras

    _, residual = _slides_blocks("valid")
    text = _error(lambda: residual(keras.Input(shape=(32, 32, 256)), 64, 256))
    assert text == "ValueError: Inputs have incompatible shapes. Received shapes (32, 32, 256) and (30, 30, 256)"
    # In the slides' ResNet50 on CIFAR-10 this error comes first, in stage 1.
    text = _error(lambda: _slides_resnet50(residual, (32, 32, 3), 10))
    assert text == "ValueError: Inputs have incompatible shapes. Received shapes (8, 8, 128) and (6, 6, 128)"


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_nested_frozen_base_counts_and_json():
    import keras
    from keras import layers

    base_model = keras.applications.MobileNet(input_shape=(32, 32, 3), weights=None, include_top=False)
    base_model.trainable = False
    assert _counts(base_model) == (3_228_864, 0, 3_228_864)
    model = keras.Sequential([base_model, layers.GlobalAveragePooling2D(), layers.Dense(128), layers.Dense(10)])
    assert _counts(model) == (3_361_354, 132_490, 3_228_864)
    config = json.loads(model.to_json())
    entries = config["config"]["layers"]
    assert [e["class_name"] for e in entries] == ["InputLayer", "Functional", "GlobalAveragePooling2D", "Dense", "Dense"]
    nested = entries[1]["config"]
    assert nested["name"] == "mobilenet_1.00_32" and nested["trainable"] is False
    flags = {e["config"].get("trainable") for e in nested["layers"]}
    assert flags == {False, None}  # every inner layer false; the InputLayer has no flag
    # Frozen layer by layer (the slides' way), the container's own flag stays True.
    base_model = keras.applications.MobileNet(input_shape=(32, 32, 3), weights=None, include_top=False)
    for layer in base_model.layers:
        layer.trainable = False
    assert base_model.trainable is True and _counts(base_model)[1] == 0


def test_gan_json_shows_the_frozen_discriminator(reference):
    gan = reference("gan.py:gan")
    entries = json.loads(gan.to_json())["config"]["layers"]
    by_name = {e["config"]["name"]: e for e in entries}
    assert by_name["generadora"]["config"]["trainable"] is True
    assert by_name["discriminadora"]["config"]["trainable"] is False
    assert by_name["discriminadora"]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == ["generadora", 0, 0]
    inner = {e["config"].get("trainable") for e in by_name["discriminadora"]["config"]["layers"]}
    assert inner == {False, None}


def test_keras2_gan_pattern_never_trains_the_discriminator():
    """Compile D, set D.trainable = False, build the GAN, then train D without unfreezing it."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    d_in = keras.Input((4,))
    d = keras.Model(d_in, layers.Dense(1, activation="sigmoid")(layers.Dense(3)(d_in)))
    d.compile(loss="binary_crossentropy", optimizer="adam")
    g_in = keras.Input((2,))
    g = keras.Model(g_in, layers.Dense(4)(g_in))
    d.trainable = False
    z = keras.Input((2,))
    gan = keras.Model(z, d(g(z)))
    gan.compile(loss="binary_crossentropy", optimizer="adam")
    before = [w.numpy().copy() for w in d.weights]
    with pytest.warns(UserWarning, match="The model does not have any trainable weights"):
        d.train_on_batch(np.ones((8, 4)), np.ones((8, 1)))
    assert all(np.array_equal(a, b.numpy()) for a, b in zip(before, d.weights))
    # The slides' loop (unfreeze, train D, freeze, train the GAN) trains each where it should.
    d.trainable = True
    before = [w.numpy().copy() for w in d.weights]
    d.train_on_batch(np.ones((8, 4)), np.ones((8, 1)))
    # The train function was traced while D had no trainable weights: still nothing changes.
    assert all(np.array_equal(a, b.numpy()) for a, b in zip(before, d.weights))


def test_save_and_load_errors(tmp_path, monkeypatch):
    import keras

    monkeypatch.chdir(tmp_path)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mean_squared_error")
    assert _error(lambda: model.save("modelo0")) == (
        "ValueError: Invalid filepath extension for saving. Please add either a `.keras` extension for the native "
        "Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if you want to export a "
        "SavedModel for use with TFLite/TFServing/etc. Received: filepath=modelo0.")
    model.save("modelo0.h5")
    assert _error(lambda: keras.models.load_model("modelo0")) == (
        "ValueError: File format not supported: filepath=modelo0. Keras 3 only supports V3 `.keras` files, legacy "
        "H5 format files (`.h5` extension). Note that the legacy SavedModel format is not supported by "
        "`load_model()` in Keras 3. In order to reload a TensorFlow SavedModel as an inference-only layer in "
        "Keras 3, use `keras.layers.TFSMLayer(modelo0, call_endpoint='serving_default')` (note that your "
        "`call_endpoint` might have a different name).")
    assert _error(lambda: model.save_weights("pesos_de_ungranmodelo.h5")) == (
        "ValueError: The filename must end in `.weights.h5`. Received: filepath=pesos_de_ungranmodelo.h5")
    # Saving to .h5 removes the optimizer from the model's own compile config (Keras 3.15.1)...
    assert "optimizer" not in model.get_compile_config()
    model.save("modelo0.keras")
    # ...so a later .keras file comes back with Keras's default optimizer instead of Adam.
    assert type(keras.models.load_model("modelo0.keras").optimizer).__name__ == "RMSprop"
    loaded = keras.models.load_model("modelo0.h5")
    assert type(loaded.optimizer).__name__ == "Adam"
    assert [type(l).__name__ for l in loaded.layers] == ["Dense"] and loaded.count_params() == 10
    # A legacy .h5 of a model compiled with the short alias 'mse' (or 'mae') does not load back
    # compiled; load_model(..., compile=False) does.
    model.compile(optimizer="adam", loss="mse")
    model.save("alias.h5")
    assert _error(lambda: keras.models.load_model("alias.h5")) == (
        "ValueError: Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass")
    assert keras.models.load_model("alias.h5", compile=False).count_params() == 10


def test_x_plus_y_is_an_operation_not_a_layer():
    import keras

    inputs = keras.Input((8, 8, 4), name="entrada")
    y = keras.layers.Conv2D(4, 1, name="c")(inputs)
    model = keras.Model(inputs, keras.layers.Activation("relu", name="r")(inputs + y))
    assert [type(l).__name__ for l in model.layers] == ["InputLayer", "Conv2D", "Activation"]
    assert [type(o).__name__ for o in model.operations] == ["InputLayer", "Conv2D", "Add", "Activation"]
    entry = [e for e in json.loads(model.to_json())["config"]["layers"] if e["class_name"] == "Add"][0]
    assert entry["module"] == "keras.src.ops.numpy"
    assert [a["config"]["keras_history"][0] for a in entry["inbound_nodes"][0]["args"]] == ["entrada", "c"]


def test_keras_backend_has_no_int_shape():
    from keras import backend as K

    assert not hasattr(K, "int_shape")
