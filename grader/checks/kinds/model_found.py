"""``model_found``: the grader found a model to grade, in the named variable or the closest one."""

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg


def run(spec, match, context) -> Outcome:
    if match.how == "closest" and match.notes:
        return Outcome(True, msg("model.found.closest", found=match.found, note=match.notes[0]), found=match.found)
    return Outcome(True, msg("model.found", found=match.found), found=match.found)


KIND = CheckKind(name="model_found", run=run, title=lambda options: msg("title.model_found"))
