"""``runs``: the whole submission ran to the end without errors, within its limits, and built a model."""

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg


def run(spec, context) -> Outcome:
    execution = context.execution
    if execution.status == "ok" and context.matches and not execution.captures:
        # Empty code runs cleanly too; a handed-in blank handout must not earn this point.
        return Outcome(False, msg("runs.no_model"), "ok", "no model", hint=msg("runs.no_model.hint"))
    if execution.status == "ok":
        return Outcome(True, msg("runs.pass"), "ok", "ok")
    failing = [c for c in execution.cells if c.status != "ok"]
    hint = failing[0].hint if failing else ""
    return Outcome(False, msg("runs.fail", message=context.execution_message or execution.message),
                   "ok", execution.status, hint=hint)


KIND = CheckKind(name="runs", run=run, title=lambda options: msg("title.runs"), about="submission")
