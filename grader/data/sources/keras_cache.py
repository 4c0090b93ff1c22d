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
import io
import pickle
from pathlib import Path

import numpy as np

from grader.data.keras_files import dataset_files, keras_home
from grader.data.source import DataSource, Located
from grader.errors import InputError

CACHED = ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "boston_housing")
KERAS_SEED = 113  # the shuffle Keras's imdb and boston_housing loaders apply before splitting
BOSTON_TEST_SPLIT = 0.2
# What keras.datasets.imdb.load_data() does to the raw word ids by default.
IMDB_START, IMDB_OOV, IMDB_INDEX_FROM = 1, 2, 3


def keras_datasets_dir() -> Path:
    """Where ``keras.utils.get_file`` keeps data sets on this machine."""
    return keras_home() / "datasets"


def expected_files(name: str) -> list[Path]:
    """The files (or folders) that must be in the cache for ``name`` (layout: :mod:`grader.data.keras_files`).
    IMDB's reviews need only ``imdb.npz``: its word index is for code that decodes them."""
    if name not in CACHED:
        raise ValueError(f"unknown Keras data set {name!r}; use one of: {', '.join(CACHED)}")
    files = dataset_files(name)
    return files[:1] if name == "imdb" else files


def missing_files(name: str) -> list[Path]:
    return [path for path in expected_files(name) if not path.exists()]


def load_cached(name: str, **arguments):
    """``(x_train, y_train), (x_test, y_test)`` as Keras's loader returns them, from the cache only
    (``arguments``: the loader's own, e.g. ``num_words=10000`` for imdb)."""
    missing = missing_files(name)
    if missing:
        raise InputError(missing[0], f"the Keras data set {name!r} is not in the local cache (the grader never "
                         "downloads while grading)",
                         "run 'grader data RUBRIC --download' once with network, or copy the file there")
    try:
        return _READERS[name](**arguments)
    except (OSError, ValueError, KeyError, IndexError, EOFError, pickle.UnpicklingError) as exc:
        raise InputError(expected_files(name)[0], f"the cached {name} data set is unreadable ({exc})",
                         "delete it and run 'grader data RUBRIC --download' again") from None


def verify(name: str) -> str | None:
    """What is wrong with the cached files of ``name`` (None: they hold the arrays Keras's loader
    returns, with matching lengths). Reads them whole: for ``grader data``, not while grading.

    >>> verify("mnist")                                   # doctest: +SKIP
    "its train examples are shaped (784,), expected (28, 28)"
    """
    try:
        (x_train, y_train), (x_test, y_test) = _READERS[name]()
    except (OSError, ValueError, KeyError, IndexError, EOFError, pickle.UnpicklingError) as exc:
        return f"unreadable ({type(exc).__name__}: {str(exc)[:200]})"
    shape = _SHAPES.get(name)
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if len(x) == 0 or len(x) != len(y):
            return f"its {split} split has {len(x)} examples and {len(y)} labels"
        if shape is not None and tuple(np.shape(x)[1:]) != shape:
            return f"its {split} examples are shaped {tuple(np.shape(x)[1:])}, expected {shape}"
    return None


_SHAPES = {"mnist": (28, 28), "fashion_mnist": (28, 28), "cifar10": (32, 32, 3), "cifar100": (32, 32, 3),
           "boston_housing": (13,)}


def download(name: str) -> None:
    """Fill the cache with Keras's own loader (needs network; never called while grading)."""
    import keras

    getattr(keras.datasets, name).load_data()


class _ArraysOnly(pickle.Unpickler):
    """Unpickles numpy arrays (and the lists of ints inside IMDB's object arrays), nothing else."""

    ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
               ("numpy._core.multiarray", "_reconstruct")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a numpy array")


def _npz_arrays(path: Path) -> dict:
    """Every array of an ``.npz``; object arrays (IMDB's reviews) through :class:`_ArraysOnly`."""
    import zipfile

    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            with archive.open(member) as handle:
                data = io.BytesIO(handle.read())
            try:
                arrays[member[:-4]] = np.lib.format.read_array(data, allow_pickle=False)
            except ValueError:  # an object array: its header, then a pickle of the array
                data.seek(0)
                major, _ = np.lib.format.read_magic(data)
                (np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0)(data)
                arrays[member[:-4]] = _ArraysOnly(data).load()
    return arrays


def _imdb(num_words: int | None = None):
    """As ``keras.datasets.imdb.load_data(num_words=...)``: shuffled with seed 113, a start mark, ids
    shifted by 3, ids past ``num_words`` replaced by the out-of-vocabulary mark."""
    data = _npz_arrays(expected_files("imdb")[0])
    rng = np.random.RandomState(KERAS_SEED)
    splits = []
    for split in ("train", "test"):
        x, y = data[f"x_{split}"], np.asarray(data[f"y_{split}"])
        order = np.arange(len(x))
        rng.shuffle(order)
        splits.append(([[IMDB_START] + [int(w) + IMDB_INDEX_FROM for w in x[i]] for i in order], y[order]))
    limit = num_words or max(max(review) for x, _ in splits for review in x)
    result = []
    for x, y in splits:
        reviews = np.empty(len(x), dtype=object)
        reviews[:] = [[w if w < limit else IMDB_OOV for w in review] for review in x]
        result.append((reviews, y.astype(np.int64)))
    return tuple(result)


def _boston_housing():
    """As ``keras.datasets.boston_housing.load_data()``: shuffled with seed 113, the last 20 % for test."""
    with np.load(expected_files("boston_housing")[0], allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    order = np.arange(len(x))
    np.random.RandomState(KERAS_SEED).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - BOSTON_TEST_SPLIT))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


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


_READERS = {"mnist": _mnist, "fashion_mnist": _fashion_mnist, "cifar10": _cifar10, "cifar100": _cifar100,
            "imdb": _imdb, "boston_housing": _boston_housing}


def _source(name: str, help: str, *, sequences: bool = False) -> DataSource:
    def locate(spec, base, resources) -> Located:
        return Located(", ".join(str(p) for p in expected_files(name)), bool(missing_files(name)))

    def load(spec, base, resources, input_shape=None):
        return load_cached(name, num_words=spec.num_words) if sequences else load_cached(name)

    return DataSource(name, load=load, locate=locate, fetch=lambda spec: download(name), help=help,
                      verify=lambda spec: verify(name), sequences=sequences)


SOURCES = (
    _source("mnist", "MNIST digits from the Keras cache (~/.keras/datasets/mnist.npz)"),
    _source("fashion_mnist", "Fashion-MNIST from the Keras cache"),
    _source("cifar10", "CIFAR-10 from the Keras cache"),
    _source("cifar100", "CIFAR-100 (fine labels) from the Keras cache"),
    _source("imdb", "IMDB reviews (word ids; num_words, vectorize or maxlen) from the Keras cache", sequences=True),
    _source("boston_housing", "Boston housing prices (13 features; 20 % test, as Keras splits it) from the Keras cache"),
)
