"""How Keras compile settings compare, and the ``compile()`` call that fixes them.

Losses and metrics compare by name, objects equal to their string names and the usual aliases
equal (``mse``, ``mean_squared_error`` and ``keras.losses.MeanSquaredError()`` are one loss;
``keras.metrics.BinaryAccuracy()`` is ``"binary_accuracy"``); optimizers by class (``"adam"`` and
``keras.optimizers.Adam(1e-3)`` are one optimizer); metrics in any order. A setting
``loss.<argument>`` or ``optimizer.<argument>`` compares one argument (``loss.from_logits``,
``optimizer.learning_rate``), with Keras's default when the code did not give it; numbers agree to
six significant digits (Keras keeps a learning rate as float32: 0.003 is 0.003000000026).
The optimizer's hyper-parameters (``optimizer_config``) compare as numbers to 6 significant
digits (float32); a learning-rate schedule (``learning_rate_schedule``) as its class and settings.

Example:
    >>> compile_value("loss", "MeanSquaredError"), compile_value("loss", "mse")
    ('mean_squared_error', 'mean_squared_error')
    >>> compile_value("metrics", ["BinaryAccuracy", "mae"])
    ['binary_accuracy', 'mean_absolute_error']
    >>> compile_value("optimizer.learning_rate", {"optimizer": "SGD", "learning_rate": 0.003000000026077032})
    0.003
    >>> compile_value("loss.from_logits", {"loss": "categorical_crossentropy"})
    False
    >>> compile_value("optimizer_config", {"learning_rate": 0.009999999776482582, "momentum": 0.9, "use_ema": False})
    {'learning_rate': 0.01, 'momentum': 0.9}
    >>> compile_value("learning_rate_schedule", {"class": "ExponentialDecay", "config": {"decay_steps": 1000}})
    'ExponentialDecay(decay_steps=1000)'
    >>> compile_call("modelRNN", {"loss": "mean_squared_error", "optimizer": "Adam"})
    "modelRNN.compile(loss='mean_squared_error', optimizer='adam')"
"""

from __future__ import annotations

import functools
import re
from typing import Any

_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
                 "msle": "mean_squared_logarithmic_error", "bce": "binary_crossentropy",
                 "cce": "categorical_crossentropy", "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
                 "logcosh": "log_cosh", "huber_loss": "huber"}
_METRIC_ALIASES = {"acc": "accuracy", "mse": "mean_squared_error", "mae": "mean_absolute_error",
                   "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
                   "rmse": "root_mean_squared_error", "ce": "crossentropy"}
_ACCURACIES = ("accuracy",)


def snake_name(name: Any) -> str:
    """``BinaryAccuracy`` -> ``binary_accuracy``, ``AUC`` -> ``auc``, ``mean_squared_error`` unchanged.

    >>> snake_name("CategoricalCrossentropy"), snake_name("KLDivergence"), snake_name("binary_accuracy")
    ('categorical_crossentropy', 'kl_divergence', 'binary_accuracy')
    """
    text = str(name).strip()
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return text.lower()


def loss_name(value: Any) -> str:
    name = snake_name(value)
    return _LOSS_ALIASES.get(name, name)


def metric_name(value: Any) -> str:
    name = snake_name(value)
    return _METRIC_ALIASES.get(name, name)


def compile_value(setting: str, value: Any) -> Any:
    """``value`` of compile setting ``setting`` in the form that compares.

    For ``loss``, ``optimizer`` and ``metrics``, ``value`` is what the code gave; for an argument
    (``loss.from_logits``, ``optimizer.learning_rate``) it is the whole compile settings.
    """
    if "." in setting:
        return _argument(setting, value or {})
    if value is None:
        return None
    if setting == "loss":
        return loss_name(value)
    if setting == "optimizer":
        return str(value).lower()
    if setting == "metrics":
        return sorted(metric_name(v) for v in (value if isinstance(value, list) else [value]))
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


def normalize_compile(settings: dict | None, output_shape: Any = None) -> dict | None:
    """``settings`` with ``"accuracy"`` resolved as Keras resolves it for this model: binary
    accuracy for one output unit, sparse categorical accuracy with a sparse loss, categorical
    accuracy otherwise; so ``metrics=["accuracy"]`` equals ``[keras.metrics.BinaryAccuracy()]`` on a
    one-unit classifier.

    >>> normalize_compile({"loss": "mse", "metrics": ["accuracy"]}, [None, 1])["metrics"]
    ['binary_accuracy']
    >>> normalize_compile({"loss": "categorical_crossentropy", "metrics": ["acc"]}, [None, 10])["metrics"]
    ['categorical_accuracy']
    """
    if not settings or not settings.get("metrics"):
        return settings
    metrics = settings["metrics"] if isinstance(settings["metrics"], list) else [settings["metrics"]]
    units = output_shape[-1] if isinstance(output_shape, list) and output_shape and isinstance(output_shape[-1], int) \
        else None
    if units == 1:
        resolved = "binary_accuracy"
    elif "sparse" in loss_name(settings.get("loss") or ""):
        resolved = "sparse_categorical_accuracy"
    else:
        resolved = "categorical_accuracy"
    return {**settings, "metrics": [resolved if metric_name(m) in _ACCURACIES else m for m in metrics]}


def _argument(setting: str, settings: dict) -> Any:
    """One argument of the loss or the optimizer, or Keras's default for it (None: no such argument)."""
    part, _, argument = setting.partition(".")
    if part == "loss":
        given = settings.get("loss_config") or {}
        name, defaults = settings.get("loss"), _loss_defaults
    else:
        given = dict(settings.get("optimizer_config") or {})
        if "learning_rate" not in given and settings.get("learning_rate") is not None:
            given["learning_rate"] = settings["learning_rate"]
        name, defaults = settings.get("optimizer"), _optimizer_defaults
    if name is None:
        return None
    value = given[argument] if argument in given else defaults(str(name)).get(argument)
    return _plain_number(value)


def _plain_number(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.6g}")
    return value


@functools.lru_cache(maxsize=64)
def _loss_defaults(name: str) -> dict:
    return _defaults("losses", name, loss_name)


@functools.lru_cache(maxsize=64)
def _optimizer_defaults(name: str) -> dict:
    return _defaults("optimizers", name, str.lower)


def _defaults(module: str, name: str, normal) -> dict:
    """The config of Keras's class for ``name`` built with no arguments (the defaults), or {}."""
    import keras

    wanted = normal(name).replace("_", "")
    space = getattr(keras, module)
    for attribute in dir(space):
        cls = getattr(space, attribute)
        if isinstance(cls, type) and normal(attribute).replace("_", "") == wanted:
            try:
                return dict(cls().get_config())
            except Exception:  # noqa: BLE001 - a class that needs arguments has no defaults to offer
                return {}
    return {}


def compile_call(model: str, reference: dict) -> str:
    """The ``compile()`` line that compiles ``model`` as the reference was."""
    parts = []
    if reference.get("loss") is not None:
        arguments = _given(reference.get("loss_config"), ("from_logits", "label_smoothing"))
        loss = loss_name(reference["loss"])
        parts.append(f"loss=keras.losses.{reference['loss']}({arguments})" if arguments
                     else f"loss={loss!r}")
    if reference.get("optimizer") is not None:
        optimizer = str(reference["optimizer"])
        rate = _plain_number(reference.get("learning_rate"))
        default = _plain_number(_optimizer_defaults(optimizer).get("learning_rate"))
        parts.append(f"optimizer=keras.optimizers.{optimizer}(learning_rate={rate:g})"
                     if isinstance(rate, float) and rate != default and optimizer[:1].isupper()
                     else f"optimizer={optimizer.lower()!r}")
    return f"{model}.compile({', '.join(parts)})"


def _given(config: dict | None, names: tuple) -> str:
    """``from_logits=True`` for the arguments among ``names`` that differ from Keras's defaults."""
    if not config:
        return ""
    defaults = {"from_logits": False, "label_smoothing": 0.0}
    return ", ".join(f"{k}={config[k]!r}" for k in names if k in config and config[k] != defaults.get(k))
