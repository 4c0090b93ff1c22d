"""Grade one submission against a rubric: run it, read its models, score the checks.

The whole pipeline for one submission lives here, in order:
submission -> execution -> model cards -> check results -> grade (a :class:`GradedSubmission`).

Three verbs: :func:`grade_submission` runs and scores one submission; :func:`grade_safely` does
the same but turns a failure of the grader itself into an error result (one bad submission never
stops a batch); :func:`score_execution` scores what a run produced (the mutation test feeds it
models built in-process).

Example:
    >>> rubric = load_rubric("rubrics/actividad2.yaml")                                # doctest: +SKIP
    >>> result = grade_submission("submissions/actividad2/correct.ipynb", rubric)       # doctest: +SKIP
    >>> result.score == result.max_score, result.to_json()["status"]                    # doctest: +SKIP
    (True, 'graded')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import inspect
from pathlib import Path

from grader import __version__
from grader.cards.card import LayerCard, ModelCard
from grader.checks import check_kind
from grader.checks.align import align
from grader.checks.diff import PairDiff, findings, pair_diffs
from grader.checks.kind import CheckContext, run_check
from grader.checks.matching import Match, match_models
from grader.errors import InputError
from grader.execution import diagnostics, verdict
from grader.execution.fit_cap import cap_message
from grader.execution.result import ExecutionResult
from grader.execution.runner import execute
from grader.expectations.reference import reference_cards
from grader.frameworks import FrameworkUnavailable, framework
from grader.grading.results import (ActivityResult, CheckResult, Execution, Finding, GradedSubmission, LayerView,
                                    Legacy, ModelComparison, RowDiff)
from grader.grading.rubric import Rubric
from grader.i18n import is_msg, msg, render
from grader.options import GradingOptions
from grader.sandbox.levels import Sandbox
from grader.sandbox.limits import Limits
from grader.submission.code import code_cells


def grade_submission(path: str | Path, rubric: Rubric, options: GradingOptions | None = None, *,
                     sandbox: Sandbox | None = None, references: dict[str, ModelCard] | None = None,
                     name: str | None = None, trainer=None, known: dict | None = None) -> GradedSubmission:
    """Grade the submission at ``path`` with ``options`` (default: everything as the rubric says).

    ``sandbox`` is the isolation chosen for this run (default: the strongest this machine supports,
    see :mod:`grader.sandbox.levels`); ``references`` the rubric's reference cards when the caller
    has them already; ``trainer`` (:class:`grader.training.run.Trainer`) replaces the one train
    checks would make; ``known`` holds what a student pack knows ahead, per check id (see
    :mod:`grader.expectations.pack`).

    A submission that cannot be read or run at all gives ``status == "error"`` with the reason in
    ``execution.message``; it never raises for the student's mistakes. Problems with the rubric or
    the references raise :class:`InputError` (they concern every submission).
    """
    options = options or GradingOptions()
    references = references if references is not None else reference_cards(rubric, sandbox=sandbox)
    check_points(rubric, references)
    from grader.submission.submission import Submission

    lang = options.lang or rubric.language
    legacy = rubric.legacy_keras if options.legacy_keras is None else options.legacy_keras
    path = Path(path)
    frameworks = rubric_frameworks(rubric)
    _import_meanwhile(frameworks)
    try:
        submission = course_files_not_run(Submission.from_path(path), rubric)
        code = code_cells(submission)
        old_calls = scan_submission(submission, frameworks, code)
        findings = read_submission_code(code, frameworks)
        execution = execute(
            submission,
            resources=rubric.resources,
            limits=rubric.limits.overriding(timeout=options.timeout, memory=options.memory),
            sandbox=sandbox,
            legacy_keras=legacy,
            fit_cap=None if options.full else rubric.fit_cap,
            frameworks=frameworks,
            values=reported_variables(rubric),
            inspect=questions(rubric),
            replace=rubric.replaced,
            offline=rubric.offline,
        )
    except InputError as exc:
        return error_result(rubric, name or path, exc.one_line(), lang=lang)
    training = training_context(rubric, options, trainer=trainer, sandbox=sandbox, known=known)
    result = score_execution(execution, rubric, references, name or submission.name, lang=lang,
                             old_calls=old_calls, legacy=legacy, training=training, code=code, code_findings=findings)
    result.path = str(path)
    return result


def reported_variables(rubric: Rubric) -> tuple[str, ...]:
    """The variables whose values the rubric's checks read back from the student's run."""
    names: list[str] = []
    for activity in rubric.activities:
        for spec in activity.checks:
            for name in getattr(spec.settings, "variables", ()) if spec.kind == "reported_value" else ():
                if name not in names:
                    names.append(name)
    return tuple(names)


def grade_safely(path: Path, rubric: Rubric, options: GradingOptions, *, sandbox: Sandbox | None = None,
                 references: dict[str, ModelCard] | None = None, known: dict | None = None) -> tuple[GradedSubmission, bool]:
    """:func:`grade_submission`, and whether the grader itself failed on this submission (then the
    result is an error result that says so). A problem with the rubric or references still raises."""
    try:
        return grade_submission(path, rubric, options, sandbox=sandbox, references=references, known=known), False
    except InputError:
        raise  # a problem with the rubric or the references concerns every submission
    except Exception as exc:  # noqa: BLE001 - one broken submission never stops a batch
        message = (f"the grader failed on this submission ({type(exc).__name__}: {exc}); "
                   "please report it with the submission attached")
        return error_result(rubric, path, message, lang=options.lang), True


def course_files_not_run(submission, rubric: Rubric):
    """A folder submission's copy of a course file (its ``airlineUtils.py``) is a module the scripts import,
    not one more script to run; it still travels with them (see ``resources``' ``student_copy``)."""
    names = {resource.name for resource in rubric.resources}
    scripts = [source for source in submission.files if source.path.name not in names]
    if scripts and len(scripts) < len(submission.files):
        import dataclasses

        return dataclasses.replace(submission, files=scripts)
    return submission


def _import_meanwhile(frameworks: tuple[str, ...]) -> None:
    """Import the frameworks in a thread while the submission runs: reading its models needs them
    afterwards, and importing one (~3-5 s) overlaps with the sandboxed run instead of following it."""
    import sys
    import threading

    for name in frameworks:
        if name not in sys.modules:
            threading.Thread(target=_quiet_import, args=(name,), daemon=True, name=f"grader-import-{name}").start()


def _quiet_import(name: str) -> None:
    import importlib

    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - the import in the main thread reports it properly
        pass


def questions(rubric: Rubric) -> list[dict]:
    """What the rubric's checks ask of the student's objects once the code has run (an ensemble's average)."""
    asked = []
    for activity in rubric.activities:
        for spec in activity.checks:
            kind = check_kind(spec.kind)
            if kind.inspect is not None:
                question = kind.inspect(spec)
                framework_name = rubric.models[spec.model].framework if spec.model else "keras"
                asked.append({"id": spec.id, "framework": framework_name, **question})
    return asked


def rubric_frameworks(rubric: Rubric) -> tuple[str, ...]:
    """The frameworks a rubric's models use, in a fixed order (Keras alone for most courses)."""
    return tuple(sorted({spec.framework for spec in rubric.models.values()})) or ("keras",)


def training_context(rubric: Rubric, options: GradingOptions, *, trainer=None, sandbox: Sandbox | None = None,
                     known: dict | None = None):
    """What the rubric's train checks need (None when it has none): a trainer and the rubric's data."""
    if not any(spec.kind == "train" for activity in rubric.activities for spec in activity.checks):
        return None
    from grader.expectations.reference import reference_architecture
    from grader.sandbox.devices import choose_device
    from grader.training.context import TrainingContext
    from grader.training.run import Trainer

    if trainer is None:
        trainer = Trainer(limits=rubric.limits.overriding(memory=options.memory), sandbox=sandbox,
                          device=choose_device(options.device))
    return TrainingContext(trainer=trainer, base=rubric.path.parent, resources=list(rubric.resources),
                           reference_architectures=lambda model_id: reference_architecture(
                               rubric, rubric.models[model_id], sandbox=sandbox),
                           frameworks={model_id: spec.framework for model_id, spec in rubric.models.items()},
                           reference_values={check_id: value["reference_value"] for check_id, value in (known or {}).items()
                                             if "reference_value" in value})


def score_execution(execution: ExecutionResult, rubric: Rubric, references: dict[str, ModelCard], name: str, *,
                    lang: str | None = None, old_calls: list[dict] | None = None, legacy: bool = False,
                    rebuilt: dict | None = None, training=None, code: list | None = None,
                    code_findings: list[dict] | None = None) -> GradedSubmission:
    """Score what a run produced (its exported models and cell outcomes): the part after execution.

    ``rebuilt`` (see :func:`match_models`) lets a caller rebuild each unchanged model once; ``code``
    (:func:`grader.submission.code.code_cells`) is the source static checks read; ``code_findings``
    are what :func:`read_submission_code` found in it.
    """
    lang = lang or rubric.language
    frameworks = rubric_frameworks(rubric)
    for cell in execution.cells:  # the likely fix in the report's language
        if cell.status == "error" and cell.ename:
            hint = diagnostics.explain(cell.ename, cell.evalue, cell.code, frameworks=frameworks, source=cell.source,
                                       environment=rubric.environment)
            cell.hint = diagnostics.hint_text(hint, lang, rubric.messages)
    execution_message = verdict.summary(execution, execution.limits or Limits())
    matches, hidden_matches = _matches(rubric, execution, references, rebuilt)
    context = CheckContext(matches=matches, execution=execution, execution_message=execution_message,
                           old_calls=old_calls or [], translations=execution.translations, training=training,
                           code=code or [], code_findings=code_findings or [])
    hidden_context = dataclasses.replace(context, matches=hidden_matches)
    checks = [_run(spec, activity.id, hidden_context if spec.hidden else context, lang, rubric.messages)
              for activity in rubric.activities for spec in activity.checks]
    graded = {spec.model for activity in rubric.activities for spec in activity.checks}  # not the handout's asides
    report = Execution(**execution.to_json())
    report.message = render(execution_message, lang, rubric.messages)
    report.fit_cap_message = render(cap_message(execution.capped_fits), lang, rubric.messages)
    report.left_out = [render(line, lang, rubric.messages) for line in execution.left_out]
    report.notices = [render(line, lang, rubric.messages) for line in [*execution.notices, *substitutions(execution)]]
    report.course_files = [render(line, lang, rubric.messages) for line in execution.course_files]
    return GradedSubmission(
        assignment=rubric.assignment, title=render(rubric.title, lang), language=lang, submission=name,
        status="graded", score=round(sum(c.points for c in checks), 4), max_score=round(rubric.max_score, 4),
        execution=report, activities=_activities(rubric, checks, lang), checks=checks,
        models=[_comparison(rubric, match, lang) for match in hidden_matches.values() if match.model_id in graded],
        old_api=[_old_call(call, lang) for call in old_calls or []],
        legacy=Legacy(enabled=legacy, translations=list(execution.translations)),
        grader_version=__version__, graded_at=_now(), rubric=str(rubric.path),
    )


def substitutions(execution: ExecutionResult) -> list[dict]:
    """One line per pre-trained weights file the run could not read (built with ``weights=None`` instead)."""
    seen, lines = set(), []
    for event in execution.events:
        if event.get("event") != "substituted":
            continue
        key = (event.get("application"), event.get("path"))
        if key in seen:
            continue
        seen.add(key)
        lines.append(msg("notice.weights_substituted", application=event.get("application") or "?",
                         weights=repr(event.get("weights") or "imagenet"), file=event.get("path") or "?",
                         where=f"{event.get('file')}, {event.get('where')}"))
    return lines


def _matches(rubric: Rubric, execution: ExecutionResult, references: dict[str, ModelCard], rebuilt):
    """The student's models against the references: as visible checks see them (redacted where only
    hidden checks examine a layer, :mod:`grader.expectations.visible`), and in full (hidden checks, the
    instructor's layer table). The same student model is graded in both."""
    from grader.expectations.visible import visible_references

    visible = visible_references(rubric, references)
    matches = match_models(rubric, execution.captures, visible, rebuilt=rebuilt)
    if all(visible[m] is references[m] for m in references):
        return matches, matches
    full = {}
    for model_id, match in matches.items():
        if visible[model_id] is references[model_id] or match.card is None:
            full[model_id] = match
            continue
        adapter = framework(rubric.models[model_id].framework)
        reference = adapter.canonical(references[model_id])
        full[model_id] = dataclasses.replace(match, reference=reference,
                                             pairs=align(reference.layers, match.card.layers, adapter.families))
    return matches, full


def error_result(rubric: Rubric, submission: str | Path, message: str, *, lang: str | None = None) -> GradedSubmission:
    """The result of a submission that could not be graded at all; ``message`` says why."""
    lang = lang or rubric.language
    name = _name(submission) if isinstance(submission, Path) else submission
    checks = [CheckResult(spec.id, activity.id, _title(spec, lang), "skipped", 0.0, spec.points,
                          render(msg("check.not_graded"), lang), model=spec.model, hidden=spec.hidden, kind=spec.kind)
              for activity in rubric.activities for spec in activity.checks]
    return GradedSubmission(
        assignment=rubric.assignment, title=render(rubric.title, lang), language=lang, submission=name,
        status="error", score=0.0, max_score=round(rubric.max_score, 4),
        execution=Execution(status="error", message=message), activities=_activities(rubric, checks, lang),
        checks=checks, grader_version=__version__, graded_at=_now(), rubric=str(rubric.path),
    )


def scan_submission(submission, frameworks: tuple[str, ...] = ("keras",), cells: list | None = None) -> list[dict]:
    """Every old API call in the submission's files, found by reading the code (nothing runs)."""
    scanners = []
    for name in frameworks:
        try:
            adapter = framework(name)
        except FrameworkUnavailable:
            continue
        if adapter.scan_source is not None:
            scanners.append(adapter.scan_source)
    calls = []
    cells = code_cells(submission) if cells is None else cells
    by_file: dict[str, list] = {}
    for cell in cells:
        by_file.setdefault(cell.file, []).append(cell)
    for file_cells in by_file.values():
        context = "\n".join(c.code for c in file_cells if _parses(c.code))  # what the whole file imports and assigns
        for cell in file_cells:
            for scan in scanners:
                try:
                    extra = {"context": context} if "context" in inspect.signature(scan).parameters else {}
                    calls.extend(f.get_config() for f in scan(cell.code, file=cell.file, cell=cell.cell, **extra))
                except (RecursionError, MemoryError, ValueError):  # code the parser cannot hold: nothing to explain
                    continue
    return calls


def _parses(code: str) -> bool:
    import ast

    try:
        ast.parse(code)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def read_submission_code(cells, frameworks: tuple[str, ...] = ("keras",)) -> list[dict]:
    """What each framework's ``read_code`` finds in the submission's code ``cells``
    (:func:`grader.submission.code.code_cells`; nothing runs): findings about how the code uses its
    data, for checks about the whole submission (``test_data``)."""
    readers = []
    for name in frameworks:
        try:
            adapter = framework(name)
        except FrameworkUnavailable:
            continue
        if adapter.read_code is not None:
            readers.append(adapter.read_code)
    by_file: dict[str, list[tuple[int, str]]] = {}
    for cell in cells if readers else ():
        by_file.setdefault(cell.file, []).append((cell.cell, cell.code))
    findings = []
    for file, file_cells in by_file.items():
        for read in readers:
            try:
                findings.extend(read(file_cells, file=file))
            except (RecursionError, MemoryError, ValueError):
                continue
    return findings


def _old_call(call: dict, lang: str) -> dict:
    messages = call.get("messages", [])
    return {**{k: v for k, v in call.items() if k != "messages"},
            "explanation": " ".join(render(m, lang) for m in messages)}


def check_points(rubric: Rubric, references: dict[str, ModelCard]) -> None:
    """Every layer a check names must exist in its reference model."""
    for activity in rubric.activities:
        for spec in activity.checks:
            if spec.model is None:
                continue
            card = framework(rubric.models[spec.model].framework).canonical(references[spec.model])
            indices = {}
            for key in ("at", "through", "from", "to"):
                point = spec.options.get(key)
                if point is None:
                    continue
                try:
                    indices[key] = card.index(point)
                except KeyError:
                    names = ", ".join(layer.name for layer in card.layers)
                    raise InputError(rubric.path, f"check {spec.id!r} names layer {point!r}, which the reference "
                                     f"model {spec.model!r} does not have", f"use one of: {names}") from None
            if indices.get("from", 0) > indices.get("to", len(card.layers)):
                raise InputError(rubric.path, f"check {spec.id!r} has 'from: {spec.options['from']}' after "
                                 f"'to: {spec.options['to']}' in the reference model", "swap them")


def _title(spec, lang: str) -> str:
    return render(spec.title, lang) or render(check_kind(spec.kind).title(spec.settings), lang)


def _run(spec, activity_id: str, context: CheckContext, lang: str, overrides: dict) -> CheckResult:
    title = _title(spec, lang)
    try:
        outcome = run_check(check_kind(spec.kind), spec, context)
    except Exception as exc:  # noqa: BLE001 - a bug in a check must not lose the other results
        return CheckResult(spec.id, activity_id, title, "error", 0.0, spec.points,
                           render(msg("check.grader_bug", error=f"{type(exc).__name__}: {exc}"), lang),
                           model=spec.model, hidden=spec.hidden, kind=spec.kind)
    status = "error" if outcome.error else ("pass" if outcome.passed else "fail")
    if getattr(spec.settings, "scores", True) is False and not outcome.error:
        status = "info"  # a value the rubric shows without scoring it
    hint = outcome.hint
    hint = "\n".join(diagnostics.hint_text(h, lang, overrides) for h in hint) if isinstance(hint, list) else \
        render(hint, lang, overrides)
    return CheckResult(
        id=spec.id, activity=activity_id, title=title, status=status,
        points=spec.points if outcome.passed and status != "info" else 0.0, max_points=spec.points,
        message=render(outcome.message, lang, overrides),
        expected=_plain(outcome.expected, lang), found=_plain(outcome.found, lang), model=spec.model, hint=hint,
        hidden=spec.hidden, kind=spec.kind, trust="reported" if outcome.reported else "",
    )


def _plain(value, lang: str):
    """An expected or found value for results.json: messages (which model state was graded) rendered."""
    return render(value, lang) if is_msg(value) else value


def _activities(rubric: Rubric, checks: list[CheckResult], lang: str) -> list[ActivityResult]:
    summary = []
    for activity in rubric.activities:
        mine = [c for c in checks if c.activity == activity.id]
        points, max_points = sum(c.points for c in mine), sum(c.max_points for c in mine)
        passed = all(c.status in ("pass", "info") for c in mine)
        status = "pass" if passed else ("partial" if points > 0 else "fail")
        summary.append(ActivityResult(id=activity.id, title=render(activity.title, lang), points=round(points, 4),
                                      max_points=round(max_points, 4), status=status))
    return summary


def _comparison(rubric: Rubric, match: Match, lang: str) -> ModelComparison:
    spec = rubric.models[match.model_id]
    if spec.example:  # one valid answer among many: its layers are not the student's to follow
        notes = [render(n, lang, rubric.messages) for n in match.notes] + [render(msg("note.example"), lang)] \
            + ([render(match.problem, lang, rubric.messages)] if match.problem else [])
        return ModelComparison(id=match.model_id, title=render(spec.title, lang), variable=" or ".join(spec.variables),
                               found=match.found, notes=notes, reference_total=None,
                               student_total=match.card.total_params if match.card else None)
    if match.card is not None:
        rows = [_row(d) for d in pair_diffs(match.reference, match.card, match.pairs)]
        found = [Finding(message=render(f["message"], lang, rubric.messages), fix=render(f["fix"], lang),
                         layer=f["layer"], attributes=list(f["attributes"]))
                 for f in findings(match.reference, match.card, match.pairs, framework(match.framework))]
    else:
        rows = [_row(PairDiff(layer, None)) for layer in match.reference.layers]
        found = []
    return ModelComparison(
        id=match.model_id, title=render(spec.title, lang), variable=" or ".join(spec.variables),
        found=render(match.found, lang) if match.found else None,
        notes=[render(n, lang, rubric.messages) for n in match.notes]
        + ([render(match.problem, lang, rubric.messages)] if match.problem else []),
        reference_total=match.reference.total_params,
        student_total=match.card.total_params if match.card else None,
        rows=rows, findings=found,
    )


def _row(diff: PairDiff) -> RowDiff:
    """One aligned pair; ``differs`` names each attribute that differs (kind, a setting, output_shape, params)."""
    return RowDiff(status=diff.status, differs=diff.attributes if diff.status == "differs" else [],
                   reference=_layer(diff.ref) if diff.ref else None, student=_layer(diff.stu) if diff.stu else None)


def _layer(layer: LayerCard) -> LayerView:
    return LayerView(name=layer.name, kind=layer.kind, describe=layer.describe(), output_shape=layer.output_shape,
                     params=layer.params)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _name(path: Path) -> str:
    return path.stem if path.suffix else path.name
