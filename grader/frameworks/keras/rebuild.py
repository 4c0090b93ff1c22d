"""Turn an exported Keras architecture into a model card, in the grader's own process.

The student's process exports only the architecture (``model.to_json()``). Here the grader
checks that the description names nothing but Keras's own classes, rebuilds the model with
Keras, and reads shapes and parameter counts off the rebuilt layers. Whatever the student's
code did to ``count_params``, ``summary`` or ``output_shape`` in its own process cannot reach
these numbers.

The rebuild allocates no weights: variables are created without values (Keras's deferred
initialization), so a 400-byte description of a billion-parameter layer costs microseconds
and no memory, and its true count is still read off the shapes. A student's own activation
function is graded by name (its code is never run); a student's own layer class makes the
card *opaque* from that layer on (kinds and connections, no shapes or counts).

Example:
    >>> import keras
    >>> m = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
    >>> card_from_json(m.to_json(), name="modelRNN").total_params
    35
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

from grader.cards.card import LayerCard, ModelCard, UnreadableModel
from grader.frameworks.keras.outline import outline_from_json
from grader.frameworks.keras.config import (KEY_SETTINGS, MAX_LAYERS, check_only_keras, custom_layers,
                                            initializer_settings, key_settings, parse, without_custom_functions)




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
    own_layers = custom_layers(architecture)
    if own_layers:
        return _opaque_card(architecture, name, source, own_layers, compile_settings)
    model, built_here, customs = _built_model(architecture, input_shape)
    notes: list = []  # messages, see grader.i18n
    if built_here:
        notes.append({"id": "note.built_with_reference_input", "fields": {"shape": str(tuple(input_shape))}})
    card = card_from_model(model, name=name, source=source, customs=customs)
    card.notes.extend(notes)
    card.input_from_reference = bool(notes)
    card.compile = compile_settings
    return card


def built_architecture(architecture: str | dict, input_shape: list | tuple | None = None) -> tuple[str, tuple]:
    """The architecture as JSON of a built model, and its input shape (no batch axis).

    A model exported without an input shape is built with ``input_shape`` (the reference's),
    as for its card; what gets trained is then exactly what was graded.
    """
    model, _, customs = _built_model(architecture, input_shape)
    if customs:
        layer, settings = next(iter(customs.items()))
        setting, function = next(iter(settings.items()))
        raise UnreadableModel(f"its layer {layer} uses your own function {function} as {setting}; the grader "
                              "does not run student code, so it cannot train this model")
    shape = model.inputs[0].shape if getattr(model, "inputs", None) else (None, *input_shape)
    return model.to_json(), tuple(shape[1:])


def _built_model(architecture: str | dict, input_shape: list | tuple | None) -> tuple[Any, bool, dict]:
    """The rebuilt model, built with ``input_shape`` when the export had none; whether it was; and
    the student's own functions it used (see :func:`without_custom_functions`)."""
    config = parse(architecture)
    config, customs = without_custom_functions(config)
    # The structure only: how it was compiled is read separately (and compiling would create
    # optimizer variables, which cannot be done without values), nested models included.
    config = without_compile_configs(config)
    check_only_keras(config)
    with weightless():
        model = _rebuild(config)
        built_here = False
        if not model.built:
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
            built_here = True
    return model, built_here, customs


def without_compile_configs(value: Any) -> Any:
    """``value`` without any ``compile_config`` (a compiled model nested in another, say a GAN's parts)."""
    if isinstance(value, dict):
        return {key: without_compile_configs(item) for key, item in value.items() if key != "compile_config"}
    if isinstance(value, list):
        return [without_compile_configs(item) for item in value]
    return value


@contextlib.contextmanager
def weightless():
    """Create Keras variables without values while the block runs (shapes only, no memory).

    Keras defers a variable's initialization inside a stateless scope and lists it as pending;
    the list is put back as it was afterwards, so nothing ever initializes these variables.
    """
    from keras.src.backend.common import global_state
    from keras.src.backend.common.stateless_scope import StatelessScope

    pending = global_state.get_global_attribute("uninitialized_variables")
    global_state.set_global_attribute("uninitialized_variables", [])
    try:
        with StatelessScope(initialize_variables=False):
            yield
    finally:
        global_state.set_global_attribute("uninitialized_variables", pending)


def card_from_model(model: Any, *, name: str, source: str = "", customs: dict | None = None,
                    enclosing_trainable: bool = True) -> ModelCard:
    """Describe a built Keras model (the grader's own object, never the student's) as a graph.

    Every operation of the model's graph is a layer of the card, those that are not Keras layers
    too (``x + y`` is ``keras.ops.add``, an ``Add``); a model used as a layer gets an ``inner``
    card of its own. ``customs`` names the student's own functions the rebuild replaced, by layer
    and setting; ``enclosing_trainable`` is False inside a frozen outer model (Keras then trains
    none of its weights, whatever its layers' own flags say)."""
    customs = customs or {}
    graph = _graph(model)
    calls = _calls(graph)
    layers = []
    for operation in _operations(model, graph):
        if type(operation).__name__ == "InputLayer":
            continue
        trainable_here = enclosing_trainable and bool(getattr(operation, "trainable", True))
        total = _count(getattr(operation, "weights", []) or [])
        trainable = _count(operation.trainable_weights) if trainable_here and hasattr(operation, "trainable_weights") \
            else 0
        inner = None
        if _is_model(operation):
            inner = card_from_model(operation, name=operation.name, customs=customs,
                                    enclosing_trainable=trainable_here)
            settings, initializers = {}, {}
        else:
            config = _config(operation)
            settings = key_settings(config)
            settings.update({key: value for key, value in customs.get(operation.name, {}).items()
                             if key in KEY_SETTINGS})
            initializers = initializer_settings(config)
        parents = calls.get(id(operation)) or [_first_parents(operation)]
        layers.append(
            LayerCard(
                name=operation.name,
                kind=type(operation).__name__,
                config=settings,
                output_shape=_shape(_output_shape(operation)),
                params=total,
                trainable_params=trainable,
                non_trainable_params=total - trainable,
                inbound=_union(parents),
                trainable=trainable_here,
                calls=max(1, len(parents)),
                initializers=initializers,
                inner=inner,
            )
        )
    inputs = getattr(model, "inputs", None) or []
    outputs = getattr(model, "outputs", None) or []
    notes = [{"id": "note.custom_function", "fields": {"layer": layer, "setting": key, "name": function}}
             for layer, settings in customs.items() for key, function in settings.items()]
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
        notes=notes,
        input_names=[_producer(t) for t in inputs],
        outputs=[_producer(t) for t in outputs],
    )


def _is_model(operation: Any) -> bool:
    import keras

    return isinstance(operation, keras.Model)


def _graph(model: Any) -> Any:
    """The graph object of a model: the model itself (functional), or a Sequential's inner functional."""
    if hasattr(model, "_nodes_by_depth"):
        return model
    inner = getattr(model, "_functional", None)
    return inner if hasattr(inner, "_nodes_by_depth") else None


def _operations(model: Any, graph: Any) -> list:
    if graph is not None and hasattr(graph, "operations"):
        return list(graph.operations)
    return list(getattr(model, "layers", []))


def _calls(graph: Any) -> dict[int, list[list[str]]]:
    """For each operation of ``graph`` (by id), the names of what feeds it, one list per call, in order."""
    if graph is None:
        return {}
    found: dict[int, list[list[str]]] = {}
    for depth in sorted(graph._nodes_by_depth, reverse=True):
        for node in graph._nodes_by_depth[depth]:
            if node.operation is None or node.is_input:
                continue
            found.setdefault(id(node.operation), []).append([_producer(t) for t in node.input_tensors])
    return found


def _producer(tensor: Any) -> str:
    history = getattr(tensor, "_keras_history", None)
    return getattr(getattr(history, "operation", None), "name", "") or ""


def _first_parents(operation: Any) -> list[str]:
    nodes = getattr(operation, "_inbound_nodes", None) or []
    return [parent.operation.name for parent in nodes[0].parent_nodes] if nodes else []


def _union(calls: list[list[str]]) -> list[str]:
    """The first call's inputs in order (repeats kept: ``Add()([x, x])``), then any new one of later calls."""
    first = list(calls[0]) if calls else []
    return first + [name for call in calls[1:] for name in dict.fromkeys(call) if name not in first]


def _config(operation: Any) -> dict:
    try:
        config = operation.get_config()
    except Exception:  # noqa: BLE001 - an operation without a config has no settings to compare
        return {}
    return config if isinstance(config, dict) else {}


def _opaque_card(architecture: str | dict, name: str, source: str, own_layers: list[str],
                 compile_settings: dict | None) -> ModelCard:
    """A card read from the description alone, for a model with layers of the student's own classes."""
    text = architecture if isinstance(architecture, str) else json.dumps(architecture)
    card = outline_from_json(text, name=name, source=source)
    if card is None:
        raise UnreadableModel("it uses your own layer classes and its description cannot be read")
    card.opaque_layers = own_layers
    card.compile = compile_settings
    card.notes.append({"id": "note.custom_layers", "fields": {"layers": ", ".join(own_layers)}})
    return card


def _rebuild(config: dict) -> Any:
    import keras

    layers = config.get("config", {}).get("layers", [])
    if isinstance(layers, list) and len(layers) > MAX_LAYERS:
        raise UnreadableModel(f"the model has more than {MAX_LAYERS} layers")
    try:
        with keras.saving.custom_object_scope({}):
            return keras.saving.deserialize_keras_object(config, safe_mode=True)
    except RecursionError:
        raise UnreadableModel("the exported architecture is nested too deeply") from None
    except Exception as exc:
        raise UnreadableModel(f"Keras could not rebuild it: {_one_line(exc)}") from None


def _count(weights: list) -> int:
    return int(sum(math.prod(int(d) for d in w.shape) for w in weights))


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


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]
