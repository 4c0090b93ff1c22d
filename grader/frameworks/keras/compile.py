"""How Keras compile settings compare, and the ``compile()`` call that fixes them.

Losses compare by name with the usual aliases equal (``mse``, ``mean_squared_error`` and
``keras.losses.MeanSquaredError()`` are one loss); optimizers by class (``"adam"`` and
``keras.optimizers.Adam(1e-3)`` are one optimizer); metrics by name, in any order; the optimizer's
hyper-parameters (``optimizer_config``) as numbers to 6 significant digits (float32); a learning-rate
schedule (``learning_rate_schedule``) as its class and settings.

Example:
    >>> compile_value("loss", "MeanSquaredError"), compile_value("loss", "mse")
    ('mean_squared_error', 'mean_squared_error')
    >>> compile_value("metrics", ["Accuracy", "mae"])
    ['accuracy', 'mae']
    >>> compile_value("optimizer_config", {"learning_rate": 0.009999999776482582, "momentum": 0.9, "use_ema": False})
    {'learning_rate': 0.01, 'momentum': 0.9}
    >>> compile_value("learning_rate_schedule", {"class": "ExponentialDecay", "config": {"decay_steps": 1000}})
    'ExponentialDecay(decay_steps=1000)'
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
    if setting == "optimizer_config":
        return {key: _number(item) for key, item in sorted(value.items())
                if key in HYPER_PARAMETERS and item is not None} if isinstance(value, dict) else None
    if setting == "learning_rate_schedule":
        if not isinstance(value, dict):
            return None
        settings = ", ".join(f"{k}={_number(v)!r}" for k, v in sorted((value.get("config") or {}).items()))
        return f"{value.get('class')}({settings})"
    return value


# The hyper-parameters that change how an optimizer trains (Keras's bookkeeping options left out).
HYPER_PARAMETERS = ("learning_rate", "momentum", "nesterov", "rho", "beta_1", "beta_2", "epsilon", "amsgrad",
                    "weight_decay", "initial_accumulator_value", "centered", "clipnorm", "clipvalue",
                    "global_clipnorm")


def _number(value: Any) -> Any:
    """Floats to 6 significant digits (what float32 keeps), other values as they are."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    return value


def compile_call(model: str, reference: dict) -> str:
    """The ``compile()`` line that compiles ``model`` as the reference was."""
    call = ", ".join(f"{s}={reference.get(s)!r}" if s != "optimizer" else f"optimizer={str(reference[s]).lower()!r}"
                     for s in ("loss", "optimizer") if reference.get(s) is not None)
    return f"{model}.compile({call})"
