"""The slides' own worked example (not an exercise): Dense 4 -> 50 -> 12 -> 3, 901 parameters.

The slides build it twice, with ``Sequential`` + ``add`` (``Dense(50, input_dim=4, ...)``) and
with the functional API, and print ``summary()``: Total params: 901. Kept so that ``grader
validate`` can show the figure next to the slide's; no activity of the rubric grades it.
"""

import keras
from keras import layers


def dense_example():
    inputs = keras.Input(shape=(4,), name="input1")
    hidden1 = layers.Dense(50, activation="relu", name="hidden1")(inputs)
    hidden2 = layers.Dense(12, activation="relu", name="hidden2")(hidden1)
    outputs = layers.Dense(3, activation="softmax", name="output")(hidden2)
    return keras.Model(inputs=inputs, outputs=outputs, name="model")
