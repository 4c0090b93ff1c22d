"""Every message the grader writes, by id, in English and Spanish: one catalogue, in parts by area.

Each module here holds the ``MESSAGES`` of one area (checks, execution, reports, training, ...);
this package joins them, and an id may appear in one part only. Fields are ``str.format`` names;
both languages of a message use the same fields (``tests/test_i18n.py`` checks it). Code (layer
calls, argument names) stays as the framework spells it.
"""

from __future__ import annotations

import importlib
import pkgutil


def _joined() -> dict[str, dict[str, str]]:
    joined: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        part = importlib.import_module(f"{__name__}.{info.name}").MESSAGES
        twice = sorted(set(part) & set(joined))
        if twice:
            raise ValueError(f"message {twice[0]!r} is in two parts of the catalogue (grader/i18n/catalogue/)")
        joined.update(part)
    return joined


MESSAGES = _joined()
