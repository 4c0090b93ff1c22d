"""The aligned diff of a student's model against the reference: each mistake once, with what follows from it.

The two canonical cards are aligned like a diff (:mod:`grader.checks.align`). Every aligned
pair is compared attribute by attribute: kind, each setting (filters, units, kernel size,
strides, padding, activation, pool size, rate, ...), what feeds it (:mod:`grader.checks.graph`:
a skip connection taken from the wrong layer), whether its weights train, output shape and
parameter count. A pair whose kind, settings or inputs differ, and every missing or extra
layer, is a *cause*; layers that train where the reference's are frozen (or the other way round)
are one cause per stretch of them, or per nested model ("your base `mobilenet_1.00_224` trains"). A pair whose
kind and settings agree but whose shape or count differs is a *consequence* of the causes
before it: consequences are not reported one by one but summarized under the cause they
follow ("8 later layers have other output shapes: `conv3x3` outputs (None, 28, 28, 64)
instead of (None, 56, 56, 64)").

Example:
    >>> entries = pair_entries(match.reference, match.card, match.pairs)   # doctest: +SKIP
    >>> [msg["id"] for msg in findings(match.reference, match.card, match.pairs)]  # doctest: +SKIP
    ['diff.settings', 'diff.shapes_follow']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.cards.card import LayerCard, ModelCard
from grader.checks.align import differing_settings, setting_value
from grader.checks.graph import connection_fix, connection_message, feeds
from grader.checks.parts import freeze_fix
from grader.formatting import format_count, format_shape, show
from grader.frameworks import Framework
from grader.i18n import msg


@dataclass
class PairDiff:
    """One aligned pair and the attributes in which it differs."""

    ref: LayerCard | None
    stu: LayerCard | None
    settings: list[str] = field(default_factory=list)  # setting names that differ
    kind: bool = False
    shape: bool = False
    params: bool = False
    connections: Any = None  # a grader.checks.graph.Feeds when what feeds it differs
    trainable: bool = False  # its weights train where the reference's are frozen, or the other way round
    indices: tuple = (None, None)

    @property
    def status(self) -> str:
        if self.ref is None:
            return "extra"
        if self.stu is None:
            return "missing"
        return "differs" if self.attributes else "same"

    @property
    def cause(self) -> bool:
        return self.status in ("extra", "missing") or self.kind or bool(self.settings) or \
            self.connections is not None or self.trainable

    @property
    def attributes(self) -> list[str]:
        names = (["kind"] if self.kind else []) + list(self.settings)
        names += (["inputs"] if self.connections is not None else []) + (["trainable"] if self.trainable else [])
        return names + (["output_shape"] if self.shape else []) + (["params"] if self.params else [])


def pair_diffs(reference: ModelCard, student: ModelCard, pairs) -> list[PairDiff]:
    result = []
    # A card read from a module tree alone (a PyTorch forward() that could not be traced) has no graph:
    # what feeds its layers is unknown, not different.
    has_graph = any(layer.inbound for layer in student.layers)
    for i, j in pairs:
        ref = reference.layers[i] if i is not None else None
        stu = student.layers[j] if j is not None else None
        diff = PairDiff(ref, stu, indices=(i, j))
        if ref is not None and stu is not None:
            diff.kind = ref.kind != stu.kind
            diff.settings = [] if diff.kind else differing_settings(ref, stu)
            measured = not student.opaque_layers  # a card read from its description has no shapes or counts
            diff.shape = measured and ref.output_shape != stu.output_shape
            diff.params = measured and ref.params != stu.params
            diff.trainable = trains_differently(ref, stu)
            if not diff.kind and has_graph:
                found = feeds(reference, student, pairs, i, j)
                diff.connections = found if found.comparable and not found.same else None
        result.append(diff)
    return result


def trains_differently(ref: LayerCard, stu: LayerCard) -> bool:
    """Whether one layer's weights train and the other's are frozen (layers without weights: never)."""
    return ref.trainable != stu.trainable and ref.params > 0 and stu.params > 0 and \
        (ref.trainable_params > 0) != (stu.trainable_params > 0)


def setting_details(ref: LayerCard, stu: LayerCard, names: list[str]) -> list[dict]:
    return [msg("setting.differs", setting=k, found=_shown(k, setting_value(stu, k)),
                expected=_shown(k, setting_value(ref, k))) for k in names]


def _shown(setting: str, value: Any) -> str:
    """A setting's value as code; a regularizer is already code (``L2(0.0001)``), or none at all."""
    if setting.endswith("_regularizer"):
        return "None" if value is None else str(value)
    return show(value)


def cause_message(diff: PairDiff, reference: ModelCard | None = None, student: ModelCard | None = None) -> Any:
    """The sentence that names one cause: which layer, which attribute, expected and found."""
    ref, stu = diff.ref, diff.stu
    if ref is None:
        return msg("diff.extra", layer=stu.name, describe=stu.describe())
    if stu is None:
        return msg("diff.missing", ref=ref.name, describe=ref.describe())
    if diff.kind:
        return msg("diff.kind", layer=stu.name, describe=stu.describe(), ref=ref.name, ref_describe=ref.describe())
    sentences = []
    if diff.settings:
        sentences.append(msg("diff.settings", layer=stu.name, kind=stu.kind, ref=ref.name,
                             details=setting_details(ref, stu, diff.settings)))
    if diff.connections is not None and reference is not None and student is not None:
        sentences.append(connection_message(reference, student, *diff.indices, diff.connections))
    return sentences[0] if len(sentences) == 1 else msg("diff.both", first=sentences[0], second=sentences[1])


def _cause_fix(diff: PairDiff, student: ModelCard, adapter: Framework) -> Any:
    if diff.connections is not None and not diff.settings:
        return connection_fix(student, diff.indices[1], diff.connections)
    return adapter.fix_line(diff.ref, diff.stu)


def findings(reference: ModelCard, student: ModelCard, pairs, adapter: Framework) -> list[dict[str, Any]]:
    """The model's differences, each cause once, each followed by a summary of its consequences.

    Each finding is ``{"message": msg, "fix": str, "layer": name, "attributes": [...]}``; the fix is
    code in ``adapter``'s framework.
    """
    out: list[dict[str, Any]] = []
    expected_in = [list(s[1:]) for s in reference.input_shapes]
    found_in = [list(s[1:]) for s in student.input_shapes]
    if expected_in and found_in and expected_in != found_in and not student.input_from_reference:
        out.append({"message": msg("diff.input", expected=_shapes(expected_in), found=_shapes(found_in)),
                    "fix": adapter.input_fix(expected_in[0]), "layer": "input",
                    "attributes": ["input_shape"]})
        out.extend(_consequences(pair_diffs(reference, student, pairs), 0, None))
        return out
    diffs = pair_diffs(reference, student, pairs)
    groups = _consequence_groups(diffs)
    frozen = _trainable_groups(diffs, student)
    for index, diff in enumerate(diffs):
        if index in frozen:
            out.append(frozen[index])
        if not diff.cause or (diff.trainable and not _other_cause(diff)):
            continue
        out.append({"message": cause_message(diff, reference, student), "fix": _cause_fix(diff, student, adapter),
                    "layer": (diff.stu or diff.ref).name, "attributes": diff.attributes or [diff.status]})
        if index in groups:
            out.append(_summary(groups[index], diff))
    return out


def _other_cause(diff: PairDiff) -> bool:
    return diff.kind or bool(diff.settings) or diff.connections is not None


def _trainable_groups(diffs: list[PairDiff], student: ModelCard) -> dict[int, dict[str, Any]]:
    """Layers that train where the reference's are frozen (or the reverse), one finding per nested model
    or per stretch of layers, placed at the first of them."""
    found: dict[int, dict[str, Any]] = {}
    run: list[int] = []

    def close():
        if not run:
            return
        layers = [diffs[k].stu for k in run]
        trains = layers[0].trainable_params > 0
        params = sum((diffs[k].stu if trains else diffs[k].ref).trainable_params for k in run)
        parts = {layer.part for layer in layers}
        part = next((p for p in student.parts if p.name in parts), None) if len(parts) == 1 and "" not in parts \
            else None
        direction = "trains" if trains else "frozen"
        if part is not None:
            what = (part.application or {}).get("name") or part.kind
            message = msg(f"diff.trainable.part.{direction}", part=part.name, what=what, params=format_count(params))
        else:
            message = msg(f"diff.trainable.{direction}", count=len(layers), first=layers[0].name, last=layers[-1].name,
                          params=format_count(params))
        found[run[0]] = {"message": message, "fix": freeze_fix(student, part.name if part else "", trains),
                         "layer": part.name if part is not None else layers[0].name, "attributes": ["trainable"]}
        run.clear()

    for index, diff in enumerate(diffs):
        if not diff.trainable:
            continue
        if run:
            previous = diffs[run[-1]].stu
            same_way = (previous.trainable_params > 0) == (diff.stu.trainable_params > 0)
            if not same_way or previous.part != diff.stu.part:
                close()
        run.append(index)
    close()
    return found


def _consequence_groups(diffs: list[PairDiff]) -> dict[int, list[PairDiff]]:
    """Consequence-only pairs, grouped under the cause they follow from.

    That is the latest cause before them that changed its own output shape (a wrong stride),
    not an extra or missing layer met on the way (a projection on the shortcut), unless no
    cause changed a shape.
    """
    groups: dict[int, list[PairDiff]] = {}
    root = last = None
    for index, diff in enumerate(diffs):
        if diff.cause:
            last = index
            if diff.shape or root is None:
                root = index
        elif (diff.shape or diff.params) and last is not None:
            groups.setdefault(root if root is not None else last, []).append(diff)
    return groups


def _consequences(diffs: list[PairDiff], start: int, cause: PairDiff | None) -> list[dict[str, Any]]:
    following = [d for d in diffs[start:] if not d.cause and (d.shape or d.params)]
    return [_summary(following, cause)] if following else []


def _summary(following: list[PairDiff], cause: PairDiff | None) -> dict[str, Any]:
    """One sentence for every layer that differs only because of ``cause``."""
    shaped = [d for d in following if d.shape]
    names = [d.stu.name for d in following]
    if shaped:
        source = cause if cause is not None and cause.stu is not None and cause.ref is not None \
            and cause.stu.output_shape != cause.ref.output_shape else shaped[0]
        message = msg("diff.shapes_follow", count=len(following), first=f"`{names[0]}`", last=f"`{names[-1]}`",
                      layer=source.stu.name, found=format_shape(source.stu.output_shape),
                      expected=format_shape(source.ref.output_shape))
    else:
        message = msg("diff.params_follow", count=len(following), first=f"`{names[0]}`", last=f"`{names[-1]}`")
    return {"message": message, "fix": "", "layer": names[0], "attributes": ["consequence"]}


def _shapes(shapes: list) -> str:
    return ", ".join(format_shape([None, *s]) for s in shapes) or "none"
