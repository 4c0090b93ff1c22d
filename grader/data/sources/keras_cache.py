"""The standard Keras data sets, read from the local cache only (``$KERAS_HOME`` or ``~/.keras``).

Grading never downloads: a missing file is an :class:`InputError` that says which file is
missing and that ``grader data RUBRIC --download`` (or ``keras.datasets.<name>.load_data()``,
run once with network) fills the cache.

Example:
    >>> (x_train, y_train), (x_test, y_test) = load_cached("mnist")   # doctest: +SKIP
    >>> x_train.shape, x_test.shape                                   # doctest: +SKIP
    ((60000, 28, 28), (10000, 28, 28))
"""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np

from grader.data.keras_files import dataset_files, keras_home
from grader.data.source import DataSource, Located
from grader.errors import InputError

CACHED = ("mnist", "fashion_mnist", "cifar10", "cifar100")


def keras_datasets_dir() -> Path:
    """Where ``keras.utils.get_file`` keeps data sets on this machine."""
    return keras_home() / "datasets"


def expected_files(name: str) -> list[Path]:
    """The files (or folders) that must be in the cache for ``name`` (layout: :mod:`grader.data.keras_files`)."""
    if name not in CACHED:
        raise ValueError(f"unknown Keras data set {name!r}; use one of: {', '.join(CACHED)}")
    return dataset_files(name)


def missing_files(name: str) -> list[Path]:
    return [path for path in expected_files(name) if not path.exists()]


def load_cached(name: str):
    """``(x_train, y_train), (x_test, y_test)`` as Keras's loader returns them, from the cache only."""
    missing = missing_files(name)
    if missing:
        raise InputError(missing[0], f"the Keras data set {name!r} is not in the local cache (the grader never "
                         "downloads while grading)",
                         "run 'grader data RUBRIC --download' once with network, or copy the file there")
    try:
        return _READERS[name]()
    except (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError) as exc:
        raise InputError(expected_files(name)[0], f"the cached {name} data set is unreadable ({exc})",
                         "delete it and run 'grader data RUBRIC --download' again") from None


def download(name: str) -> None:
    """Fill the cache with Keras's own loader (needs network; never called while grading)."""
    import keras

    getattr(keras.datasets, name).load_data()


def _mnist():
    with np.load(expected_files("mnist")[0], allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])


def _idx(path: Path, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as handle:
        return np.frombuffer(handle.read(), np.uint8, offset=offset)


def _fashion_mnist():
    images_train, labels_train, images_test, labels_test = expected_files("fashion_mnist")  # keras_files' order
    y_train, y_test = _idx(labels_train, 8), _idx(labels_test, 8)
    x_train = _idx(images_train, 16).reshape(len(y_train), 28, 28)
    x_test = _idx(images_test, 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)


def _cifar_batch(path: Path, label_key: bytes):
    with open(path, "rb") as handle:
        batch = pickle.load(handle, encoding="bytes")  # noqa: S301 - Keras's own cache, same format Keras reads
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, np.asarray(batch[label_key], dtype=np.int64)


def _cifar10():
    folder = expected_files("cifar10")[0]
    parts = [_cifar_batch(folder / f"data_batch_{i}", b"labels") for i in range(1, 6)]
    x_test, y_test = _cifar_batch(folder / "test_batch", b"labels")
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    return (x_train, y_train.reshape(-1, 1)), (x_test, y_test.reshape(-1, 1))


def _cifar100():
    folder = expected_files("cifar100")[0]
    x_train, y_train = _cifar_batch(folder / "train", b"fine_labels")
    x_test, y_test = _cifar_batch(folder / "test", b"fine_labels")
    return (x_train, y_train.reshape(-1, 1)), (x_test, y_test.reshape(-1, 1))


_READERS = {"mnist": _mnist, "fashion_mnist": _fashion_mnist, "cifar10": _cifar10, "cifar100": _cifar100}


def _source(name: str, help: str) -> DataSource:
    def locate(spec, base, resources) -> Located:
        return Located(", ".join(str(p) for p in expected_files(name)), bool(missing_files(name)))

    return DataSource(name, load=lambda spec, base, resources, input_shape=None: load_cached(name), locate=locate,
                      fetch=lambda spec: download(name), help=help)


SOURCES = (
    _source("mnist", "MNIST digits from the Keras cache (~/.keras/datasets/mnist.npz)"),
    _source("fashion_mnist", "Fashion-MNIST from the Keras cache"),
    _source("cifar10", "CIFAR-10 from the Keras cache"),
    _source("cifar100", "CIFAR-100 (fine labels) from the Keras cache"),
)
