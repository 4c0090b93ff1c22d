# Actividad 6 - Actividad Practica 2
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

#Capa 2
modelAlexNet.add(ZeroPadding2D((2, 2)))
modelAlexNet.add(Conv2D(256, (5, 5), padding='valid'))
modelAlexNet.add(Activation(activation='relu'))
modelAlexNet.add(BatchNormalization())
modelAlexNet.add(MaxPooling2D((3, 3), strides=(2, 2)))
print(modelAlexNet.output_shape)

#Capa 3: padding de 1, sin normalizacion batch ni max-pooling
modelAlexNet.add(ZeroPadding2D((1, 1)))
modelAlexNet.add(Conv2D(384, (3, 3), padding='valid'))
modelAlexNet.add(Activation(activation='relu'))
print(modelAlexNet.output_shape)

#Capa 4
modelAlexNet.add(ZeroPadding2D((1, 1)))
modelAlexNet.add(Conv2D(384, (3, 3), padding='valid'))
modelAlexNet.add(Activation(activation='relu'))
print(modelAlexNet.output_shape)
#Capa 5, con max-pooling
modelAlexNet.add(ZeroPadding2D((1, 1)))
modelAlexNet.add(Conv2D(256, (3, 3), padding='valid'))
modelAlexNet.add(Activation(activation='relu'))
modelAlexNet.add(MaxPooling2D((3, 3), strides=(2, 2)))
print(modelAlexNet.output_shape)

#Flatten: 6*6*256 = 9216
modelAlexNet.add(Flatten())
print(modelAlexNet.output_shape)

#Capa 6: densa de 4096 con relu y dropout 0.5
modelAlexNet.add(Dense(4096))
modelAlexNet.add(Activation(activation='relu'))
modelAlexNet.add(Dropout(0.5))
print(modelAlexNet.output_shape)

modelAlexNet.summary()
