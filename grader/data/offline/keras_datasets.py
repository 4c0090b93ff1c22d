"""``offline: {keras_datasets: [...]}``: the data sets ``keras.datasets.<name>.load_data()`` downloads.

The files come from this machine's Keras cache (``$KERAS_HOME`` or ``~/.keras``, layout in
:mod:`grader.data.keras_files`) and appear under ``~/.keras/`` in the sandbox, where Keras 3
looks for them. ``grader data --download`` fills the cache with Keras's own loader.

Example:
    >>> [inside for _, inside in PROVIDER.files("fashion_mnist")][:1]
    ['.keras/datasets/fashion-mnist/train-images-idx3-ubyte.gz']
    >>> PROVIDER.check("emnist")
    "keras_datasets has no entry 'emnist'; it has: mnist, fashion_mnist, cifar10, cifar100, imdb, boston_housing, reuters"
"""

from __future__ import annotations

from pathlib import Path

from grader.data.keras_files import DATASETS, dataset_parts, located
from grader.data.offline import OfflineProvider


def files(entry: str) -> list[tuple[Path, str]]:
    return [(located(part), f".keras/{part.inside}") for part in dataset_parts(entry)]


def fetch(entry: str) -> None:
    """Keras's own loader, run once with network (it downloads, checks the hash and extracts)."""
    import keras

    getattr(keras.datasets, entry).load_data()
    if entry == "imdb":
        keras.datasets.imdb.get_word_index()
    if entry == "reuters":
        keras.datasets.reuters.get_word_index()


PROVIDER = OfflineProvider(
    name="keras_datasets", files=files, fetch=fetch, entries=tuple(DATASETS),
    help="Keras data sets the students' code loads with keras.datasets.<name>.load_data() (imdb and reuters "
         "with their word index)",
)
