"""Grade one submission of a batch and write its files; runs in a worker process or inline.

The result goes to ``<folder>/report.html`` and then ``<folder>/results.json`` (the submission
exporters, in order), each written atomically; results.json is written last and carries the
content key, so a results.json whose key matches is a complete, valid result whatever happened
to the batch afterwards.

Example::

    >>> job = Job(index=0, path=Path("submissions/actividad2/carla"), rubric=rubric,
    ...           folder=Path("reports/actividad2/carla"), key="...")              # doctest: +SKIP
    >>> outcome = grade_job(job)                                                  # doctest: +SKIP
    >>> outcome.result.score, outcome.grader_failed                               # doctest: +SKIP
    (20.0, False)
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch.results_cache import load_result, store_result
from grader.grading.results import GradedSubmission
from grader.grading.rubric import Rubric
from grader.options import GradingOptions
from grader.sandbox.levels import Sandbox

RESULTS, REPORT = "results.json", "report.html"


@dataclass(frozen=True)
class Job:
    index: int  # position in the batch, so results come back in the order they were collected
    path: Path
    rubric: Rubric
    folder: Path
    key: str | None  # None: the files could not be listed, so the result is never reused
    options: GradingOptions = field(default_factory=GradingOptions)
    sandbox: Sandbox | None = None  # chosen once by the parent, so every worker uses the same level
    references: dict | None = None  # the rubric's reference cards, built once by the parent


@dataclass
class JobOutcome:
    index: int
    result: GradedSubmission
    seconds: float
    grader_failed: bool = False  # the grader itself broke on this submission (not the student)
    cached: bool = False


def use_device(devices) -> None:
    """Worker initializer: take one accelerator from ``devices`` (a queue) and keep to it; TensorFlow's
    start-up lines stay off the terminal here too."""
    from grader.quiet import quiet_tensorflow_import

    quiet_tensorflow_import()
    if devices is not None:
        os.environ["CUDA_VISIBLE_DEVICES"] = str(devices.get())


def grade_job(job: Job) -> JobOutcome:
    """Grade ``job`` and write its report and results; never raises for a student's mistake."""
    from grader.grading.grade import grade_safely

    began = time.monotonic()
    result, failed = grade_safely(job.path, job.rubric, job.options, sandbox=job.sandbox, references=job.references)
    if not failed:
        # A result the grader failed to produce carries no key, so the next run tries again.
        result.cache_key = job.key
        store_result(result)
    write_outputs(result, job.folder)
    return JobOutcome(job.index, result, time.monotonic() - began, grader_failed=failed)


def write_outputs(result: GradedSubmission, folder: Path) -> None:
    """Write every per-submission file (report.html, then results.json: the commit point), atomically."""
    from grader.reports.exporters import per_submission

    remove_partial_writes(folder)
    document = result.to_json()
    for exporter in per_submission():
        exporter.write(document, folder / exporter.default)


def remove_partial_writes(folder: Path) -> None:
    """Delete temporary files that a killed run left half written (``.<name>.<random>.tmp``)."""
    if folder.is_dir():
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)


def stored_result(folder: Path, key: str) -> GradedSubmission | None:
    """The result stored in ``folder`` if it was made from the same content, else the one stored
    under the same key by an earlier ``grade`` or ``grader check`` (then written into ``folder``), else None."""
    try:
        document = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
        if not isinstance(document, dict) or document.get("cache_key") != key:
            raise ValueError("another result")
        result = GradedSubmission.from_json(document)
    except (OSError, ValueError, TypeError, KeyError):
        result = load_result(key)
        if result is not None:
            write_outputs(result, folder)
        return result
    remove_partial_writes(folder)  # a run killed while regrading with --force may have left some
    if not (folder / REPORT).is_file():  # results.json is written last, but the report may be deleted
        from grader.reports.exporters import exporters

        exporters()["report_html"].write(document, folder / REPORT)
    return result


def failed_outcome(job: Job, exc: Exception) -> JobOutcome:
    """The outcome of a job the grader could not finish (its worker died, or it raised): an error
    result that says so, written without a cache key so that the next run tries again."""
    from grader.errors import InputError
    from grader.grading.grade import error_result

    reason = exc.one_line() if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
    result = error_result(job.rubric, job.path, f"the grader failed on this submission ({reason}); "
                                                "grade again to retry, and report it if it happens again",
                          lang=job.options.lang)
    write_outputs(result, job.folder)
    return JobOutcome(job.index, result, 0.0, grader_failed=True)
