"""A quick outline of an exported model, read from its JSON without running Keras.

The outline has layer kinds, key settings, connections and the declared input shape, but no
output shapes or parameter counts. It is enough to choose which of a student's models to
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
        layer_configs = config["config"]["layers"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(layer_configs, list) or len(layer_configs) > MAX_LAYERS or depth_of(config, MAX_DEPTH) > MAX_DEPTH:
        return None
    sequential = config.get("class_name") == "Sequential"
    layers: list[LayerCard] = []
    input_shapes: list[Any] = []
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
            previous = layer_name
            continue
        if not input_shapes and not layers:
            build = item.get("build_config") if isinstance(item.get("build_config"), dict) else {}
            declared = shape or build.get("input_shape")
            if isinstance(declared, list):
                input_shapes.append(declared)
        inbound = [previous] if sequential and previous else _inbound(item.get("inbound_nodes"))
        layers.append(LayerCard(name=layer_name, kind=kind, config=key_settings(settings), inbound=inbound))
        previous = layer_name
    return ModelCard(name=name, layers=layers, model_class=str(config.get("class_name", "")),
                     input_shapes=input_shapes, source=source)


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
