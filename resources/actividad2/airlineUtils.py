"""Helpers for the airline-passengers RNN activities (Actividad Práctica 2).

Example:
    trainX, trainY, testX, testY, scaler = readAirlineData(history=4)
    model.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)
    displayResult(model, trainX, trainY, testX, testY, scaler, history=4)
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

DATA_FILE = "international-airline-passengers.csv"
TRAIN_MONTHS = 96  # January 1949 to December 1956


class MinMaxScaler:
    """Maps values linearly from [low, high] to [0, 1] and back."""

    def __init__(self, low, high):
        self.low, self.high = float(low), float(high)

    def transform(self, values):
        return (np.asarray(values, dtype="float32") - self.low) / (self.high - self.low)

    def inverse_transform(self, values):
        """Scaled values (any shape) back to thousands of passengers."""
        return np.asarray(values, dtype="float32") * (self.high - self.low) + self.low


def loadSeries(path=DATA_FILE):
    """The 144 monthly totals (thousands of passengers) as a float32 array."""
    table = pd.read_csv(path, usecols=[1])
    values = pd.to_numeric(table.iloc[:, 0], errors="coerce").dropna()  # drops the footer line
    return values.to_numpy(dtype="float32")


def makeWindows(series, history):
    """Windows of ``history`` consecutive values -> the value that follows.

    Returns X shaped (samples, history, 1) and Y shaped (samples,).
    """
    X = np.array([series[i:i + history] for i in range(len(series) - history)])
    return X.reshape(-1, history, 1), series[history:].copy()


def readAirlineData(history=4, path=DATA_FILE):
    """Load, scale to [0, 1] and window the data set.

    Training targets are the months of 1949-1956 (after the first ``history`` months);
    test targets are every month of 1957-1960, each predicted from the ``history``
    months before it. Returns ``trainX, trainY, testX, testY, scaler``.
    """
    series = loadSeries(path)
    scaler = MinMaxScaler(series.min(), series.max())
    scaled = scaler.transform(series)
    trainX, trainY = makeWindows(scaled[:TRAIN_MONTHS], history)
    testX, testY = makeWindows(scaled[TRAIN_MONTHS - history:], history)
    return trainX, trainY, testX, testY, scaler


def rmse(predicted, expected):
    """Root mean squared error between two arrays of any shape."""
    return float(np.sqrt(np.mean((np.ravel(predicted) - np.ravel(expected)) ** 2)))


def displayResult(model, trainX, trainY, testX, testY, scaler, history=4):
    """Print train/test RMSE in thousands of passengers and plot the predictions.

    Blue: original data; green: predictions on the training months; red: predictions
    on the test months. ``history`` must be the value given to ``readAirlineData``.
    Returns ``(trainScore, testScore)``.
    """
    trainPredict = scaler.inverse_transform(model.predict(trainX, verbose=0)).ravel()
    testPredict = scaler.inverse_transform(model.predict(testX, verbose=0)).ravel()
    trainTrue = scaler.inverse_transform(trainY).ravel()
    testTrue = scaler.inverse_transform(testY).ravel()
    trainScore, testScore = rmse(trainPredict, trainTrue), rmse(testPredict, testTrue)
    print("Train Score: %.2f RMSE" % trainScore)
    print("Test Score: %.2f RMSE" % testScore)

    firstMonths = scaler.inverse_transform(trainX[0]).ravel()  # not a target of any window
    original = np.concatenate([firstMonths, trainTrue, testTrue])
    months = np.arange(len(original))
    trainEnd = history + len(trainPredict)
    plt.figure(figsize=(10, 5))
    plt.plot(months, original, color="blue", label="Datos originales")
    plt.plot(months[history:trainEnd], trainPredict, color="green", label="Predicción entrenamiento")
    plt.plot(months[trainEnd:], testPredict, color="red", label="Predicción test")
    plt.xlabel("Mes (desde enero 1949)")
    plt.ylabel("Miles de pasajeros")
    plt.legend()
    plt.show()
    return trainScore, testScore
