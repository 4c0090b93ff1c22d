"""Canonical form of a model card, so that equivalent ways of writing a model compare equal.

``Conv2D(96, 11, activation="relu")`` and ``Conv2D(96, 11)`` followed by
``Activation("relu")`` compute the same thing; so do ``input_shape=`` and ``keras.Input``
(input layers never appear in a card). Canonicalizing folds a stand-alone activation into
the layer it follows, when that layer has no activation of its own and nothing else reads
its output; one that cannot be folded (after an ``Add``, say) becomes an ``Activation`` layer,
whichever way it was written.

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

_ACTIVATION_LAYERS = {"Activation": None, "ReLU": "relu", "Softmax": "softmax"}


def canonical(card: ModelCard) -> ModelCard:
    """Return a copy of ``card`` with stand-alone activations folded into their layer."""
    result = copy.deepcopy(card)
    consumers: dict[str, int] = {}
    for layer in result.layers:
        for parent in layer.inbound:
            consumers[parent] = consumers.get(parent, 0) + 1

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
    return result


def _activation_of(layer: LayerCard) -> str | None:
    if layer.kind not in _ACTIVATION_LAYERS:
        return None
    if layer.kind == "ReLU" and any(layer.config.get(k) for k in ("max_value", "negative_slope")):
        return None
    return _ACTIVATION_LAYERS[layer.kind] or layer.config.get("activation")
