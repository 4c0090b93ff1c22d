"""Framework adapters: everything that knows Keras (or PyTorch) sits behind one interface.

The pipeline (matching, alignment, checks, grading, reports) sees only framework-neutral model
cards (:mod:`grader.cards.card`) and asks the rubric model's framework for the rest: rebuilding
an export into a card, the canonical form, the line of code that fixes a layer, how compile
settings compare, how a model is trained, what old API its code uses. A framework is added as a
package here (``grader/frameworks/<name>/``, exposing ``ADAPTER``) plus its in-sandbox half in
``grader/inside/<name>/``; nothing in the pipeline changes.

Example:
    >>> keras = framework("keras")
    >>> keras.name, keras.title
    ('keras', 'Keras 3')
    >>> sorted(names())
    ['keras', 'torch']
"""

from __future__ import annotations

import importlib
import importlib.util

from grader.frameworks.base import Framework, FrameworkUnavailable

# Imported on first use: grading a course never imports another framework's adapter, or that framework.
ADAPTERS = {"keras": "grader.frameworks.keras", "torch": "grader.frameworks.torch"}

__all__ = ["Framework", "FrameworkUnavailable", "framework", "names"]


def names() -> tuple[str, ...]:
    """The frameworks a rubric may name (``framework:`` of a model)."""
    return tuple(ADAPTERS)


def framework(name: str) -> Framework:
    """The adapter of framework ``name``; :class:`FrameworkUnavailable` (one line that names the
    install command) when it is not installed."""
    if name not in ADAPTERS:
        raise ValueError(f"unknown framework {name!r}; use one of: {', '.join(ADAPTERS)}")
    try:
        module = importlib.import_module(ADAPTERS[name])
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("grader"):
            raise
        raise FrameworkUnavailable(name, str(exc)) from None
    adapter = module.ADAPTER
    for required in adapter.requires:
        if importlib.util.find_spec(required) is None:
            raise FrameworkUnavailable(name, f"no module named {required!r}", adapter.install, adapter.title)
    return adapter
