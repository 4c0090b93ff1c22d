"""Small, deterministic stand-ins for the data sets Tema 06 loads through ``torchvision.datasets``.

The handout writes ``datasets.MNIST(root="./data", train=True, download=True, transform=...)`` and
``torchvision.datasets.CIFAR10(root='./data', train=..., download=True, transform=...)``. Neither
may reach the network while grading or testing, so these functions write files in exactly the
layout torchvision looks for under ``root`` (read from torchvision 0.28.0 and 0.29.1, whose
``mnist.py``, ``cifar.py`` and ``utils.py`` are identical):

MNIST (``root/MNIST/raw/``, the folder named after the dataset class): the four *uncompressed*
IDX files ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
``t10k-labels-idx1-ubyte``. ``MNIST._check_exists`` only asks that all four exist (no checksum;
the MD5s in ``MNIST.resources`` are checked on the ``.gz`` downloads only), and ``download()``
returns at once when they do: stand-ins load with ``download=True`` and no network call. All four
must be there even to load one split. (A ``root/MNIST/processed/{training,test}.pt`` pair would be
read first, with ``torch.load(weights_only=True)``; these stand-ins do not write it.)

CIFAR-10 (``root/cifar-10-batches-py/``): ``data_batch_1`` ... ``data_batch_5``, ``test_batch``
and ``batches.meta``, pickled dicts (``data``: uint8 array N x 3072, channel-major 32x32 planes;
``labels``: list of ints; ``batches.meta``: ``label_names``). Unlike MNIST, ``CIFAR10`` checks
the MD5 of every one of these files, in ``__init__`` and before deciding to download, against
the real data set's checksums (``CIFAR10.train_list``, ``test_list``, ``meta``): small stand-ins
can never match, so ``download=False`` refuses them ("Dataset not found or corrupted") and
``download=True`` tries the network. :func:`accept_standin_checksums` lets torchvision's own code
load them by putting the stand-ins' checksums where torchvision reads them (class attributes),
for the duration of a ``with`` block. Real CIFAR-10 files (or the real
``root/cifar-10-python.tar.gz``, which ``download()`` extracts without downloading when its MD5
matches) load offline as they are.

The images are learnable on purpose (each class has its own pattern, plus seeded noise), so a
training check on them can tell a model that learns from one that does not.

Example:
    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> sorted(p.name for p in write_mnist(root).iterdir())
    ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte']
    >>> sorted(write_cifar10(root))[:2]
    ['batches.meta', 'data_batch_1']
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import struct
from pathlib import Path

import numpy as np

MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
CIFAR10_FOLDER = "cifar-10-batches-py"
CIFAR10_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
CIFAR10_TEST = "test_batch"
CIFAR10_META = "batches.meta"
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

_IDX_UBYTE = 0x08  # the IDX type code of unsigned bytes


def _idx(array: np.ndarray) -> bytes:
    """An IDX file: magic (0, 0, type, rank), each size as a big-endian int32, then the bytes."""
    header = struct.pack(">BBBB", 0, 0, _IDX_UBYTE, array.ndim)
    header += b"".join(struct.pack(">I", size) for size in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def _labels(count: int, rng: np.random.Generator) -> np.ndarray:
    labels = np.arange(count) % 10  # every class present, in a seeded order
    rng.shuffle(labels)
    return labels.astype(np.uint8)


def mnist_images(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """28x28 grey images: digit ``k`` is a bright vertical bar at column ``4 + 2k``, on noise."""
    images = rng.integers(0, 40, size=(len(labels), 28, 28), dtype=np.uint8)
    for image, label in zip(images, labels, strict=True):
        image[4:24, 4 + 2 * int(label):6 + 2 * int(label)] = 255
    return images


def write_mnist(root: str | Path, train: int = 64, test: int = 16, seed: int = 0) -> Path:
    """Write MNIST stand-ins under ``root`` (``root/MNIST/raw/``); returns that folder."""
    raw = Path(root) / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for prefix, count in (("train", train), ("t10k", test)):
        labels = _labels(count, rng)
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(_idx(mnist_images(labels, rng)))
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx(labels))
    return raw


def cifar_images(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rows of 3072 bytes (red plane, green plane, blue plane): class ``k`` lights a band ``k``."""
    images = rng.integers(0, 60, size=(len(labels), 3, 32, 32), dtype=np.uint8)
    for image, label in zip(images, labels, strict=True):
        k = int(label)
        image[k % 3, 3 * k:3 * k + 3, :] = 255
    return images.reshape(len(labels), 3 * 32 * 32)


def write_cifar10(root: str | Path, per_batch: int = 20, test: int = 20, seed: int = 0) -> dict[str, str]:
    """Write CIFAR-10 stand-ins under ``root`` (``root/cifar-10-batches-py/``).

    Returns ``{file name: md5}`` of what was written, for :func:`accept_standin_checksums`.
    """
    folder = Path(root) / CIFAR10_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    batches = [(name, per_batch) for name in CIFAR10_TRAIN] + [(CIFAR10_TEST, test)]
    for number, (name, count) in enumerate(batches, start=1):
        labels = _labels(count, rng)
        batch = {"batch_label": f"stand-in batch {number} of 6", "labels": [int(v) for v in labels],
                 "data": cifar_images(labels, rng),
                 "filenames": [f"standin_{number}_{i}.png" for i in range(count)]}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    meta = {"label_names": list(CIFAR10_CLASSES), "num_cases_per_batch": per_batch, "num_vis": 3072}
    (folder / CIFAR10_META).write_bytes(pickle.dumps(meta, protocol=2))
    return {path.name: hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            for path in sorted(folder.iterdir())}


@contextlib.contextmanager
def accept_standin_checksums(cifar_class, checksums: dict[str, str]):
    """Inside the block, ``cifar_class`` (``torchvision.datasets.CIFAR10``) checks ``checksums``.

    torchvision reads the expected MD5s from the class attributes ``train_list``, ``test_list``
    and ``meta``; they are replaced (new lists, not edited in place: ``CIFAR100`` has its own) and
    restored afterwards. Nothing of torchvision's code is replaced.
    """
    names = ("train_list", "test_list", "meta")
    own = {name: cifar_class.__dict__[name] for name in names if name in cifar_class.__dict__}
    meta = dict(cifar_class.meta)
    cifar_class.train_list = [[name, checksums[name]] for name in CIFAR10_TRAIN]
    cifar_class.test_list = [[CIFAR10_TEST, checksums[CIFAR10_TEST]]]
    cifar_class.meta = {**meta, "filename": CIFAR10_META, "md5": checksums[CIFAR10_META]}
    try:
        yield cifar_class
    finally:
        for name in names:
            if name in own:
                setattr(cifar_class, name, own[name])
            else:
                delattr(cifar_class, name)
