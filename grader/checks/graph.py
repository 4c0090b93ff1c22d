"""Which layers feed which: a student's connections against the reference's, through the alignment.

A layer's inputs are compared as what they are in the graph: the reference's ``r_add`` sums the
model's input and ``r_expand``; the student's counterpart of ``r_add`` must sum the student's
input and the student's counterpart of ``r_expand``, in any order for a sum (``Add``,
``Multiply``, ``Average``, ``Maximum``, ``Minimum``), in the reference's order otherwise
(``Concatenate``). A layer the student added on the way (a ``Dropout`` before the sum) or one
the student left out is looked through: the sum still takes the right tensor, and the layer
diff already names the extra or missing layer (one mistake, one sentence). Where that cannot be
done (a merge left out), the connection is not compared.

Example:
    >>> from grader.cards.card import LayerCard, ModelCard
    >>> def block(name, skip):
    ...     return ModelCard(name, input_names=["x"], layers=[LayerCard("c", "Conv2D", inbound=["x"]),
    ...         LayerCard("e", "Conv2D", inbound=["c"]), LayerCard("add", "Add", inbound=[skip, "e"])])
    >>> pairs = [(0, 0), (1, 1), (2, 2)]
    >>> feeds(block("r", "x"), block("s", "x"), pairs, 2, 2).same
    True
    >>> wrong = feeds(block("r", "x"), block("s", "c"), pairs, 2, 2)
    >>> wrong.same, wrong.found, wrong.wanted
    (False, ['c', 'e'], ['x', 'e'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.cards.card import ModelCard
from grader.i18n import msg

COMMUTATIVE = frozenset({"Add", "Multiply", "Average", "Maximum", "Minimum"})
VERBS = {"Add": "graph.verb.add", "Concatenate": "graph.verb.concatenate", "Multiply": "graph.verb.multiply",
         "Average": "graph.verb.average", "Subtract": "graph.verb.subtract"}


@dataclass
class Feeds:
    """What feeds one aligned pair: comparable (every input has a counterpart), and whether it is the same."""

    comparable: bool
    same: bool
    expected: list[str] = field(default_factory=list)  # the reference layer's inputs (names)
    found: list[str] = field(default_factory=list)  # the student layer's inputs (names)
    wanted: list[str] = field(default_factory=list)  # the student's counterparts of the reference's inputs


def feeds(reference: ModelCard, student: ModelCard, pairs, ref_index: int, stu_index: int) -> Feeds:
    """Compare what feeds reference layer ``ref_index`` with what feeds its counterpart ``stu_index``."""
    ref, stu = reference.layers[ref_index], student.layers[stu_index]
    ref_at = {layer.name: i for i, layer in enumerate(reference.layers)}
    stu_at = {layer.name: j for j, layer in enumerate(student.layers)}
    counterpart = {i: j for i, j in pairs if i is not None and j is not None}
    paired_student = set(counterpart.values())
    wanted, expected_tokens, comparable = [], [], True
    for parent in ref.inbound:
        parent = _through(reference, parent, ref_at, set(counterpart))
        if parent is None:
            comparable = False
            wanted.append("?")
            expected_tokens.append(("missing", ""))
        elif parent in ref_at:
            j = counterpart[ref_at[parent]]
            wanted.append(student.layers[j].name)
            expected_tokens.append(("layer", j))
        else:
            position = _input_position(reference, parent)
            wanted.append(_input_name(student, position))
            expected_tokens.append(("input", position))
    found_tokens = []
    for parent in stu.inbound:
        parent = _through(student, parent, stu_at, paired_student)
        if parent is None:
            comparable = False
            found_tokens.append(("missing", ""))
        elif parent in stu_at:
            found_tokens.append(("layer", stu_at[parent]))
        else:
            found_tokens.append(("input", _input_position(student, parent)))
    if ref.kind in COMMUTATIVE:
        same = sorted(expected_tokens) == sorted(found_tokens)
    else:
        same = expected_tokens == found_tokens
    return Feeds(comparable=comparable, same=same, expected=list(ref.inbound), found=list(stu.inbound), wanted=wanted)


def _through(card: ModelCard, name: str, at: dict[str, int], paired: set[int]) -> str | None:
    """``name``, or the first paired layer (or input) above it through unpaired one-input layers; None when
    an unpaired layer with several inputs is in the way."""
    seen = 0
    while name in at and at[name] not in paired:
        inbound = card.layers[at[name]].inbound
        if len(set(inbound)) != 1 or seen > len(at):
            return None
        name, seen = inbound[0], seen + 1
    return name


def _input_position(card: ModelCard, name: str) -> int:
    return card.input_names.index(name) if name in card.input_names else 0


def _input_name(card: ModelCard, position: int) -> str:
    return card.input_names[position] if position < len(card.input_names) else "input"


def merges(card: ModelCard) -> list[int]:
    """The layers that take more than one input (the merges: ``Add``, ``Concatenate``, ...), in order."""
    return [i for i, layer in enumerate(card.layers) if len(layer.inbound) > 1]


def named(card: ModelCard, names: list[str], *, describe: bool = False) -> Any:
    """The inputs ``names`` of a layer of ``card`` as words: "the input `x`", "`conv2d_7`" (joined with "and")."""
    layers = {layer.name: layer for layer in card.layers}
    words = []
    for name in names:
        if name in layers:
            layer = layers[name]
            words.append(msg("graph.layer.described", layer=name, describe=layer.describe()) if describe else
                         msg("graph.layer", layer=name))
        elif name == "?":
            words.append(msg("graph.nothing"))
        else:
            words.append(msg("graph.input", name=name))
    return joined(words)


def joined(words: list) -> Any:
    """``a``, ``a and b``, ``a, b and c`` as a message."""
    if not words:
        return msg("graph.nothing")
    if len(words) == 1:
        return words[0]
    head = words[0]
    for word in words[1:-1]:
        head = msg("graph.comma", first=head, rest=word)
    return msg("graph.and", first=head, last=words[-1])


def sentences(items: list) -> Any:
    """Several sentences (messages) as one message, separated by a space."""
    if not items:
        return ""
    text = items[0]
    for item in items[1:]:
        text = msg("diff.both", first=text, second=item)
    return text


def verb(kind: str) -> dict:
    return msg(VERBS.get(kind, "graph.verb.takes"))


def connection_message(reference: ModelCard, student: ModelCard, ref_index: int, stu_index: int, result: Feeds) -> dict:
    """The sentence for a misplaced connection: what the student's layer takes, what the reference's takes."""
    ref, stu = reference.layers[ref_index], student.layers[stu_index]
    return msg("diff.connections", layer=stu.name, kind=stu.kind, verb=verb(stu.kind),
               found=named(student, result.found), ref=ref.name, ref_verb=verb(ref.kind),
               expected=named(reference, result.expected, describe=True), wanted=named(student, result.wanted))


def connection_fix(student: ModelCard, stu_index: int, result: Feeds) -> dict:
    return msg("fix.connect", layer=student.layers[stu_index].name, inputs=named(student, result.wanted))
