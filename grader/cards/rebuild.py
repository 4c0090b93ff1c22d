"""Turn an exported Keras architecture into a model card, in the grader's own process.

The student's process exports only the architecture (``model.to_json()``). Here the grader
checks that the description names nothing but Keras's own classes, rebuilds the model with
Keras, and reads shapes and parameter counts off the rebuilt layers. Whatever the student's
code did to ``count_params``, ``summary`` or ``output_shape`` in its own process cannot reach
these numbers.

Example:
    >>> import keras
    >>> m = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
    >>> card_from_json(m.to_json(), name="modelRNN").total_params
    35
"""

from __future__ import annotations

import json
import math
from typing import Any

from grader.cards.card import KEY_SETTINGS, LayerCard, ModelCard

MAX_CONFIG_BYTES = 5_000_000
MAX_LAYERS = 2_000


class UnreadableModel(ValueError):
    """The exported architecture cannot be rebuilt; the message says why in plain words."""


def card_from_json(
    architecture: str | dict,
    name: str,
    *,
    source: str = "",
    input_shape: list | tuple | None = None,
    compile_settings: dict | None = None,
) -> ModelCard:
    """Rebuild ``architecture`` and describe it.

    ``input_shape`` (without the batch axis) is used only when the exported model was never
    built, which is what happens when a student leaves out ``input_shape``/``Input``.
    """
    model, built_here = _built_model(architecture, input_shape)
    notes: list = []  # messages, see grader.i18n
    if built_here:
        notes.append({"id": "note.built_with_reference_input", "fields": {"shape": str(tuple(input_shape))}})
    card = card_from_model(model, name=name, source=source)
    card.notes.extend(notes)
    card.input_from_reference = bool(notes)
    card.compile = compile_settings
    return card


def built_architecture(architecture: str | dict, input_shape: list | tuple | None = None) -> tuple[str, tuple]:
    """The architecture as JSON of a built model, and its input shape (no batch axis).

    A model exported without an input shape is built with ``input_shape`` (the reference's),
    as for its card; what gets trained is then exactly what was graded.
    """
    model, _ = _built_model(architecture, input_shape)
    shape = model.inputs[0].shape if getattr(model, "inputs", None) else (None, *input_shape)
    return model.to_json(), tuple(shape[1:])


def _built_model(architecture: str | dict, input_shape: list | tuple | None) -> tuple[Any, bool]:
    """The rebuilt model, built with ``input_shape`` when the export had none; and whether it was."""
    config = _parse(architecture)
    _check_only_keras(config)
    model = _rebuild(config)
    if model.built:
        return model, False
    if input_shape is None:
        raise UnreadableModel(
            "the model was never built (no input shape was given) and there is no "
            "reference input shape to build it with"
        )
    try:
        model.build((None, *input_shape))
    except Exception as exc:  # the student's layers do not fit the reference input
        raise UnreadableModel(
            f"the model has no input shape, and building it with the reference input "
            f"shape {tuple(input_shape)} failed: {_one_line(exc)}"
        ) from None
    return model, True


def card_from_model(model: Any, *, name: str, source: str = "") -> ModelCard:
    """Describe a built Keras model (the grader's own object, never the student's)."""
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        trainable = _count(layer.trainable_weights)
        non_trainable = _count(layer.non_trainable_weights)
        layers.append(
            LayerCard(
                name=layer.name,
                kind=type(layer).__name__,
                config=key_settings(layer.get_config()),
                output_shape=_shape(_output_shape(layer)),
                params=trainable + non_trainable,
                trainable_params=trainable,
                non_trainable_params=non_trainable,
                inbound=_inbound(layer),
                trainable=bool(layer.trainable),
            )
        )
    inputs = getattr(model, "inputs", None) or []
    outputs = getattr(model, "outputs", None) or []
    return ModelCard(
        name=name,
        layers=layers,
        model_class=type(model).__name__,
        input_shapes=[_shape(t.shape) for t in inputs],
        output_shapes=[_shape(t.shape) for t in outputs],
        total_params=sum(layer.params for layer in layers),
        trainable_params=sum(layer.trainable_params for layer in layers),
        non_trainable_params=sum(layer.non_trainable_params for layer in layers),
        source=source,
    )


def _parse(architecture: str | dict) -> dict:
    if isinstance(architecture, dict):
        return architecture
    if len(architecture) > MAX_CONFIG_BYTES:
        raise UnreadableModel(f"the exported architecture is larger than {MAX_CONFIG_BYTES} bytes")
    try:
        config = json.loads(architecture)
    except json.JSONDecodeError as exc:
        raise UnreadableModel(f"the exported architecture is not valid JSON ({exc.msg})") from None
    if not isinstance(config, dict):
        raise UnreadableModel("the exported architecture is not a JSON object")
    return config


def _check_only_keras(config: Any, depth: int = 0) -> None:
    """Refuse anything that would make Keras import or run code that is not Keras's own."""
    if depth > 60:
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
            _check_only_keras(value, depth + 1)
    elif isinstance(config, list):
        if len(config) > MAX_LAYERS * 10:
            raise UnreadableModel("the exported architecture is too large")
        for value in config:
            _check_only_keras(value, depth + 1)


def _rebuild(config: dict) -> Any:
    import keras

    layers = config.get("config", {}).get("layers", [])
    if isinstance(layers, list) and len(layers) > MAX_LAYERS:
        raise UnreadableModel(f"the model has more than {MAX_LAYERS} layers")
    try:
        with keras.saving.custom_object_scope({}):
            return keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception as exc:
        raise UnreadableModel(f"Keras could not rebuild it: {_one_line(exc)}") from None


def _count(weights: list) -> int:
    return int(sum(math.prod(int(d) for d in w.shape) for w in weights))


def key_settings(config: dict) -> dict:
    settings = {}
    for key in KEY_SETTINGS:
        if key in config:
            value = config[key]
            if isinstance(value, dict):  # a serialized object, e.g. an activation function
                value = value.get("config", {}).get("name") or value.get("class_name")
            settings[key] = _plain(value)
    return settings


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _output_shape(layer: Any) -> Any:
    try:
        output = layer.output
    except (AttributeError, ValueError):
        return None
    if isinstance(output, (list, tuple)):
        return [o.shape for o in output]
    return output.shape


def _shape(shape: Any) -> Any:
    if shape is None:
        return None
    if isinstance(shape, list) and shape and isinstance(shape[0], (tuple, list)):
        return [_shape(s) for s in shape]
    return [None if d is None else int(d) for d in shape]


def _inbound(layer: Any) -> list[str]:
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if not nodes:
        return []
    return [parent.operation.name for parent in nodes[0].parent_nodes]


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]
