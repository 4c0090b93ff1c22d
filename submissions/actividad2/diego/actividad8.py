# Actividad 8 - red recurrente base
import keras
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense

# create the RNN: 4 meses de historia, 1 valor por mes
modelRNN = Sequential()
modelRNN.add(keras.Input(shape=(4, 1)))
modelRNN.add(SimpleRNN(5, return_sequences=False))
modelRNN.summary()  # W_xh 5 + W_hh 25 + bias 5 = 35 parametros
print('Parametros:', modelRNN.count_params())

# con 4 unidades en el estado oculto: 4 + 16 + 4 = 24 parametros
modelRNN = Sequential()
modelRNN.add(keras.Input(shape=(4, 1)))
modelRNN.add(SimpleRNN(4, return_sequences=False))
modelRNN.summary()
print('Parametros con 4 unidades:', modelRNN.count_params())
