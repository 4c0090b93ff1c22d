"""Extensions from installed packages: check kinds, exporters, data sources and their messages.

A package extends grader by declaring entry points in these groups, each naming a module that
exposes what the matching registry reads (``KIND``, ``EXPORTER``, ``SOURCES``, ``MESSAGES``)::

    [project.entry-points."grader.check_kinds"]
    max_layers = "my_course.max_layers"

In-tree kinds, exporters and sources are found the same way, as modules of their package; see
``docs/extending.md``.

Example:
    >>> plugin_modules("grader.check_kinds")
    []
"""

from __future__ import annotations

import importlib
from importlib import metadata
from types import ModuleType

GROUPS = ("grader.check_kinds", "grader.exporters", "grader.data_sources", "grader.messages")


def plugin_modules(group: str) -> list[ModuleType]:
    """The modules installed packages declare in entry-point ``group``, in name order."""
    if group not in GROUPS:
        raise ValueError(f"unknown plugin group {group!r}; use one of: {', '.join(GROUPS)}")
    points = sorted(entry_points(group), key=lambda point: point.name)
    return [importlib.import_module(point.value.split(":")[0]) for point in points]


def entry_points(group: str):
    """The entry points of ``group`` (one place, so that tests can stand in for installed packages)."""
    return metadata.entry_points(group=group)
