"""Actividad Práctica 2: AlexNet (API funcional) y redes recurrentes."""
import keras
from keras import layers
from keras.models import Sequential

from airlineUtils import readAirlineData, displayResult

keras.utils.set_random_seed(0)

# %% Actividad 1: capa 1 (padding 2, 96 filtros 11x11 stride 4, ReLU, BN, max-pooling)
entrada = keras.Input(shape=(224, 224, 3), name='imagen')
x = layers.ZeroPadding2D((2, 2))(entrada)
x = layers.Conv2D(96, (11, 11), strides=(4, 4), padding='valid')(x)
x = layers.Activation('relu')(x)
x = layers.BatchNormalization()(x)
print('antes de max-pooling:', x.shape)
x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
print('capa 1:', x.shape)

# %% Actividad 2: capa 2 (padding 2, 256 filtros 5x5, ReLU, BN, max-pooling)
x = layers.ZeroPadding2D((2, 2))(x)
x = layers.Conv2D(256, (5, 5), padding='valid')(x)
x = layers.Activation('relu')(x)
x = layers.BatchNormalization()(x)
x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
print('capa 2:', x.shape)

# %% Actividad 3: capa 3 (padding 1, 384 filtros 3x3, ReLU)
x = layers.ZeroPadding2D((1, 1))(x)
x = layers.Conv2D(384, (3, 3), padding='valid')(x)
x = layers.Activation('relu')(x)
print('capa 3:', x.shape)

# %% Actividad 4: capas 4 y 5
x = layers.ZeroPadding2D((1, 1))(x)
x = layers.Conv2D(384, (3, 3), padding='valid')(x)
x = layers.Activation('relu')(x)
print('capa 4:', x.shape)
x = layers.ZeroPadding2D((1, 1))(x)
x = layers.Conv2D(256, (3, 3), padding='valid')(x)
x = layers.Activation('relu')(x)
x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
print('capa 5:', x.shape)

# %% Actividad 5: Flatten
x = layers.Flatten()(x)
print('flatten:', x.shape)  # 6 * 6 * 256 = 9216

# %% Actividad 6: capa densa 6
x = layers.Dense(4096)(x)
x = layers.Activation('relu')(x)
x = layers.Dropout(0.5)(x)
print('capa 6:', x.shape)

# %% Actividad 7: capas densas 7 y 8
x = layers.Dense(4096)(x)
x = layers.Activation('relu')(x)
x = layers.Dropout(0.5)(x)
x = layers.Dense(1000)(x)
salida = layers.Activation('softmax')(x)
modelAlexNet = keras.Model(entrada, salida, name='AlexNet')
modelAlexNet.summary()
print('parametros:', modelAlexNet.count_params())

# %% Actividad 8: red recurrente base, 35 parametros
modelRNNbase = Sequential([layers.SimpleRNN(5, input_shape=(4, 1), return_sequences=False)])
modelRNNbase.summary()

# Con 4 unidades en el estado oculto: 4 + 16 + 4 = 24 parametros
modelRNN4 = Sequential([layers.SimpleRNN(4, input_shape=(4, 1))])
print(modelRNN4.count_params())

# %% Actividad 10: modelo base de prediccion SimpleRNN(5) + Dense(1)
history = 4
trainX, trainY, testX, testY, scaler, dataset = readAirlineData(history)

modelRNN = Sequential()
modelRNN.add(layers.SimpleRNN(5, input_shape=(history, 1)))
modelRNN.add(layers.Dense(1))
modelRNN.compile(loss='mean_squared_error', optimizer='adam')
modelRNN.summary()
modelRNN.fit(trainX, trainY, epochs=3, batch_size=16, verbose=0)
trainPredict = modelRNN.predict(trainX, verbose=0)
testPredict = modelRNN.predict(testX, verbose=0)
displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)

# %% Actividad 11: LSTM(5) + Dense(1), 146 parametros
modelLSTM = Sequential()
modelLSTM.add(layers.LSTM(5, input_shape=(history, 1)))
modelLSTM.add(layers.Dense(1))
modelLSTM.compile(loss='mean_squared_error', optimizer='adam')
modelLSTM.summary()
modelLSTM.fit(trainX, trainY, epochs=3, batch_size=16, verbose=0)
trainPredict = modelLSTM.predict(trainX, verbose=0)
testPredict = modelLSTM.predict(testX, verbose=0)
displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)
