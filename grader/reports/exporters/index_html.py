"""``index.html``: the class dashboard of a batch (histogram, pass rates, common mistakes, all reports)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from grader.reports.common import write_text_atomic
from grader.reports.exporters import Exporter


def write_index(results: Iterable[dict], path: str | os.PathLike, links: dict[str, str] | None = None) -> Path:
    """Render the batch index and write it (UTF-8, atomically) to ``path``."""
    from grader.reports.html import render_index

    return write_text_atomic(path, render_index(results, links))


EXPORTER = Exporter(name="index_html", write=write_index, commands=("grade",), default="index.html",
                    help="the class dashboard linking every report")
