"""A quick outline of an exported model, read from its JSON without running Keras.

The outline has layer kinds, key settings, connections, trainable flags, nested models and the
declared input shape, but no output shapes or parameter counts. It is enough to choose which of a student's models to
grade against a reference; only the chosen one is rebuilt (see :mod:`grader.frameworks.keras.rebuild`).

Example:
    >>> import json
    >>> arch = json.dumps({"class_name": "Sequential", "config": {"layers": [
    ...     {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, 4, 1]}},
    ...     {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 5}}]}})
    >>> card = outline_from_json(arch, name="modelRNN")
    >>> card.input_shapes, [layer.kind for layer in card.layers]
    ([[None, 4, 1]], ['SimpleRNN'])
"""

from __future__ import annotations

import json
from typing import Any

from grader.cards.card import LayerCard, ModelCard
from grader.frameworks.keras.config import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_LAYERS, key_settings
from grader.sandbox.readback import depth_of


def outline_from_json(architecture: str, name: str, source: str = "") -> ModelCard | None:
    """Return the outline, or ``None`` when the JSON is not a Keras model description."""
    if not isinstance(architecture, str) or len(architecture) > MAX_CONFIG_BYTES:
        return None
    try:
        config = json.loads(architecture)
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(config, dict) or depth_of(config, MAX_DEPTH) > MAX_DEPTH:
        return None
    return _outline(config, name, source, True, [0])


def _outline(config: dict, name: str, source: str, enclosing_trainable: bool, count: list) -> ModelCard | None:
    """The outline of one model's config; a nested model gets an outline of its own (``inner``).

    ``count`` counts layers over every level, so a description cannot make this walk long."""
    settings_of = config.get("config")
    layer_configs = settings_of.get("layers") if isinstance(settings_of, dict) else None
    if not isinstance(layer_configs, list):
        return None
    count[0] += len(layer_configs)
    if count[0] > MAX_LAYERS:
        return None
    sequential = config.get("class_name") == "Sequential"
    layers: list[LayerCard] = []
    input_shapes: list[Any] = []
    input_names: list[str] = []
    previous: str | None = None
    for item in layer_configs:
        if not isinstance(item, dict) or not isinstance(item.get("config"), dict):
            return None
        settings = item["config"]
        kind = str(item.get("class_name", ""))[:80]
        layer_name = str(settings.get("name", f"layer_{len(layers)}"))[:200]
        shape = settings.get("batch_shape") or settings.get("batch_input_shape")
        if kind == "InputLayer":
            if isinstance(shape, list):
                input_shapes.append(shape)
            input_names.append(layer_name)
            previous = layer_name
            continue
        if not input_shapes and not layers:
            build = item.get("build_config") if isinstance(item.get("build_config"), dict) else {}
            declared = shape or build.get("input_shape")
            if isinstance(declared, list):
                input_shapes.append(declared)
        trainable = enclosing_trainable and settings.get("trainable", True) is not False
        inner = _outline(item, layer_name, source, trainable, count) if isinstance(settings.get("layers"), list) \
            else None
        if inner is not None and not input_shapes and not layers:
            input_shapes.extend(inner.input_shapes)
        inbound = [previous] if sequential and previous else _inbound(item.get("inbound_nodes"))
        layers.append(LayerCard(name=layer_name, kind=kind, config={} if inner is not None else key_settings(settings),
                                inbound=inbound, trainable=trainable, inner=inner))
        previous = layer_name
    outputs = [layers[-1].name] if sequential and layers else _names(settings_of.get("output_layers"))
    if not sequential:
        input_names = _names(settings_of.get("input_layers")) or input_names
    return ModelCard(name=name, layers=layers, model_class=str(config.get("class_name", ""))[:80],
                     input_shapes=input_shapes, source=source, input_names=input_names, outputs=outputs)


def _names(value: Any) -> list[str]:
    """Layer names of ``input_layers``/``output_layers``: ``[name, 0, 0]`` or a list of those."""
    if not isinstance(value, list) or not value:
        return []
    if isinstance(value[0], str):
        return [str(value[0])[:200]]
    return [str(item[0])[:200] for item in value[:MAX_LAYERS] if isinstance(item, list) and item and isinstance(item[0], str)]


def _inbound(nodes: Any) -> list[str]:
    """The names of the layers in a functional layer's ``inbound_nodes`` (``keras_history`` entries)."""
    names: list[str] = []
    stack = [nodes]
    while stack:  # no recursion: the depth was bounded, but a wide description stays cheap too
        value = stack.pop()
        if isinstance(value, dict):
            history = value.get("keras_history") if isinstance(value.get("keras_history"), list) else None
            if history:
                names.append(str(history[0])[:200])
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return list(dict.fromkeys(names))
