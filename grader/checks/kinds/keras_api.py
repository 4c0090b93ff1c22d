"""``keras_api``: the code uses the current Keras API (no old call in the source, none translated)."""

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg


def run(spec, context) -> Outcome:
    count = max(len(context.old_calls), len(context.translations))
    if count == 0 and context.matches and not context.execution.captures:
        # As for ``runs``: a handed-in blank handout uses no old call, and must not earn this point either.
        return Outcome(False, msg("runs.no_model"), 0, None, hint=msg("runs.no_model.hint"))
    if count == 0:
        return Outcome(True, msg("legacy.check.pass"), 0, 0)
    first = context.old_calls[0] if context.old_calls else None
    return Outcome(False, msg("legacy.penalty", count=count, points=f"{spec.points:g}"), 0, count,
                   hint=first["now"] if first else context.translations[0]["new"])


KIND = CheckKind(name="keras_api", run=run, title=lambda options: msg("legacy.check.title"), about="submission")
