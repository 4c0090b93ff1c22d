"""Reference autoencoders of clase 9: three models each, ``autoencoder = decoder(encoder(x))``.

* ``ae_slides_*``: the slides' ``DenseAutoencoder(input_dim, latent_dim)`` exactly, with
  ``input_dim = 28*28`` and ``latent_dim = 64`` as in the slides' call (101,200 parameters):
  one Dense to the latent vector, one Dense (sigmoid) back.
* ``ae_denso_*``: the deep dense autoencoder issue 15 asks for, 784-128-64-36-18-9 and back
  (224,601 parameters). Its sizes come from the PyTorch course notes (course material 004); it
  is written here the way the UNLP slides write autoencoders: the slides' layer names
  (``encoder_input``, ``latent_vector``, ``decoder_input``, ``decoder_output``), ReLU between
  layers, no activation on the 9-unit code, sigmoid on the output.
* ``ae_conv_*``: the slides' convolutional (denoising) autoencoder on 28x28x1 (4,385 parameters):
  the decoder's third Conv2D has no ``padding="same"`` (as in the slides), which is what brings
  16x16 back to 14x14 so that the last UpSampling2D gives 28x28.

Every autoencoder is compiled as the slides compile theirs: binary cross-entropy and Adam (the
slides show no compile for the convolutional one; the same is assumed).

The full autoencoder nests the encoder and decoder models (``Model(encoder_input,
decoder(encoder(encoder_input)))``): its layers are the input, ``encoder`` and ``decoder``.
"""

import keras
from keras import layers

INPUT_DIM = 28 * 28
SLIDES_LATENT_DIM = 64
HIDDEN = [128, 64, 36, 18]
LATENT_DIM = 9
IMAGE_SHAPE = (28, 28, 1)


def _autoencoder(encoder, decoder, encoder_input, name="autoencoder"):
    autoencoder = keras.Model(encoder_input, decoder(encoder(encoder_input)), name=name)
    autoencoder.compile(loss="binary_crossentropy", optimizer="adam")
    return autoencoder


# --- the slides' DenseAutoencoder(784, 64)

def _slides_encoder():
    encoder_input = keras.Input(shape=(INPUT_DIM,), name="encoder_input")
    code = layers.Dense(SLIDES_LATENT_DIM, name="latent_vector")(encoder_input)
    return keras.Model(encoder_input, code, name="encoder"), encoder_input


def _slides_decoder():
    latent_input = keras.Input(shape=(SLIDES_LATENT_DIM,), name="decoder_input")
    decoded_image = layers.Dense(INPUT_DIM, activation="sigmoid", name="decoder_output")(latent_input)
    return keras.Model(latent_input, decoded_image, name="decoder")


def ae_slides():
    encoder, encoder_input = _slides_encoder()
    return _autoencoder(encoder, _slides_decoder(), encoder_input)


# --- deep dense autoencoder 784-128-64-36-18-9-18-36-64-128-784

def _dense_encoder():
    encoder_input = keras.Input(shape=(INPUT_DIM,), name="encoder_input")
    x = encoder_input
    for i, units in enumerate(HIDDEN, start=1):
        x = layers.Dense(units, activation="relu", name=f"enc_{i}")(x)
    code = layers.Dense(LATENT_DIM, name="latent_vector")(x)
    return keras.Model(encoder_input, code, name="encoder"), encoder_input


def _dense_decoder():
    latent_input = keras.Input(shape=(LATENT_DIM,), name="decoder_input")
    x = latent_input
    for i, units in enumerate(reversed(HIDDEN), start=1):
        x = layers.Dense(units, activation="relu", name=f"dec_{i}")(x)
    decoded_image = layers.Dense(INPUT_DIM, activation="sigmoid", name="decoder_output")(x)
    return keras.Model(latent_input, decoded_image, name="decoder")


def ae_denso_encoder():
    """Encoder 784 -> 9 (111,913 parameters)."""
    return _dense_encoder()[0]


def ae_denso_decoder():
    """Decoder 9 -> 784 (112,688 parameters)."""
    return _dense_decoder()


def ae_denso():
    """The whole autoencoder, encoder and decoder nested (224,601 parameters)."""
    encoder, encoder_input = _dense_encoder()
    return _autoencoder(encoder, _dense_decoder(), encoder_input)


# --- convolutional (denoising) autoencoder

def _conv_encoder():
    encoder_input = keras.Input(shape=IMAGE_SHAPE, name="encoder_input")
    x = layers.Conv2D(16, (3, 3), activation="relu", padding="same", name="enc_conv1")(encoder_input)
    x = layers.MaxPooling2D((2, 2), padding="same", name="enc_pool1")(x)
    x = layers.Conv2D(8, (3, 3), activation="relu", padding="same", name="enc_conv2")(x)
    x = layers.MaxPooling2D((2, 2), padding="same", name="enc_pool2")(x)
    x = layers.Conv2D(8, (3, 3), activation="relu", padding="same", name="enc_conv3")(x)
    x = layers.MaxPooling2D((2, 2), padding="same", name="enc_pool3")(x)
    return keras.Model(encoder_input, x, name="encoder"), encoder_input


def _conv_decoder(encoded_shape=(4, 4, 8)):
    latent_input = keras.Input(shape=encoded_shape, name="decoder_input")
    x = layers.Conv2D(8, (3, 3), activation="relu", padding="same", name="dec_conv1")(latent_input)
    x = layers.UpSampling2D((2, 2), name="dec_up1")(x)
    x = layers.Conv2D(8, (3, 3), activation="relu", padding="same", name="dec_conv2")(x)
    x = layers.UpSampling2D((2, 2), name="dec_up2")(x)
    x = layers.Conv2D(16, (3, 3), activation="relu", name="dec_conv3")(x)  # sin padding: 16x16 -> 14x14
    x = layers.UpSampling2D((2, 2), name="dec_up3")(x)
    x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same", name="decoder_output")(x)
    return keras.Model(latent_input, x, name="decoder")


def ae_conv_encoder():
    """Encoder 28x28x1 -> 4x4x8 (1,904 parameters)."""
    return _conv_encoder()[0]


def ae_conv_decoder():
    """Decoder 4x4x8 -> 28x28x1 (2,481 parameters)."""
    return _conv_decoder()


def ae_conv():
    """The whole denoising autoencoder, encoder and decoder nested (4,385 parameters)."""
    encoder, encoder_input = _conv_encoder()
    return _autoencoder(encoder, _conv_decoder(), encoder_input)
