"""``data: {file: arrays.npz}``: the instructor's own arrays, read without pickle.

Example:
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "toy.npz")
    >>> np.savez(path, x_train=np.zeros((4, 2)), y_train=np.zeros(4), x_test=np.ones((2, 2)), y_test=np.ones(2))
    >>> (x_train, _), (x_test, _) = read_npz(Path(path))
    >>> x_train.shape, x_test.shape
    ((4, 2), (2, 2))
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader.data.source import DataSource, Located, find_file
from grader.errors import InputError

KEYS = ("x_train", "y_train", "x_test", "y_test")
FIX = "save it with np.savez(path, x_train=..., y_train=..., x_test=..., y_test=...)"


def read_npz(path: Path):
    """``(x_train, y_train), (x_test, y_test)`` from an ``.npz`` (never unpickles)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [key for key in KEYS if key not in data.files]
            if missing:
                raise InputError(path, f"the data file has no array {missing[0]!r}", FIX)
            arrays = [data[key] for key in KEYS]
    except (OSError, ValueError) as exc:
        raise InputError(path, f"the data file is not a readable .npz ({exc})", FIX) from None
    return (arrays[0], arrays[1]), (arrays[2], arrays[3])


def _load(spec, base, resources, input_shape=None):
    path = find_file(spec.file, base, resources)
    if not path.is_file():
        raise InputError(path, "the data file of a training check does not exist",
                         "ship it with the rubric (resources:) or fix 'data: file:' (relative to the rubric)")
    return read_npz(path)


def _locate(spec, base, resources) -> Located:
    path = find_file(spec.file, base, resources)
    return Located(str(path), not path.is_file())


SOURCES = (DataSource("file", load=_load, locate=_locate, needs_file=True,
                      help="your own x_train, y_train, x_test, y_test arrays in an .npz"),)
