"""The course packs' references reproduce the handouts' figures (issue 14; keras-facts C, D, F).

Each reference function is built as the grader builds it (called with no arguments) and its
totals are compared with the figures the handout prints, or with keras-facts where the handout
prints none. A drifting reference fails here before any student is graded against it.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (course, file, function): (total, trainable, non_trainable, input shape, output shape)
FIGURES = {
    ("balseiro_p2", "regresion", "boston_linear"): (14, 14, 0, (13,), (1,)),
    ("balseiro_p2", "cifar_densa", "cifar_dense_mse"): (308_310, 308_310, 0, (3072,), (10,)),
    ("balseiro_p2", "cifar_densa", "cifar_dense_cce"): (308_310, 308_310, 0, (3072,), (10,)),
    ("balseiro_p2", "xor", "xor_221"): (9, 9, 0, (2,), (1,)),
    ("balseiro_p2", "xor", "xor_211_skip"): (7, 7, 0, (2,), (1,)),
    ("balseiro_p2", "imdb", "imdb_dense"): (1_003_561, 1_003_361, 200, (10_000,), (1,)),        # report
    ("balseiro_p2", "imdb", "imdb_conv"): (599_277, 599_277, 0, (400,), (1,)),                  # report
    ("balseiro_p2", "mapeo_logistico", "logistic_map"): (17, 17, 0, (1,), (1,)),
    ("balseiro_p2", "pima", "pima_fold"): (101, 101, 0, (8,), (1,)),
    ("balseiro_p2", "autoencoder", "mnist_denoising_autoencoder"): (28_353, 28_353, 0, (28, 28, 1), (28, 28, 1)),
    ("balseiro_p2", "mnist", "mnist_dense"): (79_510, 79_510, 0, (784,), (10,)),                # report
    ("balseiro_p2", "mnist", "mnist_conv"): (6_000, 6_000, 0, (28, 28, 1), (10,)),               # report
    ("balseiro_p2", "mnist", "mnist_conv_permuted"): (6_000, 6_000, 0, (28, 28, 1), (10,)),
    ("balseiro_p2", "mnist", "mnist_dense_permuted"): (79_510, 79_510, 0, (784,), (10,)),
    ("balseiro_p2", "cifar_conv", "vgg_like_cifar100"): (6_151_892, 6_151_892, 0, (32, 32, 3), (100,)),      # report
    ("balseiro_p2", "cifar_conv", "alexnet_like_cifar100"): (4_334_824, 4_333_288, 1_536, (32, 32, 3), (100,)),  # report
    ("balseiro_p2", "cifar_conv", "vgg_like_cifar10"): (6_061_802, 6_061_802, 0, (32, 32, 3), (10,)),
    ("balseiro_p2", "cifar_conv", "alexnet_like_cifar10"): (4_289_734, 4_288_198, 1_536, (32, 32, 3), (10,)),
    ("ugr_p3", "mnist_cnn", "mnist_cnn"): (58_796, 58_796, 0, (28, 28, 1), (10,)),                # keras-facts D1
    ("ugr_p3", "autoencoder", "fashion_denoising_autoencoder"): (4_385, 4_385, 0, (28, 28, 1), (28, 28, 1)),  # F2
    ("ugr_p3", "ejemplos", "dense_example"): (901, 901, 0, (4,), (3,)),                          # slides
}

# Intermediate shapes the handouts print, by reference layer name.
SHAPES = {
    ("balseiro_p2", "imdb", "imdb_conv"): {"conv": (400, 16), "pool": (200, 16), "flatten": (3200,)},
    ("balseiro_p2", "autoencoder", "mnist_denoising_autoencoder"): {"codigo": (7, 7, 32)},
    ("balseiro_p2", "mnist", "mnist_conv"): {"conv1": (24, 24, 30), "pool1": (12, 12, 30), "conv2": (10, 10, 10),
                                             "flatten": (250,)},
    ("balseiro_p2", "cifar_conv", "alexnet_like_cifar100"): {"conv1": (16, 16, 96), "pool3": (2, 2, 192),
                                                             "flatten": (768,)},
    ("balseiro_p2", "cifar_conv", "vgg_like_cifar100"): {"pool5": (1, 1, 512), "flatten": (512,)},
    ("ugr_p3", "mnist_cnn", "mnist_cnn"): {"conv1": (28, 28, 32), "pool1": (14, 14, 32), "conv2": (10, 10, 16),
                                           "pool2": (5, 5, 16), "flatten": (400,)},
}


def _build(course, module, function):
    path = ROOT / "reference" / course / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"ref_{course}_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return getattr(loaded, function)()


@pytest.mark.parametrize("key", sorted(FIGURES), ids=lambda k: f"{k[0]}:{k[2]}")
def test_reference_reproduces_the_handout_figures(key):
    total, trainable, non_trainable, input_shape, output_shape = FIGURES[key]
    model = _build(*key)
    counted = (model.count_params(),
               sum(int(_size(w)) for w in model.trainable_weights),
               sum(int(_size(w)) for w in model.non_trainable_weights))
    assert counted == (total, trainable, non_trainable)
    assert tuple(model.input_shape[1:]) == input_shape
    assert tuple(model.output_shape[1:]) == output_shape
    for layer_name, shape in SHAPES.get(key, {}).items():
        assert tuple(model.get_layer(layer_name).output.shape[1:]) == shape, layer_name


def _size(weight):
    size = 1
    for dim in weight.shape:
        size *= int(dim)
    return size


def test_references_are_compiled_as_the_handouts_say():
    import keras

    cce = _build("balseiro_p2", "cifar_densa", "cifar_dense_cce")
    assert isinstance(cce.loss, keras.losses.CategoricalCrossentropy) and cce.loss.get_config()["from_logits"]
    assert float(cce.optimizer.learning_rate) == pytest.approx(0.003)
    for layer in ("oculta", "salida"):
        regularizer = cce.get_layer(layer).kernel_regularizer
        assert isinstance(regularizer, keras.regularizers.L2) and regularizer.l2 == pytest.approx(1e-4)
    xor = _build("balseiro_p2", "xor", "xor_221")
    assert float(xor.optimizer.learning_rate) == pytest.approx(0.1)
    assert [m["class_name"] for m in xor.get_compile_config()["metrics"]] == ["BinaryAccuracy"]
