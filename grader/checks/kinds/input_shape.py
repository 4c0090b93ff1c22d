"""``input_shape``: the model's input shape(s), without the batch axis, equal the reference's."""

from grader.checks.kind import CheckKind, Outcome
from grader.formatting import code_tuple, format_shape
from grader.frameworks import framework
from grader.i18n import msg


def run(spec, match, context) -> Outcome:
    expected = [s[1:] for s in match.reference.input_shapes]
    found = [s[1:] for s in match.card.input_shapes]
    hint = framework(match.framework).input_fix(expected[0]) if expected else ""
    if match.card.input_from_reference:
        return Outcome(False, msg("input.no_shape", shape=code_tuple(expected[0])), expected, None, hint=hint)
    if expected == found:
        return Outcome(True, msg("input.pass", shape=format_shape([None, *found[0]])), expected, found)
    return Outcome(False, msg("input.fail", expected=_shapes(expected), found=_shapes(found)), expected, found,
                   hint=hint)


def _shapes(shapes: list) -> str:
    return ", ".join(format_shape([None, *s]) for s in shapes) or "none"


KIND = CheckKind(name="input_shape", run=run, title=lambda options: msg("title.input_shape"))
