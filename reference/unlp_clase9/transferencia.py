"""Reference transfer-learning models of clase 9: a MobileNet base, GAP, Dense(128), Dense(classes).

The slides:

    base_model=MobileNet(input_shape=(32,32,3),weights='imagenet',include_top=False)
    for layer in base_model.layers:
        layer.trainable=False
    output = GlobalAveragePooling2D()(base_model.output)
    output = Dense(128,activation='relu')(output)
    output = Dense(classes,activation='softmax')(output)
    model=Model(inputs=base_model.input,outputs=output)
    model.compile(optimizer='Adam',loss='categorical_crossentropy',metrics=['accuracy'])

and fine-tuning: "Igual que el anterior, pero sin congelar pesos".

``weights=None`` here, on purpose: the reference runs in the grader's process, where nothing
may be downloaded, and the pre-trained weights change no layer, shape or parameter count, only
values (which no architecture check reads). With ``weights=None`` the model Keras builds is also
named ``mobilenet_1.00_32``; with ``weights='imagenet'`` and a 32x32 input, Keras loads the
224x224 file and names the model ``mobilenet_1.00_224`` (and warns), so the name of the base is
not something to compare.

Assumption: ``classes = 10`` (CIFAR-10, the 32x32x3 data set the slides' other examples use).
"""

import keras
from keras import layers
from keras.applications import MobileNet

INPUT_SHAPE = (32, 32, 3)
CLASSES = 10


def _base(frozen):
    base_model = MobileNet(input_shape=INPUT_SHAPE, weights=None, include_top=False)  # see the docstring
    if frozen:
        for layer in base_model.layers:
            layer.trainable = False  # capas "congeladas" no se entrenan
    return base_model


def _head(base_model, name):
    output = layers.GlobalAveragePooling2D(name="gap")(base_model.output)
    output = layers.Dense(128, activation="relu", name="fc1")(output)
    output = layers.Dense(CLASSES, activation="softmax", name="predictions")(output)
    model = keras.Model(inputs=base_model.input, outputs=output, name=name)
    model.compile(optimizer="Adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def mobilenet_base():
    """The pre-trained base alone, frozen layer by layer (3,228,864 parameters, 0 trainable)."""
    return _base(frozen=True)


def transferencia():
    """Transfer learning as the slides write it: one flat functional model, base frozen."""
    return _head(_base(frozen=True), "transferencia")


def finetuning():
    """Fine-tuning: the same model, nothing frozen."""
    return _head(_base(frozen=False), "finetuning")


def transferencia_anidada():
    """An equivalent not named by the rubric: the idiom of Keras's own guide, base nested.

    ``base_model.trainable = False`` then ``Sequential([base_model, GAP, Dense, Dense])``: the
    base is one layer (a ``Functional``) of the outer model. Same counts as ``transferencia``
    (3,361,354 total, 132,490 trainable). Kept for the graph-aware engine's equivalence tests.
    """
    base_model = MobileNet(input_shape=INPUT_SHAPE, weights=None, include_top=False)
    base_model.trainable = False
    model = keras.Sequential([
        keras.Input(shape=INPUT_SHAPE),
        base_model,
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dense(128, activation="relu", name="fc1"),
        layers.Dense(CLASSES, activation="softmax", name="predictions"),
    ], name="transferencia_anidada")
    model.compile(optimizer="Adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
