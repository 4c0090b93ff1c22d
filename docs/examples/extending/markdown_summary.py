"""An example exporter: one Markdown table of the scores (``--markdown FILE``; ``docs/extending.md``).

A module that exposes ``EXPORTER`` is an exporter; its flag appears on the commands it names.
"""

from pathlib import Path

from grader.reports.common import percent, write_text_atomic
from grader.reports.exporters import Exporter


def write_markdown(results: list[dict], path: Path, links=None) -> Path:
    lines = ["| submission | score | % |", "|---|---:|---:|"]
    for result in results:
        share = percent(result["score"], result["max_score"])
        lines.append(f"| {result['assignment']}/{result['submission']} | {result['score']:g}/{result['max_score']:g} "
                     f"| {share:.0f} |" if share is not None else f"| {result['submission']} | — | — |")
    return write_text_atomic(path, "\n".join(lines) + "\n")


EXPORTER = Exporter(name="markdown", write=write_markdown, flag="--markdown",
                    help="a Markdown table of the scores")
