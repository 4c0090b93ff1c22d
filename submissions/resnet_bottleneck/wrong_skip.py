# A submission with one mistake: `shortcut = x` is written after the main path instead of before
# it, so the block adds the main path to itself and the block's input is never added back. Every
# shape and count is right; the grader names the sum's inputs.
import keras
from keras import layers


def bottleneck(x):
    x = layers.Conv2D(64, 1)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(64, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(256, 1)(x)
    x = layers.BatchNormalization()(x)
    shortcut = x  # should be the block's input, saved before the first convolution
    x = layers.Add()([x, shortcut])
    return layers.Activation("relu")(x)


inputs = keras.Input(shape=(56, 56, 256))
block = keras.Model(inputs, bottleneck(inputs))

inputs = keras.Input(shape=(56, 56, 256))
x = layers.GlobalAveragePooling2D()(bottleneck(inputs))
classifier = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
classifier.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
