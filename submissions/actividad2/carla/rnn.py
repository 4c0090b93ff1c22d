# Actividades 8, 10 y 11: prediccion de pasajeros con SimpleRNN y LSTM
import keras
from keras.models import Sequential
from keras.layers import SimpleRNN, LSTM, Dense

from airlineUtils import readAirlineData, displayResult

history = 4
trainX, trainY, testX, testY, scaler, dataset = readAirlineData(history)

# Actividad 8: la capa recurrente sola tiene 35 parametros; con 4 unidades, 24
base5 = Sequential([keras.Input(shape=(history, 1)), SimpleRNN(5)])
base4 = Sequential([keras.Input(shape=(history, 1)), SimpleRNN(4)])
print(base5.count_params(), base4.count_params())

# modelo base: SimpleRNN(5) + Dense(1)
modelRNN = Sequential()
modelRNN.add(keras.Input(shape=(history, 1)))
modelRNN.add(SimpleRNN(5))
modelRNN.add(Dense(1))
modelRNN.compile(loss='mean_squared_error', optimizer='adam')
modelRNN.summary()
modelRNN.fit(trainX, trainY, epochs=3, batch_size=16, verbose=0)
trainPredict = modelRNN.predict(trainX, verbose=0)
testPredict = modelRNN.predict(testX, verbose=0)
displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)

# mismo modelo con LSTM
modelLSTM = Sequential()
modelLSTM.add(keras.Input(shape=(history, 1)))
modelLSTM.add(LSTM(5))
modelLSTM.add(Dense(1))
modelLSTM.compile(loss='mean_squared_error', optimizer='adam')
modelLSTM.summary()
modelLSTM.fit(trainX, trainY, epochs=3, batch_size=16, verbose=0)
trainPredict = modelLSTM.predict(trainX, verbose=0)
testPredict = modelLSTM.predict(testX, verbose=0)
displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)
