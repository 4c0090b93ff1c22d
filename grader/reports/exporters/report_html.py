"""``report.html``: one submission's self-contained report, for the student (hidden checks hidden)."""

from __future__ import annotations

import os
from pathlib import Path

from grader.reports.common import write_text_atomic
from grader.reports.exporters import Exporter


def write_report(result: dict, path: str | os.PathLike, links=None) -> Path:
    """Render one submission's report and write it (UTF-8, atomically) to ``path``."""
    from grader.reports.html import render_report

    return write_text_atomic(path, render_report(result))


EXPORTER = Exporter(name="report_html", write=write_report, per="submission", flag="--html", commands=("check",),
                    default="report.html", order=10, help="the submission's report page")
