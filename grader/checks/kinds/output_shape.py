"""``output_shape``: the output shape of one layer (option ``at``, default the last) equals the reference's."""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.formatting import format_shape
from grader.checks.where import cause_sentence, first_cause, layer_name, point
from grader.frameworks import framework
from grader.i18n import msg


@dataclass(frozen=True)
class OutputShapeOptions:
    at: str | None = None  # a layer of the reference; None: its last layer

    NAMES = ("at",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "OutputShapeOptions":
        return cls(at=layer_name(raw, "at"))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    ref_index, stu_index, missing = point(spec.settings.at, match, adapter)
    if missing:
        return missing
    ref, stu = match.reference.layers[ref_index], match.card.layers[stu_index]
    if ref.output_shape == stu.output_shape:
        return Outcome(True, msg("output.pass", shape=format_shape(stu.output_shape), ref=ref.name,
                                 describe=ref.describe()), ref.output_shape, stu.output_shape)
    message = msg("output.fail", expected=format_shape(ref.output_shape), ref=ref.name, describe=ref.describe(),
                  layer=stu.name, layer_describe=stu.describe(), found=format_shape(stu.output_shape))
    cause, fix = cause_sentence(first_cause(match, ref_index), match, adapter)
    if cause:
        message = msg("output.fail.cause", base=message, cause=cause)
    return Outcome(False, message, ref.output_shape, stu.output_shape, hint=fix)


def title(options: OutputShapeOptions):
    return msg("title.output_shape", at=options.at) if options.at else msg("title.output_shape.last")


KIND = CheckKind(name="output_shape", run=run, title=title, options=OutputShapeOptions, measures=True)
