# A correct submission written differently from the reference: other variable names
# (`resblock`, `net`), Keras's default layer names, a helper function, `layers.add`
# with the shortcut first, and the softmax as a separate Activation layer.
import keras
from keras import layers


def residual(t):
    y = layers.Conv2D(64, (1, 1))(t)
    y = layers.BatchNormalization()(y)
    y = layers.Activation("relu")(y)
    y = layers.Conv2D(64, (3, 3), padding="same")(y)
    y = layers.BatchNormalization()(y)
    y = layers.Activation("relu")(y)
    y = layers.Conv2D(256, (1, 1))(y)
    y = layers.BatchNormalization()(y)
    y = layers.add([t, y])
    return layers.Activation("relu")(y)


# %% Activity 1-2: the block
x_in = keras.Input((56, 56, 256))
resblock = keras.Model(x_in, residual(x_in))
resblock.summary()

# %% Activity 3: classifier
x_in = keras.Input((56, 56, 256))
h = layers.GlobalAveragePooling2D()(residual(x_in))
h = layers.Dense(10)(h)
probabilities = layers.Activation("softmax")(h)
net = keras.Model(x_in, probabilities)
net.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
