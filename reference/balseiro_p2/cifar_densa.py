"""Ejercicios 2-3 and 2-4: CIFAR-10 with a dense network, the architecture of Práctica 1.

Input 32x32x3 flattened to 3,072 values; Dense(100, sigmoid, bias, L2 1e-4); Dense(10, linear,
L2 1e-4); SGD with learning rate 0.003. Exercise 2-3 trains it with MSE, 2-4 with categorical
cross-entropy computed from the logits (``from_logits=True``).
"""

import keras
from keras import layers, regularizers

INPUT_DIM = 32 * 32 * 3
L2 = 1e-4


def _dense_net(name):
    return keras.Sequential(
        [keras.Input(shape=(INPUT_DIM,), name="imagen"),
         layers.Dense(100, activation="sigmoid", use_bias=True,
                      kernel_regularizer=regularizers.L2(L2), name="oculta"),
         layers.Dense(10, activation="linear", kernel_regularizer=regularizers.L2(L2), name="salida")],
        name=name,
    )


def cifar_dense_mse():
    """Ejercicio 2-3: MSE on one-hot labels (308,310 parameters)."""
    model = _dense_net("cifar_densa_mse")
    model.compile(loss=keras.losses.MeanSquaredError(),
                  optimizer=keras.optimizers.SGD(learning_rate=0.003),
                  metrics=[keras.metrics.CategoricalAccuracy()])
    return model


def cifar_dense_cce():
    """Ejercicio 2-4: categorical cross-entropy on the logits (the output layer is linear)."""
    model = _dense_net("cifar_densa_cce")
    model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.SGD(learning_rate=0.003),
                  metrics=[keras.metrics.CategoricalAccuracy()])
    return model
