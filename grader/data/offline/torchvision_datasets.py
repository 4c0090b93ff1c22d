"""``offline: {torchvision_datasets: [MNIST, CIFAR10]}``: the data sets ``torchvision.datasets`` downloads.

The handout writes ``datasets.MNIST(root="./data", train=True, download=True, ...)``: torchvision
looks for the files under ``root``, relative to the notebook's working folder, which in the sandbox
is ``work/`` under the student's home. So each file appears at ``work/data/<torchvision's layout>``:
``MNIST/raw/`` (the four uncompressed IDX files; torchvision checks no checksum on them),
``cifar-10-batches-py/`` (the pickled batches, which torchvision checks against the real data
set's MD5s; ``grader_inside.torch.offline`` accepts files the course provides whatever their
checksum, for stand-ins and converted copies).

On the instructor's machine the files are read from a torchvision root, laid out as torchvision
lays out ``root``: ``$GRADER_TORCHVISION_DATA`` if set, else ``torchvision/`` in the grader's cache
(``grader data --download`` fills it). CIFAR-10 and CIFAR-100 are also found in the Keras cache
(``~/.keras/datasets``), which holds the same files.

Example:
    >>> [inside for _, inside in PROVIDER.files("MNIST")][:1]
    ['work/data/MNIST/raw/train-images-idx3-ubyte']
    >>> sorted(PROVIDER.entries)
    ['CIFAR10', 'CIFAR100', 'FashionMNIST', 'MNIST']
"""

from __future__ import annotations

import gzip
import os
import shutil
import struct
from pathlib import Path

from grader.cache import cache_dir

from grader.data.offline import OfflineProvider

WORKING = "work"  # the notebook's working folder, under the student's home in the sandbox
ROOT = "data"     # the handout's root="./data"
LAYOUT = {  # entry -> (folder under root, files); as torchvision's datasets (mnist.py, cifar.py) look for them
    "MNIST": ("MNIST/raw", ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")),
    "FashionMNIST": ("FashionMNIST/raw", ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")),
    "CIFAR10": ("cifar-10-batches-py", ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                                        "data_batch_5", "test_batch", "batches.meta")),
    "CIFAR100": ("cifar-100-python", ("train", "test", "meta")),
}
_KERAS_FOLDERS = {"CIFAR10": ("cifar-10-batches-py-target/cifar-10-batches-py", "cifar-10-batches-py"),
                  "CIFAR100": ("cifar-100-python-target/cifar-100-python", "cifar-100-python")}


def torchvision_root() -> Path:
    """Where this machine keeps the files, laid out as torchvision's ``root``."""
    configured = os.environ.get("GRADER_TORCHVISION_DATA")
    return Path(configured) if configured else cache_dir() / "torchvision"


def _keras_datasets() -> Path:
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def folder(entry: str) -> Path:
    """The folder that holds ``entry``'s files on this machine (the torchvision root's, else Keras's)."""
    relative, files = LAYOUT[entry]
    own = torchvision_root() / relative
    if (own / files[0]).exists():
        return own
    for candidate in _KERAS_FOLDERS.get(entry, ()):
        if (_keras_datasets() / candidate / files[0]).exists():
            return _keras_datasets() / candidate
    return own


def files(entry: str) -> list[tuple[Path, str]]:
    relative, names = LAYOUT[entry]
    where = folder(entry)
    return [(where / name, f"{WORKING}/{ROOT}/{relative}/{name}") for name in names]


def fetch(entry: str) -> None:
    """Fill the torchvision root: from the Keras cache when it has the data set (MNIST converted to
    IDX), else with torchvision's own downloader (needs network and torchvision)."""
    relative, names = LAYOUT[entry]
    target = torchvision_root() / relative
    if entry in ("MNIST", "FashionMNIST") and _from_keras(entry, target):
        return
    if entry in _KERAS_FOLDERS and folder(entry) != target:
        return  # found in the Keras cache: nothing to fetch
    import torchvision

    dataset = getattr(torchvision.datasets, entry)
    for train in (True, False):
        dataset(root=str(torchvision_root()), train=train, download=True)


def _from_keras(entry: str, target: Path) -> bool:
    """Write the IDX files from Keras's copy (``mnist.npz``, or Fashion-MNIST's ``.gz`` files)."""
    base = _keras_datasets()
    if entry == "MNIST" and (base / "mnist.npz").exists():
        import numpy as np

        with np.load(base / "mnist.npz", allow_pickle=False) as data:
            arrays = {"train-images-idx3-ubyte": data["x_train"], "train-labels-idx1-ubyte": data["y_train"],
                      "t10k-images-idx3-ubyte": data["x_test"], "t10k-labels-idx1-ubyte": data["y_test"]}
        target.mkdir(parents=True, exist_ok=True)
        for name, array in arrays.items():
            header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", n) for n in array.shape)
            (target / name).write_bytes(header + array.astype("uint8").tobytes())
        return True
    fashion = base / "fashion-mnist"
    if entry == "FashionMNIST" and all((fashion / f"{name}.gz").exists() for name in LAYOUT[entry][1]):
        target.mkdir(parents=True, exist_ok=True)
        for name in LAYOUT[entry][1]:
            with gzip.open(fashion / f"{name}.gz", "rb") as source, open(target / name, "wb") as out:
                shutil.copyfileobj(source, out)
        return True
    return False


PROVIDER = OfflineProvider(
    name="torchvision_datasets", files=files, fetch=fetch, entries=tuple(LAYOUT),
    help="torchvision data sets the students' code loads with torchvision.datasets.<Name>(root='./data', "
         "download=True): MNIST, FashionMNIST, CIFAR10, CIFAR100",
)
