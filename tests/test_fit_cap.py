"""The cap on the student's own training: fit() runs a few epochs of a few batches while grading.

Expected numbers come from the cap's definition (at most N epochs of at most M batches, each
batch ``batch_size`` samples) and from the data the tests build, never from the grader's output.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.batch.keys import rubric_fingerprint
from grader.options import GradingOptions
from grader.errors import InputError
from grader.execution.fit_cap import FitCap, cap_key, cap_message, parse_fit_cap
from grader.sandbox.readback import read_capped_fits
from grader.grading.rubric import load_rubric
from grader.i18n import render

ROOT = Path(__file__).resolve().parent.parent

# A tiny model, 100 samples; fit asks for 50 epochs of batch 5 = 20 batches an epoch.
SAMPLES, BATCH, EPOCHS = 100, 5, 50
TRAINING = f'''\
import numpy as np
import keras


class Count(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="sgd")
x, y = np.zeros(({SAMPLES}, 4), dtype="float32"), np.zeros(({SAMPLES}, 1), dtype="float32")
counter = Count()
history = model.fit(x, y, epochs={EPOCHS}, batch_size={BATCH}, verbose=0, callbacks=[counter])
print("EPOCHS", len(history.epoch), "STEPS", counter.steps, "ITERATIONS", int(model.optimizer.iterations))
'''
FIT_LINE = TRAINING.splitlines().index(next(l for l in TRAINING.splitlines() if "model.fit(" in l)) + 1
# The student's code may write anything in the log the grader reads back.
TAMPER = '''
import os
for log in ("/grader/output/fit_cap.jsonl", os.path.join("..", "output", "fit_cap.jsonl")):
    try:
        with open(log, "a") as handle:
            handle.write("not json\\n[1, 2]\\n" + '{"epochs_asked": "lots", "epochs_run": 2}\\n'
                         + '{"epochs_asked": -5, "epochs_run": 1}\\n' + "x" * 300000 + "\\n")
    except OSError:
        pass
'''
REFERENCE = '''import keras


def net():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu", name="hidden"),
                             keras.layers.Dense(1, name="out")])
'''
RUBRIC = '''schema: 1
assignment: tiny
title: Tiny course
language: es
reference: reference
models:
  net: {build: "net.py:net", variable: model}
activities:
  - id: "1"
    title: Dense network
    checks:
      - {id: layers, kind: layers, model: net}
'''


def _course(root: Path, rubric_extra: str = "") -> Path:
    (root / "reference").mkdir(parents=True, exist_ok=True)
    (root / "reference" / "net.py").write_text(REFERENCE)
    rubric = root / "tiny.yaml"
    rubric.write_text(RUBRIC + rubric_extra)
    return rubric


# ------------------------------------------------------------------------- settings


def test_the_cap_is_validated_up_front_with_what_was_given_and_allowed():
    assert FitCap() == FitCap(epochs=2, batches=10)
    assert FitCap.from_config(FitCap(epochs=3, batches=7).get_config()) == FitCap(epochs=3, batches=7)
    for bad in ({"epochs": 0}, {"batches": -1}, {"epochs": 1.5}, {"epochs": True}):
        with pytest.raises(ValueError, match=r"fit_cap\.\w+ must be a whole number of 1 or more, got"):
            FitCap.from_config(bad)
    with pytest.raises(ValueError, match="unknown key 'steps' in fit_cap; allowed: batches, epochs"):
        FitCap.from_config({"steps": 3})
    assert parse_fit_cap("off") is None and parse_fit_cap(False) is None
    assert parse_fit_cap({"batches": 4}) == FitCap(epochs=2, batches=4)
    assert cap_key(None) == "full" and cap_key(FitCap()) != cap_key(FitCap(epochs=3))


def test_the_rubric_sets_the_cap_and_names_the_file_and_line_of_a_bad_one(tmp_path):
    assert load_rubric(_course(tmp_path)).fit_cap == FitCap()  # default: capped
    assert load_rubric(_course(tmp_path, "fit_cap: off\n")).fit_cap is None
    assert load_rubric(_course(tmp_path, "fit_cap: {epochs: 5, batches: 3}\n")).fit_cap == FitCap(5, 3)
    for extra, problem in (("fit_cap: {epochs: 0}\n", "fit_cap.epochs must be a whole number of 1 or more"),
                           ("fit_cap: {epoch: 3}\n", "unknown key 'epoch' in fit_cap"),
                           ("fit_cap: sometimes\n", "fit_cap must be a mapping")):
        path = _course(tmp_path, extra)
        with pytest.raises(InputError) as error:
            load_rubric(path)
        line = len((RUBRIC + extra).splitlines())
        message = error.value.one_line()
        assert message.startswith(f"{path}: ") and problem in message, message
        assert "Fix: write e.g. 'fit_cap: {epochs: 2, batches: 10}'" in message
        if "{" in extra:
            assert f"line {line}:" in message


def test_running_as_written_changes_the_batch_key(tmp_path):
    rubric = load_rubric(_course(tmp_path))
    capped = rubric_fingerprint(rubric)
    assert rubric_fingerprint(rubric) == capped
    assert rubric_fingerprint(rubric, GradingOptions(full=True)) != capped
    off = load_rubric(_course(tmp_path / "off", "fit_cap: off\n"))
    # with no cap, --full changes nothing the grader does; it is still an option, so it still keys
    assert rubric_fingerprint(off) != rubric_fingerprint(off, GradingOptions(full=True))


# ------------------------------------------------------------------- reading the log back


def test_a_tampered_log_is_read_as_information_only(tmp_path):
    log = tmp_path / "fit_cap.jsonl"
    good = {"epochs_asked": 150, "epochs_run": 2, "batch_size": 5, "batches_asked": 19, "batches_run": 10,
            "line": 12, "cell": "cell 4"}
    log.write_text("\n".join([
        json.dumps(good), "not json", json.dumps([1, 2]), json.dumps({"epochs_asked": "150", "epochs_run": 2}),
        json.dumps({"epochs_asked": True, "epochs_run": 2}), json.dumps({"epochs_asked": 10**12, "epochs_run": 2}),
        json.dumps({**good, "batch_size": "five", "cell": {"x": 1}, "line": -3, "extra": "<script>"}),
        "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    ]) + "\n" + "y" * 500_000)
    records = read_capped_fits(log, "hw.ipynb")
    assert not log.exists()  # the next file of the submission starts with an empty log
    assert records[0] == {"file": "hw.ipynb", **good}
    assert records[1] == {"file": "hw.ipynb", "cell": None, "epochs_asked": 150, "epochs_run": 2, "batch_size": None,
                          "batches_asked": 19, "batches_run": 10, "line": None}
    assert len(records) == 2
    assert read_capped_fits(tmp_path / "missing.jsonl", "hw.ipynb") == []


def test_the_sentence_says_what_ran_in_both_languages():
    one = cap_message([{"epochs_asked": 150, "epochs_run": 2, "batches_asked": 19, "batches_run": 10}])
    assert render(one, "en") == ("To grade quickly, your `fit()` ran 2 of its 150 epochs, at most 10 batches each. "
                                 "Run `grader check --full` to run it as written.")
    assert render(one, "es").startswith("Para calificar rápido, tu `fit()` hizo 2 de sus 150 épocas")
    few_batches = cap_message([{"epochs_asked": 150, "epochs_run": 2, "batches_asked": 3, "batches_run": 3}])
    assert "batches" not in render(few_batches, "en")
    two = cap_message([{"epochs_asked": 9, "epochs_run": 2, "batches_run": 10}] * 2)
    assert render(two, "en").startswith("To grade quickly, your 2 `fit()` calls ran at most 2 epochs each")
    assert cap_message([]) is None


# ---------------------------------------------------------------- the patch, in this process


@pytest.fixture
def capped_keras(tmp_path, inside):
    """keras with fit() capped at 2 epochs of 3 batches, as in the sandbox; restored afterwards."""
    import keras
    from grader_inside.keras.fit_cap import install
    from grader_inside.records import Records

    saved = keras.Model.__dict__.get("fit")
    log = tmp_path / "fit_cap.jsonl"
    install({"epochs": 2, "batches": 3}, Records(str(log)))
    try:
        yield keras, log
    finally:
        if saved is None:
            del keras.Model.fit
        else:
            keras.Model.fit = saved


def _steps_and_epochs(keras, model, *args, **kwargs):
    class Count(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.train, self.test = 0, 0

        def on_train_batch_end(self, batch, logs=None):
            self.train += 1

        def on_test_batch_end(self, batch, logs=None):
            self.test += 1

    counter = Count()
    history = model.fit(*args, verbose=0, callbacks=[counter], **kwargs)
    return history, counter


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_every_kind_of_input_is_capped_without_breaking(capped_keras, recwarn):
    import numpy as np
    import tensorflow as tf

    keras, log = capped_keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    x, y = np.zeros((40, 4), "float32"), np.zeros((40, 1), "float32")  # 40 / 4 = 10 batches
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)

    def generator():
        while True:
            yield x[:4], y[:4]

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 10

        def __getitem__(self, index):
            return x[:4], y[:4]

    cases = {  # name: (arguments, epochs run, train batches, test batches)
        "arrays, positional": ((x, y, 4, 9), {}, 2, 2 * 3, 0),
        "validation_split": ((x, y), dict(batch_size=2, epochs=5, validation_split=0.5), 2, 2 * 3, 2 * 3),
        "validation_data": ((x, y), dict(batch_size=4, epochs=5, validation_data=(x, y)), 2, 2 * 3, 2 * 3),
        "tf.data": ((dataset,), dict(epochs=5, validation_data=dataset), 2, 2 * 3, 2 * 3),
        "tf.data, repeated": ((dataset.repeat(),), dict(epochs=5), 2, 2 * 3, 0),
        "tf.data, unknown size": ((dataset.filter(lambda a, b: True),), dict(epochs=5), 2, 2 * 3, 0),
        "generator": ((generator(),), dict(epochs=5, steps_per_epoch=8), 2, 2 * 3, 0),
        "PyDataset": ((Batches(),), dict(epochs=5), 2, 2 * 3, 0),
        "initial_epoch": ((x, y), dict(batch_size=4, epochs=9, initial_epoch=4), 2, 2 * 3, 0),
    }
    for name, (args, kwargs, epochs, train, test) in cases.items():
        history, counter = _steps_and_epochs(keras, model, *args, **kwargs)
        assert (len(history.epoch), counter.train, counter.test) == (epochs, train, test), name
    assert history.epoch == [4, 5]  # initial_epoch kept: epochs 5 and 6 of 9
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(records) == len(cases)
    assert records[0]["epochs_asked"] == 9 and records[0]["epochs_run"] == 2
    assert records[0]["batch_size"] == 4 and records[0]["batches_asked"] == 10 and records[0]["batches_run"] == 3
    assert records[1]["batches_asked"] == math.ceil(20 / 2)  # half the 40 samples held out for validation
    assert records[-1]["epochs_asked"] == 9 - 4
    assert all(isinstance(r["line"], int) and r["line"] > 0 for r in records)
    assert not [w for w in recwarn if "ran out of data" in str(w.message)]  # the cap's artifact is hidden


def test_data_with_no_more_batches_than_the_cap_runs_unchanged(capped_keras):
    import numpy as np

    keras, log = capped_keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    x, y = np.zeros((12, 4), "float32"), np.zeros((12, 1), "float32")
    history, counter = _steps_and_epochs(keras, model, x, y, batch_size=4, epochs=2)
    assert (len(history.epoch), counter.train) == (2, 2 * 3)
    assert read_capped_fits(log, "hw.ipynb") == []  # nothing was capped, nothing is said (the call is only seen)


# ------------------------------------------------------- the patch in the student's process


@pytest.mark.slow
@pytest.mark.parametrize("spelling", ["import tensorflow as tf\nkeras = tf.keras\n",
                                      "from tensorflow import keras\n"])
def test_the_patch_waits_for_keras_however_it_is_imported(tmp_path, spelling, inside):
    program = ("from grader_inside.keras.fit_cap import install\nfrom grader_inside.records import Records\n"
               f"install({{'epochs': 2, 'batches': 10}}, Records({str(tmp_path / 'log.jsonl')!r}))\n"
               "import sys\nassert 'keras' not in sys.modules  # installing it imported nothing\n"
               + spelling + TRAINING.replace("import keras\n", ""))
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(inside)})
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"EPOCHS 2 STEPS {2 * 10} ITERATIONS {2 * 10}" in out.stdout


@pytest.mark.slow
def test_grader_check_caps_fit_and_full_runs_it_as_written(tmp_path, capsys):
    from grader.cli import main

    rubric = _course(tmp_path)
    script = tmp_path / "alumno.py"
    script.write_text(TRAINING + TAMPER)
    batches = math.ceil(SAMPLES / BATCH)

    assert main(["check", str(script), "--rubric", str(rubric), "--json", str(tmp_path / "capped.json"),
                 "--html", str(tmp_path / "capped.html")]) == 0
    printed = capsys.readouterr().out
    capped = json.loads((tmp_path / "capped.json").read_text())["execution"]
    assert f"EPOCHS 2 STEPS {2 * 10} ITERATIONS {2 * 10}" in capped["output"]
    assert capped["fit_cap"] == {"epochs": 2, "batches": 10}
    assert capped["capped_fits"] == [{"file": "alumno.py", "cell": None, "epochs_asked": EPOCHS, "epochs_run": 2,
                                      "batch_size": BATCH, "batches_asked": batches, "batches_run": 10,
                                      "line": FIT_LINE}]
    sentence = f"Para calificar rápido, tu fit() hizo 2 de sus {EPOCHS} épocas, con 10 lotes como mucho en cada una."
    assert sentence in printed
    assert "Para calificar rápido, tu <code>fit()</code> hizo 2" in (tmp_path / "capped.html").read_text()

    assert main(["check", str(script), "--rubric", str(rubric), "--full", "--json", str(tmp_path / "full.json"),
                 "--html", str(tmp_path / "full.html")]) == 0
    printed = capsys.readouterr().out
    full = json.loads((tmp_path / "full.json").read_text())["execution"]
    assert f"EPOCHS {EPOCHS} STEPS {EPOCHS * batches} ITERATIONS {EPOCHS * batches}" in full["output"]
    assert full["fit_cap"] is None and full["capped_fits"] == [] and not full["fit_cap_message"]
    assert "Para calificar rápido" not in printed


@pytest.mark.slow
def test_a_notebook_is_capped_and_the_report_names_the_cell(tmp_path):
    from grader.execution.runner import execute
    from grader.submission.submission import Submission

    notebook = nbformat.v4.new_notebook()
    first, rest = TRAINING.split("model = ", 1)
    notebook.cells = [nbformat.v4.new_markdown_cell("# Entrenamiento"), nbformat.v4.new_code_cell(first),
                      nbformat.v4.new_code_cell("model = " + rest)]
    path = tmp_path / "alumno.ipynb"
    nbformat.write(notebook, path)
    result = execute(Submission.from_path(path), fit_cap=FitCap(epochs=3, batches=4))
    assert result.status == "ok", result.cells
    assert "EPOCHS 3 STEPS 12 ITERATIONS 12" in result.output_tail
    [call] = result.capped_fits
    assert call["cell"] == "cell 3" and call["epochs_asked"] == EPOCHS and call["batches_run"] == 4
    cell = ("model = " + rest).splitlines()
    assert call["line"] == cell.index(next(line for line in cell if "model.fit(" in line)) + 1  # in the cell


@pytest.mark.slow
def test_the_cap_composes_with_legacy_nb_epoch(tmp_path):
    from grader.execution.runner import execute
    from grader.submission.submission import Submission

    script = tmp_path / "viejo.py"
    script.write_text(TRAINING.replace(f"epochs={EPOCHS}", f"nb_epoch={EPOCHS}"))
    result = execute(Submission.from_path(script), legacy_keras=True, fit_cap=FitCap())
    assert "EPOCHS 2 STEPS 20" in result.output_tail, result.output_tail[-2000:]
    assert {"old": f"fit(nb_epoch={EPOCHS})", "new": f"fit(epochs={EPOCHS})", "file": "viejo.py",
            "line": FIT_LINE} in result.translations
    [call] = result.capped_fits
    assert call["epochs_asked"] == EPOCHS and call["epochs_run"] == 2 and call["line"] == FIT_LINE
