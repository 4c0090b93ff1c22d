"""Ejercicio 1: linear regression on Boston housing (13 standardised features -> price).

The report: one layer, linear activation, with bias, MSE loss, SGD with learning rate 0.001.
Data: ``keras.datasets.boston_housing.load_data()`` (the report says the data come "from scikit";
``sklearn.datasets.load_boston`` was removed in scikit-learn 1.2, see NOTES-packs14.md).
"""

import keras
from keras import layers

N_FEATURES = 13


def boston_linear():
    """14 parameters: 13 weights and one bias."""
    model = keras.Sequential(
        [keras.Input(shape=(N_FEATURES,), name="caracteristicas"),
         layers.Dense(1, activation="linear", use_bias=True, name="regresion")],
        name="boston_lineal",
    )
    # Assumed where the report is silent: MAE as the metric (the issue asks for MSE/MAE).
    model.compile(loss=keras.losses.MeanSquaredError(),
                  optimizer=keras.optimizers.SGD(learning_rate=0.001),
                  metrics=[keras.metrics.MeanAbsoluteError()])
    return model
