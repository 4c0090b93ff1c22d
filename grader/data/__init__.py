"""Data sets for training checks: where they come from and how they are prepared.

Loaders never download: course data ships with the rubric, Keras data sets are read from the
user's cache (``~/.keras/datasets``, filled ahead of time by ``grader data --download``), and
tests use generated data. Each data set is a :class:`grader.data.source.DataSource` in a module of
:mod:`grader.data.sources`.

Example:
    >>> sorted(data_sources())[:3]
    ['airline', 'blobs', 'boston_housing']
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from grader.data.source import DataSource
from grader.plugins import plugin_modules


@functools.lru_cache(maxsize=1)
def data_sources() -> dict[str, DataSource]:
    """Every data source, by the name a rubric gives it."""
    package = importlib.import_module("grader.data.sources")
    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for source in getattr(module, "SOURCES", ()):
            found[source.name] = source
    for module in plugin_modules("grader.data_sources"):
        sources = getattr(module, "SOURCES", None)
        if not sources or not all(isinstance(source, DataSource) for source in sources):
            raise TypeError(f"{module.__name__} is declared as a grader data source but has no SOURCES (DataSource)")
        for source in sources:
            if source.name in found:
                raise ValueError(f"{module.__name__} declares the data set {source.name!r}, which grader already has")
            found[source.name] = source
    return found


def data_source(name: str) -> DataSource:
    """The data source ``name``; ``ValueError`` listing the names there are."""
    try:
        return data_sources()[name]
    except KeyError:
        raise ValueError(f"unknown data set {name!r}; use one of: {', '.join(sorted(data_sources()))}") from None
