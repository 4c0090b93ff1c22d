"""Reference models of clase 9's optimization slides: initializers, optimizers, learning-rate schedules.

The model is the one whose summary the slides print under "¿Qué optimizamos?" (layers ``c1``,
``mp1``, ``c2``, ``mp2``, ``fc1``, ``fc2``; 319,370 parameters on MNIST 28x28x1). The slides
print only the summary; the settings that reproduce it (``c1`` 3x3 ``same``, ``c2`` 3x3 with
strides 2 and ``same``, pooling 2x2) are those measured in keras-facts D4.

Initializers, as the slides advise: ``he_uniform`` on the layers with ReLU ("Cambiar a
'he_uniform' o 'he_normal' si usás ReLu"), ``glorot_uniform`` (Keras's default) on the softmax
layer, ``zeros`` on every bias.

Optimizers: the slides write ``keras.optimizers.SGD(lr=0.01, momentum=0.9)``; in Keras 3 the
argument is ``learning_rate`` (``lr`` raises ``Argument(s) not recognized: {'lr': 0.01}``).

Learning-rate schedule: the slides only describe the idea ("al principio α alto, luego
disminuir α"; cyclic) and link a notebook. Assumed here: ``ExponentialDecay`` from 0.01,
multiplying by 0.9 every 1000 steps, on SGD with momentum 0.9; the callback variant
(``LearningRateScheduler``) is the alternative a student may use (see NOTES).
"""

import keras
from keras import layers

INPUT_SHAPE = (28, 28, 1)
CLASSES = 10


def _modelo(name, relu_init="he_uniform"):
    return keras.Sequential([
        keras.Input(shape=INPUT_SHAPE, name="imagen"),
        layers.Conv2D(32, (3, 3), padding="same", activation="relu", name="c1",
                      kernel_initializer=relu_init, bias_initializer="zeros"),
        layers.MaxPooling2D((2, 2), name="mp1"),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same", activation="relu", name="c2",
                      kernel_initializer=relu_init, bias_initializer="zeros"),
        layers.MaxPooling2D((2, 2), name="mp2"),
        layers.Flatten(name="flatten"),
        layers.Dense(512, activation="relu", name="fc1", kernel_initializer=relu_init, bias_initializer="zeros"),
        layers.Dense(CLASSES, activation="softmax", name="fc2",
                     kernel_initializer="glorot_uniform", bias_initializer="zeros"),
    ], name=name)


def sgd_momentum():
    """He initialization; SGD, learning rate 0.01, momentum 0.9."""
    model = _modelo("sgd_momentum")
    opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
    model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])
    return model


def cronograma():
    """He initialization; SGD with momentum 0.9 and an exponentially decaying learning rate."""
    model = _modelo("cronograma")
    schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.01, decay_steps=1000, decay_rate=0.9)
    opt = keras.optimizers.SGD(learning_rate=schedule, momentum=0.9)
    model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])
    return model
