"""``connections``: a merge (``at``, or every layer of the reference with several inputs) takes the same
inputs as the reference's: the skip connection of a residual block, the branches of a concatenation.

A sum compares its inputs in any order (``x + y``, ``Add()([y, x])``); a concatenation in the
reference's order. A layer the student added on the way (a ``Dropout`` before the sum) is looked
through: the layer checks name it.

Example (a rubric check)::

    - {id: skip, kind: connections, model: residual, at: r_add, title: "The sum takes the block's input"}
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.graph import connection_fix, connection_message, feeds, merges, named, sentences, verb
from grader.checks.kind import CheckKind, Outcome
from grader.checks.where import layer_name
from grader.i18n import msg


@dataclass(frozen=True)
class ConnectionsOptions:
    at: str | None = None  # a layer of the reference; None: every merge

    NAMES = ("at",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "ConnectionsOptions":
        return cls(at=layer_name(raw, "at"))


def run(spec, match, context) -> Outcome:
    reference, student = match.reference, match.card
    targets = [reference.index(spec.settings.at)] if spec.settings.at else merges(reference)
    if not targets:
        return Outcome(False, msg("connections.none"), error=True)
    problems, hints, expected, found = [], [], {}, {}
    for i in targets:
        ref = reference.layers[i]
        expected[ref.name] = list(ref.inbound)
        j = match.student_index(i)
        if j is None:
            problems.append(msg("connections.missing", ref=ref.name, describe=ref.describe(), verb=verb(ref.kind),
                                expected=named(reference, ref.inbound, describe=True)))
            hints.append(msg("fix.add_merge", describe=ref.describe(), inputs=named(reference, ref.inbound)))
            continue
        result = feeds(reference, student, match.pairs, i, j)
        found[ref.name] = list(result.found)
        if not result.comparable:
            problems.append(msg("connections.unclear", layer=student.layers[j].name, ref=ref.name,
                                found=named(student, result.found), expected=named(reference, ref.inbound,
                                                                                   describe=True)))
        elif not result.same:
            problems.append(connection_message(reference, student, i, j, result))
            hints.append(connection_fix(student, j, result))
    listed = [msg("connections.one", ref=reference.layers[i].name, verb=verb(reference.layers[i].kind),
                  inputs=named(reference, reference.layers[i].inbound)) for i in targets]
    if not problems:
        message = msg("connections.pass.one", merge=listed[0]) if len(listed) == 1 else \
            msg("connections.pass.many", count=len(listed), first=reference.layers[targets[0]].name,
                last=reference.layers[targets[-1]].name)
        return Outcome(True, message, _short(expected), _short(found))
    return Outcome(False, sentences(problems), _short(expected), _short(found), hint=hints)


def _short(value: dict):
    return next(iter(value.values())) if len(value) == 1 else value


def title(options: ConnectionsOptions):
    return msg("title.connections.at", at=options.at) if options.at else msg("title.connections")


KIND = CheckKind(name="connections", run=run, title=title, options=ConnectionsOptions)
