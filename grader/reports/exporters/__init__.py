"""Exporters: every file (or annotation) grader writes from results, found in one registry.

Each module here exposes ``EXPORTER``, an :class:`Exporter`; adding an export format is adding
a module (here, or in your own package under the entry-point group ``grader.exporters``).
``python -m grader.reports.exporters`` lists them.

* ``per="submission"`` exporters write one file per submission (``results.json``, ``report.html``);
* ``per="batch"`` exporters write one file for a list of results (``index.html``, ``grades.csv``,
  JUnit XML) or, with no file, print (GitHub Actions annotations).

Each is written when its ``flag`` (e.g. ``--junit FILE``) is given to one of its ``commands``,
always (``default``: the file name it gets in ``grade``'s output folder), or when ``active()``
says so (annotations on GitHub Actions).

Example:
    >>> sorted(exporters())
    ['github', 'grades_csv', 'gradescope', 'index_html', 'junit', 'report_html', 'results_json']
    >>> exporters()["junit"].flag, exporters()["grades_csv"].default
    ('--junit', 'grades.csv')
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Exporter:
    """One output format. ``write(results, path, links)`` gets results.json documents (a list for a
    batch exporter, one for a submission exporter) and returns the path written, or None."""

    name: str
    write: Callable
    help: str
    per: str = "batch"                   # "batch" or "submission"
    flag: str | None = None              # the command-line option that names its file
    commands: tuple[str, ...] = ("check", "grade")
    default: str | None = None           # written always, under this name in grade's output folder
    order: int = 50                      # submission exporters run in this order (results.json last)
    active: Callable[[], bool] | None = None  # written when this says so (no file: e.g. annotations)


@functools.lru_cache(maxsize=1)
def exporters() -> dict[str, Exporter]:
    """Every exporter, by name."""
    package = importlib.import_module(__name__)
    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        exporter = getattr(module, "EXPORTER", None)
        if isinstance(exporter, Exporter):
            found[exporter.name] = exporter
    from grader.plugins import plugin_modules

    for module in plugin_modules("grader.exporters"):
        exporter = getattr(module, "EXPORTER", None)
        if not isinstance(exporter, Exporter):
            raise TypeError(f"{module.__name__} is declared as a grader exporter but has no EXPORTER (an Exporter)")
        if exporter.name in found:
            raise ValueError(f"{module.__name__} declares the exporter {exporter.name!r}, which grader already has")
        found[exporter.name] = exporter
    return found


def per_submission() -> list[Exporter]:
    """The exporters that write one file per submission, in the order they must be written."""
    return sorted((e for e in exporters().values() if e.per == "submission"), key=lambda e: e.order)
