"""Where a student's model departs from the reference: the aligned layer at a point, the first difference.

Shared by the check kinds that compare layers, shapes and counts. ``adapter`` is the model's
framework (:mod:`grader.frameworks`), which writes the code of a fix.
"""

from __future__ import annotations

from typing import Any

from grader.cards.card import LayerCard
from grader.checks.align import differing_settings
from grader.checks.diff import setting_details
from grader.checks.kind import Outcome
from grader.checks.matching import Match
from grader.formatting import format_shape
from grader.i18n import msg


def point(name: str | None, match: Match, adapter) -> tuple[int, int, Outcome | None]:
    """``(reference index, student index, None)`` of layer ``name`` (default: the last), or a failing
    outcome when the student's model has no counterpart."""
    ref_index = match.reference.index(name) if name else len(match.reference.layers) - 1
    stu_index = match.student_index(ref_index)
    if stu_index is None:
        ref = match.reference.layers[ref_index]
        last = match.card.layers[-1] if match.card.layers else None
        if last is not None:
            message = msg("point.missing.ends", ref=ref.name, describe=ref.describe(), last=last.name,
                          last_describe=last.describe(), last_shape=format_shape(last.output_shape))
        else:
            message = msg("point.missing", ref=ref.name, describe=ref.describe())
        return ref_index, -1, Outcome(False, message, expected=ref.output_shape, found=None,
                                      hint=adapter.fix_line(ref, None))
    return ref_index, stu_index, None


def first_difference_pair(match: Match, up_to: int) -> tuple[LayerCard | None, LayerCard | None]:
    """The first aligned pair, up to reference layer ``up_to``, whose kind or settings differ."""
    for i, j in match.pairs:
        if i is not None and i > up_to:
            break
        ref = match.reference.layers[i] if i is not None else None
        stu = match.card.layers[j] if j is not None else None
        if ref is not None and ref.redacted:
            continue  # only hidden checks examine it: a visible message never names it
        if ref is None or stu is None or ref.kind != stu.kind or differing_settings(ref, stu):
            return ref, stu
    return None, None


def first_cause(match: Match, up_to: int, *, trainable: bool = False):
    """The first aligned pair, up to reference layer ``up_to``, that is a cause (kind, settings, missing, extra,
    inputs; whether it trains, when ``trainable``), as a :class:`grader.checks.diff.PairDiff`, or None."""
    from grader.checks.diff import pair_diffs

    for diff in pair_diffs(match.reference, match.card, match.pairs):
        i = diff.indices[0]
        if i is not None and i > up_to:
            break
        if diff.status in ("extra", "missing") or diff.kind or diff.settings or diff.connections is not None or \
                (trainable and diff.trainable):
            return diff
    return None


def cause_sentence(diff, match: Match, adapter) -> tuple[Any, Any]:
    """``(sentence, fix)`` for where a model starts to differ (``diff`` from :func:`first_cause`)."""
    from grader.checks.graph import connection_fix, named, verb

    if diff is None:
        return "", ""
    if diff.ref is not None and diff.stu is not None and not diff.kind and not diff.settings:
        if diff.connections is not None:
            stu, ref = diff.stu, diff.ref
            sentence = msg("cause.connections", layer=stu.name, kind=stu.kind, verb=verb(stu.kind),
                           found=named(match.card, diff.connections.found), ref_verb=verb(ref.kind),
                           expected=named(match.reference, diff.connections.expected, describe=True))
            return sentence, connection_fix(match.card, diff.indices[1], diff.connections)
        if diff.trainable:
            trains = diff.stu.trainable_params > 0
            from grader.checks.parts import freeze_fix

            return msg("cause.trains" if trains else "cause.frozen", layer=diff.stu.name, kind=diff.stu.kind), \
                freeze_fix(match.card, diff.stu.part, trains)
    return first_difference(diff.ref, diff.stu), adapter.fix_line(diff.ref, diff.stu)


def first_difference(ref: LayerCard | None, stu: LayerCard | None) -> Any:
    """The sentence that names where a model starts to differ from the reference."""
    if ref is None and stu is None:
        return ""
    if ref is None:
        return msg("cause.extra", layer=stu.name, describe=stu.describe())
    if stu is None:
        return msg("cause.missing", ref=ref.name, describe=ref.describe())
    if ref.kind != stu.kind:
        return msg("cause.kind", layer=stu.name, describe=stu.describe(), ref_describe=ref.describe())
    return msg("cause.settings", layer=stu.name, kind=stu.kind,
               details=setting_details(ref, stu, differing_settings(ref, stu)))


def layer_name(raw: dict, key: str) -> str | None:
    """Option ``key`` of a check: the name of a layer of the reference model, or absent."""
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{key}' must be the name of a layer of the reference model, got {value!r}")
    return value
