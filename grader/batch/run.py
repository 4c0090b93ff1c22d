"""Run a batch: reuse what is unchanged, grade the rest over worker processes, report progress.

Keras keeps global state in the process that rebuilds models, so parallel grading uses worker
processes (started with ``spawn``, references loaded once per worker), never threads. With one
worker everything runs in this process, which skips the workers' start-up cost.

Example::

    >>> jobs = [Job(i, path, rubric, out / rubric.assignment / path.stem, key) for ...]        # doctest: +SKIP
    >>> summary = run_batch(jobs, workers=2, reporter=PlainReporter())                        # doctest: +SKIP
    >>> summary.graded, summary.cached, summary.grader_failures                                # doctest: +SKIP
    (40, 12, 0)
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from grader.batch.worker import Job, JobOutcome, failed_outcome, grade_job, stored_result, use_device
from grader.grading.results import GradedSubmission
from grader.sandbox.devices import visible_gpus

# The execution statuses that count as errors in the summary; ``timeout`` is counted on its own.
ERROR_STATUSES = ("error", "memory", "killed")


@dataclass
class BatchSummary:
    """What a batch did: its outcomes in batch order and how long it took."""

    outcomes: list[JobOutcome] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def results(self) -> list[GradedSubmission]:
        return [outcome.result for outcome in self.outcomes]

    @property
    def graded(self) -> int:
        return len(self.outcomes)

    @property
    def cached(self) -> int:
        return sum(outcome.cached for outcome in self.outcomes)

    @property
    def errors(self) -> int:
        """Submissions that could not be read, or whose code failed (not counting time-outs)."""
        return sum(r.status == "error" or r.execution.status in ERROR_STATUSES for r in self.results)

    @property
    def timeouts(self) -> int:
        return sum(r.execution.status == "timeout" for r in self.results)

    @property
    def grader_failures(self) -> int:
        return sum(outcome.grader_failed for outcome in self.outcomes)

    @property
    def mean_percent(self) -> float | None:
        shares = [100 * r.score / r.max_score for r in self.results if r.max_score]
        return sum(shares) / len(shares) if shares else None

    def line(self, lang: str = "en") -> str:
        """``Graded 6 submission(s) (2 unchanged, reused) in 48 s: mean 62%, 2 with errors, 0 timed out.``"""
        from grader.i18n import text

        reused = text("term.summary.reused", lang, count=self.cached) if self.cached else ""
        failures = text("term.summary.failures", lang, count=self.grader_failures) if self.grader_failures else ""
        mean = "—" if self.mean_percent is None else f"{self.mean_percent:.0f}%"
        return text("term.summary", lang, count=self.graded, reused=reused, seconds=f"{self.wall_s:.0f}", mean=mean,
                    errors=self.errors, timeouts=self.timeouts, failures=failures)


def default_workers() -> int:
    """One worker per visible GPU, else one per CPU this process may run on."""
    gpus = visible_gpus()
    if gpus:
        return len(gpus)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def run_batch(jobs: list[Job], *, workers: int, reporter, force: bool = False, executor=None) -> BatchSummary:
    """Grade ``jobs`` (reusing stored results whose key matches, unless ``force``); return the summary.

    ``executor`` grades what is not reused (default: :class:`LocalExecutor` with ``workers``
    processes; :class:`grader.batch.cluster.RayExecutor` for a cluster): anything with an
    ``outcomes(jobs)`` method that yields a :class:`JobOutcome` per job as each is done.
    Raises :class:`grader.errors.InputError` before grading anything when a rubric's references
    cannot be built: that concerns every submission.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    started = time.monotonic()
    done: dict[int, JobOutcome] = {}
    pending = []
    for job in jobs:
        stored = None if force or job.key is None else stored_result(job.folder, job.key)
        if stored is not None:
            done[job.index] = JobOutcome(job.index, stored, 0.0, cached=True)
        else:
            pending.append(job)
    # The references are built once, here (a broken one fails the batch before anything is graded),
    # and travel with every job.
    references = {}
    for job in pending:
        if str(job.rubric.path) not in references:
            from grader.expectations.reference import reference_cards

            references[str(job.rubric.path)] = reference_cards(job.rubric, sandbox=job.sandbox)
    pending = [dataclasses.replace(job, references=references[str(job.rubric.path)]) for job in pending]
    executor = executor or LocalExecutor(min(workers, max(len(pending), 1)))
    reporter.start(len(jobs), len(done))
    try:
        for outcome in executor.outcomes(pending):
            done[outcome.index] = outcome
            reporter.advance(outcome)
    finally:
        reporter.finish()
    return BatchSummary([done[job.index] for job in jobs if job.index in done], time.monotonic() - started)


class LocalExecutor:
    """Grades jobs on this machine: in this process with one worker (no start-up cost), else over
    ``workers`` processes started with spawn, one per GPU when there are GPUs."""

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers

    def outcomes(self, jobs: list[Job]):
        if self.workers <= 1:
            for job in jobs:
                try:
                    yield grade_job(job)
                except Exception as exc:  # noqa: BLE001 - one broken submission never stops a batch
                    yield failed_outcome(job, exc)
            return
        context = multiprocessing.get_context("spawn")
        gpus, devices = visible_gpus(), None
        if gpus:
            devices = context.Queue()
            for i in range(self.workers):
                devices.put(gpus[i % len(gpus)])
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                 initializer=use_device, initargs=(devices,)) as pool:
            futures = {pool.submit(grade_job, job): job for job in jobs}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - the worker died (out of memory, killed)
                    yield failed_outcome(futures[future], exc)
