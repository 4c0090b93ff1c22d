"""Reference models of clase 9's Batch Normalization and Dropout slides, and the ensemble member.

``dropout_cifar`` is the slides' Dropout example exactly (its printed summary: 1,853,770
parameters): ``Conv2D(32,(3,3),input_shape=(32,32,3),...)``, Flatten, Dense 64, Dropout(1-0.7),
Dense 128, Dropout(1-0.5), Dense(classes, softmax). The slides elide the Conv2D's other
arguments (``...``); the summary's (None, 30, 30, 32) and 896 parameters fix ``padding="valid"``;
``activation="relu"`` is assumed.

``batchnorm_cifar`` is the slides' Batch Normalization example, whose sizes the slides leave
as names (``conv_filters``, ``dense_filters``): assumed 32 and 128, 3x3 kernel, 32x32x3 input.
``batchnorm_antes_relu`` is the slides' alternative (BatchNormalization before the ReLU).

The ensemble (``model = ... # definir modelo`` in the slides) reuses ``dropout_cifar`` as its
member, compiled as the slides compile their CIFAR models (Adam, categorical cross-entropy,
accuracy); the slides leave both the member and ``n_models`` open (assumed: 3, see NOTES).
"""

import keras
from keras import layers

INPUT_SHAPE = (32, 32, 3)
CLASSES = 10
CONV_FILTERS, DENSE_FILTERS = 32, 128
N_MODELS = 3


def dropout_cifar():
    model = keras.Sequential([
        keras.Input(shape=INPUT_SHAPE, name="imagen"),
        layers.Conv2D(32, (3, 3), activation="relu", name="conv"),
        layers.Flatten(name="flatten"),
        layers.Dense(64, activation="relu", name="fc1"),
        layers.Dropout(1 - 0.7, name="drop1"),  # recibe 1-p
        layers.Dense(128, activation="relu", name="fc2"),
        layers.Dropout(1 - 0.5, name="drop2"),
        layers.Dense(CLASSES, activation="softmax", name="predictions"),
    ], name="dropout_cifar")
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def miembro_ensemble():
    """One member of the ensemble: ``dropout_cifar`` (each of the ``n_models`` is this model)."""
    return dropout_cifar()


def batchnorm_cifar():
    model = keras.Sequential([
        keras.Input(shape=INPUT_SHAPE, name="imagen"),
        layers.Conv2D(CONV_FILTERS, (3, 3), activation="relu", name="conv"),
        layers.BatchNormalization(name="bn1"),
        layers.Flatten(name="flatten"),
        layers.Dense(DENSE_FILTERS, activation="relu", name="fc1"),
        layers.BatchNormalization(name="bn2"),
        layers.Dense(CLASSES, activation="softmax", name="predictions"),
    ], name="batchnorm_cifar")
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def batchnorm_antes_relu():
    """The slides' alternative: Dense without activation, BatchNormalization, then ReLU."""
    model = keras.Sequential([
        keras.Input(shape=INPUT_SHAPE, name="imagen"),
        layers.Conv2D(CONV_FILTERS, (3, 3), activation="relu", name="conv"),
        layers.BatchNormalization(name="bn1"),
        layers.Flatten(name="flatten"),
        layers.Dense(DENSE_FILTERS, activation=None, name="fc1"),
        layers.BatchNormalization(name="bn2"),
        layers.Activation("relu", name="relu2"),  # ReLU "desactiva". BN no la deja
        layers.Dense(CLASSES, activation="softmax", name="predictions"),
    ], name="batchnorm_antes_relu")
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
