"""Reference ResNet blocks and the small ResNet of UNLP "Aprendizaje Automático Profundo", clase 9.

The slides' code, written correctly for Keras 3. Two traps of the slides' own code are fixed
here (NOTES-unlp15.md records what the trapped code does under Keras 3):

* ``bottleneck`` in the slides assigns ``x = Conv2D(...)`` without calling the layer on ``x``,
  so it returns an unused ``Conv2D`` layer instead of a tensor. Here every layer is applied.
* ``ResNet50`` in the slides has ``GlobalAveragePooling2D`` and ``Dense`` indented inside the
  loop over stages. Here they come once, after the loop.

A third problem, not listed in the issue but present in the slides: ``residual_bottleneck``
uses a 3x3 convolution with the default ``padding="valid"``, so the residual branch is 2 pixels
smaller than the block's input and ``Add`` fails. Here the 3x3 convolution has
``padding="same"``, which is what "mismas dimensiones" in the slides asks for.

Assumptions where the slides are silent (see NOTES-unlp15.md): the blocks take a 32x32x256
input (the slides' reduction 64 / expansion 256, on a 32x32 feature map as in issue 15); the
network is built as ``ResNet50((32, 32, 3), 10)`` for CIFAR-10. ``expansion = reduction * 2`` is
kept as the slides' code has it, although the slides' table (from the paper) expands 4x.
"""

import keras
from keras import layers

BLOCK_INPUT = (32, 32, 256)
REDUCTION, EXPANSION = 64, 256
INPUT_SHAPE = (32, 32, 3)
CLASSES = 10
REDUCTIONS = [64, 128, 256, 512]
BLOCKS = [3, 4, 6, 3]


def _bottleneck(x, n_reduction, n_expansion, prefix="b"):
    """The slides' ``bottleneck``, with each Conv2D applied to ``x``."""
    x = layers.Conv2D(n_reduction, (1, 1), padding="same", activation="relu", name=f"{prefix}_reduce")(x)
    x = layers.Conv2D(n_reduction, (3, 3), padding="same", activation="relu", name=f"{prefix}_conv3x3")(x)
    x = layers.Conv2D(n_expansion, (1, 1), padding="same", activation="relu", name=f"{prefix}_expand")(x)
    return x


def _residual_bottleneck(x, n_reduction, n_expansion, prefix="r"):
    """The slides' ``residual_bottleneck`` with ``padding="same"`` on the 3x3 convolution."""
    x_mod = x
    x_mod = layers.Conv2D(n_reduction, (1, 1), activation="relu", name=f"{prefix}_reduce")(x_mod)
    x_mod = layers.Conv2D(n_reduction, (3, 3), padding="same", activation="relu", name=f"{prefix}_conv3x3")(x_mod)
    x_mod = layers.Conv2D(n_expansion, (1, 1), activation=None, name=f"{prefix}_expand")(x_mod)
    new_x = layers.Add(name=f"{prefix}_add")([x, x_mod])
    return layers.Activation("relu", name=f"{prefix}_relu")(new_x)  # mismas dimensiones


def bottleneck_block():
    """Bloque bottleneck solo: 1x1 64 -> 3x3 64 -> 1x1 256, sobre 32x32x256 (70,016 parameters)."""
    inputs = keras.Input(shape=BLOCK_INPUT, name="entrada")
    return keras.Model(inputs, _bottleneck(inputs, REDUCTION, EXPANSION), name="bottleneck")


def residual_bottleneck_block():
    """Bloque bottleneck residual: the same convolutions, Add with the block's input, ReLU."""
    inputs = keras.Input(shape=BLOCK_INPUT, name="entrada")
    return keras.Model(inputs, _residual_bottleneck(inputs, REDUCTION, EXPANSION), name="residual_bottleneck")


def resnet():
    """The slides' ``ResNet50(input_shape, classes)`` on CIFAR-10, pooling and classifier after the loop.

    Layer names: ``conv1``; per stage ``s`` (1-4) ``s{s}_down`` (the 3x3/2 convolution that
    halves the map and sets the channels) and blocks ``s{s}b{j}_reduce`` ... ``s{s}b{j}_relu``
    (j from 1); then ``gap`` and ``predictions``.
    """
    inputs = keras.Input(shape=INPUT_SHAPE, name="entrada")
    x = layers.Conv2D(64, (7, 7), strides=(2, 2), padding="same", activation="relu", name="conv1")(inputs)
    for i, (block_n, reduction) in enumerate(zip(BLOCKS, REDUCTIONS), start=1):
        expansion = reduction * 2
        x = layers.Conv2D(expansion, (3, 3), strides=(2, 2), padding="same", activation="relu",
                          name=f"s{i}_down")(x)
        for j in range(1, block_n + 1):
            x = _residual_bottleneck(x, reduction, expansion, prefix=f"s{i}b{j}")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(CLASSES, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=[inputs], outputs=[outputs], name="resnet_clase9")
