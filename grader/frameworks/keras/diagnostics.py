"""Likely fixes for the errors Keras code raises, most of them from Keras 1/2 handouts run on Keras 3.

Each rule reads an exception's type and message (and the line of code when it helps) and returns
the fix as catalogue messages, or nothing. The rules follow the errors measured with Keras 3
(``shared/notes/keras-facts.md``, section H); rules that are not about Keras live in
:mod:`grader.execution.diagnostics`.

Example:
    >>> from grader.i18n import render
    >>> hint = explain("TypeError", "TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'",
    ...                "model.fit(x, y, nb_epoch=150)")
    >>> " ".join(render(part, "en") for part in hint)
    'Keras 3 renamed `nb_epoch` to `epochs`. Write: `model.fit(x, y, epochs=150)`.'
"""

from __future__ import annotations

import difflib
import re

import grader.frameworks.keras.graph_errors as graph_errors
from grader.frameworks.keras.old_api import BY_ID, match_error, modernize, scan_source
from grader.i18n import msg

# Names a student forgets to import, and the line that imports them.
IMPORTS = {
    "Sequential": "from keras.models import Sequential",
    "Model": "from keras.models import Model",
    "Input": "from keras import Input",
    "keras": "import keras",
    "to_categorical": "from keras.utils import to_categorical",
}

ACTIVATIONS = (
    "relu", "sigmoid", "softmax", "tanh", "linear", "elu", "selu", "softplus", "softsign",
    "swish", "gelu", "exponential", "hard_sigmoid", "leaky_relu", "relu6", "silu", "mish",
)


def explain(ename: str, evalue: str, code: str = "", source: str = "") -> list:
    """The likely fix as a list of messages (sentences), or ``[]`` when no rule knows this error.

    Old Keras calls (:mod:`grader.frameworks.keras.old_api`) are recognized from the error; the
    failing line is then scanned too, so every old call on it is explained at once, and rewritten.
    Errors while building a graph are read with the failing cell's ``source``
    (:mod:`grader.frameworks.keras.graph_errors`).
    """
    patterns = match_error(ename, evalue)
    if patterns:
        return _old_call_hint(patterns, code)
    hint = graph_errors.explain(ename, evalue, code, source)
    if hint:
        return hint
    for rule in (_activation, _no_input_yet, _name_error, _keras_module):
        hint = rule(ename, evalue, code)
        if hint:
            return hint
    return []


def _old_call_hint(patterns: list, code: str) -> list:
    ids = [p.id for p in patterns]
    for finding in scan_source(code) if code else []:
        for pattern_id in [finding.pattern, *finding.extra]:
            if pattern_id not in ids and BY_ID[pattern_id].error:
                ids.append(pattern_id)
    modern = modernize(code) if code else ""
    now = modern if modern and modern != code and "(" in modern else BY_ID[ids[0]].now
    hint = [BY_ID[i].message() for i in ids] + [msg("hint.write", now=now)]
    steps = re.search(r"input_length\s*=\s*(\d+)", code)
    features = re.search(r"input_dim\s*=\s*(\d+)", code)
    if "input_length" in ids and steps and features:
        hint.append(msg("hint.or_start_with", code=f"keras.Input(shape=({steps.group(1)}, {features.group(1)}))"))
    return hint


def _activation(ename: str, evalue: str, code: str) -> list:
    match = re.search(r"Could not interpret activation function identifier: (\S+)", evalue)
    if not match:
        return []
    given = match.group(1).strip("'\"")
    close = difflib.get_close_matches(given, ACTIVATIONS, n=1, cutoff=0.5)
    if close:
        return [msg("hint.activation.close", given=given, close=close[0])]
    return [msg("hint.activation.unknown", given=given, listed=", ".join(ACTIVATIONS[:6]))]


def _no_input_yet(ename: str, evalue: str, code: str) -> list:
    if "has no defined output shape yet" not in evalue and "has never been called" not in evalue:
        return []
    return [msg("hint.no_input_yet")]


def _name_error(ename: str, evalue: str, code: str) -> list:
    match = re.search(r"name '(\w+)' is not defined", evalue)
    if ename != "NameError" or not match:
        return []
    name = match.group(1)
    if name in IMPORTS:
        return [msg("hint.name.import", name=name, line=IMPORTS[name])]
    if name[:1].isupper():
        return [msg("hint.name.layer", name=name)]
    return []


def _keras_module(ename: str, evalue: str, code: str) -> list:
    match = re.search(r"No module named '(keras\.[\w.]+)'", evalue)
    if ename not in ("ModuleNotFoundError", "ImportError") or not match:
        return []
    return [msg("hint.keras_module", module=match.group(1))]
