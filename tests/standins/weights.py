"""Stand-in pre-trained weights: files of the right name and layout, filled with made-up values.

Student code asks for ``keras.applications.MobileNet(..., weights='imagenet')``; tests cannot
download the real file (no network), and must not need it. What Keras 3 does there
(``keras/src/applications/mobilenet.py``, Keras 3.15):

* For ``weights='imagenet'`` with an input that is not square or whose side is not one of
  128, 160, 192, 224 (a 32x32 CIFAR input, say), it warns and loads the **224** file.
* The file is ``mobilenet_<a>_<rows>_tf_no_top.h5`` without the classifier, or
  ``mobilenet_<a>_<rows>_tf.h5`` with it, where ``<a>`` is ``1_0``, ``7_5``, ``5_0`` or ``2_5``
  for alpha 1.0, 0.75, 0.5, 0.25. It is fetched with ``keras.utils.get_file(name, url,
  cache_subdir="models")`` **without** a ``file_hash``, so a file already at
  ``$KERAS_HOME/models/<name>`` (default ``~/.keras/models/``) is used as it is: no download
  and no checksum. (``KERAS_HOME`` is read when Keras is imported.)
* It is read with ``model.load_weights(path)``: a legacy Keras HDF5 weights file, loaded by
  topology: the root attribute ``layer_names`` lists the layers in order; each layer's group
  has an attribute ``weight_names``, the paths of its arrays inside the group; layers without
  weights are skipped, and the rest must pair one-to-one, in order, with the model's layers
  that have weights, each giving its trainable weights then its non-trainable ones (for
  BatchNormalization: gamma, beta, moving mean, moving variance).

:func:`write_mobilenet` writes such a file. The arrays are named as Keras 2 named them
(``conv1/kernel:0``, ``conv_dw_1/depthwise_kernel:0``, ``conv1_bn/gamma:0``): the loader uses
the names only to find the arrays. Values come from a seeded generator: kernels are small
normals, BatchNormalization's moving variance is positive, so a forward pass gives finite
numbers. Nothing here imports Keras or TensorFlow: writing the file takes milliseconds.

Example (the loading itself is what ``tests/test_standin_weights.py`` proves)::

    >>> path = write_mobilenet(tmp_path / "keras-home")            # doctest: +SKIP
    >>> path.name                                                   # doctest: +SKIP
    'mobilenet_1_0_224_tf_no_top.h5'
    # then, in a process started with KERAS_HOME=tmp_path/"keras-home":
    # keras.applications.MobileNet(input_shape=(32, 32, 3), weights='imagenet', include_top=False)
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np

ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
ROWS = (128, 160, 192, 224)
CLASSES = 1000
# (pointwise filters before alpha, strides of the depthwise convolution) for blocks 1..13.
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
          (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


def mobilenet_filename(alpha: float = 1.0, rows: int = 224, include_top: bool = False) -> str:
    """The file name Keras looks for, e.g. ``mobilenet_1_0_224_tf_no_top.h5``.

    ``rows`` is the side Keras settles on: 224 unless the input is square with a side of
    128, 160, 192 or 224.
    """
    if alpha not in ALPHA_TEXT:
        raise ValueError(f"alpha must be one of {sorted(ALPHA_TEXT)} (Keras has weights only for those), got {alpha}")
    if rows not in ROWS:
        raise ValueError(f"rows must be one of {ROWS}, got {rows}")
    suffix = "tf.h5" if include_top else "tf_no_top.h5"
    return f"mobilenet_{ALPHA_TEXT[alpha]}_{rows}_{suffix}"


def mobilenet_layers(alpha: float = 1.0, include_top: bool = False, classes: int = CLASSES):
    """MobileNet's layers in order, as ``(name, [(weight_name, shape), ...])`` (empty for no weights).

    Mirrors ``keras.applications.MobileNet``'s graph (depth multiplier 1): ``conv1`` and its
    BatchNormalization, then 13 blocks of depthwise 3x3 + BN + ReLU and pointwise 1x1 + BN +
    ReLU (the strided blocks start with a ZeroPadding2D), and with the top a 1x1 ``conv_preds``
    convolution with bias. 3,228,864 parameters without the top at alpha 1.0.
    """
    def bn(name, channels):
        return (name, [(f"{name}/{w}:0", (channels,)) for w in ("gamma", "beta", "moving_mean", "moving_variance")])

    first = int(32 * alpha)
    layers = [("conv1", [("conv1/kernel:0", (3, 3, 3, first))]), bn("conv1_bn", first), ("conv1_relu", [])]
    channels = first
    for block, (filters, strides) in enumerate(BLOCKS, start=1):
        out = int(filters * alpha)
        if strides == 2:
            layers.append((f"conv_pad_{block}", []))
        layers.append((f"conv_dw_{block}", [(f"conv_dw_{block}/depthwise_kernel:0", (3, 3, channels, 1))]))
        layers.append(bn(f"conv_dw_{block}_bn", channels))
        layers.append((f"conv_dw_{block}_relu", []))
        layers.append((f"conv_pw_{block}", [(f"conv_pw_{block}/kernel:0", (1, 1, channels, out))]))
        layers.append(bn(f"conv_pw_{block}_bn", out))
        layers.append((f"conv_pw_{block}_relu", []))
        channels = out
    if include_top:
        layers += [("global_average_pooling2d", []), ("dropout", []),
                   ("conv_preds", [("conv_preds/kernel:0", (1, 1, channels, classes)),
                                   ("conv_preds/bias:0", (classes,))]),
                   ("reshape_2", []), ("predictions", [])]
    return layers


def _values(name: str, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    if name.endswith("moving_variance:0"):
        return (1.0 + 0.1 * rng.random(shape)).astype("float32")
    if name.endswith("gamma:0"):
        return (1.0 + 0.05 * rng.standard_normal(shape)).astype("float32")
    if name.endswith(("beta:0", "moving_mean:0", "bias:0")):
        return (0.01 * rng.standard_normal(shape)).astype("float32")
    fan_in = int(np.prod(shape[:-1])) if name.endswith("/kernel:0") else int(np.prod(shape[:2]))
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype("float32")


def write_mobilenet(keras_home, *, alpha: float = 1.0, rows: int = 224, include_top: bool = False,
                    seed: int = 0) -> Path:
    """Write a stand-in ``MobileNet(weights='imagenet')`` file under ``keras_home/models/``; return its path.

    Same ``seed``, same bytes of weights (deterministic). Overwrites a file already there.
    """
    path = Path(keras_home) / "models" / mobilenet_filename(alpha, rows, include_top)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    layers = mobilenet_layers(alpha, include_top)
    with h5py.File(path, "w") as f:
        # Keras also reads optional `keras_version` and `backend` attributes, and uses neither.
        f.attrs["layer_names"] = [name.encode("utf8") for name, _ in layers]
        for name, weights in layers:
            group = f.create_group(name)
            group.attrs["weight_names"] = [w.encode("utf8") for w, _ in weights]
            for weight_name, shape in weights:
                group.create_dataset(weight_name, data=_values(weight_name, shape, rng))
    return path


def expected_values(name: str, *, alpha: float = 1.0, include_top: bool = False, seed: int = 0) -> list:
    """The arrays :func:`write_mobilenet` writes for layer ``name``, in file order (for tests)."""
    rng = np.random.default_rng(seed)
    for layer, weights in mobilenet_layers(alpha, include_top):
        values = [_values(w, shape, rng) for w, shape in weights]
        if layer == name:
            return values
    raise KeyError(name)
