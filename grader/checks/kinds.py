"""The check kinds a rubric can use. Each is a small function: (spec, context) -> outcome.

Every expected value comes from the reference card; every found value from the card the
grader rebuilt from the student's exported architecture. A check returns its status, a
sentence for the student, and the expected/found values as plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from grader.cards.card import LayerCard
from grader.checks.align import differing_settings
from grader.checks.matching import Match
from grader.checks.result import format_count, format_shape
from grader.execution.result import ExecutionResult
from grader.grading.rubric import CheckSpec


@dataclass
class Outcome:
    passed: bool
    message: str
    expected: Any = None
    found: Any = None
    hint: str = ""
    error: bool = False  # the check could not be evaluated (as opposed to failed)


@dataclass
class CheckContext:
    matches: dict[str, Match]
    execution: ExecutionResult


def run_check(spec: CheckSpec, context: CheckContext) -> Outcome:
    if spec.kind == "runs":
        return check_runs(spec, context)
    match = context.matches[spec.model]
    if match.problem:
        return Outcome(False, f"The grader could not read your model: {match.problem}.", error=True)
    if match.card is None:
        outcome = _missing_model(match)
        if context.execution.status != "ok":
            outcome.message += " Your code stopped with errors, which may be why (see the errors above)."
        return outcome
    return CHECKS[spec.kind](spec, match)


def _missing_model(match: Match) -> Outcome:
    title = match.title or match.model_id
    names = " or ".join(f"`{v}`" for v in match.variables) or "any variable"
    return Outcome(False, f"No model for {title} was found: the grader looked for a Keras model in {names} "
                          "and for any model like the reference. Build it and keep it in that variable.",
                   expected=match.variables, found=None)


def check_model_found(spec: CheckSpec, match: Match) -> Outcome:
    message = f"Found {match.found}."
    if match.how == "closest":
        message += " " + " ".join(match.notes[:1])
    return Outcome(True, message, found=match.found)


def check_input_shape(spec: CheckSpec, match: Match) -> Outcome:
    expected = [s[1:] for s in match.reference.input_shapes]
    found = [s[1:] for s in match.card.input_shapes]
    if match.card.input_from_reference:
        return Outcome(False, "Your model has no input shape, so Keras cannot build it on its own. Start it with "
                              f"`keras.Input(shape={_tuple(expected[0])})`.", expected, None,
                       hint=f"keras.Input(shape={_tuple(expected[0])})")
    if expected == found:
        return Outcome(True, f"Input shape {format_shape([None, *found[0]])}.", expected, found)
    return Outcome(False, f"Expected input shape {_shapes(expected)}, found {_shapes(found)}.", expected, found,
                   hint=f"keras.Input(shape={_tuple(expected[0])})")


def check_output_shape(spec: CheckSpec, match: Match) -> Outcome:
    ref_index, stu_index, missing = _point(spec.options.get("at"), match)
    if missing:
        return missing
    ref, stu = match.reference.layers[ref_index], match.card.layers[stu_index]
    where = f"after `{ref.name}` ({ref.describe()})"
    if ref.output_shape == stu.output_shape:
        return Outcome(True, f"Output shape {format_shape(stu.output_shape)} {where}.", ref.output_shape, stu.output_shape)
    message = (f"Expected output shape {format_shape(ref.output_shape)} {where}; your layer `{stu.name}` "
               f"({stu.describe()}) outputs {format_shape(stu.output_shape)}.")
    first = _first_difference_pair(match, ref_index)
    cause = _first_difference(*first)
    return Outcome(False, message + (f" {cause}" if cause else ""), ref.output_shape, stu.output_shape,
                   hint=_fix_line(*first))


def check_params(spec: CheckSpec, match: Match) -> Outcome:
    counts = spec.options.get("count", "total")
    counts = [counts] if isinstance(counts, str) else list(counts)
    through = spec.options.get("through")
    if through is None:
        expected_all = _totals(match.reference)
        found_all = _totals(match.card)
        where = "in the whole model"
    else:
        ref_index, stu_index, missing = _point(through, match)
        if missing:
            return missing
        expected_all = match.reference.params_through(ref_index)
        found_all = match.card.params_through(stu_index)
        where = f"up to `{through}` ({match.reference.layers[ref_index].describe()})"
    expected = {c: expected_all[c] for c in counts}
    found = {c: found_all[c] for c in counts}
    label = {"total": "parameters", "trainable": "trainable parameters", "non_trainable": "non-trainable parameters"}
    if expected == found:
        text = ", ".join(f"{format_count(found[c])} {label[c]}" for c in counts)
        return Outcome(True, f"{text[0].upper()}{text[1:]} {where}.", _single(expected), _single(found))
    wrong = [c for c in counts if expected[c] != found[c]]
    text = "; ".join(f"expected {format_count(expected[c])} {label[c]}, found {format_count(found[c])}" for c in wrong)
    first = _first_difference_pair(match, ref_index if through else len(match.reference.layers) - 1)
    cause = _first_difference(*first)
    return Outcome(False, f"{text[0].upper()}{text[1:]} {where}." + (f" {cause}" if cause else ""),
                   _single(expected), _single(found), hint=_fix_line(*first))


def check_layers(spec: CheckSpec, match: Match) -> Outcome:
    ref_layers = match.reference.layers
    start = match.reference.index(spec.options["from"]) if "from" in spec.options else 0
    end = match.reference.index(spec.options["to"]) if "to" in spec.options else len(ref_layers) - 1
    only = spec.options.get("settings")
    problems: list[str] = []
    hints: list[str] = []
    expected, found = [], []
    student_span: list[int] = []
    for i in range(start, end + 1):
        ref = ref_layers[i]
        expected.append(ref.describe())
        j = match.student_index(i)
        if j is None:
            problems.append(f"`{ref.name}`: missing; add {ref.describe()}")
            hints.append(_fix_line(ref, None))
            continue
        stu = match.card.layers[j]
        student_span.append(j)
        found.append(stu.describe())
        if stu.kind != ref.kind:
            problems.append(f"`{ref.name}` should be {ref.describe()}; your layer `{stu.name}` is {stu.describe()}")
            hints.append(_fix_line(ref, stu))
            continue
        wrong = differing_settings(ref, stu, only)
        if wrong:
            details = ", ".join(f"{k} {_value(stu.config.get(k))} instead of {_value(ref.config.get(k))}" for k in wrong)
            problems.append(f"`{stu.name}` ({stu.kind}) has {details}")
            hints.append(_fix_line(ref, stu))
    if student_span:
        for i, j in match.pairs:
            if i is None and j is not None and min(student_span) < j < max(student_span):
                extra = match.card.layers[j]
                problems.append(f"extra layer `{extra.name}` ({extra.describe()}) that the reference does not have")
    if not problems:
        return Outcome(True, f"{len(expected)} layer{'s' if len(expected) != 1 else ''} as expected: "
                             + ", ".join(expected) + ".", expected, found)
    return Outcome(False, "; ".join(problems) + ".", expected, found, hint="\n".join(h for h in hints if h))


def check_compile(spec: CheckSpec, match: Match) -> Outcome:
    settings = spec.options.get("settings", ["loss"])
    reference = match.reference.compile or {}
    student = match.card.compile
    expected = {s: _normalize_setting(s, reference.get(s)) for s in settings}
    call = ", ".join(f"{s}={reference.get(s)!r}" if s != "optimizer" else f"optimizer={str(reference[s]).lower()!r}"
                     for s in ("loss", "optimizer") if reference.get(s) is not None)
    if not student:
        return Outcome(False, f"Your model `{match.card.name}` is not compiled.", expected, None,
                       hint=f"{match.card.name}.compile({call})")
    found = {s: _normalize_setting(s, student.get(s)) for s in settings}
    if expected == found:
        return Outcome(True, "Compiled with " + ", ".join(f"{k}={v}" for k, v in found.items()) + ".", expected, found)
    wrong = [s for s in settings if expected[s] != found[s]]
    return Outcome(False, "; ".join(f"{s} should be {expected[s]}, yours is {found[s]}" for s in wrong) + ".",
                   expected, found, hint=f"{match.card.name}.compile({call})")


def check_runs(spec: CheckSpec, context: CheckContext) -> Outcome:
    execution = context.execution
    if execution.status == "ok" and context.matches and not execution.captures:
        # Empty code runs cleanly too; a handed-in blank handout must not earn this point.
        return Outcome(False, "Your code ran, but it built no Keras model, so there is nothing to grade yet.",
                       "ok", "no model", hint="Build the models the activities ask for and run every cell.")
    if execution.status == "ok":
        return Outcome(True, "Your code ran from top to bottom without errors.", "ok", "ok")
    failing = [c for c in execution.cells if c.status != "ok"]
    hint = failing[0].hint if failing else ""
    return Outcome(False, f"Your code did not run cleanly: {execution.message}.", "ok", execution.status, hint=hint)


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
        ends = f" Your model ends with `{last.name}` ({last.describe()}, output {format_shape(last.output_shape)})." if last else ""
        return ref_index, -1, Outcome(False, f"Your model has no layer that matches `{ref.name}` ({ref.describe()}).{ends}",
                                      expected=ref.output_shape, found=None, hint=_fix_line(ref, None))
    return ref_index, stu_index, None


def _first_difference_pair(match: Match, up_to: int) -> tuple[LayerCard | None, LayerCard | None]:
    for i, j in match.pairs:
        if i is not None and i > up_to:
            break
        ref = match.reference.layers[i] if i is not None else None
        stu = match.card.layers[j] if j is not None else None
        if ref is None or stu is None or ref.kind != stu.kind or differing_settings(ref, stu):
            return ref, stu
    return None, None


def _first_difference(ref: LayerCard | None, stu: LayerCard | None) -> str:
    """The sentence that names where a model starts to differ from the reference."""
    if ref is None and stu is None:
        return ""
    if ref is None:
        return f"It starts at your extra layer `{stu.name}` ({stu.describe()}), which the reference does not have."
    if stu is None:
        return f"It starts where the reference has `{ref.name}` ({ref.describe()}) and your model has nothing."
    if ref.kind != stu.kind:
        return f"It starts at your layer `{stu.name}`: {stu.describe()} where the reference has {ref.describe()}."
    wrong = differing_settings(ref, stu)
    details = ", ".join(f"{k} {_value(stu.config.get(k))} instead of {_value(ref.config.get(k))}" for k in wrong)
    return f"It starts at your layer `{stu.name}` ({stu.kind}): {details}."


def _fix_line(ref: LayerCard | None, stu: LayerCard | None) -> str:
    """A line of current Keras that builds the reference layer."""
    if ref is None:
        return f"remove `{stu.name}`" if stu is not None else ""
    c = ref.config
    args: list[str] = []
    for key in ("filters", "units"):
        if key in c:
            args.append(str(c[key]))
    if "rate" in c:
        args.append(str(c["rate"]))
    if "kernel_size" in c:
        args.append(_tuple(c["kernel_size"]))
    if ref.kind.startswith("ZeroPadding") and "padding" in c:
        args.append(_tuple([p[0] for p in c["padding"]]) if isinstance(c["padding"][0], list) else _tuple(c["padding"]))
    if "pool_size" in c:
        args.append(_tuple(c["pool_size"]))
    if c.get("strides") and any(s != 1 for s in c["strides"]):
        args.append(f"strides={_tuple(c['strides'])}")
    if isinstance(c.get("padding"), str) and not ref.kind.startswith("ZeroPadding"):
        if "kernel_size" in c or "pool_size" in c:
            args.append(f"padding={c['padding']!r}")
    if c.get("activation") not in (None, "linear"):
        args.append(f"activation={c['activation']!r}")
    if c.get("return_sequences"):
        args.append("return_sequences=True")
    return f"{ref.kind}({', '.join(args)})"


def _tuple(values: Any) -> str:
    values = list(values)
    return "(" + ", ".join(str(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return _tuple(value) if not (value and isinstance(value[0], list)) else str(value)
    return repr(value) if isinstance(value, str) else str(value)


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
