"""Grade one submission against a rubric: run it, read its models, score the checks.

The whole pipeline for one submission lives here, in order:
submission -> execution -> model cards -> check results -> grade (a results.json dict).

Example:
    >>> rubric = load_rubric("rubrics/actividad2.yaml")                # doctest: +SKIP
    >>> result = grade_submission("submissions/actividad2/correct.ipynb", rubric)  # doctest: +SKIP
    >>> result["score"] == result["max_score"]                          # doctest: +SKIP
    True
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from grader import __version__
from grader.cards.card import LayerCard, ModelCard
from grader.checks.diff import PairDiff, findings, pair_diffs
from grader.checks.kinds import CheckContext, run_check
from grader.checks.matching import Match, match_models
from grader.checks.result import CheckResult
from grader.errors import InputError
from grader.execution import diagnostics, old_api, verdict
from grader.execution.fit_cap import cap_message
from grader.sandbox.limits import Limits
from grader.execution.result import ExecutionResult
from grader.execution.runner import execute
from grader.sandbox.levels import Sandbox
from grader.expectations.reference import reference_cards
from grader.grading.rubric import Rubric
from grader.i18n import msg, render

SCHEMA = 1


def grade_submission(
    path: str | Path,
    rubric: Rubric,
    *,
    timeout: float | None = None,
    memory: int | None = None,
    sandbox: Sandbox | None = None,
    references: dict[str, ModelCard] | None = None,
    name: str | None = None,
    lang: str | None = None,
    legacy_keras: bool | None = None,
    device: str = "auto",
    trainer=None,
    full: bool = False,
) -> dict[str, Any]:
    """Grade the submission at ``path`` and return its results.json content.

    ``timeout`` (seconds) and ``memory`` (bytes) override the rubric's limits; ``sandbox``
    defaults to the strongest level this machine supports (see :mod:`grader.sandbox.levels`).

    A submission that cannot be read or run at all gives ``status: "error"`` with the reason
    in ``execution.message``; it never raises for the student's mistakes. Problems with the
    rubric or the references raise :class:`InputError` (they concern every submission).
    ``lang`` (default: the rubric's ``language``) picks the language of every message;
    ``legacy_keras`` (default: the rubric's) runs Keras 1/2 code through the translation layer.
    Train checks run on ``device`` (auto, cpu, gpu) unless a ``trainer``
    (:class:`grader.training.run.Trainer`) is given.
    The submission's own ``fit()`` calls run under the rubric's ``fit_cap``; ``full`` runs them as written.
    """
    references = references if references is not None else reference_cards(rubric, sandbox=sandbox)
    check_points(rubric, references)
    from grader.submission.submission import Submission

    lang = lang or rubric.language
    legacy = rubric.legacy_keras if legacy_keras is None else legacy_keras
    path = Path(path)
    _import_keras_meanwhile()
    try:
        submission = Submission.from_path(path)
        old_calls = scan_submission(submission)
        execution = execute(
            submission,
            resources=rubric.resources,
            limits=rubric.limits.overriding(timeout=timeout, memory=memory),
            sandbox=sandbox,
            **({"legacy_keras": True} if legacy else {}),
            **({} if full or rubric.fit_cap is None else {"fit_cap": rubric.fit_cap}),
        )
    except InputError as exc:
        return error_result(rubric, name or path, exc.one_line(), lang=lang)
    training = training_context(rubric, trainer=trainer, device=device, memory=memory, sandbox=sandbox)
    return grade_execution(execution, rubric, references, name or submission.name, lang=lang,
                           old_calls=old_calls, legacy=legacy, training=training)


def _import_keras_meanwhile() -> None:
    """Import Keras in a thread while the submission runs: reading its models needs it afterwards,
    and importing it (~3-5 s) overlaps with the sandboxed run instead of following it."""
    import sys
    import threading

    if "keras" not in sys.modules:
        threading.Thread(target=_quiet_import, args=("keras",), daemon=True, name="grader-import-keras").start()


def _quiet_import(name: str) -> None:
    import importlib

    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - the import in the main thread reports it properly
        pass


def training_context(rubric: Rubric, *, trainer=None, device: str = "auto", memory: int | None = None,
                     sandbox: Sandbox | None = None):
    """What the rubric's train checks need (None when it has none): a trainer and the rubric's data."""
    if not any(spec.kind == "train" for activity in rubric.activities for spec in activity.checks):
        return None
    from grader.sandbox.devices import choose_device
    from grader.expectations.reference import reference_architecture
    from grader.training.check import TrainingContext
    from grader.training.run import Trainer

    if trainer is None:
        trainer = Trainer(limits=rubric.limits.overriding(memory=memory), sandbox=sandbox,
                          device=choose_device(device))
    return TrainingContext(trainer=trainer, base=rubric.path.parent, resources=list(rubric.resources),
                           reference_architectures=lambda model_id: reference_architecture(
                               rubric, rubric.models[model_id], sandbox=sandbox))


def grade_execution(execution: ExecutionResult, rubric: Rubric, references: dict[str, ModelCard], name: str, *,
                    lang: str | None = None, old_calls: list[dict] | None = None,
                    legacy: bool = False, rebuilt: dict | None = None, training=None) -> dict[str, Any]:
    """Score what a run produced (its exported models and cell outcomes): the part after execution.

    The mutation test feeds models built in-process through here, exactly as a real run would;
    ``rebuilt`` (see :func:`match_models`) lets it rebuild each unchanged model once.
    """
    lang = lang or rubric.language
    for cell in execution.cells:  # the likely fix in the report's language
        if cell.status == "error" and cell.ename:
            cell.hint = diagnostics.explain(cell.ename, cell.evalue, cell.code, lang)
    execution_message = execution_summary(execution)
    matches = match_models(rubric, execution.captures, references, rebuilt=rebuilt)
    context = CheckContext(matches=matches, execution=execution, execution_message=execution_message,
                           old_calls=old_calls or [], translations=execution.translations, training=training)
    checks = [_run(spec, activity.id, context, lang, rubric.messages)
              for activity in rubric.activities for spec in activity.checks]
    result = _result(rubric, name, execution, checks, matches, lang)
    result["execution"]["message"] = render(execution_message, lang, rubric.messages)
    result["execution"]["fit_cap_message"] = render(cap_message(execution.capped_fits), lang, rubric.messages)
    result["execution"]["left_out"] = [render(line, lang, rubric.messages) for line in execution.left_out]
    result["old_api"] = [_old_call(call, lang) for call in old_calls or []]
    result["legacy"] = {"enabled": legacy, "translations": list(execution.translations)}
    return result


def scan_submission(submission) -> list[dict]:
    """Every old Keras call in the submission's files, found by reading the code (nothing runs)."""
    import nbformat

    from grader.submission.submission import read_source

    calls = []
    for source in submission.files:
        try:
            if source.kind == "script":
                cells = [(0, read_source(source))]
            else:
                notebook = nbformat.read(str(source.path), as_version=4)
                cells = [(i, c.source) for i, c in enumerate(notebook.cells, start=1) if c.cell_type == "code"]
        except Exception:  # noqa: BLE001 - execution reports unreadable files; the scan only explains
            continue
        for cell, code in cells:
            try:
                calls.extend(f.get_config() for f in old_api.scan_source(code, file=source.label, cell=cell))
            except (RecursionError, MemoryError, ValueError):  # code the parser cannot hold: nothing to explain
                continue
    return calls


def _old_call(call: dict, lang: str) -> dict:
    return {**call, "explanation": " ".join(old_api.explanation(p, lang) for p in call["patterns"])}


def execution_summary(execution: ExecutionResult) -> Any:
    """What happened when the code ran, as a message (the root cause first)."""
    return verdict.summary(execution, execution.limits or Limits())


def check_points(rubric: Rubric, references: dict[str, ModelCard]) -> None:
    """Every layer a check names must exist in its reference model."""
    from grader.cards.canonical import canonical

    for activity in rubric.activities:
        for spec in activity.checks:
            if spec.model is None:
                continue
            card = canonical(references[spec.model])
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


def _run(spec, activity_id: str, context: CheckContext, lang: str, overrides: dict) -> CheckResult:
    title = render(spec.title, lang) or render(_default_title(spec), lang)
    try:
        outcome = run_check(spec, context)
    except Exception as exc:  # a bug in a check must not lose the other results
        return CheckResult(spec.id, activity_id, title, "error", 0.0, spec.points,
                           render(msg("check.grader_bug", error=f"{type(exc).__name__}: {exc}"), lang),
                           model=spec.model, hidden=spec.hidden)
    status = "error" if outcome.error else ("pass" if outcome.passed else "fail")
    hint = outcome.hint
    hint = "\n".join(render(h, lang, overrides) for h in hint) if isinstance(hint, list) else \
        render(hint, lang, overrides)
    return CheckResult(
        id=spec.id, activity=activity_id, title=title, status=status,
        points=spec.points if outcome.passed else 0.0, max_points=spec.points,
        message=render(outcome.message, lang, overrides),
        expected=outcome.expected, found=outcome.found, model=spec.model, hint=hint, hidden=spec.hidden,
    )


def _default_title(spec) -> Any:
    options = spec.options
    if spec.kind == "output_shape":
        return msg("title.output_shape", at=options["at"]) if "at" in options else msg("title.output_shape.last")
    if spec.kind == "params":
        return msg("title.params.through", through=options["through"]) if "through" in options else msg("title.params")
    if spec.kind == "layers":
        return msg("title.layers", start=options.get("from", "1"), end=options.get("to", "…"))
    if spec.kind == "keras_api":
        return msg("legacy.check.title")
    return msg(f"title.{spec.kind}")


def _result(rubric: Rubric, name: str, execution: ExecutionResult, checks: list[CheckResult],
            matches: dict[str, Match], lang: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "assignment": rubric.assignment,
        "title": render(rubric.title, lang),
        "language": lang,
        "submission": name,
        "status": "graded",
        "score": round(sum(c.points for c in checks), 4),
        "max_score": round(rubric.max_score, 4),
        "execution": execution.to_json(),
        "activities": _activities(rubric, checks, lang),
        "checks": [c.get_config() for c in checks],
        "models": [_comparison(rubric, match, lang) for match in matches.values()],
        "grader_version": __version__,
        "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "rubric": str(rubric.path),
    }


def error_result(rubric: Rubric, submission: str | Path, message: str, *, lang: str | None = None) -> dict[str, Any]:
    """The result of a submission that could not be graded at all; ``message`` says why."""
    lang = lang or rubric.language
    name = _name(submission) if isinstance(submission, Path) else submission
    checks = [
        CheckResult(spec.id, activity.id, render(spec.title, lang) or render(_default_title(spec), lang), "skipped",
                    0.0, spec.points, render(msg("check.not_graded"), lang), model=spec.model, hidden=spec.hidden)
        for activity in rubric.activities for spec in activity.checks
    ]
    return {
        "schema": SCHEMA, "assignment": rubric.assignment, "title": render(rubric.title, lang), "language": lang,
        "submission": name,
        "status": "error", "score": 0.0, "max_score": round(rubric.max_score, 4),
        "execution": {"status": "error", "message": message, "duration_s": 0.0, "cells": []},
        "activities": _activities(rubric, checks, lang), "checks": [c.get_config() for c in checks], "models": [],
        "old_api": [], "legacy": {"enabled": False, "translations": []},
        "grader_version": __version__,
        "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "rubric": str(rubric.path),
    }


def _activities(rubric: Rubric, checks: list[CheckResult], lang: str) -> list[dict[str, Any]]:
    summary = []
    for activity in rubric.activities:
        mine = [c for c in checks if c.activity == activity.id]
        points, max_points = sum(c.points for c in mine), sum(c.max_points for c in mine)
        passed = all(c.status == "pass" for c in mine)
        status = "pass" if passed else ("partial" if points > 0 else "fail")
        summary.append({"id": activity.id, "title": render(activity.title, lang), "points": round(points, 4),
                        "max_points": round(max_points, 4), "status": status})
    return summary


def _comparison(rubric: Rubric, match: Match, lang: str) -> dict[str, Any]:
    spec = rubric.models[match.model_id]
    if match.card is not None:
        rows = [_row(d) for d in pair_diffs(match.reference, match.card, match.pairs)]
        found = [{**f, "message": render(f["message"], lang, rubric.messages), "fix": render(f["fix"], lang)}
                 for f in findings(match.reference, match.card, match.pairs)]
    else:
        rows = [_row(PairDiff(layer, None)) for layer in match.reference.layers]
        found = []
    return {
        "id": match.model_id,
        "title": render(spec.title, lang),
        "variable": " or ".join(spec.variables),
        "found": match.found,
        "notes": [render(n, lang, rubric.messages) for n in match.notes]
                 + ([render(match.problem, lang, rubric.messages)] if match.problem else []),
        "reference_total": match.reference.total_params,
        "student_total": match.card.total_params if match.card else None,
        "rows": rows,
        "findings": found,
    }


def _row(diff: PairDiff) -> dict[str, Any]:
    """One aligned pair; ``differs`` names each attribute that differs (kind, a setting, output_shape, params)."""
    return {"status": diff.status, "differs": diff.attributes if diff.status == "differs" else [],
            "reference": _layer(diff.ref) if diff.ref else None, "student": _layer(diff.stu) if diff.stu else None}


def _layer(layer: LayerCard) -> dict[str, Any]:
    return {"name": layer.name, "kind": layer.kind, "describe": layer.describe(),
            "output_shape": layer.output_shape, "params": layer.params}


def _name(path: Path) -> str:
    return path.stem if path.suffix else path.name
