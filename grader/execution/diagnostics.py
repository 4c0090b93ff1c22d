"""Likely fixes for the errors students hit: the framework's rules first, then general ones.

A hint is a list of catalogue messages (sentences), rendered in the report's language by
:func:`hint_text`. Framework-specific rules (old Keras calls, a mistyped activation) live in the
framework's adapter (``Framework.explain``); the rules here are about Python itself.

Example:
    >>> hint_text(explain("NameError", "name 'np' is not defined", "np.zeros(3)", frameworks=()), "es")
    '`np` no está definido: añade `import numpy as np` antes de usarlo, o comprueba que la celda con tus imports corrió sin errores.'
"""

from __future__ import annotations

import re

from grader.i18n import msg, render

# What grader installs for every course (pyproject.toml): what student code may import without a
# rubric's ``environment:``.
DEFAULT_STACK = ("keras, tensorflow, numpy, pandas, matplotlib, sklearn, scipy, skimage, seaborn, PIL, h5py, "
                 "tqdm")
# What a failed connection says (urllib, Keras's get_file, requests): no name resolution in the sandbox.
NO_NETWORK = re.compile(r"Temporary failure in name resolution|Name or service not known|URL fetch failure|"
                        r"Network is unreachable|No address associated with hostname|urlopen error")

# Names a student forgets to import, and the line that imports them.
IMPORTS = {"np": "import numpy as np", "plt": "import matplotlib.pyplot as plt", "pd": "import pandas as pd"}


def explain(ename: str, evalue: str, code: str = "", *, frameworks=("keras",), source: str = "",
            environment=None) -> list:
    """The likely fix for an error as messages, or ``[]`` when no rule knows it.

    ``source`` is the failing cell's code, for the rules that read more than the failing line.
    ``environment`` (a :class:`grader.grading.environment.CourseEnvironment`, or None for grader's
    default stack) is named when the code imports a module that is not installed.
    """
    from grader.frameworks import FrameworkUnavailable, framework

    for name in frameworks:
        try:
            adapter = framework(name)
        except FrameworkUnavailable:
            continue
        hint = _framework_hint(adapter.explain, ename, evalue, code, source) if adapter.explain else []
        if hint:
            return hint
    hint = _name_error(ename, evalue)
    if hint:
        return hint
    hint = _missing_package(ename, evalue)
    if hint:
        return hint + [_environment(environment)]
    return _quotes(ename, evalue) or _no_keyboard(ename, evalue) or _no_network(ename, evalue)


def explain_text(ename: str, evalue: str, code: str = "", lang: str = "en", *, frameworks=("keras",)) -> str:
    """:func:`explain`, rendered in ``lang`` (``""`` when no rule knows the error)."""
    return hint_text(explain(ename, evalue, code, frameworks=frameworks), lang)


def hint_text(hint, lang: str = "en", overrides: dict | None = None) -> str:
    """A hint (a message, or a list of sentences) as one line of text in ``lang``."""
    if isinstance(hint, list):
        return " ".join(render(part, lang, overrides) for part in hint)
    return render(hint, lang, overrides)


def _framework_hint(explain_error, ename: str, evalue: str, code: str, source: str) -> list:
    """An adapter's rules, given the cell's source when they take it."""
    import inspect

    try:
        takes_source = "source" in inspect.signature(explain_error).parameters
    except (TypeError, ValueError):
        takes_source = False
    return explain_error(ename, evalue, code, source=source) if takes_source else explain_error(ename, evalue, code)


def _quotes(ename: str, evalue: str) -> list:
    match = re.search(r"invalid character '(.)' \(U\+(201C|201D|2018|2019)\)", evalue)
    if ename != "SyntaxError" or not match:
        return []
    return [msg("hint.quotes", char=match.group(1))]


def _name_error(ename: str, evalue: str) -> list:
    match = re.search(r"name '(\w+)' is not defined", evalue)
    if ename != "NameError" or not match:
        return []
    name = match.group(1)
    if name in IMPORTS:
        return [msg("hint.name.import", name=name, line=IMPORTS[name])]
    return [msg("hint.name.other", name=name)]


def _environment(environment) -> dict:
    """Which environment the course's code runs in: the rubric's, or grader's default stack."""
    if environment is None or not environment.modules:
        return msg("hint.environment.default", modules=DEFAULT_STACK)
    return msg("hint.environment", modules=environment.describe())


def _no_keyboard(ename: str, evalue: str) -> list:
    """``input()`` while grading: stdin is closed (scripts) or refused (notebooks), both as ``EOFError``."""
    if ename == "EOFError" and ("EOF when reading a line" in evalue or "no keyboard" in evalue):
        return [msg("hint.no_keyboard")]
    return []


def _no_network(ename: str, evalue: str) -> list:
    """Code that tried the network (a download, an API): grading has none."""
    if ename == "DownloadRefused" or NO_NETWORK.search(evalue or ""):  # grader_inside.keras.offline refused it
        return [msg("hint.no_network")]
    return []


def _missing_package(ename: str, evalue: str) -> list:
    match = re.search(r"No module named '([\w.]+)'", evalue)
    if ename not in ("ModuleNotFoundError", "ImportError") or not match:
        return []
    return [msg("hint.missing_package", package=match.group(1).split(".")[0])]
