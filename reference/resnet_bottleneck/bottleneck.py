"""Reference solution for the worked example in docs/rubric.md: a ResNet bottleneck block.

Every layer a rubric check refers to has a name (``conv1``, ``bn2``, ``add``, ...). The
grader runs these functions, describes the models they return, and derives every expected
shape and parameter count from them: nothing here is copied into the rubric.
"""

import keras
from keras import layers

INPUT_SHAPE = (56, 56, 256)


def _bottleneck(x):
    """1x1 conv 64 -> 3x3 conv 64 -> 1x1 conv 256, each with BatchNorm; identity shortcut."""
    shortcut = x
    x = layers.Conv2D(64, 1, name="conv1")(x)
    x = layers.BatchNormalization(name="bn1")(x)
    x = layers.Activation("relu", name="relu1")(x)
    x = layers.Conv2D(64, 3, padding="same", name="conv2")(x)
    x = layers.BatchNormalization(name="bn2")(x)
    x = layers.Activation("relu", name="relu2")(x)
    x = layers.Conv2D(256, 1, name="conv3")(x)
    x = layers.BatchNormalization(name="bn3")(x)
    x = layers.Add(name="add")([x, shortcut])
    return layers.Activation("relu", name="out")(x)


def bottleneck_block():
    """Activity 1: the block alone, 56x56x256 in and out."""
    inputs = keras.Input(shape=INPUT_SHAPE, name="features")
    return keras.Model(inputs, _bottleneck(inputs), name="bottleneck_block")


def block_classifier():
    """Activity 2: the block, global average pooling and a 10-class softmax, compiled."""
    inputs = keras.Input(shape=INPUT_SHAPE, name="features")
    x = _bottleneck(inputs)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs, outputs, name="block_classifier")
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model
