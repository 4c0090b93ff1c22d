"""How shapes, counts and setting values are written in messages, fixes and reports.

Example:
    >>> format_shape([None, 27, 27, 96]), format_shape([[None, 2], [None, 3]]), format_shape(None)
    ('(None, 27, 27, 96)', '[(None, 2), (None, 3)]', 'none')
    >>> format_count(62379752), code_tuple([4]), show([11, 11]), show("same")
    ('62,379,752', '(4,)', '(11, 11)', "'same'")
"""

from __future__ import annotations

from typing import Any


def code_tuple(values: Any) -> str:
    """``[11, 11]`` -> ``(11, 11)``, ``[4]`` -> ``(4,)``: a tuple as Python writes it."""
    values = list(values)
    return "(" + ", ".join(str(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def format_shape(shape: Any, missing: str = "none") -> str:
    """``[None, 27, 27, 96]`` -> ``(None, 27, 27, 96)``, the way Keras prints shapes; a list of shapes
    (a model with several outputs) becomes a list of tuples."""
    if shape is None:
        return missing
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return "[" + ", ".join(format_shape(s, missing) for s in shape) + "]"
    return code_tuple("None" if d is None else d for d in shape)


def format_count(count: int | None) -> str:
    return "none" if count is None else f"{count:,}"


def show(value: Any) -> str:
    """A setting's value as code: lists as tuples, text quoted."""
    if isinstance(value, list):
        return code_tuple(value) if not (value and isinstance(value[0], list)) else str(value)
    return repr(value) if isinstance(value, str) else str(value)
