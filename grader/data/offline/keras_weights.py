"""``offline: {keras_weights: [...]}``: pre-trained weights ``keras.applications`` loads by file name.

``MobileNet(weights='imagenet', include_top=False)`` on a 224x224 input (or any input that is not
square of side 128, 160, 192 or 224) asks ``get_file`` for ``mobilenet_1_0_224_tf_no_top.h5`` in
``~/.keras/models``; an entry is that file name. The file comes from this machine's Keras home.
``grader data --download`` fetches the families whose address is known
(:func:`grader.data.keras_files.weights_url`: MobileNet v1/v2, VGG16/19, ResNet, InceptionV3,
Xception, DenseNet); other files are copied into ``~/.keras/models/`` by hand.

Example:
    >>> [inside for _, inside in PROVIDER.files("mobilenet_1_0_224_tf_no_top.h5")]
    ['.keras/models/mobilenet_1_0_224_tf_no_top.h5']
    >>> PROVIDER.check("../secret.h5")
    "keras_weights entries are file names, got '../secret.h5'"
"""

from __future__ import annotations

from pathlib import Path

from grader.data.keras_files import keras_home, weights_url
from grader.data.offline import OfflineProvider


def files(entry: str) -> list[tuple[Path, str]]:
    return [(keras_home() / "models" / entry, f".keras/models/{entry}")]


def fetch(entry: str) -> None:
    url = weights_url(entry)
    if url is None:
        raise ValueError(f"grader does not know where {entry} is published; copy it into "
                         f"{keras_home() / 'models'} by hand")
    import keras

    keras.utils.get_file(entry, url, cache_subdir="models")


PROVIDER = OfflineProvider(
    name="keras_weights", files=files, fetch=fetch,
    help="pre-trained weights keras.applications loads from ~/.keras/models (weights='imagenet'), by file name",
)
