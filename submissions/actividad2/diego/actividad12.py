# Actividad 12 - epocas y tamano de batch con el modelo LSTM
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dense

import airlineUtils

history = 4
trainX, trainY, testX, testY, scaler, dataset = airlineUtils.readAirlineData(history)

for epochs, batch_size in [(50, 1), (300, 20)]:
    modelo = Sequential()
    modelo.add(keras.Input(shape=(history, 1)))
    modelo.add(LSTM(5, return_sequences=False))
    modelo.add(Dense(1))
    modelo.compile(loss='mean_squared_error', optimizer='adam')
    modelo.fit(trainX, trainY, epochs=epochs, batch_size=batch_size, verbose=0)
    trainPredict = modelo.predict(trainX)
    testPredict = modelo.predict(testX)
    print('epochs=%d batch_size=%d' % (epochs, batch_size))
    airlineUtils.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history,
                               filename='actividad12_%d_%d.png' % (epochs, batch_size))
