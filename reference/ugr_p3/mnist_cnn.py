"""Ejercicio 1, apartado 1: the MNIST CNN of the handout's table (58,796 parameters).

Conv 3x3, 1 -> 32 channels, 28x28 -> 28x28 (padding 'same'); ReLU; MaxPooling 2x2 -> 14x14;
Conv 5x5, 32 -> 16 channels, 14x14 -> 10x10 (padding 'valid'); ReLU; MaxPooling 2x2 -> 5x5;
FC 400 -> 100; ReLU; FC 100 -> 50; ReLU; FC 50 -> 10. The table lists ReLU as separate rows;
the grader folds a separate ReLU into the layer before it, so both spellings are equal. The
slides ask for a softmax on the last Dense of a multi-class classifier, categorical
cross-entropy and the accuracy metric; the optimizer is the student's choice (Adam here).
"""

import keras
from keras import layers


def mnist_cnn():
    model = keras.Sequential(
        [keras.Input(shape=(28, 28, 1), name="imagen"),
         layers.Conv2D(32, (3, 3), padding="same", name="conv1"),
         layers.Activation("relu", name="relu1"),
         layers.MaxPooling2D((2, 2), name="pool1"),
         layers.Conv2D(16, (5, 5), padding="valid", name="conv2"),
         layers.Activation("relu", name="relu2"),
         layers.MaxPooling2D((2, 2), name="pool2"),
         layers.Flatten(name="flatten"),
         layers.Dense(100, name="fc1"),
         layers.Activation("relu", name="relu3"),
         layers.Dense(50, name="fc2"),
         layers.Activation("relu", name="relu4"),
         layers.Dense(10, activation="softmax", name="fc3")],
        name="mnist_cnn",
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model
