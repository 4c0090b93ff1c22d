"""Checks: which student model to grade, how it lines up with the reference, and the check kinds.

Every module of :mod:`grader.checks.kinds` is a kind (it exposes ``KIND``); adding a kind is
adding a module there, plus its messages in the catalogue, or declaring a module of your own
package under the entry-point group ``grader.check_kinds`` (see :mod:`grader.plugins`).
``python -m grader.checks`` lists them.

Example:
    >>> sorted(check_kinds())[:4]
    ['base_model', 'compile', 'connections', 'ensemble']
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from grader.checks.kind import CheckKind
from grader.plugins import plugin_modules


@functools.lru_cache(maxsize=1)
def check_kinds() -> dict[str, CheckKind]:
    """Every check kind, by name (found once: the modules of grader.checks.kinds)."""
    package = importlib.import_module("grader.checks.kinds")

    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, CheckKind):
            found[kind.name] = kind
    for module in plugin_modules("grader.check_kinds"):
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, CheckKind):
            raise TypeError(f"{module.__name__} is declared as a grader check kind but has no KIND (a CheckKind)")
        if kind.name in found:
            raise ValueError(f"{module.__name__} declares the check kind {kind.name!r}, which grader already has")
        found[kind.name] = kind
    return found


def check_kind(name: str) -> CheckKind:
    """The check kind ``name``; ``KeyError`` listing the kinds there are."""
    try:
        return check_kinds()[name]
    except KeyError:
        raise KeyError(f"unknown check kind {name!r}; use one of: {', '.join(check_kinds())}") from None
