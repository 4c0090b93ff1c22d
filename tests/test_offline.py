"""The course's data and weights inside the sandbox, read from the instructor's cache (stand-ins here).

Keras checks the hash of a cached file, tries to download it again on a mismatch and deletes it
when that fails (tests/standins/datasets.py): the in-sandbox patch must serve a present file as
it is, never touch the network, never delete, and refuse anything else with one clear line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.data.offline import offline_files, offline_provider, offline_providers
from grader.errors import InputError
from grader.grading.rubric import load_rubric
from grader.i18n import render
from tests.standins import datasets as standins
from tests.standins.weights import write_mobilenet

ROOT = Path(__file__).resolve().parent.parent
MOBILENET = "mobilenet_1_0_224_tf_no_top.h5"

# Any connection attempt in the child fails the test loudly: "never opens the network".
NO_SOCKETS = """\
import socket
def _refuse(*args, **kwargs):
    raise AssertionError("the code under test opened a connection")
socket.socket.connect = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture()
def keras_home(tmp_path, monkeypatch):
    """An instructor's Keras cache with stand-ins of MNIST and IMDB and MobileNet's weights (CIFAR-10, 180 MB
    once extracted, only where a test loads it)."""
    home = tmp_path / "keras"
    standins.write_mnist(home)
    standins.write_imdb(home)
    standins.write_imdb_word_index(home)
    write_mobilenet(home)
    monkeypatch.setenv("KERAS_HOME", str(home))
    return home


def _rubric(tmp_path: Path, offline: str) -> Path:
    (tmp_path / "ref").mkdir(exist_ok=True)
    (tmp_path / "ref" / "m.py").write_text("def build():\n    pass\n")
    path = tmp_path / "rubric.yaml"
    path.write_text(textwrap.dedent("""\
        assignment: demo
        reference: ref
        models: {m: {build: m.py:build}}
        activities:
          - id: "1"
            checks:
              - {kind: model_found, model: m}
        """) + offline + "\n")
    return path


# ------------------------------------------------------------------------------------ the rubric


def test_the_rubric_declares_offline_entries_per_provider(tmp_path):
    rubric = load_rubric(_rubric(tmp_path, f"offline: {{keras_datasets: [mnist, cifar10, mnist], "
                                           f"keras_weights: [{MOBILENET}]}}"))
    assert rubric.offline == {"keras_datasets": ["mnist", "cifar10"], "keras_weights": [MOBILENET]}
    assert set(offline_providers()) >= {"keras_datasets", "keras_weights"}


@pytest.mark.parametrize("offline, problem", [
    ("offline: {torch_hub: [resnet]}", "unknown key 'torch_hub' in 'offline'"),
    ("offline: {keras_datasets: [emnist]}", "keras_datasets has no entry 'emnist'"),
    ("offline: {keras_weights: [../../etc/passwd]}", "keras_weights entries are file names"),
    ("offline: {keras_datasets: mnist}", "must be a non-empty list"),
])
def test_a_wrong_offline_declaration_is_a_one_line_rubric_error(tmp_path, offline, problem):
    with pytest.raises(InputError) as caught:
        load_rubric(_rubric(tmp_path, offline))
    assert problem in caught.value.one_line()


# ------------------------------------------------------------------------- the instructor's cache


def test_declared_files_are_found_in_the_instructors_cache_and_placed_where_keras_looks(keras_home):
    (keras_home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py").mkdir(parents=True)
    found = offline_files({"keras_datasets": ["mnist", "imdb", "cifar10"], "keras_weights": [MOBILENET]})
    assert found.problems == []
    assert [(host.relative_to(keras_home).as_posix(), inside) for host, inside in found.files] == [
        ("datasets/mnist.npz", ".keras/datasets/mnist.npz"),
        ("datasets/imdb.npz", ".keras/datasets/imdb.npz"),
        ("datasets/imdb_word_index.json", ".keras/datasets/imdb_word_index.json"),
        ("datasets/cifar-10-batches-py-target/cifar-10-batches-py",
         ".keras/datasets/cifar-10-batches-py-target/cifar-10-batches-py"),
        (f"models/{MOBILENET}", f".keras/models/{MOBILENET}"),
    ]


def test_keras_2s_cifar_folder_is_placed_where_keras_3_looks(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets" / "cifar-10-batches-py").mkdir(parents=True)
    (host, inside), = offline_provider("keras_datasets").files("cifar10")
    assert host == tmp_path / "datasets" / "cifar-10-batches-py"
    assert inside == ".keras/datasets/cifar-10-batches-py-target/cifar-10-batches-py"


def test_a_declared_entry_missing_from_the_cache_is_one_line_and_the_rest_is_served(keras_home):
    found = offline_files({"keras_datasets": ["boston_housing", "mnist"]})
    assert [inside for _, inside in found.files] == [".keras/datasets/mnist.npz"]
    line = render(found.problems[0], "en")
    assert "keras_datasets `boston_housing`" in line and "boston_housing.npz" in line
    assert "grader data --download" in line
    assert "falta en la caché del corrector" in render(found.problems[0], "es")


# ------------------------------------------------------------------------ the patch inside Keras


def _inside(inside, home: Path, code: str, offline: dict) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with the patch installed as the harness installs it: after the
    cap on fit(), whose import hook it shares."""
    program = NO_SOCKETS + textwrap.dedent(f"""\
        from grader_inside.keras import fit_cap
        from grader_inside.records import Records
        fit_cap.install({{"epochs": 2, "batches": 10}}, Records(None))
        from grader_inside.keras.offline import install
        install({offline!r})
        """) + textwrap.dedent(code)
    env = {**os.environ, "KERAS_HOME": str(home), "PYTHONPATH": str(inside), "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.sandbox  # a fresh interpreter importing TensorFlow: seconds each
def test_load_data_reads_the_declared_stand_in_without_hash_check_download_or_deletion(inside, keras_home):
    standins.write_cifar10(keras_home, per_batch=10_000, n_test=100)
    before = (keras_home / "datasets" / "mnist.npz").read_bytes()
    ran = _inside(inside, keras_home, """\
        import keras
        (x, y), (xt, yt) = keras.datasets.mnist.load_data()
        (a, b), (c, d) = keras.datasets.imdb.load_data(num_words=10000)
        word_index = keras.datasets.imdb.get_word_index()
        (e, f), (g, h) = keras.datasets.cifar10.load_data()
        print("SHAPES", x.shape, xt.shape, len(a), len(word_index), e.shape, g.shape)
        """, {"keras_datasets": ["mnist", "imdb", "cifar10"]})
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "SHAPES (200, 28, 28) (100, 28, 28) 200 12000 (50000, 32, 32, 3) (100, 32, 32, 3)" in ran.stdout
    assert "Downloading" not in ran.stdout + ran.stderr
    assert (keras_home / "datasets" / "mnist.npz").read_bytes() == before  # still there, unchanged


@pytest.mark.sandbox  # a fresh interpreter importing TensorFlow: seconds each
def test_imagenet_weights_load_from_the_declared_stand_in(inside, keras_home):
    ran = _inside(inside, keras_home, """\
        import keras
        model = keras.applications.MobileNet(input_shape=(224, 224, 3), weights="imagenet", include_top=False)
        print("LOADED", model.count_params())
        """, {"keras_weights": [MOBILENET]})
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "LOADED 3228864" in ran.stdout


@pytest.mark.sandbox  # a fresh interpreter importing TensorFlow: seconds each
def test_an_undeclared_download_is_refused_in_one_line_that_says_what_to_add(inside, tmp_path):
    ran = _inside(inside, tmp_path / "empty-keras-home", """\
        import keras
        try:
            keras.datasets.fashion_mnist.load_data()
        except Exception as exc:
            print("REFUSED", type(exc).__name__, "|", exc)
        """, {"keras_datasets": ["mnist"]})
    assert ran.returncode == 0, ran.stderr[-3000:]
    line = ran.stdout.split("REFUSED", 1)[1].strip()
    assert line.startswith("DownloadRefused | keras.datasets.fashion_mnist tried to download train-labels-idx1-ubyte.gz")
    assert "grading has no network" in line and "`offline: {keras_datasets: [fashion_mnist]}`" in line
    assert "grader data --download" in line and "\n" not in line


@pytest.mark.sandbox  # a fresh interpreter importing TensorFlow: seconds each
def test_a_declared_entry_the_cache_lacks_says_the_instructor_downloads_it(inside, tmp_path):
    ran = _inside(inside, tmp_path / "empty-keras-home", """\
        import keras
        try:
            keras.applications.MobileNet(input_shape=(224, 224, 3), weights="imagenet", include_top=False)
        except Exception as exc:
            print("REFUSED", exc)
        """, {"keras_weights": [MOBILENET]})
    assert f"keras.applications tried to download {MOBILENET}" in ran.stdout, ran.stderr[-2000:]
    assert f"declares keras_weights: [{MOBILENET}] but the grader's cache does not have it" in ran.stdout


# ------------------------------------------------------------------------------- in the sandbox


HANDOUT = """\
import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
print("MNIST", x_train.shape)
base = keras.applications.MobileNet(input_shape=(224, 224, 3), weights="imagenet", include_top=False)
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10, activation="softmax")])
print("WEIGHTS", base.count_params())
import os
try:
    with open(os.path.expanduser("~/.keras/datasets/mnist.npz"), "ab") as handle:
        handle.write(b"x")
    print("WROTE")
except OSError as exc:
    print("READ-ONLY", type(exc).__name__)
"""


@pytest.mark.sandbox
def test_the_handout_loads_mnist_and_imagenet_weights_in_the_sandbox_read_only(keras_home, tmp_path):
    from grader.execution.runner import execute
    from grader.submission.submission import Submission

    script = tmp_path / "hw.py"
    script.write_text(HANDOUT)
    result = execute(Submission.from_path(script), timeout=240,
                     offline={"keras_datasets": ["mnist"], "keras_weights": [MOBILENET]})
    assert result.status == "ok", (result.message, result.cells)
    # The files bound read-only under the student's home are not files the code wrote (no_disk_writes).
    assert not [w for w in result.written if ".keras" in w["path"]], result.written
    assert "MNIST (200, 28, 28)" in result.output_tail and "WEIGHTS 3228864" in result.output_tail
    assert "READ-ONLY" in result.output_tail and "WROTE" not in result.output_tail
    assert result.course_files == []


@pytest.mark.sandbox
def test_without_the_declaration_the_report_says_what_the_instructor_adds(keras_home, tmp_path):
    from grader.execution.diagnostics import explain_text
    from grader.execution.runner import execute
    from grader.submission.submission import Submission

    script = tmp_path / "hw.py"
    script.write_text("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
                      "data = keras.datasets.mnist.load_data()\n")
    result = execute(Submission.from_path(script), timeout=240, offline={"keras_datasets": ["boston_housing"]})
    cell = next(c for c in result.cells if c.status == "error")
    assert (cell.ename, cell.line) == ("DownloadRefused", 3)
    assert "`offline: {keras_datasets: [mnist]}`" in cell.evalue
    assert "grader data --download" in explain_text(cell.ename, cell.evalue, cell.code, "en")
    assert [c.variable for c in result.captures] == ["model"]  # what does not need the data is still graded
    assert "boston_housing" in render(result.course_files[0], "en")  # declared, missing from the cache


def test_grader_data_lists_and_fetches_offline_entries(tmp_path, monkeypatch, capsys):
    from grader.cli import main
    from grader.data.offline import keras_weights

    home = tmp_path / "keras"
    monkeypatch.setenv("KERAS_HOME", str(home))
    standins.write_mnist(home)
    path = _rubric(tmp_path, f"offline: {{keras_datasets: [mnist], keras_weights: [{MOBILENET}]}}")
    assert main(["data", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"ready    keras_datasets mnist: {home / 'datasets' / 'mnist.npz'}" in out
    assert f"MISSING  keras_weights {MOBILENET}: {home / 'models' / MOBILENET}" in out

    import dataclasses

    from grader.data import prepare

    fetched = []
    downloading = dataclasses.replace(keras_weights.PROVIDER,
                                      fetch=lambda entry: fetched.append(entry) or write_mobilenet(home))
    monkeypatch.setattr(prepare, "offline_provider", lambda name: downloading if name == "keras_weights" else
                        offline_provider(name))
    assert main(["data", str(path), "--download"]) == 0
    assert fetched == [MOBILENET] and f"ready    keras_weights {MOBILENET}" in capsys.readouterr().out


def test_weights_are_fetched_from_keras_applications_own_address():
    from grader.data.keras_files import weights_url

    assert weights_url(MOBILENET) == ("https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
                                      + MOBILENET)
    assert weights_url("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5").endswith("/vgg16/"
                                                                                   "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
    assert weights_url("my_own_weights.h5") is None


def test_a_batch_regrades_once_a_missing_offline_file_arrives(tmp_path, monkeypatch):
    from grader.batch.keys import course_state

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    rubric = load_rubric(_rubric(tmp_path, "offline: {keras_datasets: [mnist, cifar10]}"))
    before = course_state(rubric)
    standins.write_mnist(tmp_path / "keras")
    assert course_state(rubric) != before
    assert course_state(rubric) == course_state(rubric)  # nothing else moves it
