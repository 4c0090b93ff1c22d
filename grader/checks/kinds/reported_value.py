"""``reported_value``: a value the student's own code computed (a test accuracy, the folds' accuracies),
shown in the report as *reported by your code*.

The grader cannot trust it: it comes from the student's process, which could print or store any
number. The report says so next to it, and the check scores only when the rubric opts in with
``scores: true``; by default it is information (status ``info``, 0 points), so that an instructor
sees the figure without the grade depending on it. The value is the one the named variable held
when the file ended (its last value), read as a number or a list of numbers; ``reduce`` turns a
list into one number (``mean``, ``max``, ``min``, ``last``, ``len``, ``sum``).

Example (a rubric check)::

    - {id: a12-accuracy, kind: reported_value, variable: [acc_svm, accuracy_svm], expect: {min: 0.9},
       title: "Accuracy de test de SVM + HOG (según tu código)"}
"""

import fnmatch
import math
from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg

REDUCE = ("last", "mean", "max", "min", "len", "sum")


@dataclass(frozen=True)
class ReportedOptions:
    variables: tuple
    file: str | None = None
    reduce: str = "last"
    low: float | None = None
    high: float | None = None
    scores: bool = False

    NAMES = ("variable", "file", "reduce", "expect", "scores")
    default_points = 0  # information unless the rubric opts in

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "ReportedOptions":
        variables = raw.get("variable")
        variables = [variables] if isinstance(variables, str) else variables
        if not isinstance(variables, list) or not variables or not all(
                isinstance(v, str) and v.isidentifier() for v in variables):
            raise ValueError(f"'variable' must be the variable's name (or a list of names), got {raw.get('variable')!r}")
        reduce = raw.get("reduce", "last")
        if reduce not in REDUCE:
            raise ValueError(f"'reduce' must be one of {', '.join(REDUCE)}, got {reduce!r}")
        expect = raw.get("expect", {})
        if not isinstance(expect, dict) or set(expect) - {"min", "max"} or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in expect.values()):
            raise ValueError(f"'expect' must be {{min: N}}, {{max: N}} or both, got {expect!r}")
        scores = raw.get("scores", False)
        if not isinstance(scores, bool):
            raise ValueError(f"'scores' must be true or false, got {scores!r}")
        file = raw.get("file")
        if file is not None and (not isinstance(file, str) or not file.strip()):
            raise ValueError(f"'file' must be a file name or glob, got {file!r}")
        return cls(tuple(variables), file, reduce, expect.get("min"), expect.get("max"), scores)


def run(spec, context) -> Outcome:
    options = spec.settings
    expected = {k: v for k, v in (("min", options.low), ("max", options.high)) if v is not None}
    found = None
    for name in options.variables:
        values = [v for v in context.execution.values if v["variable"] == name
                  and (options.file is None or fnmatch.fnmatchcase(v["file"], options.file))]
        if values:
            found = values[-1]
            break
    names = ", ".join(f"`{v}`" for v in options.variables)
    if found is None:
        return Outcome(False, msg("reported.missing", names=names), expected or None, None,
                       hint=msg("reported.hint"), reported=True)
    value = _reduced(found["value"], options.reduce)
    if value is None:
        return Outcome(False, msg("reported.not_a_number", variable=found["variable"], where=found["where"]),
                       expected or None, found["value"], hint=msg("reported.hint"), reported=True)
    shown = f"{value:.4g}"
    bounds = [msg("reported.at_least", value=f"{options.low:g}")] if options.low is not None else []
    bounds += [msg("reported.at_most", value=f"{options.high:g}")] if options.high is not None else []
    within = (options.low is None or value >= options.low) and (options.high is None or value <= options.high)
    reduced = msg(f"reported.reduce.{options.reduce}") if options.reduce != "last" else ""
    message = msg("reported.value", variable=found["variable"], reduced=reduced, value=shown, file=found["file"],
                  expected=msg("reported.expected", bounds=bounds) if bounds else "",
                  verdict=msg("reported.within" if within else "reported.outside") if bounds else "")
    if any(call["file"] == found["file"] for call in context.execution.capped_fits):
        # The grader shortened this file's training: the figure is not what the code reaches as written.
        message = msg("reported.capped", base=message)
    return Outcome(within, message, expected or None, round(value, 6), reported=True)


def _reduced(value, reduce: str):
    if isinstance(value, bool):
        value = float(value)
    if isinstance(value, (int, float)):
        numbers = [float(value)]
    elif isinstance(value, list) and all(isinstance(v, (int, float)) for v in value):
        numbers = [float(v) for v in value]
    else:
        return None
    if reduce == "len":
        return float(len(numbers))
    if not numbers or not all(math.isfinite(v) for v in numbers):
        return None
    return {"last": numbers[-1], "mean": sum(numbers) / len(numbers), "max": max(numbers), "min": min(numbers),
            "sum": sum(numbers)}[reduce]


KIND = CheckKind(name="reported_value", run=run, title=lambda options: msg("title.reported_value"),
                 options=ReportedOptions, about="submission", reference_checkable=False)
