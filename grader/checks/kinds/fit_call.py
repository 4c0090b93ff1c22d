"""``fit_call``: how the code trained a model: the arguments of its ``fit()`` calls (``batch_size: 1``).

The grader's hook in the student's process sees every ``fit()`` call (the one that caps them
while grading), with the model object it trained, so the calls of the graded model are told from
those of other models in the same notebook. The expected arguments are given in ``expect``:
``batch_size`` and ``epochs`` (as the code asked, before the cap). The check passes when the
model was trained, and every call on it used them. With the cap off (``fit_cap: off`` or
``--full``) the hook is not installed and the check says it could not look.

Example (a rubric check)::

    - {id: e26-batch, kind: fit_call, model: xor_221, expect: {batch_size: 1}, title: "Entrenada con batch de 1"}
"""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg

ARGUMENTS = {"batch_size": "batch_size", "epochs": "epochs_asked"}  # rubric name -> what the hook records


@dataclass(frozen=True)
class FitCallOptions:
    expect: tuple  # ((argument, value), ...)

    NAMES = ("expect",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "FitCallOptions":
        expect = raw.get("expect")
        if not isinstance(expect, dict) or not expect or set(expect) - set(ARGUMENTS) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in expect.values()):
            raise ValueError(f"'expect' must give fit() arguments among {', '.join(ARGUMENTS)} as whole numbers, "
                             f"e.g. {{batch_size: 1}}; got {expect!r}")
        return cls(tuple(sorted(expect.items())))


def model_calls(match, context) -> list[dict]:
    """The ``fit()`` calls that trained the graded model object (in its own file)."""
    capture = match.capture
    mine = [c for c in context.execution.fit_calls if c["file"] == capture.file]
    if capture.object_id:
        mine = [c for c in mine if c.get("object") == capture.object_id]
    return mine


def run(spec, match, context) -> Outcome:
    expected = dict(spec.settings.expect)
    name = match.capture.variable
    if context.execution.fit_cap is None:
        return Outcome(False, msg("fitcall.unobserved", model=name), expected, None, error=True)
    mine = model_calls(match, context)
    if not mine:
        return Outcome(False, msg("fitcall.none", model=name), expected, None, hint=msg("fitcall.hint.none"))
    wrong = []
    for call in mine:
        for argument, value in expected.items():
            given = call.get(ARGUMENTS[argument])
            if given != value:
                wrong.append(msg("fitcall.wrong", argument=argument, expected=value,
                                 found="None" if given is None else given, line=call.get("line") or "?",
                                 where=call.get("cell") or call["file"]))
    found = [{argument: call.get(ARGUMENTS[argument]) for argument in expected} for call in mine]
    if wrong:
        return Outcome(False, msg("fitcall.fail", model=name, wrong=wrong[:5]), expected, found,
                       hint=f"{name}.fit(..., " + ", ".join(f"{k}={v}" for k, v in expected.items()) + ")")
    arguments = ", ".join(f"{k}={v}" for k, v in expected.items())
    return Outcome(True, msg("fitcall.pass", model=name, count=len(mine), arguments=arguments), expected, found)


KIND = CheckKind(name="fit_call", run=run, title=lambda options: msg("title.fit_call"), options=FitCallOptions)
