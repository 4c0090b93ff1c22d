"""``ensemble``: the models of an ensemble (a list of models, ``members``) are each like the reference,
there are at least ``min_members`` of them, and the student's ``average`` is the mean of their
predictions on ``inputs``.

Once the student's code has run, the grader asks the student's own process (it holds the trained
members) to predict with each member on the first ``rows`` examples of ``inputs`` and compare the
mean with ``average`` (:mod:`grader_inside.keras.inspect`): an answer of the student's process,
reported as such. The members themselves are rebuilt and compared here, like any model.

Example (a rubric check)::

    - {id: average, kind: ensemble, model: member, members: models, average: average_probabilities, inputs: x_test}
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.checks.parts import SAME, alike
from grader.frameworks import framework
from grader.i18n import msg

TOLERANCE = 1e-4  # float32 predictions summed in another order


@dataclass(frozen=True)
class EnsembleOptions:
    members: str = "models"
    average: str = ""
    inputs: str = ""
    min_members: int = 2
    rows: int = 256

    NAMES = ("members", "average", "inputs", "min_members", "rows")

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "EnsembleOptions":
        for key in ("members", "average", "inputs"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.isidentifier():
                raise ValueError(f"'{key}' must be the name of a variable of the student's code, got {value!r}")
        for key, low in (("min_members", 1), ("rows", 1)):
            value = raw.get(key, getattr(cls, key))
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"'{key}' must be a whole number >= {low}, got {value!r}")
        return cls(members=raw["members"], average=raw["average"], inputs=raw["inputs"],
                   min_members=raw.get("min_members", 2), rows=raw.get("rows", 256))


def question(spec) -> dict:
    options = spec.settings
    return {"kind": "ensemble", "members": options.members, "average": options.average, "inputs": options.inputs,
            "rows": options.rows}


def run(spec, match, context) -> Outcome:
    options = spec.settings
    adapter = framework(match.framework)
    answers = [e for e in context.execution.events if e.get("event") == "inspected" and e.get("check") == spec.id]
    expected = {"members": f">= {options.min_members}", "average": "mean"}
    if not answers:
        return Outcome(False, msg("ensemble.no_answer", members=options.members), expected, None)
    answer = answers[-1]
    if answer.get("error"):
        return Outcome(False, msg("ensemble.error", error=answer["error"]), expected, None)
    if answer.get("missing"):
        return Outcome(False, msg("ensemble.missing", name=answer.get("name")), expected, None)
    if answer.get("not_models"):
        return Outcome(False, msg("ensemble.not_models", name=options.members, type=answer.get("type")), expected, None)
    members = answer.get("members") or []
    found = {"members": len(members)}
    if len(members) < options.min_members:
        return Outcome(False, msg("ensemble.few", name=options.members, count=len(members), minimum=options.min_members),
                       expected, found)
    captures = {c.object_id: c for c in context.execution.captures if c.architecture}
    unlike = []
    for position, member in enumerate(members):
        capture = captures.get(member)
        outline = adapter.outline(capture.architecture, capture.variable) if capture else None
        if outline is None or alike(match.reference, adapter.canonical(outline), adapter.families) < SAME:
            unlike.append(f"{options.members}[{position}]")
    if unlike:
        return Outcome(False, msg("ensemble.unlike", members=", ".join(f"`{m}`" for m in unlike), title=match.title),
                       expected, found)
    if answer.get("max_difference") is None:
        return Outcome(False, msg("ensemble.shape", name=options.average, shape=answer.get("shape"),
                                  expected=answer.get("expected_shape")), expected, found)
    found["average"] = answer["max_difference"]
    if answer["max_difference"] > TOLERANCE:
        return Outcome(False, msg("ensemble.not_mean", name=options.average, count=len(members),
                                  difference=f"{answer['max_difference']:.3g}", rows=answer.get("rows")),
                       expected, found, hint=msg("fix.ensemble", members=options.members))
    return Outcome(True, msg("ensemble.pass", count=len(members), name=options.average, members=options.members,
                             rows=answer.get("rows")), expected, found)


def title(options: EnsembleOptions):
    return msg("title.ensemble", name=options.average)


KIND = CheckKind(name="ensemble", run=run, title=title, options=EnsembleOptions, inspect=question, reference_checkable=False)
