"""The likely fix for a layer finding: a line of current Keras that builds the reference layer.

Example:
    >>> from grader.cards.card import LayerCard
    >>> ref = LayerCard("c", "Conv2D", {"filters": 96, "kernel_size": [11, 11], "strides": [4, 4],
    ...                                 "padding": "valid", "activation": "relu"})
    >>> fix_line(ref, None)
    "Conv2D(96, (11, 11), strides=(4, 4), padding='valid', activation='relu')"
"""

from __future__ import annotations

from typing import Any

from grader.cards.card import LayerCard
from grader.formatting import code_tuple
from grader.i18n import msg


def fix_line(ref: LayerCard | None, stu: LayerCard | None) -> Any:
    """Keras code for ``ref``; a "remove" message when only the student has a layer there."""
    if ref is None:
        return msg("fix.remove", layer=stu.name) if stu is not None else ""
    c = ref.config
    args: list[str] = []
    for key in ("filters", "units"):
        if key in c:
            args.append(str(c[key]))
    if "rate" in c:
        args.append(str(c["rate"]))
    if "kernel_size" in c:
        args.append(code_tuple(c["kernel_size"]))
    if ref.kind.startswith("ZeroPadding") and "padding" in c:
        pad = c["padding"]
        args.append(code_tuple([p[0] for p in pad]) if isinstance(pad[0], list) else code_tuple(pad))
    if "pool_size" in c:
        args.append(code_tuple(c["pool_size"]))
    if c.get("strides") and any(s != 1 for s in c["strides"]):
        args.append(f"strides={code_tuple(c['strides'])}")
    if isinstance(c.get("padding"), str) and not ref.kind.startswith("ZeroPadding"):
        if "kernel_size" in c or "pool_size" in c:
            args.append(f"padding={c['padding']!r}")
    if ref.kind == "Activation":
        args.append(repr(c.get("activation")))
    elif c.get("activation") not in (None, "linear"):
        args.append(f"activation={c['activation']!r}")
    if c.get("return_sequences"):
        args.append("return_sequences=True")
    for key in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
        if c.get(key):
            args.append(f"{key}=regularizers.{c[key]}")
    for key, value in ref.initializers.items():
        if value is not None and value != _DEFAULT_INITIALIZERS.get(key):
            args.append(f"{key}={_initializer_code(value)}")
    return f"{ref.kind}({', '.join(args)})"


_DEFAULT_INITIALIZERS = {"kernel_initializer": "GlorotUniform", "bias_initializer": "Zeros",
                         "depthwise_initializer": "GlorotUniform", "pointwise_initializer": "GlorotUniform",
                         "recurrent_initializer": "Orthogonal(gain=1.0)"}


def _initializer_code(text: str) -> str:
    """``HeUniform`` -> ``'he_uniform'``; ``RandomNormal(mean=0.0, stddev=0.001)`` -> ``keras.initializers.RandomNormal(...)``."""
    if "(" in text:
        return f"keras.initializers.{text}"
    snake = "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in text).lstrip("_")
    return repr(snake)


def input_fix(shape: list) -> str:
    """The line that gives a model the input shape ``shape`` (without the batch axis).

    >>> input_fix([224, 224, 3])
    'keras.Input(shape=(224, 224, 3))'
    """
    return f"keras.Input(shape={code_tuple(shape)})"
