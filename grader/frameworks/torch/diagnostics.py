"""Likely fixes for the errors PyTorch code raises while a notebook runs in the grader.

Each rule reads an exception's type and message and returns the fix as catalogue messages, or
nothing: a ``Linear`` that gets another number of features than it takes (the wrong-layer
mistake), a ``Conv2d`` that gets another number of channels, and a data set that ``download=True``
tried to fetch (the grader runs without network).

Example:
    >>> from grader.i18n import render
    >>> hint = explain("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (32x256 and 512x10)")
    >>> render(hint[0], "en")
    'A Linear layer gets 256 features but takes 512: its in_features must be what the layer before it gives (`nn.Linear(256, 10)`), or the layer before must give 512.'
"""

from __future__ import annotations

import re

from grader.i18n import msg

_MATMUL = re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)")
_CHANNELS = re.compile(r"expected input\[[^\]]*\] to have (\d+) channels, but got (\d+) channels")
_OFFLINE = re.compile(r"(Dataset not found|urlopen error|Temporary failure in name resolution|Name or service not "
                      r"known|Network is unreachable|Error downloading|grader provides no)", re.IGNORECASE)


def explain(ename: str, evalue: str, code: str = "") -> list:
    """The likely fix as a list of messages, or ``[]`` when no rule knows this error."""
    match = _MATMUL.search(evalue)
    if match:
        found, expected, out = match.group(2), match.group(3), match.group(4)
        return [msg("torch.hint.features", found=found, expected=expected, fix=f"nn.Linear({found}, {out})")]
    match = _CHANNELS.search(evalue)
    if match:
        return [msg("torch.hint.channels", expected=match.group(1), found=match.group(2))]
    if _OFFLINE.search(evalue) or ename in ("URLError", "HTTPError"):
        return [msg("torch.hint.offline")]
    return []
