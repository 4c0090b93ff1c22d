"""Likely fixes for the errors students hit, most of them from Keras 1/2 handouts run on Keras 3.

Each rule reads an exception's type and message (and the line of code when it helps) and
returns one plain sentence with the current spelling. The catalogue follows the errors
measured with Keras 3 (``shared/notes/keras-facts.md``, section H).

Example:
    >>> explain("TypeError", "TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'",
    ...         "model.fit(x, y, nb_epoch=150)")
    'Keras 3 renamed `nb_epoch` to `epochs`. Write: `model.fit(x, y, epochs=150)`.'
"""

from __future__ import annotations

import difflib
import re

from grader.execution import old_api

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


def explain(ename: str, evalue: str, code: str = "", lang: str = "en") -> str:
    """Return the likely fix for an error, or an empty string when there is no rule for it.

    Old Keras calls (:mod:`grader.execution.old_api`) are recognized from the error; the failing
    line is then scanned too, so every old call on it is explained at once, and rewritten.
    """
    patterns = old_api.match_error(ename, evalue)
    if patterns:
        return _old_call_hint(patterns, code, lang)
    for rule in (_activation, _no_input_yet, _name_error, _missing_package):
        hint = rule(ename, evalue, code, lang)
        if hint:
            return hint
    return ""


def _old_call_hint(patterns: list, code: str, lang: str) -> str:
    ids = [p.id for p in patterns]
    for finding in old_api.scan_source(code) if code else []:
        for pattern_id in [finding.pattern, *finding.extra]:
            if pattern_id not in ids and old_api.BY_ID[pattern_id].error:
                ids.append(pattern_id)
    sentences = " ".join(old_api.explanation(i, lang) for i in ids)
    modern = old_api.modernize(code) if code else ""
    now = modern if modern and modern != code and "(" in modern else old_api.BY_ID[ids[0]].now
    word = "Escribe" if lang == "es" else "Write"
    hint = f"{sentences} {word}: `{now}`."
    steps = re.search(r"input_length\s*=\s*(\d+)", code)
    features = re.search(r"input_dim\s*=\s*(\d+)", code)
    if "input_length" in ids and steps and features:
        shape = f"keras.Input(shape=({steps.group(1)}, {features.group(1)}))"
        hint += (f" (O empieza el modelo con `{shape}`.)" if lang == "es" else f" (Or start the model with `{shape}`.)")
    return hint


def _activation(ename: str, evalue: str, code: str, lang: str) -> str:
    match = re.search(r"Could not interpret activation function identifier: (\S+)", evalue)
    if not match:
        return ""
    given = match.group(1).strip("'\"")
    close = difflib.get_close_matches(given, ACTIVATIONS, n=1, cutoff=0.5)
    if close and lang == "es":
        return f"'{given}' no es una función de activación: ¿querías decir '{close[0]}'? Escribe `activation='{close[0]}'`."
    if close:
        return f"'{given}' is not an activation function: did you mean '{close[0]}'? Write `activation='{close[0]}'`."
    listed = ", ".join(ACTIVATIONS[:6])
    if lang == "es":
        return f"'{given}' no es una función de activación; usa una de: {listed}, ..."
    return f"'{given}' is not an activation function; use one of: {listed}, ..."


def _no_input_yet(ename: str, evalue: str, code: str, lang: str) -> str:
    if "has no defined output shape yet" not in evalue and "has never been called" not in evalue:
        return ""
    if lang == "es":
        return ("El modelo aún no tiene entrada, así que Keras no puede dar su forma de salida: empiézalo con "
                "`keras.Input(shape=...)` (o `input_shape=` en la primera capa) y comprueba que la celda que añade "
                "esa primera capa corrió sin errores.")
    return ("The model has no input yet, so Keras cannot give its output shape: start it with "
            "`keras.Input(shape=...)` (or `input_shape=` on the first layer), and check that the cell "
            "adding that first layer ran without errors.")


def _name_error(ename: str, evalue: str, code: str, lang: str) -> str:
    match = re.search(r"name '(\w+)' is not defined", evalue)
    if ename != "NameError" or not match:
        return ""
    name = match.group(1)
    es = lang == "es"
    if name in IMPORTS:
        return (f"`{name}` no está definido: añade `{IMPORTS[name]}` antes de usarlo, o comprueba que la celda con "
                "tus imports corrió sin errores.") if es else (
                f"`{name}` is not defined: add `{IMPORTS[name]}` before using it, or check that the cell "
                "with your imports ran without errors.")
    if name[:1].isupper():
        return (f"`{name}` no está definido: impórtalo (p. ej. `from keras.layers import {name}`), o comprueba que "
                "la celda que lo importa o lo define corrió sin errores.") if es else (
                f"`{name}` is not defined: import it (e.g. `from keras.layers import {name}`), or "
                "check that the cell that imports or defines it ran without errors.")
    return (f"`{name}` no está definido: comprueba que la celda que lo define corrió sin errores." if es else
            f"`{name}` is not defined: check that the cell that defines it ran without errors.")


def _missing_package(ename: str, evalue: str, code: str, lang: str) -> str:
    match = re.search(r"No module named '([\w.]+)'", evalue)
    if ename not in ("ModuleNotFoundError", "ImportError") or not match:
        return ""
    module = match.group(1)
    if module.startswith("keras."):
        return (f"Keras 3 no tiene el módulo `{module}`: importa desde `keras.layers`, `keras.models` o `keras.utils`."
                if lang == "es" else
                f"Keras 3 has no module `{module}`: import from `keras.layers`, `keras.models` or `keras.utils`.")
    package = module.split(".")[0]
    if lang == "es":
        return f"El paquete `{package}` no está instalado donde corre el corrector: quita ese import o pregunta al profesor."
    return f"The package `{package}` is not installed where the grader runs: remove that import or ask your instructor."


def code_line(source: str, line: int | None) -> str:
    """The stripped source line ``line`` (1-based) of ``source``, or ``""``."""
    if not line:
        return ""
    lines = source.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""
