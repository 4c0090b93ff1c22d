"""The data stand-ins are read by Keras's own loaders, offline (tests/standins/datasets.py).

Each data set is written into a temporary ``KERAS_HOME``; a fresh Python process (Keras reads
``KERAS_HOME`` when it is imported) calls the real ``keras.datasets.<name>.load_data()`` and
reports what it got. No network: the loaders run inside ``offline_keras_loaders()``, which only
drops the hash check a stand-in cannot pass and refuses to download.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from standins import datasets as standins

pytestmark = pytest.mark.slow  # loads data sets and weights through Keras in fresh processes

TESTS = Path(__file__).resolve().parent

_CHILD = textwrap.dedent("""
    import json, sys
    import numpy as np
    import keras
    from standins.datasets import offline_keras_loaders

    def describe(result):
        (x_train, y_train), (x_test, y_test) = result
        out = {}
        for key, value in (("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)):
            out[key] = {"shape": list(value.shape), "dtype": str(value.dtype)}
            if value.dtype != object:
                out[key].update(min=float(value.min()), max=float(value.max()))
        return out

    report = {}
    with offline_keras_loaders():
        for name in sys.argv[1:]:
            if name == "imdb":
                result = keras.datasets.imdb.load_data(num_words=10000)
                report[name] = describe(result)
                words = [w for review in result[0][0] for w in review]
                report[name]["words"] = {"min": min(words), "max": max(words), "first": result[0][0][0][0]}
                report[name]["word_index"] = len(keras.datasets.imdb.get_word_index())
            elif name == "cifar100_coarse":
                report[name] = describe(keras.datasets.cifar100.load_data(label_mode="coarse"))
            else:
                report[name] = describe(getattr(keras.datasets, name).load_data())
    print("REPORT " + json.dumps(report))
""")


def _load_in_child(home: Path, *names: str) -> dict:
    env = {**os.environ, "KERAS_HOME": str(home), "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", _CHILD, *names],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(l for l in done.stdout.splitlines() if l.startswith("REPORT "))
    return json.loads(line[len("REPORT "):])


def _image_split(report, n_train, n_test, shape, label_shape, label_max, label_dtype="uint8"):
    assert report["x_train"]["shape"] == [n_train, *shape]
    assert report["x_test"]["shape"] == [n_test, *shape]
    assert report["x_train"]["dtype"] == report["x_test"]["dtype"] == "uint8"
    assert report["y_train"]["shape"] == [n_train, *label_shape]
    assert report["y_test"]["shape"] == [n_test, *label_shape]
    assert report["y_train"]["dtype"] == label_dtype
    assert report["y_train"]["min"] == 0 and report["y_train"]["max"] == label_max
    assert 0 <= report["x_train"]["min"] and report["x_train"]["max"] <= 255


def test_small_standins_load_with_keras_loaders(tmp_path):
    home = tmp_path / "keras"
    standins.write_all(home, ["mnist", "fashion_mnist", "cifar100", "imdb", "boston_housing"])
    report = _load_in_child(home, "mnist", "fashion_mnist", "cifar100", "cifar100_coarse", "imdb", "boston_housing")

    _image_split(report["mnist"], 200, 100, [28, 28], [], 9)
    _image_split(report["fashion_mnist"], 200, 100, [28, 28], [], 9)
    _image_split(report["cifar100"], 500, 200, [32, 32, 3], [1], 99, label_dtype="int64")
    _image_split(report["cifar100_coarse"], 500, 200, [32, 32, 3], [1], 19, label_dtype="int64")

    imdb = report["imdb"]
    assert imdb["x_train"] == {"shape": [200], "dtype": "object"}
    assert imdb["x_test"] == {"shape": [100], "dtype": "object"}
    assert imdb["y_train"]["dtype"] == "int64" and (imdb["y_train"]["min"], imdb["y_train"]["max"]) == (0, 1)
    # start_char=1, ids shifted by index_from=3, ids >= num_words replaced by oov_char=2.
    assert imdb["words"]["first"] == 1 and imdb["words"]["min"] == 1 and imdb["words"]["max"] <= 9999
    assert imdb["word_index"] == standins.IMDB_VOCABULARY

    boston = report["boston_housing"]
    assert boston["x_train"]["shape"] == [80, 13] and boston["x_test"]["shape"] == [20, 13]
    assert boston["y_train"]["shape"] == [80] and boston["x_train"]["dtype"] == "float64"
    assert 5 <= boston["y_train"]["min"] and boston["y_train"]["max"] <= 50


def test_full_size_cifar10_standin_loads_with_keras_loader(tmp_path):
    home = tmp_path / "keras"
    archive = standins.write_cifar10(home, n_test=500)
    assert archive.stat().st_size < 5_000_000  # noise-free images: the 150 MB of batches compress well
    report = _load_in_child(home, "cifar10")
    _image_split(report["cifar10"], 50_000, 500, [32, 32, 3], [1], 9)


def test_fashion_mnist_needs_no_shim(tmp_path):
    """fashion_mnist passes no file hash: the stand-in is read as is, shim or not."""
    home = tmp_path / "keras"
    standins.write_fashion_mnist(home, n_train=30, n_test=20)
    child = _CHILD.replace("with offline_keras_loaders():", "if True:")
    env = {**os.environ, "KERAS_HOME": str(home), "PYTHONPATH": str(TESTS), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", child,
                           "fashion_mnist"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(next(l for l in done.stdout.splitlines() if l.startswith("REPORT "))[len("REPORT "):])
    _image_split(report["fashion_mnist"], 30, 20, [28, 28], [], 9)


def test_standins_are_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for home in (first, second):
        standins.write_all(home, ["mnist", "fashion_mnist", "cifar100", "imdb", "boston_housing"])
    for path in sorted((first / "datasets").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


def test_offline_loader_names_a_missing_file(tmp_path):
    """Without a stand-in, the shim fails at once with the path instead of trying the network."""
    home = tmp_path / "keras"
    (home / "datasets").mkdir(parents=True)
    env = {**os.environ, "KERAS_HOME": str(home), "PYTHONPATH": str(TESTS), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", _CHILD,
                           "mnist"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert f"{home / 'datasets' / 'mnist.npz'}: not in the Keras cache" in done.stderr
