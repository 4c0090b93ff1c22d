# A submission with one mistake: the 3x3 convolution has strides 2, so the block halves the
# feature map (56x56 -> 28x28). A 1x1 projection with strides 2 on the shortcut keeps the
# addition valid, so the code runs; the grader points at `conv3x3` and the extra projection.
import keras
from keras import layers


def bottleneck(inputs):
    x = layers.Conv2D(64, 1, name="reduce")(inputs)
    x = layers.BatchNormalization(name="reduce_bn")(x)
    x = layers.Activation("relu", name="reduce_relu")(x)
    x = layers.Conv2D(64, 3, strides=2, padding="same", name="conv3x3")(x)  # should be strides 1
    x = layers.BatchNormalization(name="conv3x3_bn")(x)
    x = layers.Activation("relu", name="conv3x3_relu")(x)
    x = layers.Conv2D(256, 1, name="expand")(x)
    x = layers.BatchNormalization(name="expand_bn")(x)
    shortcut = layers.Conv2D(256, 1, strides=2, name="projection")(inputs)
    x = layers.Add(name="merge")([x, shortcut])
    return layers.Activation("relu", name="block_out")(x)


inputs = keras.Input(shape=(56, 56, 256))
block = keras.Model(inputs, bottleneck(inputs))

inputs = keras.Input(shape=(56, 56, 256))
x = layers.GlobalAveragePooling2D(name="gap")(bottleneck(inputs))
outputs = layers.Dense(10, activation="softmax", name="classes")(x)
classifier = keras.Model(inputs, outputs)
classifier.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
