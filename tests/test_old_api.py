"""Old Keras 1/2 calls: each pattern is recognized from the error Keras 3 really raises and from the source.

Every snippet runs here under the installed Keras 3 (in this process, a fraction of a second
each): the error text the test feeds to ``explain`` is the one Keras raised, never typed by
hand. Silent traps (no error, another model) must run without an error and still be found
in the source.
"""

from __future__ import annotations

import os

import pytest

from grader.frameworks.keras import old_api
from grader.execution.diagnostics import explain_text as explain

SETUP = """
import numpy as np, keras
from keras.models import Sequential
from keras.layers import *
X, y = np.zeros((10, 4, 1)), np.zeros((10, 1))
def small():
    m = Sequential([keras.Input((4, 1)), SimpleRNN(5), Dense(1)])
    m.compile(loss='mse', optimizer='adam')
    return m
"""

# (pattern, snippet, raises): the snippet is what a Keras 1/2 handout has students write.
CASES = [
    ("module_convolutional", "from keras.layers.convolutional import Convolution2D", True),
    ("module_normalization", "from keras.layers.normalization import BatchNormalization", True),
    ("module_pooling", "from keras.layers.pooling import MaxPooling2D", True),
    ("module_recurrent", "from keras.layers.recurrent import SimpleRNN", True),
    ("module_core", "from keras.layers.core import Dense, Dropout", True),
    ("module_embeddings", "from keras.layers.embeddings import Embedding", True),
    ("module_advanced_activations", "from keras.layers.advanced_activations import LeakyReLU", True),
    ("np_utils", "from keras.utils import np_utils", True),
    ("scikit_learn_wrapper", "from keras.wrappers.scikit_learn import KerasClassifier", True),
    ("image_data_generator", "from keras.preprocessing.image import ImageDataGenerator", True),
    ("merge_layer", "from keras.layers import Merge", True),
    ("nb_epoch", "small().fit(X, y, nb_epoch=1, verbose=0)", True),
    ("subsample", "Convolution2D(96, (11, 11), subsample=(4, 4))", True),
    ("border_mode", "Conv2D(96, (11, 11), border_mode='valid')", True),
    ("init", "Dense(10, init='uniform')", True),
    ("W_regularizer", "Dense(100, W_regularizer=keras.regularizers.l2(0.01))", True),
    ("b_regularizer", "Dense(100, b_regularizer=keras.regularizers.l2(0.01))", True),
    ("W_constraint", "Dense(100, W_constraint=keras.constraints.MaxNorm(3))", True),
    ("dim_ordering", "MaxPooling2D(pool_size=(2, 2), dim_ordering='th')", True),
    ("nb_filter", "Conv2D(nb_filter=32, kernel_size=(3, 3))", True),
    ("output_dim", "Dense(output_dim=10)", True),
    ("input_length", "SimpleRNN(5, input_dim=1, input_length=4)", True),
    ("consume_less", "LSTM(5, consume_less='gpu')", True),
    ("mode", "BatchNormalization(mode=0, axis=1)", True),
    ("lr", "keras.optimizers.Adam(lr=0.001)", True),
    ("show_accuracy", "small().fit(X, y, epochs=1, show_accuracy=True, verbose=0)", True),
    ("class_mode", "small().compile(loss='mse', optimizer='adam', class_mode='binary')", True),
    ("predict_classes", "small().predict_classes(X)", True),
    ("predict_proba", "small().predict_proba(X)", True),
    ("fit_generator", "small().fit_generator(iter([(X, y)]), steps_per_epoch=1, epochs=1)", True),
    ("set_image_dim_ordering", "keras.backend.set_image_dim_ordering('th')", True),
    ("save_without_extension", "small().save('model_without_extension')", True),
    ("channels_first_input", "Sequential([keras.Input(shape=(3, 224, 224)), ZeroPadding2D((2, 2)), "
                             "Conv2D(96, (11, 11), strides=(4, 4))])", True),
    ("embedding_input_length", "Sequential([Embedding(10000, 50, input_length=400), Flatten(), Dense(1)])", False),
    ("decay", "keras.optimizers.SGD(learning_rate=0.01, decay=1e-6)", False),
    ("conv_positional_kernel", "Convolution2D(96, 11, 11)", False),
    ("gru_reset_after", "GRU(5)", False),
    ("dense_1_softmax", "Dense(1, activation='softmax')", False),
]


@pytest.fixture(scope="module")
def namespace():
    import warnings

    warnings.simplefilter("ignore")
    space: dict = {}
    exec(SETUP, space)  # noqa: S102 - the test's own fixed code
    return space


def _run(snippet: str, namespace: dict, tmp_path) -> tuple[str, str] | None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(snippet, dict(namespace))  # noqa: S102 - the table above
    except Exception as exc:  # noqa: BLE001 - the error is what is being tested
        return type(exc).__name__, str(exc)
    finally:
        os.chdir(cwd)
    return None


def test_at_least_30_patterns_each_with_a_case():
    assert len(old_api.PATTERNS) >= 30
    assert sorted(p for p, _, _ in CASES) == sorted(p.id for p in old_api.PATTERNS)


@pytest.mark.parametrize("pattern, snippet, raises", CASES, ids=[c[0] for c in CASES])
def test_each_old_call_is_recognized_from_its_error_and_from_the_source(pattern, snippet, raises, namespace,
                                                                         tmp_path):
    error = _run(snippet, namespace, tmp_path)
    found = old_api.scan_source(snippet)
    assert pattern in {p for f in found for p in [f.pattern, *f.extra]}, found
    if not raises:
        assert error is None, f"a silent trap must not raise under Keras 3: {error}"
        return
    assert error is not None, "Keras 3 accepted it: move the case to the silent traps"
    ename, evalue = error
    assert pattern in [p.id for p in old_api.match_error(ename, evalue)], (ename, evalue)
    english, spanish = explain(ename, evalue, snippet, "en"), explain(ename, evalue, snippet, "es")
    assert old_api.explanation(pattern, "en") in english
    assert old_api.explanation(pattern, "es") in spanish


@pytest.mark.parametrize("old, new", [
    ("Convolution2D(96,11,11,subsample=(4,4),border_mode='valid')",
     "Conv2D(96, (11, 11), strides=(4, 4), padding='valid')"),
    ("modelAlexNet.add(Convolution2D(256, 5, 5, border_mode='valid'))",
     "modelAlexNet.add(Conv2D(256, (5, 5), padding='valid'))"),
    ("modelRNN.fit(trainX, trainY, nb_epoch=150, batch_size=5, verbose=2)",
     "modelRNN.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)"),
    ("Dense(output_dim=10, init='uniform')", "Dense(10, kernel_initializer='uniform')"),
    ("MaxPooling2D((2, 2), dim_ordering='th')", "MaxPooling2D((2, 2), data_format='channels_first')"),
    ("SGD(lr=0.01, momentum=0.9)", "SGD(learning_rate=0.01, momentum=0.9)"),
    ("LSTM(5, input_dim=1, input_length=4, consume_less='gpu')", "LSTM(5, input_shape=(4, 1))"),
])
def test_old_calls_are_rewritten_in_current_keras(old, new):
    assert old_api.modernize(old) == new


def test_a_notebook_that_stops_at_its_first_import_still_gets_every_old_call_explained():
    from grader.grading.grade import scan_submission
    from grader.submission.submission import Submission

    root = os.path.join(os.path.dirname(__file__), "..", "submissions", "actividad2", "handout.ipynb")
    calls = scan_submission(Submission.from_path(root))
    patterns = {p for call in calls for p in call["patterns"]}
    assert {"module_convolutional", "module_normalization", "module_pooling", "subsample", "border_mode",
            "conv_positional_kernel", "input_length", "nb_epoch"} <= patterns
    conv = next(c for c in calls if "subsample" in c["patterns"])
    assert conv["now"] == "Conv2D(96, (11, 11), strides=(4, 4), padding='valid')"
    assert conv["cell"] > 0 and conv["line"] >= 1


def test_a_cell_with_magics_and_a_syntax_error_does_not_stop_the_scan():
    assert [f.pattern for f in old_api.scan_source("%matplotlib inline\nmodel.fit(x, y, nb_epoch=3)")] == ["nb_epoch"]
    assert old_api.scan_source("def broken(:\n    pass") == []


def test_the_pattern_list_in_the_docs_is_current():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "old-keras.md").read_text(encoding="utf-8")
    for pattern in old_api.PATTERNS:
        assert f"| `{pattern.id}` |" in doc and pattern.now in doc, pattern.id


@pytest.mark.parametrize("code", [
    'import numpy as np\nnp.save("pesos.npy", pesos)',              # numpy's save: a file and an array
    'import numpy\nnumpy.save("pesos", pesos)',
    'import torch\ntorch.save(net.state_dict(), "pesos")',
    'from sklearn.svm import SVC\nclf = SVC(probability=True)\nclf.fit(X, y)\np = clf.predict_proba(X)',
    'from sklearn.cluster import KMeans\nkm = KMeans(n_clusters=3, init="k-means++")',
    'import joblib\njoblib.dump(clf, "clf")',
    'import matplotlib.pyplot as plt\nplt.savefig("curva")',
])
def test_calls_of_other_libraries_are_not_old_keras(code):
    from grader.frameworks.keras.old_api import scan_source

    assert scan_source(code) == []


def test_a_notebook_cell_is_read_with_the_imports_of_the_other_cells():
    from grader.frameworks.keras.old_api import scan_source

    context = "from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\n"
    assert scan_source("probabilities = clf.predict_proba(X)", context=context) == []
    found = scan_source("probabilities = model.predict_proba(X)", context=context)
    assert [f.pattern for f in found] == ["predict_proba"]  # a Keras 2 model still is


def test_keras_save_without_extension_is_still_found_next_to_numpy():
    from grader.frameworks.keras.old_api import scan_source

    found = scan_source('import numpy as np\nnp.save("pesos.npy", w)\nmodel.save("modelo")')
    assert [(f.line, f.now) for f in found] == [(3, "model.save('modelo.keras')")]
