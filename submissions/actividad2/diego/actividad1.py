# Actividad 1 - Actividad Practica 2
#Definicion de librerias con la funciones que seran utilizadas por Keras.
import keras
from keras.models import Sequential
from keras.layers import Conv2D, ZeroPadding2D, BatchNormalization, MaxPooling2D, Activation, Flatten, Dense, Dropout

#Definicion de contenedor y primera capa de AlexNet.
modelAlexNet = Sequential()
modelAlexNet.add(keras.Input(shape=(224, 224, 3)))
modelAlexNet.add(ZeroPadding2D((2, 2)))
modelAlexNet.add(Conv2D(96, (11, 11), strides=(4, 4), padding='valid'))
modelAlexNet.add(Activation(activation='relu'))
modelAlexNet.add(BatchNormalization())
print(modelAlexNet.output_shape)  # dims de la red antes de max-pooling
modelAlexNet.add(MaxPooling2D((3, 3), strides=(2, 2)))
print(modelAlexNet.output_shape)  # dims de la red despues de max-pooling

