"""Ejercicio 2-6: XOR with the two architectures of Práctica 1, in Keras.

What the report fixes: targets 0 and 1, MSE loss, learning rate 0.1, batch size 1, the
``BinaryAccuracy`` metric, "two architectures". What it does not (see NOTES-packs14.md,
assumptions): the architectures themselves and the activations. Assumed: (1) 2-2-1 and (2) a
single hidden neuron whose output is concatenated with the two inputs before the output neuron;
tanh everywhere, as in the -1/1 implementation of Práctica 1; plain SGD. The rubric compares the
number of units and the wiring, not the activations.
"""

import keras
from keras import layers


def _compiled(model):
    model.compile(loss=keras.losses.MeanSquaredError(),
                  optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  metrics=[keras.metrics.BinaryAccuracy()])
    return model


def xor_221():
    """Architecture 1: 2 inputs, 2 hidden neurons, 1 output (9 parameters)."""
    return _compiled(keras.Sequential(
        [keras.Input(shape=(2,), name="entrada"),
         layers.Dense(2, activation="tanh", name="oculta"),
         layers.Dense(1, activation="tanh", name="salida")],
        name="xor_221",
    ))


def xor_211_skip():
    """Architecture 2: one hidden neuron; the output neuron sees it and both inputs (7 parameters)."""
    inputs = keras.Input(shape=(2,), name="entrada")
    hidden = layers.Dense(1, activation="tanh", name="oculta")(inputs)
    joined = layers.Concatenate(name="concat")([inputs, hidden])
    outputs = layers.Dense(1, activation="tanh", name="salida")(joined)
    return _compiled(keras.Model(inputs, outputs, name="xor_211"))
