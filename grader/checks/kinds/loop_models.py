"""``loop_models``: a model built inside a loop, once per fold of a cross-validation (``count`` folds,
a fresh model in each: ``fresh: true``, the default).

The graded model is one fold's (the last one the loop left, as every model check grades). How
many models the loop built, and whether each fold trained a new one rather than the same one
again (whose weights then carry over from fold to fold), is read from two observations of the
grader's own in the student's process: the distinct model objects held by the graded variable
in its file (every state it held, when the runner keeps them), and the ``fit()`` calls made in the
graded model's cell with the model object each one trained (:mod:`grader.checks.kinds.fit_call`).

Example (a rubric check)::

    - {id: e6-folds, kind: loop_models, model: pima, count: 5, title: "5 particiones, una red nueva en cada una"}
"""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg


@dataclass(frozen=True)
class LoopOptions:
    count: int
    fresh: bool = True

    NAMES = ("count", "fresh")

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "LoopOptions":
        count, fresh = raw.get("count"), raw.get("fresh", True)
        if isinstance(count, bool) or not isinstance(count, int) or count < 2:
            raise ValueError(f"'count' must be the number of folds (a whole number >= 2), got {count!r}")
        if not isinstance(fresh, bool):
            raise ValueError(f"'fresh' must be true or false, got {fresh!r}")
        return cls(count, fresh)


def run(spec, match, context) -> Outcome:
    options, capture = spec.settings, match.capture
    execution = context.execution
    held = {c.object_id for c in execution.captures
            if c.file == capture.file and c.variable == capture.variable and c.object_id}
    calls = [c for c in execution.fit_calls if c["file"] == capture.file and
             (c.get("cell") is None or capture.where.startswith("line") or c.get("cell") == capture.where)]
    # The hook numbers each model object it sees (ids of freed models recur); by id where it could not.
    trained = [c.get("serial") or f"id {c.get('object')}" for c in calls]
    models = set(trained) if len(set(trained)) >= len(held) else held
    expected = {"models": options.count, "fresh": options.fresh}
    found = {"models": len(models), "fit_calls": len(calls)}
    name = capture.variable
    if not calls and len(held) <= 1:
        if execution.fit_cap is None:
            return Outcome(False, msg("loop.unobserved", model=name), expected, found, error=True)
        return Outcome(False, msg("loop.none", model=name), expected, found, hint=msg("loop.hint"))
    if options.fresh and trained and len(set(trained)) < len(trained):
        reused = max(trained.count(o) for o in set(trained))
        return Outcome(False, msg("loop.reused", model=name, times=reused, models=len(set(trained))), expected,
                       found, hint=msg("loop.hint"))
    if len(models) != options.count:
        return Outcome(False, msg("loop.count", model=name, found=len(models), expected=options.count), expected,
                       found, hint=msg("loop.hint"))
    return Outcome(True, msg("loop.pass", model=name, count=len(models)), expected, found)


KIND = CheckKind(name="loop_models", run=run, title=lambda options: msg("title.loop_models", count=options.count),
                 options=LoopOptions)
