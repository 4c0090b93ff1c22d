"""The check kinds a rubric can use. Each is a small function: (spec, context) -> outcome.

Every expected value comes from the reference card; every found value from the card the
grader rebuilt from the student's exported architecture. A check returns its status, a
message for the student (a message id with fields, see :mod:`grader.i18n`, rendered later in
the report's language) and the expected/found values as plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from grader.cards.card import LayerCard
from grader.checks.align import differing_settings
from grader.checks.diff import setting_details, show
from grader.checks.fix import fix_line
from grader.checks.matching import Match
from grader.checks.result import format_count, format_shape
from grader.execution.result import ExecutionResult
from grader.grading.rubric import CheckSpec
from grader.i18n import msg


# Kinds that read output shapes or parameter counts (unknown for a student's own layer classes).
MEASURING_KINDS = ("output_shape", "params", "train")


@dataclass
class Outcome:
    passed: bool
    message: Any  # a message (grader.i18n.msg) or plain text
    expected: Any = None
    found: Any = None
    hint: Any = ""  # code, or a message
    error: bool = False  # the check could not be evaluated (as opposed to failed)


@dataclass
class CheckContext:
    matches: dict[str, Match]
    execution: ExecutionResult
    execution_message: Any = ""  # the execution summary as a message, for the runs check
    old_calls: list = field(default_factory=list)  # old Keras calls found in the source
    translations: list = field(default_factory=list)  # what legacy mode translated while it ran
    training: Any = None  # a grader.training.check.TrainingContext, for train checks


def run_check(spec: CheckSpec, context: CheckContext) -> Outcome:
    if spec.kind == "runs":
        return check_runs(spec, context)
    if spec.kind == "keras_api":
        return check_keras_api(spec, context)
    match = context.matches[spec.model]
    if match.problem:
        return Outcome(False, msg("check.unreadable", problem=match.problem), error=True)
    if match.card is None:
        outcome = _missing_model(match)
        if context.execution.status != "ok":
            outcome.message = msg("model.missing.stopped", base=outcome.message)
        return outcome
    if spec.kind in MEASURING_KINDS and match.card.opaque_layers:
        return Outcome(False, msg("check.opaque", layers=", ".join(match.card.opaque_layers)), error=True)
    if spec.kind == "train":
        from grader.training.check import check_train

        return check_train(spec, match, context.training)
    return CHECKS[spec.kind](spec, match)


def _missing_model(match: Match) -> Outcome:
    names = " or ".join(f"`{v}`" for v in match.variables) or msg("model.any_variable")
    return Outcome(False, msg("model.missing", title=match.title or match.model_id, names=names),
                   expected=match.variables, found=None)


def check_model_found(spec: CheckSpec, match: Match) -> Outcome:
    if match.how == "closest" and match.notes:
        return Outcome(True, msg("model.found.closest", found=match.found, note=match.notes[0]), found=match.found)
    return Outcome(True, msg("model.found", found=match.found), found=match.found)


def check_input_shape(spec: CheckSpec, match: Match) -> Outcome:
    expected = [s[1:] for s in match.reference.input_shapes]
    found = [s[1:] for s in match.card.input_shapes]
    hint = f"keras.Input(shape={_tuple(expected[0])})"
    if match.card.input_from_reference:
        return Outcome(False, msg("input.no_shape", shape=_tuple(expected[0])), expected, None, hint=hint)
    if expected == found:
        return Outcome(True, msg("input.pass", shape=format_shape([None, *found[0]])), expected, found)
    return Outcome(False, msg("input.fail", expected=_shapes(expected), found=_shapes(found)), expected, found,
                   hint=hint)


def check_output_shape(spec: CheckSpec, match: Match) -> Outcome:
    ref_index, stu_index, missing = _point(spec.options.get("at"), match)
    if missing:
        return missing
    ref, stu = match.reference.layers[ref_index], match.card.layers[stu_index]
    if ref.output_shape == stu.output_shape:
        return Outcome(True, msg("output.pass", shape=format_shape(stu.output_shape), ref=ref.name,
                                 describe=ref.describe()), ref.output_shape, stu.output_shape)
    message = msg("output.fail", expected=format_shape(ref.output_shape), ref=ref.name, describe=ref.describe(),
                  layer=stu.name, layer_describe=stu.describe(), found=format_shape(stu.output_shape))
    first = _first_difference_pair(match, ref_index)
    cause = _first_difference(*first)
    if cause:
        message = msg("output.fail.cause", base=message, cause=cause)
    return Outcome(False, message, ref.output_shape, stu.output_shape, hint=fix_line(*first))


def check_params(spec: CheckSpec, match: Match) -> Outcome:
    counts = spec.options.get("count", "total")
    counts = [counts] if isinstance(counts, str) else list(counts)
    through = spec.options.get("through")
    if through is None:
        expected_all, found_all = _totals(match.reference), _totals(match.card)
        where = msg("params.where.model")
    else:
        ref_index, stu_index, missing = _point(through, match)
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
    first = _first_difference_pair(match, ref_index if through else len(match.reference.layers) - 1)
    cause = _first_difference(*first)
    message = msg("params.fail.cause", wrong=wrong, where=where, cause=cause) if cause else \
        msg("params.fail", wrong=wrong, where=where)
    return Outcome(False, message, _single(expected), _single(found), hint=fix_line(*first))


def check_layers(spec: CheckSpec, match: Match) -> Outcome:
    ref_layers = match.reference.layers
    start = match.reference.index(spec.options["from"]) if "from" in spec.options else 0
    end = match.reference.index(spec.options["to"]) if "to" in spec.options else len(ref_layers) - 1
    only = spec.options.get("settings")
    problems: list[dict] = []
    hints: list[Any] = []
    expected, found = [], []
    student_span: list[int] = []
    for i in range(start, end + 1):
        ref = ref_layers[i]
        expected.append(ref.describe())
        j = match.student_index(i)
        if j is None:
            problems.append(msg("layers.missing", ref=ref.name, describe=ref.describe()))
            hints.append(fix_line(ref, None))
            continue
        stu = match.card.layers[j]
        student_span.append(j)
        found.append(stu.describe())
        if stu.kind != ref.kind:
            problems.append(msg("layers.kind", ref=ref.name, describe=ref.describe(), layer=stu.name,
                                layer_describe=stu.describe()))
            hints.append(fix_line(ref, stu))
            continue
        wrong = differing_settings(ref, stu, only)
        if wrong:
            problems.append(msg("layers.settings", layer=stu.name, kind=stu.kind,
                                details=setting_details(ref, stu, wrong)))
            hints.append(fix_line(ref, stu))
    if student_span:
        # Extra layers inside the stretch, chained between the previous reference layer's
        # counterpart and the stretch, or trailing the model when the stretch ends it, belong here.
        before = [match.student_index(i) for i in range(start - 1, -1, -1)]
        lower = next((j for j in before if j is not None), None)
        leading = _leading_extras(match, min(student_span), lower) if lower is not None else set()
        upper = max(student_span) if end < len(ref_layers) - 1 else len(match.card.layers)
        for i, j in match.pairs:
            if i is None and j is not None and j not in student_span and \
                    (min(student_span) < j < upper or j in leading):
                extra = match.card.layers[j]
                problems.append(msg("layers.extra", layer=extra.name, describe=extra.describe()))
                hints.append(fix_line(None, extra))
    if not problems:
        listed = ", ".join(expected)
        message = msg("layers.pass.one", layers=listed) if len(expected) == 1 else \
            msg("layers.pass.many", count=len(expected), layers=listed)
        return Outcome(True, message, expected, found)
    return Outcome(False, msg("layers.fail", problems=problems), expected, found,
                   hint=[h for h in hints if h])


def check_compile(spec: CheckSpec, match: Match) -> Outcome:
    settings = spec.options.get("settings", ["loss"])
    reference = match.reference.compile or {}
    student = match.card.compile
    expected = {s: _normalize_setting(s, reference.get(s)) for s in settings}
    call = ", ".join(f"{s}={reference.get(s)!r}" if s != "optimizer" else f"optimizer={str(reference[s]).lower()!r}"
                     for s in ("loss", "optimizer") if reference.get(s) is not None)
    hint = f"{match.card.name}.compile({call})"
    if not student:
        return Outcome(False, msg("compile.not_compiled", model=match.card.name), expected, None, hint=hint)
    found = {s: _normalize_setting(s, student.get(s)) for s in settings}
    if expected == found:
        return Outcome(True, msg("compile.pass", settings=", ".join(f"{k}={v}" for k, v in found.items())),
                       expected, found)
    wrong = [msg("compile.wrong", setting=s, expected=expected[s], found=found[s])
             for s in settings if expected[s] != found[s]]
    return Outcome(False, msg("compile.fail", wrong=wrong), expected, found, hint=hint)


def check_runs(spec: CheckSpec, context: CheckContext) -> Outcome:
    execution = context.execution
    if execution.status == "ok" and context.matches and not execution.captures:
        # Empty code runs cleanly too; a handed-in blank handout must not earn this point.
        return Outcome(False, "Your code ran, but it built no Keras model, so there is nothing to grade yet.",
                       "ok", "no model", hint="Build the models the activities ask for and run every cell.")
    if execution.status == "ok":
        return Outcome(True, msg("runs.pass"), "ok", "ok")
    failing = [c for c in execution.cells if c.status != "ok"]
    hint = failing[0].hint if failing else ""
    return Outcome(False, msg("runs.fail", message=context.execution_message or execution.message),
                   "ok", execution.status, hint=hint)


def check_keras_api(spec: CheckSpec, context: CheckContext) -> Outcome:
    """Passes when the code uses the current Keras API: no old call in the source, none translated."""
    count = max(len(context.old_calls), len(context.translations))
    if count == 0:
        return Outcome(True, msg("legacy.check.pass"), 0, 0)
    first = context.old_calls[0] if context.old_calls else None
    return Outcome(False, msg("legacy.penalty", count=count, points=f"{spec.points:g}"), 0, count,
                   hint=first["now"] if first else context.translations[0]["new"])


CHECKS: dict[str, Callable[[CheckSpec, Match], Outcome]] = {
    "model_found": check_model_found,
    "input_shape": check_input_shape,
    "output_shape": check_output_shape,
    "params": check_params,
    "layers": check_layers,
    "compile": check_compile,
}


def _point(name: str | None, match: Match) -> tuple[int, int, Outcome | None]:
    ref_index = match.reference.index(name) if name else len(match.reference.layers) - 1
    stu_index = match.student_index(ref_index)
    if stu_index is None:
        ref = match.reference.layers[ref_index]
        last = match.card.layers[-1] if match.card.layers else None
        if last is not None:
            message = msg("point.missing.ends", ref=ref.name, describe=ref.describe(), last=last.name,
                          last_describe=last.describe(), last_shape=format_shape(last.output_shape))
        else:
            message = msg("point.missing", ref=ref.name, describe=ref.describe())
        return ref_index, -1, Outcome(False, message, expected=ref.output_shape, found=None,
                                      hint=fix_line(ref, None))
    return ref_index, stu_index, None


def _leading_extras(match: Match, first: int, lower: int) -> set[int]:
    """Extra student layers on a chain from layer ``lower`` into layer ``first`` (nothing else between)."""
    layers = match.card.layers
    by_name = {layer.name: k for k, layer in enumerate(layers)}
    extras = {j for i, j in match.pairs if i is None and j is not None}
    found: set[int] = set()
    stack = [(first, ())]
    while stack:
        k, path = stack.pop()
        for parent in layers[k].inbound:
            p = by_name.get(parent)
            if p == lower:
                found.update(path)
            elif p in extras and p not in path:
                stack.append((p, (*path, p)))
    return found


def _first_difference_pair(match: Match, up_to: int) -> tuple[LayerCard | None, LayerCard | None]:
    for i, j in match.pairs:
        if i is not None and i > up_to:
            break
        ref = match.reference.layers[i] if i is not None else None
        stu = match.card.layers[j] if j is not None else None
        if ref is None or stu is None or ref.kind != stu.kind or differing_settings(ref, stu):
            return ref, stu
    return None, None


def _first_difference(ref: LayerCard | None, stu: LayerCard | None) -> Any:
    """The sentence that names where a model starts to differ from the reference."""
    if ref is None and stu is None:
        return ""
    if ref is None:
        return msg("cause.extra", layer=stu.name, describe=stu.describe())
    if stu is None:
        return msg("cause.missing", ref=ref.name, describe=ref.describe())
    if ref.kind != stu.kind:
        return msg("cause.kind", layer=stu.name, describe=stu.describe(), ref_describe=ref.describe())
    return msg("cause.settings", layer=stu.name, kind=stu.kind,
               details=setting_details(ref, stu, differing_settings(ref, stu)))


def _tuple(values: Any) -> str:
    return show(list(values))


def _shapes(shapes: list) -> str:
    return ", ".join(format_shape([None, *s]) for s in shapes) or "none"


def _totals(card) -> dict[str, int]:
    return {"total": card.total_params, "trainable": card.trainable_params, "non_trainable": card.non_trainable_params}


def _single(values: dict) -> Any:
    return next(iter(values.values())) if len(values) == 1 else values


_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "meansquarederror": "mean_squared_error",
                 "meanabsoluteerror": "mean_absolute_error", "binarycrossentropy": "binary_crossentropy",
                 "categoricalcrossentropy": "categorical_crossentropy",
                 "sparsecategoricalcrossentropy": "sparse_categorical_crossentropy"}


def _normalize_setting(setting: str, value: Any) -> Any:
    if value is None:
        return None
    if setting == "loss":
        key = str(value).lower()
        return _LOSS_ALIASES.get(key.replace("_", ""), _LOSS_ALIASES.get(key, key))
    if setting == "optimizer":
        return str(value).lower()
    if setting == "metrics":
        return sorted(str(v).lower() for v in (value if isinstance(value, list) else [value]))
    return value
