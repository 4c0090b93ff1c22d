"""Likely fixes for the errors students hit, most of them from Keras 1/2 handouts run on Keras 3.

Each rule reads an exception's type and message (and the line of code when it helps) and
returns one plain sentence with the current spelling. The catalogue follows the errors
measured with Keras 3 (``shared/notes/keras-facts.md``, section H).

Example:
    >>> explain("TypeError", "TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'")
    "Keras 3 renamed `nb_epoch` to `epochs`: write `model.fit(x, y, epochs=150, ...)`."
"""

from __future__ import annotations

import difflib
import re

# Old keyword -> (new keyword or None when it must go, what to say)
RENAMED_ARGUMENTS = {
    "subsample": ("strides", "`subsample=(4, 4)` is now `strides=(4, 4)`"),
    "border_mode": ("padding", "`border_mode='valid'` is now `padding='valid'`"),
    "init": ("kernel_initializer", "`init=` is now `kernel_initializer=`"),
    "W_regularizer": ("kernel_regularizer", "`W_regularizer=` is now `kernel_regularizer=`"),
    "b_regularizer": ("bias_regularizer", "`b_regularizer=` is now `bias_regularizer=`"),
    "dim_ordering": ("data_format", "`dim_ordering='th'` is now `data_format='channels_first'` "
                     "(and Keras expects channels last by default)"),
    "nb_filter": ("filters", "`nb_filter=` is now `filters=`"),
    "output_dim": ("units", "`output_dim=` is now `units=`"),
    "input_length": (None, "`input_length` is gone: give the shape once with "
                     "`keras.Input(shape=(4, 1))` as the first layer (4 time steps, 1 feature)"),
    "consume_less": (None, "`consume_less` is gone: remove it"),
    "mode": (None, "`mode=` is gone from BatchNormalization: remove it"),
    "lr": ("learning_rate", "`lr=` is now `learning_rate=`"),
    "show_accuracy": (None, "`show_accuracy` is gone: pass `metrics=['accuracy']` to `compile()`"),
    "class_mode": (None, "`class_mode` is gone from `compile()`: remove it"),
}

OLD_MODULES = {
    "keras.layers.convolutional": "from keras.layers import Conv2D, ZeroPadding2D, MaxPooling2D",
    "keras.layers.normalization": "from keras.layers import BatchNormalization",
    "keras.layers.pooling": "from keras.layers import MaxPooling2D",
    "keras.layers.recurrent": "from keras.layers import SimpleRNN, LSTM, GRU",
    "keras.layers.core": "from keras.layers import Dense, Activation, Dropout, Flatten",
    "keras.layers.embeddings": "from keras.layers import Embedding",
    "keras.utils.np_utils": "from keras.utils import to_categorical",
    "keras.layers.advanced_activations": "from keras.layers import LeakyReLU, PReLU",
}

IMPORTS = {
    "Sequential": "from keras.models import Sequential",
    "Model": "from keras.models import Model",
    "Input": "from keras import Input",
    "keras": "import keras",
    "np": "import numpy as np",
    "plt": "import matplotlib.pyplot as plt",
    "pd": "import pandas as pd",
    "to_categorical": "from keras.utils import to_categorical",
}

ACTIVATIONS = (
    "relu", "sigmoid", "softmax", "tanh", "linear", "elu", "selu", "softplus", "softsign",
    "swish", "gelu", "exponential", "hard_sigmoid", "leaky_relu", "relu6", "silu", "mish",
)


def explain(ename: str, evalue: str, code: str = "") -> str:
    """Return the likely fix for an error, or an empty string when there is no rule for it."""
    for rule in (_old_module, _old_arguments, _nb_epoch, _activation, _removed_method,
                 _merge, _channels_first, _no_input_yet, _name_error, _positional_kernel):
        hint = rule(ename, evalue, code)
        if hint:
            return hint
    return ""


def _old_module(ename: str, evalue: str, code: str) -> str:
    match = re.search(r"No module named '([\w.]+)'", evalue)
    if ename not in ("ModuleNotFoundError", "ImportError") or not match:
        return ""
    module = match.group(1)
    for old, new in OLD_MODULES.items():
        if module == old or module.startswith(old + "."):
            return f"Keras 3 has no module `{old}`: import the layers from `keras.layers`, e.g. `{new}`."
    if module.startswith("keras."):
        return f"Keras 3 has no module `{module}`: import from `keras.layers`, `keras.models` or `keras.utils`."
    return f"The package `{module.split('.')[0]}` is not installed where the grader runs: remove that import or ask your instructor."


def _old_arguments(ename: str, evalue: str, code: str) -> str:
    match = re.search(r"(?:Unrecognized keyword arguments passed to (\w+)|Argument\(s\) not recognized|"
                      r"got an unexpected keyword argument|Arguments not recognized)", evalue)
    if not match:
        return ""
    names = re.findall(r"'(\w+)'", evalue)
    known = [n for n in names if n in RENAMED_ARGUMENTS and n != "nb_epoch"]
    if not known:
        return ""
    fixes = "; ".join(RENAMED_ARGUMENTS[n][1] for n in known)
    layer = match.group(1) or ""
    if layer in ("Conv2D", "Convolution2D") and {"subsample", "border_mode"} & set(known):
        return (f"Keras 3 renamed these arguments: {fixes}. Write "
                "`Conv2D(96, (11, 11), strides=(4, 4), padding='valid')`.")
    return f"Keras 3 renamed these arguments: {fixes}."


def _nb_epoch(ename: str, evalue: str, code: str) -> str:
    if "nb_epoch" not in evalue:
        return ""
    epochs = re.search(r"nb_epoch\s*=\s*(\w+)", code)
    value = epochs.group(1) if epochs else "150"
    return f"Keras 3 renamed `nb_epoch` to `epochs`: write `model.fit(x, y, epochs={value}, ...)`."


def _activation(ename: str, evalue: str, code: str) -> str:
    match = re.search(r"Could not interpret activation function identifier: (\S+)", evalue)
    if not match:
        return ""
    given = match.group(1).strip("'\"")
    close = difflib.get_close_matches(given, ACTIVATIONS, n=1, cutoff=0.5)
    if close:
        return f"'{given}' is not an activation function: did you mean '{close[0]}'? Write `activation='{close[0]}'`."
    return f"'{given}' is not an activation function; use one of: {', '.join(ACTIVATIONS[:6])}, ..."


def _removed_method(ename: str, evalue: str, code: str) -> str:
    if "predict_classes" in evalue:
        return "Keras 3 removed `predict_classes`: write `np.argmax(model.predict(x), axis=-1)`."
    if "set_image_dim_ordering" in evalue:
        return "Keras 3 removed `set_image_dim_ordering`: delete it and give inputs as (height, width, channels)."
    return ""


def _no_input_yet(ename: str, evalue: str, code: str) -> str:
    if "has no defined output shape yet" not in evalue and "has never been called" not in evalue:
        return ""
    return ("The model has no input yet, so Keras cannot give its output shape: start it with "
            "`keras.Input(shape=...)` (or `input_shape=` on the first layer), and check that the cell "
            "adding that first layer ran without errors.")


def _merge(ename: str, evalue: str, code: str) -> str:
    if re.search(r"cannot import name 'Merge'", evalue):
        return "Keras 3 has no `Merge` layer: use `keras.layers.Add()`, `Concatenate()` or `Multiply()` with the functional API."
    return ""


def _channels_first(ename: str, evalue: str, code: str) -> str:
    if "Computed output size would be zero or negative" in evalue and re.search(r"\(\s*3\s*,\s*\d+\s*,\s*\d+\s*\)", code):
        return "The input looks channels-first (3, H, W); Keras expects channels last: use `input_shape=(224, 224, 3)`."
    return ""


def _positional_kernel(ename: str, evalue: str, code: str) -> str:
    if re.search(r"Convolution2D\(\s*\d+\s*,\s*\d+\s*,\s*\d+", code):
        return ("In Keras 3 `Convolution2D(96, 11, 11)` means kernel 11 and strides 11; write "
                "`Conv2D(96, (11, 11), strides=(4, 4), padding='valid')`.")
    return ""


def _name_error(ename: str, evalue: str, code: str) -> str:
    match = re.search(r"name '(\w+)' is not defined", evalue)
    if ename != "NameError" or not match:
        return ""
    name = match.group(1)
    if name in IMPORTS:
        return (f"`{name}` is not defined: add `{IMPORTS[name]}` before using it, or check that the cell "
                "with your imports ran without errors.")
    if name[:1].isupper():
        return (f"`{name}` is not defined: import it (e.g. `from keras.layers import {name}`), or "
                "check that the cell that imports or defines it ran without errors.")
    return f"`{name}` is not defined: check that the cell that defines it ran without errors."


def code_line(source: str, line: int | None) -> str:
    """The stripped source line ``line`` (1-based) of ``source``, or ``""``."""
    if not line:
        return ""
    lines = source.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""
