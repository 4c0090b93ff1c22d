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
from grader.checks.align import differing_settings
from grader.checks.kinds import CheckContext, run_check
from grader.checks.matching import Match, match_models
from grader.checks.result import CheckResult
from grader.errors import InputError
from grader.execution.result import ExecutionResult
from grader.execution.runner import execute
from grader.execution.sandbox import Sandbox
from grader.expectations.reference import reference_cards
from grader.grading.rubric import Rubric

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
) -> dict[str, Any]:
    """Grade the submission at ``path`` and return its results.json content.

    ``timeout`` (seconds) and ``memory`` (bytes) override the rubric's limits; ``sandbox``
    defaults to the strongest level this machine supports (see :mod:`grader.execution.sandbox`).

    A submission that cannot be read or run at all gives ``status: "error"`` with the reason
    in ``execution.message``; it never raises for the student's mistakes. Problems with the
    rubric or the references raise :class:`InputError` (they concern every submission).
    """
    references = references if references is not None else reference_cards(rubric)
    check_points(rubric, references)
    from grader.submission.submission import Submission

    path = Path(path)
    try:
        submission = Submission.from_path(path)
        execution = execute(
            submission,
            resources=rubric.resources,
            limits=rubric.limits.overriding(timeout=timeout, memory=memory),
            sandbox=sandbox,
        )
    except InputError as exc:
        return error_result(rubric, name or path, exc.one_line())
    matches = match_models(rubric, execution.captures, references)
    context = CheckContext(matches=matches, execution=execution)
    checks = [_run(spec, activity.id, context) for activity in rubric.activities for spec in activity.checks]
    return _result(rubric, name or submission.name, execution, checks, matches)


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


def _run(spec, activity_id: str, context: CheckContext) -> CheckResult:
    try:
        outcome = run_check(spec, context)
    except Exception as exc:  # a bug in a check must not lose the other results
        return CheckResult(spec.id, activity_id, spec.title or spec.kind, "error", 0.0, spec.points,
                           f"The grader failed on this check ({type(exc).__name__}: {exc}); please report it.",
                           model=spec.model)
    status = "error" if outcome.error else ("pass" if outcome.passed else "fail")
    return CheckResult(
        id=spec.id, activity=activity_id, title=spec.title or _default_title(spec), status=status,
        points=spec.points if outcome.passed else 0.0, max_points=spec.points, message=outcome.message,
        expected=outcome.expected, found=outcome.found, model=spec.model, hint=outcome.hint,
    )


def _default_title(spec) -> str:
    options = spec.options
    return {
        "model_found": "Model built",
        "input_shape": "Input shape",
        "output_shape": f"Output shape after {options.get('at', 'the last layer')}",
        "params": f"Parameters up to {options['through']}" if "through" in options else "Parameters of the model",
        "layers": f"Layers {options.get('from', 'first')} to {options.get('to', 'last')}",
        "compile": "Compile settings",
        "runs": "Runs without errors",
    }[spec.kind]


def _result(rubric: Rubric, name: str, execution: ExecutionResult, checks: list[CheckResult],
            matches: dict[str, Match]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "assignment": rubric.assignment,
        "title": rubric.title,
        "submission": name,
        "status": "graded",
        "score": round(sum(c.points for c in checks), 4),
        "max_score": round(rubric.max_score, 4),
        "execution": execution.to_json(),
        "activities": _activities(rubric, checks),
        "checks": [c.get_config() for c in checks],
        "models": [_comparison(rubric, match) for match in matches.values()],
        "grader_version": __version__,
        "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "rubric": str(rubric.path),
    }


def error_result(rubric: Rubric, submission: str | Path, message: str) -> dict[str, Any]:
    """The result of a submission that could not be graded at all; ``message`` says why."""
    name = _name(submission) if isinstance(submission, Path) else submission
    checks = [
        CheckResult(spec.id, activity.id, spec.title or _default_title(spec), "skipped", 0.0, spec.points,
                    "Not graded: the submission could not be read.", model=spec.model)
        for activity in rubric.activities for spec in activity.checks
    ]
    return {
        "schema": SCHEMA, "assignment": rubric.assignment, "title": rubric.title, "submission": name,
        "status": "error", "score": 0.0, "max_score": round(rubric.max_score, 4),
        "execution": {"status": "error", "message": message, "duration_s": 0.0, "cells": []},
        "activities": _activities(rubric, checks), "checks": [c.get_config() for c in checks], "models": [],
        "grader_version": __version__,
        "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "rubric": str(rubric.path),
    }


def _activities(rubric: Rubric, checks: list[CheckResult]) -> list[dict[str, Any]]:
    summary = []
    for activity in rubric.activities:
        mine = [c for c in checks if c.activity == activity.id]
        points, max_points = sum(c.points for c in mine), sum(c.max_points for c in mine)
        passed = all(c.status == "pass" for c in mine)
        status = "pass" if passed else ("partial" if points > 0 else "fail")
        summary.append({"id": activity.id, "title": activity.title, "points": round(points, 4),
                        "max_points": round(max_points, 4), "status": status})
    return summary


def _comparison(rubric: Rubric, match: Match) -> dict[str, Any]:
    spec = rubric.models[match.model_id]
    rows = []
    if match.card is not None:
        for i, j in match.pairs:
            ref = match.reference.layers[i] if i is not None else None
            stu = match.card.layers[j] if j is not None else None
            rows.append(_row(ref, stu))
    else:
        rows = [_row(layer, None) for layer in match.reference.layers]
    return {
        "id": match.model_id,
        "title": spec.title,
        "variable": " or ".join(spec.variables),
        "found": match.found,
        "notes": list(match.notes) + ([match.problem] if match.problem else []),
        "reference_total": match.reference.total_params,
        "student_total": match.card.total_params if match.card else None,
        "rows": rows,
    }


def _row(ref: LayerCard | None, stu: LayerCard | None) -> dict[str, Any]:
    if ref is None:
        return {"status": "extra", "differs": [], "reference": None, "student": _layer(stu)}
    if stu is None:
        return {"status": "missing", "differs": [], "reference": _layer(ref), "student": None}
    differs = []
    if ref.kind != stu.kind:
        differs.append("kind")
    elif differing_settings(ref, stu):
        differs.append("config")
    if ref.output_shape != stu.output_shape:
        differs.append("output_shape")
    if ref.params != stu.params:
        differs.append("params")
    return {"status": "differs" if differs else "same", "differs": differs,
            "reference": _layer(ref), "student": _layer(stu)}


def _layer(layer: LayerCard) -> dict[str, Any]:
    return {"name": layer.name, "kind": layer.kind, "describe": layer.describe(),
            "output_shape": layer.output_shape, "params": layer.params}


def _name(path: Path) -> str:
    return path.stem if path.suffix else path.name
