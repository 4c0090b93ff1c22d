"""Small, deterministic stand-ins for the data sets Keras downloads, written where Keras reads them.

Tests and CI have no network, yet course notebooks call ``keras.datasets.mnist.load_data()`` and
friends, and the grader's train checks read the same cache. Each ``write_*`` function below
writes a synthetic file (or archive) into ``<home>/datasets/`` **in the exact layout and format
that Keras's own loader reads**, so that the real ``keras.datasets.<name>.load_data()`` runs on
it unchanged, with ``KERAS_HOME=<home>``. Nothing here is real data: images are a bright square
whose position depends on the label, plus seeded noise (so a model can learn something); IMDB
reviews are random word ids whose distribution depends on the label; Boston prices are a linear
function of the features plus noise.

Formats (from Keras 3's ``keras/src/datasets/*.py``):

============== ============================================= ===================================
data set       file under ``<home>/datasets/``               format
============== ============================================= ===================================
mnist          ``mnist.npz``                                  npz, no pickle: ``x_train`` uint8
                                                              (n, 28, 28), ``y_train`` uint8 (n,),
                                                              same for ``x_test``/``y_test``
fashion_mnist  ``fashion-mnist/{train,t10k}-images-idx3-       gzip'd IDX: 16-byte header then
               ubyte.gz`` and ``...-labels-idx1-ubyte.gz``    uint8 pixels; 8-byte header then
                                                              uint8 labels
cifar10        ``cifar-10-batches-py-target_archive`` (a      tar.gz holding ``cifar-10-batches-
               tar.gz; Keras extracts it, on every call, to   py/data_batch_1..5`` and ``test_
               ``cifar-10-batches-py-target/``)               batch``: pickled dicts with bytes
                                                              keys ``data`` (uint8 (n, 3072),
                                                              channels first) and ``labels``
cifar100       ``cifar-100-python-target_archive`` (tar.gz,   ``cifar-100-python/train`` and
               extracted to ``cifar-100-python-target/``)     ``test``: ``data``, ``fine_labels``
                                                              (0-99), ``coarse_labels`` (0-19)
imdb           ``imdb.npz`` and ``imdb_word_index.json``      npz of object arrays of lists of
                                                              ints (raw word ids, 1 = most
                                                              frequent; the loader adds 3 and a
                                                              start mark); ``y_*`` int64 0/1.
                                                              The JSON maps word -> rank.
boston_housing ``boston_housing.npz``                         npz, no pickle: ``x`` float64
                                                              (n, 13), ``y`` float64 (n,); the
                                                              loader shuffles (seed 113) and
                                                              keeps 20 % for test
============== ============================================= ===================================

Two facts of Keras's loaders that a stand-in cannot get around, and how this module deals with
them:

* **Hashes.** ``keras.utils.get_file`` checks the SHA-256 (MD5 for the IMDB word index) of a file
  that is already in the cache whenever the loader passes ``file_hash``, which mnist, imdb,
  boston_housing, cifar10 and cifar100 do (fashion_mnist does not). A stand-in cannot have the
  real file's hash, so Keras would try to download the real file, fail without network, and
  **delete the stand-in** on the way out. :func:`offline_keras_loaders` wraps the loaders'
  ``get_file`` for the duration of a ``with`` block: it passes ``file_hash=None`` (the one thing
  it changes) and raises ``FileNotFoundError`` instead of downloading when a file is missing.
  Paths, archive extraction and parsing stay Keras's own.
* **CIFAR-10 batch size.** ``cifar10.load_data()`` pre-allocates 50,000 images and copies each
  ``data_batch_i`` into rows ``(i-1)*10000 : i*10000``, so each training batch must hold exactly
  10,000 images (the test batch may be smaller). :func:`write_cifar10` writes full-size batches
  by default; they compress to a few hundred kB (noise-free images), but loading them still takes
  about 150 MB of memory and extraction writes about 180 MB to the cache. ``per_batch`` can be
  lowered for readers other than Keras's (e.g. one that concatenates the batches).

Example::

    home = tmp_path / "keras"
    write_all(home)                       # or write_mnist(home), write_imdb(home), ...
    # then, in a process started with KERAS_HOME=home (Keras reads it when imported):
    with offline_keras_loaders():
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np

SEED = 0
CIFAR10_BATCH = 10_000  # what keras.datasets.cifar10.load_data() requires per training batch

# Raw IMDB word ids start at 1 (the most frequent word); the loader adds index_from=3 and keeps
# ids below num_words. A vocabulary larger than the courses' num_words=10000 exercises the
# out-of-vocabulary path (ids >= num_words become oov_char=2).
IMDB_VOCABULARY = 12_000


def datasets_dir(home: str | Path) -> Path:
    """``<home>/datasets``, created if needed (Keras's ``cache_subdir`` default)."""
    folder = Path(home) / "datasets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------------------------- images


def _images(labels: np.ndarray, size: int, channels: int, classes: int, rng: np.random.Generator,
            noise: int = 40) -> np.ndarray:
    """uint8 images (n, size, size, channels): a bright square placed by the label, plus noise."""
    n = len(labels)
    images = rng.integers(0, noise, size=(n, size, size, channels), dtype=np.uint8) if noise else \
        np.zeros((n, size, size, channels), np.uint8)
    side = max(2, size // 4)
    grid = int(np.ceil(np.sqrt(classes)))
    step = max(1, (size - side) // max(1, grid - 1))
    for label in range(classes):
        row, col = divmod(label, grid)
        top, left = min(row * step, size - side), min(col * step, size - side)
        colour = np.array([200 + (label * 7) % 56, 255 - (label * 13) % 56, 180 + (label * 29) % 76][:channels],
                          dtype=np.uint8)
        chosen = labels == label
        images[chosen, top:top + side, left:left + side, :] = colour
    return images


def _labels(n: int, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Every class present (when n allows), in a seeded order."""
    labels = np.arange(n) % classes
    rng.shuffle(labels)
    return labels


def write_mnist(home: str | Path, n_train: int = 200, n_test: int = 100, seed: int = SEED) -> Path:
    """``mnist.npz`` as ``keras.datasets.mnist.load_data()`` reads it (pickle-free npz)."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        y = _labels(n, 10, rng).astype(np.uint8)
        arrays[f"x_{split}"] = _images(y, 28, 1, 10, rng)[..., 0]
        arrays[f"y_{split}"] = y
    path = datasets_dir(home) / "mnist.npz"
    np.savez_compressed(path, **arrays)
    return path


def _smooth(field: np.ndarray, passes: int = 4) -> np.ndarray:
    """A box blur applied ``passes`` times (close to a Gaussian one), edges wrapped."""
    for _ in range(passes):
        field = sum(np.roll(field, shift, axis=axis) for axis in (0, 1) for shift in (-1, 0, 1)) / 6.0
    return field


def write_mnist_hard(home: str | Path, n_train: int = 3000, n_test: int = 500, noise: float = 0.8,
                     seed: int = SEED) -> Path:
    """``mnist.npz`` that a classifier cannot learn perfectly in a few epochs: each class a smooth random
    template, shifted by up to 3 pixels, under heavy Gaussian noise. A model's capacity and design then
    show in its accuracy (the easy stand-in is learnt to 100 % by any network), which is what a
    threshold relative to another model of the same submission needs to be tested."""
    rng = np.random.default_rng(seed)
    templates = np.stack([_smooth(rng.normal(size=(28, 28))) for _ in range(10)])
    templates = (templates - templates.min()) / (templates.max() - templates.min())
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        y = _labels(n, 10, rng)
        shifts = rng.integers(-3, 4, size=(n, 2))
        x = np.stack([np.roll(templates[label], tuple(shift), axis=(0, 1)) for label, shift in zip(y, shifts)])
        x = np.clip(x + noise * rng.normal(size=x.shape), 0.0, 1.0)
        arrays[f"x_{split}"], arrays[f"y_{split}"] = (x * 255).astype(np.uint8), y.astype(np.uint8)
    path = datasets_dir(home) / "mnist.npz"
    np.savez_compressed(path, **arrays)
    return path


def _idx_images(images: np.ndarray) -> bytes:
    return struct.pack(">IIII", 0x00000803, len(images), 28, 28) + images.astype(np.uint8).tobytes()


def _idx_labels(labels: np.ndarray) -> bytes:
    return struct.pack(">II", 0x00000801, len(labels)) + labels.astype(np.uint8).tobytes()


def write_fashion_mnist(home: str | Path, n_train: int = 200, n_test: int = 100, seed: int = SEED) -> list[Path]:
    """The four gzip'd IDX files of ``fashion-mnist/`` (Keras reads them at fixed offsets 16 and 8)."""
    rng = np.random.default_rng(seed + 1)
    folder = datasets_dir(home) / "fashion-mnist"
    folder.mkdir(exist_ok=True)
    paths = []
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        y = _labels(n, 10, rng).astype(np.uint8)
        x = _images(y, 28, 1, 10, rng)[..., 0]
        for kind, payload in (("images-idx3", _idx_images(x)), ("labels-idx1", _idx_labels(y))):
            path = folder / f"{prefix}-{kind}-ubyte.gz"
            with gzip.GzipFile(path, "wb", mtime=0) as handle:
                handle.write(payload)
            paths.append(path)
    return paths


def _cifar_pickle(images: np.ndarray, labels: dict[str, list[int]]) -> bytes:
    """A CIFAR batch: a dict with bytes keys, ``data`` uint8 (n, 3072) channels first."""
    batch = {b"batch_label": b"standin", b"data": images.transpose(0, 3, 1, 2).reshape(len(images), -1).copy()}
    for key, values in labels.items():
        batch[key.encode()] = [int(v) for v in values]
    return pickle.dumps(batch, protocol=4)  # protocol 2 would need _codecs, which Keras refuses


def _tar_gz(path: Path, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped, tarfile.open(fileobj=zipped, mode="w") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(payload), 0o644, 0
            tar.addfile(info, io.BytesIO(payload))
    path.write_bytes(buffer.getvalue())


def _extract_like_keras(archive: Path, target: Path, members: dict[str, bytes]) -> None:
    """What Keras leaves after its first successful call: the archive's files under ``target``."""
    for name, payload in members.items():
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(payload)


def write_cifar10(home: str | Path, per_batch: int = CIFAR10_BATCH, n_test: int = 1000, seed: int = SEED) -> Path:
    """``cifar-10-batches-py-target_archive`` (+ its extracted folder), 5 training batches and a test batch.

    Images carry no noise so that the full-size archive stays small on disk.
    """
    rng = np.random.default_rng(seed + 2)
    members = {}
    for i in range(1, 6):
        y = _labels(per_batch, 10, rng)
        members[f"cifar-10-batches-py/data_batch_{i}"] = _cifar_pickle(_images(y, 32, 3, 10, rng, noise=0),
                                                                       {"labels": y})
    y = _labels(n_test, 10, rng)
    members["cifar-10-batches-py/test_batch"] = _cifar_pickle(_images(y, 32, 3, 10, rng, noise=0), {"labels": y})
    folder = datasets_dir(home)
    archive = folder / "cifar-10-batches-py-target_archive"
    _tar_gz(archive, members)
    _extract_like_keras(archive, folder / "cifar-10-batches-py-target", members)
    return archive


def write_cifar100(home: str | Path, n_train: int = 500, n_test: int = 200, seed: int = SEED) -> Path:
    """``cifar-100-python-target_archive`` (+ extracted folder): ``train`` and ``test`` with fine and coarse labels."""
    rng = np.random.default_rng(seed + 3)
    members = {}
    for split, n in (("train", n_train), ("test", n_test)):
        fine = _labels(n, 100, rng)
        members[f"cifar-100-python/{split}"] = _cifar_pickle(
            _images(fine, 32, 3, 100, rng), {"fine_labels": fine, "coarse_labels": fine // 5})
    folder = datasets_dir(home)
    archive = folder / "cifar-100-python-target_archive"
    _tar_gz(archive, members)
    _extract_like_keras(archive, folder / "cifar-100-python-target", members)
    return archive


# ------------------------------------------------------------------------------------ IMDB


def _reviews(labels: np.ndarray, vocabulary: int, rng: np.random.Generator) -> np.ndarray:
    """Object array of lists of Python ints (what Keras's restricted unpickler accepts)."""
    reviews = np.empty(len(labels), dtype=object)
    for i, label in enumerate(labels):
        length = int(rng.integers(20, 120))
        common = rng.zipf(1.3, size=length)                      # frequent words, both classes
        marked = rng.integers(50, 150, size=length // 4) + (100 if label else 0)  # label-dependent words
        words = np.concatenate([common, marked])
        rng.shuffle(words)
        reviews[i] = [int(w) for w in np.clip(words, 1, vocabulary)]
    return reviews


def write_imdb(home: str | Path, n_train: int = 200, n_test: int = 100, vocabulary: int = IMDB_VOCABULARY,
               seed: int = SEED) -> Path:
    """``imdb.npz``: ``x_train``/``x_test`` object arrays of word-id lists, ``y_*`` int64 labels 0/1."""
    rng = np.random.default_rng(seed + 4)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        y = _labels(n, 2, rng).astype(np.int64)
        arrays[f"x_{split}"] = _reviews(y, vocabulary, rng)
        arrays[f"y_{split}"] = y
    path = datasets_dir(home) / "imdb.npz"
    np.savez(path, **arrays)  # object arrays are stored as a pickle stream, as in the real file
    return path


def write_imdb_word_index(home: str | Path, vocabulary: int = IMDB_VOCABULARY) -> Path:
    """``imdb_word_index.json``: word -> frequency rank (1 = most frequent), synthetic words."""
    path = datasets_dir(home) / "imdb_word_index.json"
    path.write_text(json.dumps({f"w{rank:05d}": rank for rank in range(1, vocabulary + 1)}))
    return path


# ---------------------------------------------------------------------------------- Boston


def write_boston_housing(home: str | Path, n: int = 100, seed: int = SEED) -> Path:
    """``boston_housing.npz``: ``x`` float64 (n, 13) and ``y`` float64 (n,) prices in $1000s."""
    rng = np.random.default_rng(seed + 5)
    scale = np.array([10, 25, 10, 1, 0.6, 6.5, 70, 4, 10, 400, 18, 390, 12.0])
    x = rng.uniform(0.1, 1.0, size=(n, 13)) * scale
    weights = rng.normal(0, 1, size=13) / scale
    y = np.clip(22.5 + 8 * (x - x.mean(0)) @ weights + rng.normal(0, 2, size=n), 5, 50)
    path = datasets_dir(home) / "boston_housing.npz"
    np.savez(path, x=x.astype(np.float64), y=y.astype(np.float64))
    return path


WRITERS = {
    "mnist": write_mnist,
    "fashion_mnist": write_fashion_mnist,
    "cifar10": write_cifar10,
    "cifar100": write_cifar100,
    "imdb": lambda home: [write_imdb(home), write_imdb_word_index(home)],
    "boston_housing": write_boston_housing,
}


def write_all(home: str | Path, names=tuple(WRITERS)) -> None:
    """Every stand-in (or those in ``names``) under ``<home>/datasets``."""
    for name in names:
        WRITERS[name](home)


# --------------------------------------------------------------------- Keras, offline only

_LOADER_MODULES = ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "boston_housing")


@contextlib.contextmanager
def offline_keras_loaders():
    """Make Keras's dataset loaders read stand-ins: no hash check, never a download.

    Wraps ``get_file`` as each loader module sees it. The wrapper refuses to download (a missing
    file raises ``FileNotFoundError`` naming it) and passes ``file_hash=None``; everything else
    (cache paths, archive extraction, parsing) is Keras's own code. Restores the originals on exit.
    """
    import importlib

    from keras.src.utils import file_utils

    real_get_file = file_utils.get_file

    def offline_get_file(fname=None, origin=None, **kwargs):
        kwargs.pop("file_hash", None)
        kwargs.pop("md5_hash", None)
        kwargs.pop("force_download", None)
        from keras.src.backend import config

        cache = Path(kwargs.get("cache_dir") or config.keras_home()).expanduser()
        subdir = kwargs.get("cache_subdir", "datasets")
        extract = kwargs.get("extract") or kwargs.get("untar")
        name = str(fname)
        target = cache / subdir / (f"{name}_archive" if extract and "." not in name else name)
        if not target.exists():
            raise FileNotFoundError(f"{target}: not in the Keras cache (offline_keras_loaders never downloads)")
        return real_get_file(fname, origin=origin, **kwargs)

    modules = [importlib.import_module(f"keras.src.datasets.{name}") for name in _LOADER_MODULES]
    saved = [(module, module.get_file) for module in modules]
    try:
        for module in modules:
            module.get_file = offline_get_file
        yield
    finally:
        for module, original in saved:
            module.get_file = original


if __name__ == "__main__":  # python tests/standins/datasets.py KERAS_HOME [--hard-mnist]
    import sys

    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: python tests/standins/datasets.py KERAS_HOME [--hard-mnist]  (then KERAS_HOME=... grader ...)")
    write_all(sys.argv[1])
    if "--hard-mnist" in sys.argv:
        write_mnist_hard(sys.argv[1])
    print(f"stand-ins written under {datasets_dir(sys.argv[1])}")
