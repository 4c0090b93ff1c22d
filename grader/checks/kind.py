"""What a check kind is, and how one check runs: the part every kind shares.

A kind is one module in :mod:`grader.checks.kinds` exposing ``KIND``, a :class:`CheckKind`: its
name, its options (a dataclass parsed once, when the rubric is loaded, with one-line errors),
its default title, its run (spec, match or context -> :class:`Outcome`) and, optionally, how a
report shows its expected and found values in short. :func:`run_check` does what every model
check needs first (the model was found and could be read), so a kind's run only compares.

Example:
    >>> from grader.checks import check_kind
    >>> check_kind("params").parse({"through": "rnn", "count": "trainable"})
    ParamsOptions(through='rnn', count=['trainable'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from grader.checks.matching import Match
from grader.execution.result import ExecutionResult
from grader.i18n import msg


@dataclass
class Outcome:
    passed: bool
    message: Any  # a message (grader.i18n.msg) or plain text
    expected: Any = None
    found: Any = None
    hint: Any = ""  # code, or a message, or a list of them
    error: bool = False  # the check could not be evaluated (as opposed to failed)
    reported: bool = False  # it read a value the student's own process wrote: reports say so


@dataclass
class CheckContext:
    """What every check of one submission may read."""

    matches: dict[str, Match]
    execution: ExecutionResult
    execution_message: Any = ""  # the execution summary as a message, for the runs check
    old_calls: list = field(default_factory=list)  # old API calls found in the source
    translations: list = field(default_factory=list)  # what legacy mode translated while it ran
    training: Any = None  # a grader.training.context.TrainingContext, for train checks
    code_findings: list = field(default_factory=list)  # what the frameworks' read_code found in the code
    code: list = field(default_factory=list)  # the submission's code cells (grader.submission.code), for static checks


class NoOptions:
    """The options of a kind that takes none."""

    NAMES: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "NoOptions":
        return cls()

    def __eq__(self, other):
        return isinstance(other, NoOptions)

    def __repr__(self):
        return "NoOptions()"


@dataclass(frozen=True)
class CheckKind:
    """One kind of check.

    ``options`` is a class with ``NAMES`` (the keys a rubric may give) and ``parse(raw, adapter)``
    (raises ``ValueError`` with what was given and what is allowed; ``adapter`` is the checked
    model's framework, or None). ``run(spec, match, context)`` for a kind ``about`` a model, else
    ``run(spec, context)``. ``measures``: it reads output shapes or counts, which a card read from
    its description alone lacks. ``compared(check)`` gives the short (expected, found) pair a
    report shows, from a check's results.json entry. ``inspect(spec)``, when given, is a question to ask
    of the student's objects once the code has run (``grader_inside.<framework>.inspect``); its answer
    is an ``inspected`` event of the run. ``reference_checkable`` (a flag, or a function of the options):
    False when the check judges what the code *did* with its models (saved, trained, averaged, built one
    from another) or what only its code holds, so code that only builds the references cannot pass it
    (``grader validate`` says so and leaves it out).
    ``pack(...)`` gives what a student pack must carry for this check besides the reference card (a
    train check: the reference's metric).
    """

    name: str
    run: Callable[..., Outcome]
    title: Callable[[Any], Any]
    options: type = NoOptions
    about: str = "model"  # "model" or "submission"
    measures: bool = False
    compared: Callable[[dict], tuple] | None = None
    # False, or a function of the check's settings that says False, for a kind that judges what only a
    # student's code does or holds (calls to a library, a value it computed, a model it saved and loaded,
    # an ensemble it averaged): ``grader validate`` cannot show it with the reference models, and says so.
    reference_checkable: bool | Callable[[Any], bool] = True
    inspect: Callable[[Any], dict] | None = None

    def checkable_on_reference(self, settings: Any) -> bool:
        value = self.reference_checkable
        return bool(value(settings) if callable(value) else value)
    # What a student pack needs besides the reference cards to grade this check:
    # pack(spec, model_spec, reference_card, training_context) -> plain data (see grader.expectations.pack)
    pack: Callable[..., dict] | None = None

    def parse(self, raw: dict, adapter=None) -> Any:
        return self.options.parse(raw, adapter)


def _title(name: str) -> str:
    """The framework's name for people ("PyTorch"), or its rubric name when it is not installed."""
    from grader.frameworks import FrameworkUnavailable, framework

    try:
        return framework(name).title
    except FrameworkUnavailable:
        return name


def _building_cell(execution: ExecutionResult, variables: list[str]):
    """The first failing cell whose code assigns one of ``variables`` (the cell that should have built the model)."""
    import re

    if not variables:
        return None
    assigns = re.compile(r"^\s*(?:[\w\s,()]*,\s*)?(" + "|".join(re.escape(v) for v in variables) + r")\s*(?:,[\w\s,]*)?=[^=]",
                         re.MULTILINE)
    for cell in execution.cells:
        if cell.status == "error" and assigns.search(cell.source or cell.code or ""):
            return cell
    return None


def run_check(kind: CheckKind, spec, context: CheckContext) -> Outcome:
    """Run one check: common preconditions first, then the kind's own comparison."""
    if kind.about == "submission":
        return kind.run(spec, context)
    match = context.matches[spec.model]
    if match.problem:
        return Outcome(False, msg("check.unreadable", problem=match.problem), error=True)
    if match.card is None:
        names = " or ".join(f"`{v}`" for v in match.variables) or msg("model.any_variable")
        outcome = Outcome(False, msg("model.missing", title=match.title or match.model_id, names=names,
                                     framework=_title(match.framework)), expected=match.variables, found=None)
        if context.execution.status != "ok":
            cell = _building_cell(context.execution, match.variables)
            if cell is not None:
                first_line = cell.evalue.splitlines()[0][:200] if cell.evalue else ""
                outcome.message = msg("model.missing.cell", base=outcome.message, where=cell.where,
                                      error=f"{cell.ename}: {first_line}")
                outcome.hint = cell.hint or ""
            else:
                outcome.message = msg("model.missing.stopped", base=outcome.message)
        return outcome
    if kind.measures and match.unbuildable:  # the student's layers do not fit together: no shapes to measure
        return Outcome(False, msg("check.unbuildable", problem=match.unbuildable), hint=msg("check.unbuildable.hint"))
    if kind.measures and match.card.opaque_layers:
        reason = match.card.opaque_reason or msg("check.opaque", layers=", ".join(match.card.opaque_layers))
        return Outcome(False, reason, error=True)
    return kind.run(spec, match, context)


def nothing_built(context: CheckContext) -> bool:
    """Whether the rubric asks for models and the submission built none: empty code runs cleanly, asks
    for nothing and writes nothing, and a blank handout must not earn the points of the submission rules."""
    return bool(context.matches) and not context.execution.captures
