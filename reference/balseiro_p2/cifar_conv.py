"""Ejercicio 10: VGG16-like and AlexNet-like networks for CIFAR-10 and CIFAR-100 (32x32x3).

The report's tables are for CIFAR-100 (100 outputs). Kernel sizes, strides and paddings are not
printed; they are the only settings that reproduce every listed output shape and parameter count
(keras-facts C5/C6): VGG-like, all convolutions 3x3 stride 1 'same', MaxPooling2D(2);
AlexNet-like, 11x11 stride 2 'same', 5x5 'same', 3x3 'same', 3x3 'same', MaxPooling2D(2).
Convolution activations are not printed (ReLU assumed). Dense layers as listed: VGG-like
Dense(1000, relu, L2 0.001) x2 and a linear output with L2 0.001; AlexNet-like BatchNormalization
after Flatten, Dense(2048, relu), Dense(500, relu), Dropout(0.4), linear output.
Both: Adam with learning rate 0.001, categorical cross-entropy, CategoricalAccuracy. With a
linear output the loss must be computed from logits (``from_logits=True``, as in 2-4).
"""

import keras
from keras import layers, regularizers

INPUT_SHAPE = (32, 32, 3)
L2 = 0.001


def _compiled(model):
    model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.Adam(learning_rate=0.001),
                  metrics=[keras.metrics.CategoricalAccuracy()])
    return model


def _vgg_like(classes, name):
    def conv(filters, n):
        return layers.Conv2D(filters, (3, 3), padding="same", activation="relu", name=f"conv{n}")

    def pool(n):
        return layers.MaxPooling2D((2, 2), name=f"pool{n}")

    def dense(units, activation, n):
        return layers.Dense(units, activation=activation, kernel_regularizer=regularizers.L2(L2), name=n)

    return _compiled(keras.Sequential(
        [keras.Input(shape=INPUT_SHAPE, name="imagen"),
         conv(64, 1), conv(64, 2), pool(1),
         conv(128, 3), pool(2),
         conv(256, 4), conv(256, 5), pool(3),
         conv(512, 6), pool(4),
         conv(512, 7), pool(5),
         layers.Flatten(name="flatten"),
         dense(1000, "relu", "fc1"), dense(1000, "relu", "fc2"), dense(classes, "linear", "salida")],
        name=name,
    ))


def _alexnet_like(classes, name):
    return _compiled(keras.Sequential(
        [keras.Input(shape=INPUT_SHAPE, name="imagen"),
         layers.Conv2D(96, (11, 11), strides=(2, 2), padding="same", activation="relu", name="conv1"),
         layers.MaxPooling2D((2, 2), name="pool1"),
         layers.Conv2D(256, (5, 5), padding="same", activation="relu", name="conv2"),
         layers.MaxPooling2D((2, 2), name="pool2"),
         layers.Conv2D(256, (3, 3), padding="same", activation="relu", name="conv3"),
         layers.Conv2D(192, (3, 3), padding="same", activation="relu", name="conv4"),
         layers.MaxPooling2D((2, 2), name="pool3"),
         layers.Flatten(name="flatten"),
         layers.BatchNormalization(name="bn"),
         layers.Dense(2048, activation="relu", name="fc1"),
         layers.Dense(500, activation="relu", name="fc2"),
         layers.Dropout(0.4, name="dropout"),
         layers.Dense(classes, activation="linear", name="salida")],
        name=name,
    ))


def vgg_like_cifar100():
    """6,151,892 parameters (the report's table)."""
    return _vgg_like(100, "vgg_cifar100")


def vgg_like_cifar10():
    return _vgg_like(10, "vgg_cifar10")


def alexnet_like_cifar100():
    """4,334,824 parameters, 1,536 of them non-trainable (the report's table)."""
    return _alexnet_like(100, "alexnet_cifar100")


def alexnet_like_cifar10():
    return _alexnet_like(10, "alexnet_cifar10")
