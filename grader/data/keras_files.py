"""Where Keras keeps what it downloads, file by file: its data sets and its applications' weights.

One place for this layout. The grader's train checks read Keras data sets from here
(:mod:`grader.data.sources.keras_cache`), and the offline providers
(:mod:`grader.data.offline`) make the same files readable inside the sandbox, at the paths where
Keras 3 looks for them under the student's home.

Keras keeps everything under ``$KERAS_HOME`` (default ``~/.keras``): data sets in ``datasets/``,
weights in ``models/``. What each loader of Keras 3.15 asks ``get_file`` for
(``keras/src/datasets/*.py``): a file (``mnist.npz``), four files in a folder (Fashion-MNIST), or
an archive it extracts into ``<name>-target/`` on every call (CIFAR; the grader uses the extracted
folder, which Keras leaves behind after its first successful call; Keras 2 left it as
``cifar-10-batches-py/`` directly under ``datasets/``, which is read too).

Example:
    >>> [p.inside for p in dataset_parts("imdb")]
    ['datasets/imdb.npz', 'datasets/imdb_word_index.json']
    >>> dataset_parts("cifar10")[0].found_at
    ('datasets/cifar-10-batches-py-target/cifar-10-batches-py', 'datasets/cifar-10-batches-py')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_FASHION = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
# The folder of keras-applications' storage each weights file is in, by the start of its name
# (keras/src/applications/*.py); the more specific start first.
WEIGHTS_FOLDERS = (("mobilenet_v2_", "mobilenet_v2"), ("mobilenet_", "mobilenet"), ("vgg16_", "vgg16"),
                   ("vgg19_", "vgg19"), ("resnet", "resnet"), ("inception_v3_", "inception_v3"),
                   ("xception_", "xception"), ("densenet", "densenet"))


@dataclass(frozen=True)
class Part:
    """One file or folder of a data set: where Keras 3 reads it and where it may be on this machine,
    both relative to the Keras home (the first of ``found_at`` that exists is used)."""

    inside: str
    found_at: tuple[str, ...]


def _same(relative: str) -> Part:
    return Part(relative, (relative,))


DATASETS: dict[str, tuple[Part, ...]] = {
    "mnist": (_same("datasets/mnist.npz"),),
    "fashion_mnist": tuple(_same(f"datasets/fashion-mnist/{name}") for name in _FASHION),
    "cifar10": (Part("datasets/cifar-10-batches-py-target/cifar-10-batches-py",
                     ("datasets/cifar-10-batches-py-target/cifar-10-batches-py", "datasets/cifar-10-batches-py")),),
    "cifar100": (Part("datasets/cifar-100-python-target/cifar-100-python",
                      ("datasets/cifar-100-python-target/cifar-100-python", "datasets/cifar-100-python")),),
    "imdb": (_same("datasets/imdb.npz"), _same("datasets/imdb_word_index.json")),
    "boston_housing": (_same("datasets/boston_housing.npz"),),
    "reuters": (_same("datasets/reuters.npz"), _same("datasets/reuters_word_index.json")),
}


def keras_home() -> Path:
    """Where Keras keeps its downloads on this machine: ``$KERAS_HOME``, else ``~/.keras``."""
    return Path(os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras"))


def dataset_parts(name: str) -> tuple[Part, ...]:
    if name not in DATASETS:
        raise ValueError(f"unknown Keras data set {name!r}; use one of: {', '.join(DATASETS)}")
    return DATASETS[name]


def located(part: Part, home: Path | None = None) -> Path:
    """Where ``part`` is on this machine: the first place that exists, else the first place it would be."""
    home = home or keras_home()
    return next((home / place for place in part.found_at if (home / place).exists()), home / part.found_at[0])


def dataset_files(name: str, home: Path | None = None) -> list[Path]:
    """The files (or folders) of data set ``name`` on this machine, present or not."""
    return [located(part, home) for part in dataset_parts(name)]


def weights_url(file_name: str) -> str | None:
    """Where keras-applications keeps a weights file (None when its family is not known here)."""
    for start, folder in WEIGHTS_FOLDERS:
        if file_name.startswith(start):
            return f"{WEIGHTS_URL}{folder}/{file_name}"
    return None
