# Actividad 10 - AirlinePrediction con el modelo base
import math

import numpy
import keras
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense, Dropout
from sklearn.metrics import mean_squared_error

import airlineUtils

numpy.random.seed(7)
history = 4
trainX, trainY, testX, testY, scaler, dataset = airlineUtils.readAirlineData(history)
print(trainX.shape, testX.shape)

# create and fit the RNN
modelRNN = Sequential()
modelRNN.add(keras.Input(shape=(history, 1)))
modelRNN.add(SimpleRNN(5, return_sequences=False))
modelRNN.summary()  # verifico los 35 parametros antes de agregar la capa densa
modelRNN.add(Dense(1))
modelRNN.compile(loss='mean_squared_error', optimizer='adam')
modelRNN.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)

trainPredict = modelRNN.predict(trainX)
testPredict = modelRNN.predict(testX)
airlineUtils.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history,
                           filename='actividad10_base.png')

# el mismo error de test, calculado por mi cuenta (en la escala 0-1)
print('RMSE test (escalado): %.4f' % math.sqrt(mean_squared_error(testY, testPredict[:, 0])))

# variante: capa densa de 100 unidades y dropout
modelRNN2 = Sequential()
modelRNN2.add(keras.Input(shape=(history, 1)))
modelRNN2.add(SimpleRNN(5, return_sequences=False))
modelRNN2.add(Dense(100, activation='relu'))
modelRNN2.add(Dropout(0.2))
modelRNN2.add(Dense(1))
modelRNN2.compile(loss='mean_squared_error', optimizer='adam')
modelRNN2.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)
trainPredict = modelRNN2.predict(trainX)
testPredict = modelRNN2.predict(testX)
airlineUtils.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history,
                           filename='actividad10_densa100.png')
