# Actividad 11 - LSTM en vez de SimpleRNN
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dense
from sklearn.preprocessing import MinMaxScaler

import airlineUtils

history = 4
trainX, trainY, testX, testY, scaler, dataset = airlineUtils.readAirlineData(history)
assert isinstance(scaler, MinMaxScaler)

# create and fit a LSTM network
modelRNN = Sequential()
modelRNN.add(keras.Input(shape=(history, 1)))
modelRNN.add(LSTM(5, return_sequences=False))
modelRNN.add(Dense(1))
modelRNN.compile(loss='mean_squared_error', optimizer='adam')
modelRNN.summary()  # 4 * (5*1 + 5*5 + 5) + 6 = 146 parametros
modelRNN.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)

trainPredict = modelRNN.predict(trainX)
testPredict = modelRNN.predict(testX)
airlineUtils.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history,
                           filename='actividad11_lstm.png')
