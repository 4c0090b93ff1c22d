"""How Keras compile settings compare, and the ``compile()`` call that fixes them.

Losses compare by name with the usual aliases equal (``mse``, ``mean_squared_error`` and
``keras.losses.MeanSquaredError()`` are one loss); optimizers by class (``"adam"`` and
``keras.optimizers.Adam(1e-3)`` are one optimizer); metrics by name, in any order.

Example:
    >>> compile_value("loss", "MeanSquaredError"), compile_value("loss", "mse")
    ('mean_squared_error', 'mean_squared_error')
    >>> compile_value("metrics", ["Accuracy", "mae"])
    ['accuracy', 'mae']
    >>> compile_call("modelRNN", {"loss": "mean_squared_error", "optimizer": "Adam"})
    "modelRNN.compile(loss='mean_squared_error', optimizer='adam')"
"""

from __future__ import annotations

from typing import Any

_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "meansquarederror": "mean_squared_error",
                 "meanabsoluteerror": "mean_absolute_error", "binarycrossentropy": "binary_crossentropy",
                 "categoricalcrossentropy": "categorical_crossentropy",
                 "sparsecategoricalcrossentropy": "sparse_categorical_crossentropy"}


def compile_value(setting: str, value: Any) -> Any:
    """``value`` of compile setting ``setting`` in the form that compares."""
    if value is None:
        return None
    if setting == "loss":
        key = str(value).lower()
        return _LOSS_ALIASES.get(key.replace("_", ""), _LOSS_ALIASES.get(key, key))
    if setting == "optimizer":
        return str(value).lower()
    if setting == "metrics":
        return sorted(str(v).lower() for v in (value if isinstance(value, list) else [value]))
    return value


def compile_call(model: str, reference: dict) -> str:
    """The ``compile()`` line that compiles ``model`` as the reference was."""
    call = ", ".join(f"{s}={reference.get(s)!r}" if s != "optimizer" else f"optimizer={str(reference[s]).lower()!r}"
                     for s in ("loss", "optimizer") if reference.get(s) is not None)
    return f"{model}.compile({call})"
