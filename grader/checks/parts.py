"""Nested models inside a student's model: finding the one that stands for a rubric model, as a card.

A canonical card lists its nested models as parts (:class:`~grader.cards.part.PartCard`), their
layers opened into the card. A part is found for a reference (the rubric's ``base_mobilenet``, the
GAN's ``generadora``) by aligning its layers with the reference's, whether its weights train or
not (the same discriminator, frozen inside the GAN, is still the discriminator). A model written
flat (the slides' transfer learning: the base's layers straight into one model) has no part: its
counterpart is the run of layers aligned with the reference's own.

Example:
    >>> from grader.cards.card import LayerCard, ModelCard
    >>> from grader.cards.part import PartCard
    >>> card = ModelCard("gan", layers=[LayerCard("g1", "Dense", {"units": 4}, part="g"),
    ...                                 LayerCard("d1", "Dense", {"units": 1}, inbound=["g1"], part="d", trainable=False)],
    ...                  parts=[PartCard("g", layers=["g1"]), PartCard("d", layers=["d1"], trainable=False)])
    >>> [layer.name for layer in part_card(card, card.parts[1]).layers]
    ['d1']
    >>> find_part(card, ModelCard("ref", layers=[LayerCard("x", "Dense", {"units": 1})]))[0].name
    'd'
"""

from __future__ import annotations

import copy

from grader.cards.card import ModelCard
from grader.cards.part import PartCard
from grader.checks.align import align, similarity

SAME = 0.999  # a similarity this high is "the same network"


def top_parts(card: ModelCard) -> list[PartCard]:
    """The models nested directly in ``card`` (not those nested in them), in graph order."""
    order = {layer.name: i for i, layer in enumerate(card.layers)}
    parts = [part for part in card.parts if not part.parent]
    return sorted(parts, key=lambda part: min((order.get(name, 10**9) for name in part.layers), default=10**9))


def part_card(card: ModelCard, part: PartCard) -> ModelCard:
    """The layers of one part as a card of their own (input and output shapes as the part's)."""
    names = set(part.layers)
    layers = [copy.deepcopy(layer) for layer in card.layers if layer.name in names]
    return _card(part.name, layers, part.input_shapes, part.output_shapes)


def _card(name, layers, input_shapes, output_shapes) -> ModelCard:
    return ModelCard(name=name, layers=layers, input_shapes=list(input_shapes), output_shapes=list(output_shapes),
                     total_params=sum(layer.params for layer in layers),
                     trainable_params=sum(layer.trainable_params for layer in layers),
                     non_trainable_params=sum(layer.non_trainable_params for layer in layers))


def alike(reference: ModelCard, candidate: ModelCard, families: tuple = ()) -> float:
    """:func:`similarity` as if every layer trained: the same network, frozen or not."""
    return similarity(_trainable(reference), _trainable(candidate), families)


def _trainable(card: ModelCard) -> ModelCard:
    copied = copy.copy(card)
    copied.layers = [copy.copy(layer) for layer in card.layers]
    for layer in copied.layers:
        layer.trainable = True
    return copied


def find_part(card: ModelCard, reference: ModelCard, families: tuple = (), *,
              exclude: set[str] = frozenset()) -> tuple[PartCard | None, float]:
    """The part of ``card`` most like ``reference`` and how alike (0 when the card has no part)."""
    best, score = None, 0.0
    for part in top_parts(card):
        if part.name in exclude:
            continue
        value = alike(reference, part_card(card, part), families)
        if value > score:
            best, score = part, value
    return best, score


def counterpart_layers(card: ModelCard, reference: ModelCard, families: tuple = ()) -> list[int]:
    """The indices of ``card``'s layers aligned with ``reference``'s (a flat model's run of base layers)."""
    pairs = align(_trainable(reference).layers, _trainable(card).layers, families)
    return sorted(j for i, j in pairs if i is not None and j is not None)


def sub_card(card: ModelCard, indices: list[int], name: str) -> ModelCard:
    layers = [copy.deepcopy(card.layers[j]) for j in indices]
    return _card(name, layers, card.input_shapes[:1], [layers[-1].output_shape] if layers else [])


def freeze_fix(card: ModelCard, part_name: str, trains: bool):
    """The fix for weights that train where they should not (``trains``), or the reverse: on the nested
    model by its variable's name when the layers belong to one, else on each layer."""
    from grader.i18n import msg

    part = next((p for p in card.parts if p.name == part_name), None) if part_name else None
    if part is not None:
        return msg("fix.freeze.part" if trains else "fix.unfreeze.part", model=part.variable or part.name)
    return msg("fix.freeze" if trains else "fix.unfreeze")
