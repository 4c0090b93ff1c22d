"""Reading an exported Keras architecture safely: size and depth bounds, Keras's own classes only.

The description comes from a student's process: it is parsed with bounds, a layer of the
student's own class is recognized (and never imported), and a student's own function inside a
Keras layer (an activation, say) is replaced by Keras's neutral one and remembered by name.

Example:
    >>> key_settings({"units": 5, "activation": {"module": "builtins", "class_name": "function",
    ...                                           "config": "my_act"}, "name": "d"})
    {'units': 5, 'activation': 'my_act'}
"""

from __future__ import annotations

import json
from typing import Any

from grader.cards.card import UnreadableModel
from grader.sandbox.readback import depth_of

# Keras's settings that define what a layer computes; the rest (initializers, names, dtypes) do not
# change the architecture a course asks for.
KEY_SETTINGS = (
    "filters", "units", "kernel_size", "strides", "padding", "activation", "pool_size",
    "rate", "return_sequences", "use_bias", "dilation_rate", "cropping", "size",
    "target_shape", "axis", "depth_multiplier", "input_dim", "output_dim", "groups",
    "recurrent_activation", "go_backwards", "merge_mode", "max_value", "negative_slope",
) + ("kernel_regularizer", "bias_regularizer", "activity_regularizer")
# Kept in a card only when a layer has one, written as code (``L2(0.0001)``): a reference layer with
# a regularizer asks for the same one; a student's regularizer where the reference has none is
# compared only by a ``layers`` check that lists the setting.
REGULARIZER_SETTINGS = ("kernel_regularizer", "bias_regularizer", "activity_regularizer")
# Settings a check compares only when it names them (``settings: [kernel_initializer]``): how the
# weights start does not change the architecture, but an activity about initialization asks for it.
INITIALIZER_SETTINGS = ("kernel_initializer", "bias_initializer", "depthwise_initializer",
                        "pointwise_initializer", "recurrent_initializer")
MAX_CONFIG_BYTES = 5_000_000
MAX_LAYERS = 2_000
MAX_DEPTH = 64  # nested mappings and lists in an exported architecture


_FUNCTION_SETTINGS = ("activation", "recurrent_activation")


def without_custom_functions(config: dict) -> tuple[dict, dict[str, dict[str, str]]]:
    """A copy of ``config`` where the student's own functions are replaced by Keras's neutral ones.

    An activation, initializer, regularizer or constraint that is the student's own code cannot
    change a layer's shapes or counts; it is replaced (``linear``, ``zeros``, none) for the rebuild
    and returned by layer and setting, ``{"dense": {"activation": "my_act"}}``, to be graded by name.
    """
    customs: dict[str, dict[str, str]] = {}

    def clean_layer(layer: dict) -> dict:
        settings = layer.get("config")
        if not isinstance(settings, dict):
            return layer
        settings = dict(settings)
        for key, value in list(settings.items()):
            name = _custom_object_name(value)
            if name is None:
                continue
            customs.setdefault(str(settings.get("name", "")), {})[key] = name
            if key in _FUNCTION_SETTINGS:
                settings[key] = "linear"
            elif key.endswith("_initializer"):
                settings[key] = "zeros"
            elif key.endswith(("_regularizer", "_constraint")):
                settings[key] = None
        if isinstance(settings.get("layers"), list):  # a nested model
            settings["layers"] = [clean_layer(item) if isinstance(item, dict) else item for item in settings["layers"]]
        return {**layer, "config": settings}

    return clean_layer(config), customs


def _custom_object_name(value: Any) -> str | None:
    """The name of a serialized object that is not Keras's own (a function or class of the student's)."""
    if not isinstance(value, dict) or "class_name" not in value:
        return None
    module = value.get("module")
    if module is None or (isinstance(module, str) and (module == "keras" or module.startswith("keras."))):
        return None
    inner = value.get("config")
    name = inner if isinstance(inner, str) else value.get("registered_name") or value.get("class_name")
    return str(name)[:80]


def custom_layers(architecture: str | dict) -> list[str]:
    """Names of the layers (with their class) that are the student's own classes, in order.

    >>> custom_layers({"class_name": "Sequential", "config": {"layers": [
    ...     {"class_name": "MyLayer", "module": None, "registered_name": "MyLayer", "config": {"name": "mine"}}]}})
    ['mine (MyLayer)']
    """
    try:
        config = parse(architecture)
    except UnreadableModel:
        return []
    layers = (config.get("config") or {}).get("layers") if isinstance(config.get("config"), dict) else None
    found = []
    for item in layers if isinstance(layers, list) else []:
        if not isinstance(item, dict) or "class_name" not in item:
            continue
        if item.get("class_name") != "InputLayer" and own_class(item):
            settings = item.get("config") if isinstance(item.get("config"), dict) else {}
            found.append(f"{str(settings.get('name', '?'))[:80]} ({str(item.get('class_name'))[:80]})")
    return found[:MAX_LAYERS]


def own_class(item: dict) -> bool:
    """Whether a serialized layer names a class that is not Keras's own (the student's code)."""
    import keras

    module, registered, class_name = item.get("module"), item.get("registered_name"), item.get("class_name")
    if registered not in (None, class_name):
        return True
    if isinstance(module, str):
        return not (module == "keras" or module.startswith("keras."))
    known = getattr(keras.layers, str(class_name), None) or getattr(keras.models, str(class_name), None)
    return not (isinstance(known, type) and issubclass(known, keras.layers.Layer))


def parse(architecture: str | dict) -> dict:
    if isinstance(architecture, dict):
        config = architecture
    else:
        if len(architecture) > MAX_CONFIG_BYTES:
            raise UnreadableModel(f"the exported architecture is larger than {MAX_CONFIG_BYTES} bytes")
        try:
            config = json.loads(architecture)
        except (ValueError, RecursionError) as exc:
            raise UnreadableModel(f"the exported architecture is not valid JSON ({getattr(exc, 'msg', 'too deep')})") \
                from None
    if not isinstance(config, dict):
        raise UnreadableModel("the exported architecture is not a JSON object")
    if depth_of(config, MAX_DEPTH) > MAX_DEPTH:
        raise UnreadableModel("the exported architecture is nested too deeply")
    return config


def check_only_keras(config: Any, depth: int = 0) -> None:
    """Refuse anything that would make Keras import or run code that is not Keras's own."""
    if depth > MAX_DEPTH:
        raise UnreadableModel("the exported architecture is nested too deeply")
    if isinstance(config, dict):
        module = config.get("module")
        if "class_name" in config and module is not None:
            if not isinstance(module, str) or not (module == "keras" or module.startswith("keras.")):
                raise UnreadableModel(
                    f"it uses {config.get('class_name')!r} from {module!r}, which is not part of "
                    "Keras; custom layers and models cannot be graded from their architecture"
                )
            if config.get("registered_name") not in (None, config.get("class_name")):
                raise UnreadableModel(
                    f"it uses the custom object {config.get('registered_name')!r}; custom "
                    "layers cannot be graded from their architecture"
                )
        if config.get("class_name") in ("Lambda", "TFSMLayer", "TorchModuleWrapper"):
            raise UnreadableModel(
                f"it contains a {config['class_name']} layer, whose code the grader does not run"
            )
        for value in config.values():
            check_only_keras(value, depth + 1)
    elif isinstance(config, list):
        if len(config) > MAX_LAYERS * 10:
            raise UnreadableModel("the exported architecture is too large")
        for value in config:
            check_only_keras(value, depth + 1)


def key_settings(config: dict) -> dict:
    settings = {}
    for key in KEY_SETTINGS:
        if key in REGULARIZER_SETTINGS:
            written = regularizer_code(config.get(key))
            if written is not None:
                settings[key] = written
            continue
        if key in config:
            value = config[key]
            if isinstance(value, dict):  # a serialized object, e.g. an activation function
                inner = value.get("config")
                value = (inner.get("name") if isinstance(inner, dict) else inner if isinstance(inner, str) else None) \
                    or value.get("class_name")
                value = str(value)[:80] if value is not None else None
            settings[key] = _plain(value)
    return settings


def regularizer_code(value: Any) -> str | None:
    """A serialized Keras regularizer as the code that builds it, equal for equal penalties.

    ``L2(1e-4)``, ``regularizers.l2(0.0001)`` and ``L1L2(l1=0, l2=1e-4)`` are one regularizer:

    >>> regularizer_code({"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.0001}})
    'L2(0.0001)'
    >>> regularizer_code({"class_name": "L1L2", "config": {"l1": 0.01, "l2": 0.02}}), regularizer_code(None)
    ('L1L2(l1=0.01, l2=0.02)', None)
    """
    if value is None:
        return None
    if isinstance(value, str):  # a name, as older Keras wrote some ("l2")
        return value[:80]
    if not isinstance(value, dict):
        return str(value)[:80]
    kind = str(value.get("class_name", ""))[:80]
    config = value.get("config") if isinstance(value.get("config"), dict) else {}
    if kind.lower() in ("l1", "l2", "l1l2", "l1_l2"):
        l1 = _factor(config.get("l1", 0.0)) if kind.lower() != "l2" else 0.0
        l2 = _factor(config.get("l2", 0.0)) if kind.lower() != "l1" else 0.0
        if l1 is None or l2 is None:
            return kind
        if l1 and l2:
            return f"L1L2(l1={l1:g}, l2={l2:g})"
        if l1 or l2:
            return f"L1({l1:g})" if l1 else f"L2({l2:g})"
        return None  # no penalty at all
    arguments = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v!r}"
                          for k, v in sorted(config.items()) if isinstance(v, (int, float, str)) and k != "name")
    return f"{kind}({arguments})"[:120]


def _factor(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(f"{float(value):.6g}")  # float32 round trips agree to six digits


def initializer_settings(config: dict) -> dict:
    """A layer's initializers as comparable text: the class, and its config without the seed.

    ``'he_uniform'`` and ``HeUniform()`` read the same; so do a default left out and written out.

    >>> initializer_settings({"kernel_initializer": {"module": "keras.initializers", "class_name": "HeUniform",
    ...     "config": {"seed": None}}, "bias_initializer": {"class_name": "RandomNormal",
    ...     "config": {"mean": 0.0, "stddev": 0.001, "seed": 3}}})
    {'kernel_initializer': 'HeUniform', 'bias_initializer': 'RandomNormal(mean=0.0, stddev=0.001)'}
    """
    found = {}
    for key in INITIALIZER_SETTINGS:
        if key in config:
            found[key] = initializer_text(config[key])
    return found


def initializer_text(value: Any) -> str | None:
    """One initializer, serialized by Keras, as ``Class(arg=value, ...)`` (``None`` and the seed left out)."""
    if value is None:
        return None
    if isinstance(value, str):
        return "".join(part.capitalize() for part in value.split("_"))[:80]
    if not isinstance(value, dict):
        return str(value)[:80]
    inner = value.get("config") if isinstance(value.get("config"), dict) else {}
    settings = {k: v for k, v in inner.items() if k != "seed" and v is not None and isinstance(v, (int, float, str, bool))}
    name = str(value.get("class_name", "?"))[:60]
    listed = ", ".join(f"{k}={v!r}" for k, v in sorted(settings.items()))
    return f"{name}({listed})" if listed else name


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


