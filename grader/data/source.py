"""What a data source is: how a train check's data set is loaded, whether it is here, how it is fetched.

Each module of :mod:`grader.data.sources` exposes ``SOURCES``, a tuple of :class:`DataSource`
(one module may serve several data sets, as the Keras cache does). Adding a data set is adding
a module there (or a source to one). ``python -m grader.data`` lists them.

Example:
    >>> from grader.data import data_source
    >>> data_source("mnist").fetch is not None, data_source("blobs").options
    (True, ('samples', 'classes', 'features', 'spread', 'seed', 'test_fraction'))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Located:
    """Where a data set is read from, and whether it is there."""

    where: str
    missing: bool


@dataclass(frozen=True)
class DataSource:
    """One data set a rubric may name in ``data:``.

    ``load(spec, base, resources, input_shape)`` returns ``((x_train, y_train), (x_test, y_test))``, shaped
    afterwards for the model by :func:`grader.data.load.load_dataset`, or a finished
    :class:`grader.data.dataset.Dataset` when ``prepared`` (it prepares itself, like the airline
    series). ``locate(spec, base, resources)`` says where it is read from. ``fetch(spec)`` downloads
    it (None: it cannot be downloaded). ``options`` are the settings a generated source takes.
    ``verify(spec)`` reads the files that are there and says what is wrong with them (None: they
    hold what they should), for ``grader data``.
    """

    name: str
    load: Callable
    locate: Callable[..., Located]
    help: str
    fetch: Callable | None = None
    prepared: bool = False
    options: tuple[str, ...] = ()
    needs_file: bool = False  # the rubric must name a file (``data: {file: x.npz}``)
    verify: Callable | None = None  # ``verify(spec)``: what is wrong with the files that are there (None: fine)
    sequences: bool = False  # examples are sequences of word ids (``num_words``, ``vectorize``, ``maxlen`` apply)


def find_file(name: str, base: Path | None, resources: list[Path]) -> Path:
    """A data file named by the rubric: among its resources first, else relative to the rubric."""
    for resource in resources:
        if resource.name == Path(name).name:
            return resource
    return Path(name) if base is None else base / name
