"""Grade one submission of a batch and write its files; runs in a worker process or inline.

The result goes to ``<folder>/report.html`` and then ``<folder>/results.json``, each written
atomically; results.json is written last and carries the content key, so a results.json whose key
matches is a complete, valid result whatever happened to the batch afterwards.

Example::

    >>> job = Job(index=0, path=Path("submissions/actividad2/carla"), rubric=rubric,
    ...           folder=Path("reports/actividad2/carla"), key="...", timeout=None)  # doctest: +SKIP
    >>> outcome = grade_job(job)                                                       # doctest: +SKIP
    >>> outcome.result["score"], outcome.grader_failed                                 # doctest: +SKIP
    (20.0, False)
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import InputError
from grader.sandbox.levels import Sandbox
from grader.grading.rubric import Rubric

RESULTS, REPORT = "results.json", "report.html"

# Reference cards per rubric file, loaded once per worker process (they cost a TensorFlow model each).
_references_by_rubric: dict[str, dict] = {}


@dataclass(frozen=True)
class Job:
    index: int  # position in the batch, so results come back in the order they were collected
    path: Path
    rubric: Rubric
    folder: Path
    key: str | None  # None: the files could not be listed, so the result is never reused
    timeout: float | None
    memory: int | None = None
    sandbox: Sandbox | None = None  # chosen once by the parent, so every worker uses the same level
    device: str = "auto"  # for train checks; a worker pinned to one GPU uses that one
    full: bool = False  # run the students' fit() as written, without the rubric's fit_cap


@dataclass
class Outcome:
    index: int
    result: dict[str, Any]
    seconds: float
    grader_failed: bool = False  # the grader itself broke on this submission (not the student)
    cached: bool = False


def use_device(devices) -> None:
    """Worker initializer: take one accelerator from ``devices`` (a queue) and keep to it."""
    if devices is not None:
        os.environ["CUDA_VISIBLE_DEVICES"] = str(devices.get())


def grade_job(job: Job) -> Outcome:
    """Grade ``job`` and write its report and results; never raises for a student's mistake."""
    began = time.monotonic()
    result, failed = grade_one(job.path, job.rubric, job.timeout, _references(job.rubric, job.sandbox),
                               memory=job.memory, sandbox=job.sandbox, device=job.device,
                               **({"full": True} if job.full else {}))
    if not failed and job.key is not None:
        # A result the grader failed to produce carries no key, so the next run tries again.
        result["cache_key"] = job.key
    write_outputs(result, job.folder)
    return Outcome(job.index, result, time.monotonic() - began, grader_failed=failed)


def grade_one(path: Path, rubric: Rubric, timeout: float | None, references=None, *, memory: int | None = None,
              sandbox: Sandbox | None = None, **options) -> tuple[dict, bool]:
    """The result of one submission and whether the grader itself failed on it.

    ``options`` go to :func:`grader.grading.grade.grade_submission` (``lang``, ``legacy_keras``, ``device``,
    ``full``).
    """
    from grader.grading.grade import error_result, grade_submission

    try:
        return grade_submission(path, rubric, timeout=timeout, memory=memory, sandbox=sandbox,
                                references=references, **options), False
    except InputError:
        raise  # a problem with the rubric or the references concerns every submission
    except Exception as exc:  # one broken submission never stops a batch
        return error_result(rubric, path, f"the grader failed on this submission ({type(exc).__name__}: {exc}); "
                                          "please report it with the submission attached"), True


def write_outputs(result: dict, folder: Path) -> None:
    """Write report.html, then results.json (the commit point), each atomically."""
    from grader.reports.html import write_report
    from grader.reports.results_json import write_results

    remove_partial_writes(folder)
    write_report(result, folder / REPORT)
    write_results(result, folder / RESULTS)


def remove_partial_writes(folder: Path) -> None:
    """Delete temporary files that a killed run left half written (``.<name>.<random>.tmp``)."""
    if folder.is_dir():
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)


def stored_result(folder: Path, key: str) -> dict | None:
    """The result stored in ``folder`` if it was made from the same content, else None."""
    try:
        result = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(result, dict) or result.get("cache_key") != key:
        return None
    remove_partial_writes(folder)  # a run killed while regrading with --force may have left some
    if not (folder / REPORT).is_file():  # results.json is written last, but the report may be deleted
        from grader.reports.html import write_report

        write_report(result, folder / REPORT)
    return result


def _references(rubric: Rubric, sandbox: Sandbox | None = None) -> dict:
    name = str(rubric.path)
    if name not in _references_by_rubric:
        from grader.expectations.reference import reference_cards

        _references_by_rubric[name] = reference_cards(rubric, sandbox=sandbox)
    return _references_by_rubric[name]
