"""``params``: parameter counts (``count``: total, trainable, non_trainable) of the model or of the
sub-model that ends at a layer (``through``: that layer and every layer it depends on)."""

from dataclasses import dataclass, field

from grader.checks.kind import CheckKind, Outcome
from grader.formatting import format_count
from grader.checks.where import cause_sentence, first_cause, layer_name, point
from grader.frameworks import framework
from grader.i18n import msg

COUNTS = ("total", "trainable", "non_trainable")


@dataclass(frozen=True)
class ParamsOptions:
    through: str | None = None
    count: list = field(default_factory=lambda: ["total"])

    NAMES = ("through", "count")

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "ParamsOptions":
        counts = raw.get("count", "total")
        counts = [counts] if isinstance(counts, str) else counts
        if not isinstance(counts, list) or not counts or not set(counts) <= set(COUNTS):
            raise ValueError(f"'count' must be one or more of {', '.join(COUNTS)}, got {raw.get('count')!r}")
        return cls(through=layer_name(raw, "through"), count=list(counts))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    counts, through = spec.settings.count, spec.settings.through
    if through is None:
        expected_all, found_all = _totals(match.reference), _totals(match.card)
        where = msg("params.where.model")
    else:
        ref_index, stu_index, missing = point(through, match, adapter)
        if missing:
            return missing
        expected_all = match.reference.params_through(ref_index)
        found_all = match.card.params_through(stu_index)
        where = msg("params.where.through", ref=through, describe=match.reference.layers[ref_index].describe())
    expected = {c: expected_all[c] for c in counts}
    found = {c: found_all[c] for c in counts}
    if expected == found:
        listed = [msg("params.count", count=format_count(found[c]), label=msg(f"params.label.{c}")) for c in counts]
        return Outcome(True, msg("params.pass", counts=listed, where=where), _single(expected), _single(found))
    wrong = [msg("params.wrong", expected=format_count(expected[c]), label=msg(f"params.label.{c}"),
                  found=format_count(found[c])) for c in counts if expected[c] != found[c]]
    up_to = ref_index if through else len(match.reference.layers) - 1
    split = any(c != "total" for c in counts)  # trainable counts: a layer that trains where it should not is a cause
    cause, fix = cause_sentence(first_cause(match, up_to, trainable=split), match, adapter)
    message = msg("params.fail.cause", wrong=wrong, where=where, cause=cause) if cause else \
        msg("params.fail", wrong=wrong, where=where)
    return Outcome(False, message, _single(expected), _single(found), hint=fix)


def _totals(card) -> dict[str, int]:
    return {"total": card.total_params, "trainable": card.trainable_params, "non_trainable": card.non_trainable_params}


def _single(values: dict):
    return next(iter(values.values())) if len(values) == 1 else values


def title(options: ParamsOptions):
    return msg("title.params.through", through=options.through) if options.through else msg("title.params")


KIND = CheckKind(name="params", run=run, title=title, options=ParamsOptions, measures=True)
