"""Canonical form of a model card, so that equivalent ways of writing a model compare equal.

``Conv2D(96, 11, activation="relu")`` and ``Conv2D(96, 11)`` followed by
``Activation("relu")`` compute the same thing; so do ``input_shape=`` and ``keras.Input``
(input layers never appear in a card), ``x + y`` and ``Add()([y, x])``, a pre-trained base used
as one layer of a ``Sequential`` and the same base's layers written into a flat model. The
canonical form:

* opens every nested model into the outer card (its layers take its place, wired to what fed it
  and to what reads it) and keeps it as a part (:class:`~grader.cards.part.PartCard`);
* folds a stand-alone activation into the layer it follows, when that layer has no activation of
  its own and nothing else reads its output; one that cannot be folded (after an ``Add``, say)
  becomes an ``Activation`` layer, whichever way it was written (``ReLU()``, ``keras.ops.relu``);
* writes ``padding`` of a 1x1 convolution with strides 1 as ``"valid"`` (``"same"`` pads nothing there:
  the slides' ``bottleneck`` writes it, their ``residual_bottleneck`` does not);
* puts the layers in one topological order that does not depend on the order the code wrote
  the branches in: depth first from the outputs, and the operands of a sum (``Add``,
  ``Multiply``, ``Average``, ``Maximum``, ``Minimum``) longest branch first.

Example:
    >>> from grader.cards.card import LayerCard, ModelCard
    >>> card = ModelCard("m", layers=[
    ...     LayerCard("d", "Dense", {"units": 4, "activation": "linear"}, [None, 4]),
    ...     LayerCard("a", "Activation", {"activation": "relu"}, [None, 4], inbound=["d"])])
    >>> [layer.describe() for layer in canonical(card).layers]
    ['Dense(4, relu)']
"""

from __future__ import annotations

import copy

from grader.cards.card import LayerCard, ModelCard
from grader.cards.part import PartCard

_ACTIVATION_LAYERS = {"Activation": None, "ReLU": "relu", "Softmax": "softmax",
                      # keras.ops functions applied to a tensor: operations of the graph, not layers
                      "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Gelu": "gelu", "Silu": "silu",
                      "Elu": "elu", "Selu": "selu", "Softplus": "softplus"}
# Merges whose operands may come in any order.
COMMUTATIVE = frozenset({"Add", "Multiply", "Average", "Maximum", "Minimum"})


def canonical(card: ModelCard) -> ModelCard:
    """Return a copy of ``card`` with nested models opened, activations folded and layers in canonical order."""
    result = copy.deepcopy(card)
    _open_nested(result)
    _fold_activations(result)
    _pointwise_padding(result)
    _order(result)
    return result


def _pointwise_padding(card: ModelCard) -> None:
    for layer in card.layers:
        config = layer.config
        if config.get("padding") == "same" and _ones(config.get("kernel_size")) and _ones(config.get("strides", [1])) \
                and _ones(config.get("dilation_rate", [1])):
            config["padding"] = "valid"


def _ones(value) -> bool:
    values = value if isinstance(value, (list, tuple)) else [value]
    return bool(values) and all(v == 1 for v in values)


# ------------------------------------------------------------------------------ nested models


def _open_nested(card: ModelCard) -> None:
    """Replace each layer that is a model by its own (opened) layers, and list it in ``card.parts``."""
    if not any(layer.inner is not None for layer in card.layers):
        return
    used = {layer.name for layer in card.layers if layer.inner is None} | set(card.input_names)
    outputs_of: dict[str, list[str]] = {}  # an opened nested layer -> the layers that give its outputs
    layers: list[LayerCard] = []
    parts: list[PartCard] = []

    def through(names: list[str]) -> list[str]:
        return [out for name in names for out in outputs_of.get(name, [name])]

    for layer in card.layers:
        layer.inbound = through(layer.inbound)
        if layer.inner is None:
            layers.append(layer)
            continue
        inner = layer.inner
        _open_nested(inner)
        renamed = {}
        for item in inner.layers:
            new = item.name if item.name not in used else f"{layer.name}/{item.name}"
            while new in used:
                new += "_"
            renamed[item.name] = new
            used.add(new)
        feeds = _input_map(inner.input_names, layer.inbound)
        for item in inner.layers:
            inbound = []
            for parent in item.inbound:
                inbound.extend(feeds[parent] if parent in feeds else [renamed.get(parent, parent)])
            item.inbound = inbound
            item.name = renamed[item.name]
            item.part = item.part and renamed.get(item.part, item.part) or layer.name
            item.calls *= max(1, layer.calls)
            layers.append(item)
        for part in inner.parts:
            part.layers = [renamed.get(name, name) for name in part.layers]
            part.parent = part.parent or layer.name
        outputs_of[layer.name] = [renamed.get(name, name) for name in inner.outputs] or \
            ([inner.layers[-1].name] if inner.layers else list(layer.inbound))
        parts.append(PartCard(
            name=layer.name, kind=layer.kind, layers=[item.name for item in inner.layers],
            input_shapes=inner.input_shapes, output_shapes=inner.output_shapes or [layer.output_shape],
            params=layer.params, trainable_params=layer.trainable_params,
            non_trainable_params=layer.non_trainable_params, trainable=layer.trainable,
            application=inner.application, model_name=inner.name, calls=layer.calls, object_id=inner.object_id,
            variable=inner.variable))
        parts.extend(inner.parts)
    card.layers = layers
    card.parts = parts + list(card.parts)
    card.outputs = through(card.outputs)


def _input_map(inputs: list[str], parents: list[str]) -> dict[str, list[str]]:
    """What each of a nested model's inputs is in the outer model: the call's arguments, in order."""
    if len(inputs) == len(parents):
        return {name: [parent] for name, parent in zip(inputs, parents)}
    return {name: list(parents) for name in inputs}


# ------------------------------------------------------------------------------ activations


def _fold_activations(result: ModelCard) -> None:
    consumers: dict[str, int] = {}
    for layer in result.layers:
        for parent in layer.inbound:
            consumers[parent] = consumers.get(parent, 0) + 1
    for output in result.outputs:  # a model output is read from outside, too
        consumers[output] = consumers.get(output, 0) + 1

    kept: list[LayerCard] = []
    renamed: dict[str, str] = {}
    for layer in result.layers:
        layer.inbound = [renamed.get(p, p) for p in layer.inbound]
        activation = _activation_of(layer)
        target = kept[-1] if kept else None
        if (
            activation is not None
            and target is not None
            and layer.inbound in ([target.name], [])
            and consumers.get(target.name, 0) <= 1
            and target.config.get("activation", "absent") in ("linear", None)
            and target.part == layer.part
        ):
            target.config["activation"] = activation
            target.folded.append(layer.name)
            target.output_shape = layer.output_shape
            renamed[layer.name] = target.name
            continue
        if activation is not None:  # ReLU(), Softmax() and Activation(...) are one kind of layer
            layer.kind, layer.config = "Activation", {"activation": activation}
        kept.append(layer)
    result.layers = kept
    result.outputs = [renamed.get(name, name) for name in result.outputs]
    for part in result.parts:
        part.layers = [name for name in part.layers if name not in renamed]


def _activation_of(layer: LayerCard) -> str | None:
    if layer.kind not in _ACTIVATION_LAYERS:
        return None
    if layer.kind == "ReLU" and any(layer.config.get(k) for k in ("max_value", "negative_slope")):
        return None
    return _ACTIVATION_LAYERS[layer.kind] or layer.config.get("activation")


# ------------------------------------------------------------------------------ order


def _order(card: ModelCard) -> None:
    """Depth first from the outputs, each layer after what feeds it; a sum's operands longest branch first."""
    layers = card.layers
    if len(layers) < 2:
        return
    index = {layer.name: i for i, layer in enumerate(layers)}
    parents = [[index[p] for p in layer.inbound if p in index] for layer in layers]
    depth = [0] * len(layers)
    size = [0] * len(layers)
    for i in _topological(parents):
        depth[i] = 1 + max((depth[p] for p in parents[i]), default=0)
        size[i] = 1 + sum(size[p] for p in set(parents[i]))

    def key(p: int):
        return (-depth[p], -size[p], layers[p].kind, repr(sorted(layers[p].config.items())))

    consumed = {p for ps in parents for p in ps}
    roots = [index[name] for name in card.outputs if name in index] or \
        [i for i in range(len(layers)) if i not in consumed]
    roots += [i for i in range(len(layers)) if i not in roots]
    order: list[int] = []
    done: set[int] = set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            i, expanded = stack.pop()
            if i in done:
                continue
            if expanded:
                done.add(i)
                order.append(i)
                continue
            stack.append((i, True))
            feeding = sorted(set(parents[i]), key=key) if layers[i].kind in COMMUTATIVE else \
                list(dict.fromkeys(parents[i]))
            stack.extend((p, False) for p in reversed(feeding) if p not in done)
    card.layers = [layers[i] for i in order]


def _topological(parents: list[list[int]]) -> list[int]:
    """Indices so that each comes after its parents (Kahn's algorithm; a cycle's members go last)."""
    waiting = [len(set(ps)) for ps in parents]
    children: dict[int, list[int]] = {}
    for i, ps in enumerate(parents):
        for p in set(ps):
            children.setdefault(p, []).append(i)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    order = []
    while ready:
        i = ready.pop()
        order.append(i)
        for child in children.get(i, []):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return order + [i for i in range(len(parents)) if i not in set(order)]
