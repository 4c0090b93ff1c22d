"""Funciones de apoyo para las actividades 10 a 12 (pasajeros de vuelos internacionales, 1949-1960).

Uso, como en AirlinePrediction.py:

    import airlineUtils
    history = 4
    trainX, trainY, testX, testY, scaler, dataset = airlineUtils.readAirlineData(history)
    modelRNN.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)
    trainPredict = modelRNN.predict(trainX)
    testPredict = modelRNN.predict(testX)
    airlineUtils.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)

El archivo international-airline-passengers.csv debe estar en la carpeta desde donde se ejecuta.
"""

import math

import matplotlib.pyplot as plt
import numpy
import pandas
from sklearn.metrics import mean_squared_error
from sklearn.preprocessing import MinMaxScaler

DATA_FILE = "international-airline-passengers.csv"
TRAIN_SIZE = 96  # enero 1949 a diciembre 1956; el resto (1957-1960) es el conjunto de test


def create_dataset(dataset, look_back=1):
    """Ventanas de ``look_back`` meses (X) y el mes que les sigue (Y), de la primera columna de ``dataset``.

    Recorre ``range(len(dataset) - look_back - 1)``: la última ventana posible no se usa.
    """
    windows, targets = [], []
    for start in range(len(dataset) - look_back - 1):
        windows.append(dataset[start:start + look_back, 0])
        targets.append(dataset[start + look_back, 0])
    return numpy.array(windows), numpy.array(targets)


def readAirlineData(history):
    """Lee la serie, la escala a [0, 1] y arma las ventanas de entrenamiento y de test.

    Devuelve ``trainX, trainY, testX, testY, scaler, dataset``: X con forma (muestras, history, 1),
    el ``MinMaxScaler`` ajustado a toda la serie y ``dataset``, la serie escalada (144, 1).
    """
    table = pandas.read_csv(DATA_FILE, usecols=[1], engine="python", skipfooter=3)
    values = table.values.astype("float32")
    scaler = MinMaxScaler(feature_range=(0, 1))
    dataset = scaler.fit_transform(values)
    train, test = dataset[:TRAIN_SIZE, :], dataset[TRAIN_SIZE:, :]
    trainX, trainY = create_dataset(train, history)
    testX, testY = create_dataset(test, history)
    trainX = numpy.reshape(trainX, (trainX.shape[0], trainX.shape[1], 1))
    testX = numpy.reshape(testX, (testX.shape[0], testX.shape[1], 1))
    return trainX, trainY, testX, testY, scaler, dataset


def displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history):
    """Imprime el RMSE de entrenamiento y de test (miles de pasajeros) y grafica la serie y las predicciones.

    Azul: datos originales; naranjo: predicción en entrenamiento; verde: predicción en test.
    """
    trainPredict = scaler.inverse_transform(trainPredict)
    testPredict = scaler.inverse_transform(testPredict)
    trainY = scaler.inverse_transform([trainY])
    testY = scaler.inverse_transform([testY])
    trainScore = math.sqrt(mean_squared_error(trainY[0], trainPredict[:, 0]))
    print("Train Score: %.2f RMSE" % trainScore)
    testScore = math.sqrt(mean_squared_error(testY[0], testPredict[:, 0]))
    print("Test Score: %.2f RMSE" % testScore)

    # Cada predicción se dibuja en el mes que predice.
    trainPlot = numpy.full_like(dataset, numpy.nan)
    trainPlot[history:history + len(trainPredict), :] = trainPredict
    testPlot = numpy.full_like(dataset, numpy.nan)
    testStart = len(trainPredict) + 2 * history + 1
    testPlot[testStart:testStart + len(testPredict), :] = testPredict
    plt.plot(scaler.inverse_transform(dataset))
    plt.plot(trainPlot)
    plt.plot(testPlot)
    plt.show()
