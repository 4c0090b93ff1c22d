"""What visible checks may know of a reference: hidden means hidden everywhere.

A hidden check keeps its expectations from students; so must every visible check, whose
messages are shown. A reference layer that only hidden checks examine (a span of a hidden
``layers`` check, the point of a hidden ``output_shape`` or ``params`` check) is *redacted* for
visible checks: its settings, output shape and parameter counts are removed, so no visible
message can name them (a visible check's "it starts at your layer ...: padding 'same' instead of
'valid'" would otherwise reveal a hidden check's answer). The counts a visible ``params`` check
needs through a point are kept as totals at that point, not per layer.

Visible checks are always graded against this redacted reference, in ``grade`` as in a student's
``grader check`` with a pack, so both give the same scores and messages.

Example:
    >>> from grader.cards.card import LayerCard, ModelCard
    >>> card = ModelCard("ref", layers=[LayerCard("conv", "Conv2D", {"filters": 96}, [None, 55, 55, 96], 34944),
    ...                                 LayerCard("pool", "MaxPooling2D", {}, [None, 27, 27, 96], 0, inbound=["conv"])])
    >>> reduced = redact(card, examined_visible={"pool"}, examined_hidden={"conv"}, through_points=["pool"])
    >>> reduced.layers[0].config, reduced.layers[0].redacted, reduced.params_through(1)["total"]
    ({}, True, 34944)
"""

from __future__ import annotations

import copy

from grader.cards.card import ModelCard

# Options of a check that name a point of the reference model.
POINT_OPTIONS = ("at", "through", "from", "to")


def examined_layers(card: ModelCard, options: dict, kind: str) -> set[str]:
    """The names of the (canonical) reference layers a check with ``options`` examines."""
    names = [layer.name for layer in card.layers]
    if kind == "layers":
        start = card.index(options["from"]) if options.get("from") else 0
        end = card.index(options["to"]) if options.get("to") else len(names) - 1
        return set(names[start:end + 1])
    point = options.get("at") or options.get("through")
    return {card.layers[card.index(point)].name} if point else set()


def redact(card: ModelCard, *, examined_visible: set[str], examined_hidden: set[str],
           through_points: list[str] = ()) -> ModelCard:
    """``card`` with the layers only hidden checks examine redacted (see the module's docstring).

    ``through_points`` are the layers visible ``params`` checks count through: their totals are
    kept on the card (:attr:`ModelCard.through_totals`) before any count is removed.
    """
    reduced = copy.deepcopy(card)
    reduced.through_totals = {name: card.params_through(card.index(name)) for name in through_points}
    for layer in reduced.layers:
        if layer.name in examined_hidden and layer.name not in examined_visible:
            layer.config, layer.output_shape, layer.redacted = {}, None, True
            layer.params = layer.trainable_params = layer.non_trainable_params = 0
    return reduced


def visible_references(rubric, references: dict[str, ModelCard]) -> dict[str, ModelCard]:
    """The references visible checks are graded against: redacted where hidden checks examine layers."""
    from grader.frameworks import framework

    result = {}
    for model_id, card in references.items():
        canonical = framework(rubric.models[model_id].framework).canonical(card)
        visible, hidden, through = set(), set(), []
        for activity in rubric.activities:
            for spec in activity.checks:
                if spec.model != model_id:
                    continue
                try:
                    names = examined_layers(canonical, spec.options, spec.kind)
                except KeyError:
                    continue  # a layer the reference lacks: check_points reports it
                (hidden if spec.hidden else visible).update(names)
                if spec.kind == "params" and spec.options.get("through") and not spec.hidden:
                    through.append(canonical.layers[canonical.index(spec.options["through"])].name)
        result[model_id] = redact(canonical, examined_visible=visible, examined_hidden=hidden,
                                  through_points=through) if hidden - visible else card
    return result
