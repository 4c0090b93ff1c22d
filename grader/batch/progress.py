"""How a batch shows its progress: a live bar on a terminal, one plain line per submission elsewhere.

Both reporters have the same verbs: ``start(total, cached)``, ``advance(outcome)``, ``finish()``.
The plain one is what CI logs and pipes get (no control characters, one line per event).

Example::

    >>> from grader.grading.results import GradedSubmission
    >>> result = GradedSubmission("actividad2", "A2", "en", "carla", "graded", 20.0, 20.0)
    >>> reporter = make_reporter(stream=sys.stdout)     # a bar on a terminal, lines otherwise
    >>> reporter.start(total=40, cached=12)
    12 of 40 submissions unchanged since the last run: reusing their results (--force regrades them).
    >>> reporter.advance(JobOutcome(0, result, 21.4))
    [13/40] actividad2/carla: 20/20  execution ok  (21.4 s)
    >>> reporter.finish()
"""

from __future__ import annotations

import sys
from typing import TextIO

from grader.batch.worker import JobOutcome
from grader.i18n import text
from grader.reports.terminal import batch_line, printable, result_line


def failed(outcome: JobOutcome) -> bool:
    """A submission that did not run cleanly or could not be graded (shown as a failure)."""
    result = outcome.result
    return outcome.grader_failed or result.status == "error" or result.execution.status != "ok"


class PlainReporter:
    """One line per graded submission: ``[done/total] assignment/student: score ...``."""

    def __init__(self, stream: TextIO | None = None, lang: str = "en") -> None:
        self.stream = stream or sys.stdout
        self.lang = lang
        self.done = self.total = 0

    def start(self, total: int, cached: int) -> None:
        self.total, self.done = total, cached
        if cached:
            print(text("term.reused", self.lang, cached=cached, total=total), file=self.stream, flush=True)

    def advance(self, outcome: JobOutcome) -> None:
        self.done += 1
        print(printable(batch_line(self.done, self.total, outcome.result, outcome.seconds)), file=self.stream, flush=True)

    def finish(self) -> None:
        pass


class RichReporter:
    """A live progress bar (done/total, failures, ETA) drawn with rich on a terminal."""

    def __init__(self, stream: TextIO | None = None, lang: str = "en") -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.console = Console(file=stream or sys.stderr)
        self.progress = Progress(
            TextColumn(text("term.grading", lang)), BarColumn(), MofNCompleteColumn(),
            TextColumn("[red]" + text("term.failed", lang, count="{task.fields[failures]}")),
            TextColumn("{task.fields[last]}"), TimeElapsedColumn(), TextColumn(text("term.eta", lang)),
            TimeRemainingColumn(),
            console=self.console, transient=False,
        )
        self.task = None
        self.failures = 0
        self.lang = lang

    def start(self, total: int, cached: int) -> None:
        self.progress.start()
        if cached:
            self.console.print(text("term.reused", self.lang, cached=cached, total=total), markup=False,
                               highlight=False)
        self.task = self.progress.add_task("grade", total=total, completed=cached, failures=0, last="")

    def advance(self, outcome: JobOutcome) -> None:
        self.failures += failed(outcome)
        result = outcome.result
        self.progress.console.print(result_line(result, outcome.seconds),
                                    markup=False, highlight=False)
        self.progress.update(self.task, advance=1, failures=self.failures,
                             last=printable(f"{result.assignment}/{result.submission}"))

    def finish(self) -> None:
        self.progress.stop()


def make_reporter(stream: TextIO | None = None, *, live: bool | None = None, lang: str = "en"):
    """A :class:`RichReporter` when ``stream`` is a terminal (or ``live``), else a :class:`PlainReporter`;
    its own lines in ``lang`` (each submission's line is in that submission's language)."""
    stream = stream or sys.stderr
    if live is None:
        live = bool(getattr(stream, "isatty", lambda: False)())
    return RichReporter(stream, lang) if live else PlainReporter(sys.stdout, lang)
