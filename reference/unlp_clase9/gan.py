"""Reference GAN of clase 9: generator, discriminator and the combined model with the discriminator frozen.

The slides give only the structure and the training loop:

    generadora = ...
    discriminadora = ...
    GAN = discriminadora(generadora(x))
    ... Congelar los pesos de discriminadora
        Entrenar red GAN (entera) para engañar discriminadora (solo entrena pesos de generadora)
        Descongelar los pesos de discriminadora

Assumed where the slides are silent (see NOTES-unlp15.md): MNIST 28x28x1 in [0, 1] (the
slides' other MNIST code divides by 255), a noise vector of 100, one hidden Dense(128) with
LeakyReLU(0.2) in each network, a sigmoid on the generator's output (images in [0, 1]) and on
the discriminator's (real or generated); both compiled with binary cross-entropy and Adam.

Counts: generator 114,064; discriminator 100,609; combined 214,673 of which 114,064 trainable
(the generator) and 100,609 non-trainable (the frozen discriminator).
"""

import keras
from keras import layers

LATENT_DIM = 100
IMAGE_SHAPE = (28, 28, 1)


def generadora():
    ruido = keras.Input(shape=(LATENT_DIM,), name="ruido")
    x = layers.Dense(128, name="g_dense")(ruido)
    x = layers.LeakyReLU(negative_slope=0.2, name="g_lrelu")(x)
    x = layers.Dense(28 * 28, activation="sigmoid", name="g_pixels")(x)
    imagen = layers.Reshape(IMAGE_SHAPE, name="g_imagen")(x)
    return keras.Model(ruido, imagen, name="generadora")


def discriminadora():
    imagen = keras.Input(shape=IMAGE_SHAPE, name="imagen")
    x = layers.Flatten(name="d_flatten")(imagen)
    x = layers.Dense(128, name="d_dense")(x)
    x = layers.LeakyReLU(negative_slope=0.2, name="d_lrelu")(x)
    salida = layers.Dense(1, activation="sigmoid", name="d_salida")(x)
    model = keras.Model(imagen, salida, name="discriminadora")
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def gan():
    """``discriminadora(generadora(x))`` with the discriminator frozen: only the generator trains."""
    g = generadora()
    d = discriminadora()
    d.trainable = False  # congelar: el modelo GAN solo entrena la generadora
    x = keras.Input(shape=(LATENT_DIM,), name="x")
    model = keras.Model(x, d(g(x)), name="GAN")
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model
