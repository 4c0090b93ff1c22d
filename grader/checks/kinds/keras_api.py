"""``keras_api``: the code uses the current Keras API (no old call in the source, none translated)."""

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg


def run(spec, context) -> Outcome:
    count = max(len(context.old_calls), len(context.translations))
    if count == 0:
        return Outcome(True, msg("legacy.check.pass"), 0, 0)
    first = context.old_calls[0] if context.old_calls else None
    return Outcome(False, msg("legacy.penalty", count=count, points=f"{spec.points:g}"), 0, count,
                   hint=first["now"] if first else context.translations[0]["new"])


KIND = CheckKind(name="keras_api", run=run, title=lambda options: msg("legacy.check.title"), about="submission")
