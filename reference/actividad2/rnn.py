"""Reference recurrent models for Actividad 2 (activities 8-11): airline passengers.

The base model reads the previous ``history`` months (one feature each) and predicts the next.
"""

import keras
from keras import layers

HISTORY = 4


def simple_rnn(units=5):
    """Activity 8: the recurrent layer alone (35 parameters with 5 units, 24 with 4)."""
    return keras.Sequential(
        [keras.Input(shape=(HISTORY, 1)), layers.SimpleRNN(units, return_sequences=False, name="rnn")],
        name="simple_rnn",
    )


def simple_rnn_4_units():
    return simple_rnn(units=4)


def _compiled(model):
    model.compile(loss="mean_squared_error", optimizer="adam")
    return model


def rnn_dense():
    """Activity 10: SimpleRNN(5) + Dense(1), the base prediction model (41 parameters)."""
    return _compiled(keras.Sequential(
        [keras.Input(shape=(HISTORY, 1)), layers.SimpleRNN(5, name="rnn"), layers.Dense(1, name="output")],
        name="rnn_dense",
    ))


def lstm_dense():
    """Activity 11: the same model with an LSTM (146 parameters)."""
    return _compiled(keras.Sequential(
        [keras.Input(shape=(HISTORY, 1)), layers.LSTM(5, name="rnn"), layers.Dense(1, name="output")],
        name="lstm_dense",
    ))
