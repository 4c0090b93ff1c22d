"""Stand-in ``weights='imagenet'`` files load offline exactly where Keras looks for them.

Keras reads ``KERAS_HOME`` when it is imported, so each case runs in a fresh Python process
started with ``KERAS_HOME`` pointing at a temporary folder. In that process the download
function is replaced by one that fails, so a test that passes has provably downloaded nothing.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from standins.weights import expected_values, mobilenet_filename, mobilenet_layers, write_mobilenet

pytestmark = pytest.mark.slow  # loads data sets and weights through Keras in fresh processes

MOBILENET_32_NO_TOP = 3_228_864

PROBE = textwrap.dedent("""
    import json, os, sys, warnings
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import keras
    import keras.src.utils.file_utils as file_utils

    attempted = []
    def no_network(url, *args, **kwargs):
        attempted.append(url)
        raise OSError("network disabled in this test")
    file_utils.urlretrieve = no_network

    results = {}
    for case in json.loads(sys.argv[1]):
        out = {}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model = keras.applications.MobileNet(**case["kwargs"])
            except Exception as exc:
                out["error"] = f"{type(exc).__name__}: {exc}"
                model = None
        out["warnings"] = [str(w.message) for w in caught]
        if model is not None:
            out["name"] = model.name
            out["params"] = model.count_params()
            out["weights"] = {name: [np.asarray(w).tolist() for w in model.get_layer(name).get_weights()]
                              for name in case["layers"]}
            x = np.linspace(0, 1, 2 * 32 * 32 * 3, dtype="float32").reshape(2, 32, 32, 3)
            if case["kwargs"].get("include_top"):
                x = np.linspace(0, 1, 224 * 224 * 3, dtype="float32").reshape(1, 224, 224, 3)
            out["finite"] = bool(np.isfinite(model.predict(x, verbose=0)).all())
        out["attempted_downloads"] = list(attempted)
        attempted.clear()
        results[case["id"]] = out
    print("RESULTS " + json.dumps(results))
""")


def _probe(keras_home: Path, cases: list[dict]) -> dict:
    env = dict(os.environ, KERAS_HOME=str(keras_home), TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(cases)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [l for l in done.stdout.splitlines() if l.startswith("RESULTS ")][-1]
    return json.loads(line[len("RESULTS "):])


def test_the_layer_table_has_mobilenets_parameter_count():
    counted = sum(int(np.prod(shape)) for _, weights in mobilenet_layers() for _, shape in weights)
    assert counted == MOBILENET_32_NO_TOP
    assert mobilenet_filename() == "mobilenet_1_0_224_tf_no_top.h5"
    assert mobilenet_filename(0.5, 160, include_top=True) == "mobilenet_5_0_160_tf.h5"


def test_the_file_is_deterministic(tmp_path):
    a = write_mobilenet(tmp_path / "a").read_bytes()
    b = write_mobilenet(tmp_path / "b").read_bytes()
    assert a == b
    assert write_mobilenet(tmp_path / "c", seed=1).read_bytes() != a


def test_mobilenet_imagenet_loads_the_stand_in_offline(tmp_path):
    home = tmp_path / "keras-home"
    path = write_mobilenet(home)
    write_mobilenet(home, include_top=True)
    assert path == home / "models" / "mobilenet_1_0_224_tf_no_top.h5"
    layers = ["conv1", "conv_dw_1", "conv_pw_13_bn"]
    results = _probe(home, [
        {"id": "cifar", "layers": layers,
         "kwargs": {"input_shape": [32, 32, 3], "weights": "imagenet", "include_top": False}},
        {"id": "top", "layers": ["conv_preds"], "kwargs": {"weights": "imagenet", "include_top": True}},
        # Negative control: alpha 0.5 needs mobilenet_5_0_224_tf_no_top.h5, which is not there.
        {"id": "missing", "layers": [],
         "kwargs": {"input_shape": [32, 32, 3], "weights": "imagenet", "include_top": False, "alpha": 0.5}},
    ])

    cifar = results["cifar"]
    assert cifar.get("error") is None and cifar["attempted_downloads"] == []
    assert cifar["params"] == MOBILENET_32_NO_TOP
    # A 32x32 input gets the 224 file, and the model is named after it.
    assert cifar["name"] == "mobilenet_1.00_224"
    assert any("Weights for input shape (224, 224) will be loaded as the default" in w for w in cifar["warnings"])
    for layer in layers:
        loaded = [np.asarray(w, dtype="float32") for w in cifar["weights"][layer]]
        written = expected_values(layer)
        # Keras's get_weights() order equals the file's here: trainable, then non-trainable.
        assert len(loaded) == len(written)
        for got, want in zip(loaded, written):
            np.testing.assert_array_equal(got, want)
    assert cifar["finite"]

    top = results["top"]
    assert top.get("error") is None and top["attempted_downloads"] == [] and top["finite"]
    np.testing.assert_array_equal(np.asarray(top["weights"]["conv_preds"][1], dtype="float32"),
                                  expected_values("conv_preds", include_top=True)[1])

    missing = results["missing"]
    assert missing["attempted_downloads"] == [
        "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/mobilenet_5_0_224_tf_no_top.h5"]
    assert missing["error"] == "OSError: network disabled in this test"
