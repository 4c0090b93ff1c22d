"""Running submissions: separate process, cell by cell, wall-clock limit, nothing left behind."""

import os
import time
from pathlib import Path

import nbformat
import pytest

from grader.errors import InputError
from grader.execution.runner import execute
from grader.submission.submission import Submission

pytestmark = pytest.mark.sandbox  # every test here starts a sandbox

RNN = "import keras\nmodelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])\n"


def _notebook(path: Path, *cells: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(notebook, path)
    return path


def test_a_script_stops_at_its_first_error_and_keeps_the_models_built_before(tmp_path):
    script = tmp_path / "hw.py"
    script.write_text(RNN + "modelRNN.fit(x, y, nb_epoch=150)\nafter = keras.Sequential([keras.layers.Dense(1)])\n")
    result = execute(Submission.from_path(script), timeout=120)
    assert result.status == "error"
    assert [c.variable for c in result.captures] == ["modelRNN"]
    cell = result.cells[0]
    assert (cell.ename, cell.line, cell.code) == ("NameError", 3, "modelRNN.fit(x, y, nb_epoch=150)")
    assert "hw.py, line 3: NameError" in result.message


def test_script_cells_run_even_after_an_earlier_cell_fails(tmp_path):
    script = tmp_path / "hw.py"
    script.write_text("# %%\nraise ValueError('boom')\n# %%\n" + RNN)
    result = execute(Submission.from_path(script), timeout=120)
    assert [c.status for c in result.cells] == ["error", "ok"]
    assert [c.variable for c in result.captures] == ["modelRNN"]


def test_a_notebook_cell_error_is_reported_and_the_next_cells_run(tmp_path):
    notebook = _notebook(tmp_path / "hw.ipynb", "import keras", "from keras.layers.convolutional import Conv2D", RNN)
    result = execute(Submission.from_path(notebook), timeout=180)
    assert result.status == "error"
    failing = [c for c in result.cells if c.status != "ok"]
    assert [(c.cell, c.ename) for c in failing] == [(2, "ModuleNotFoundError")]
    assert failing[0].code == "from keras.layers.convolutional import Conv2D"
    from grader.execution import diagnostics  # the likely fix is written when grading, in the report's language

    assert "from keras.layers import" in diagnostics.explain_text(failing[0].ename, failing[0].evalue, failing[0].code)
    assert [(c.variable, c.where) for c in result.captures] == [("modelRNN", "cell 3")]


def test_the_wall_clock_limit_kills_the_submission_and_everything_it_started(tmp_path, processes_mentioning):
    token = f"grader-test-daemon-{os.getpid()}-{time.monotonic_ns()}"
    script = tmp_path / "hw.py"
    script.write_text(
        "import os, subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import os, time; os.setsid(); time.sleep(600)', {token!r}],"
        " start_new_session=True)\n"
        "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "while True: time.sleep(0.1)\n"
    )
    started = time.monotonic()
    result = execute(Submission.from_path(script), timeout=4)
    assert result.status == "timeout"
    assert time.monotonic() - started < 30
    assert "time limit of 4 s" in result.message
    time.sleep(0.5)
    assert processes_mentioning(token) == [], "a process the submission started survived it"


def test_resources_are_copied_next_to_the_student_code(tmp_path):
    resource = tmp_path / "course" / "airlineUtils.py"
    resource.parent.mkdir()
    resource.write_text("VALUE = 41\n")
    script = tmp_path / "hw" / "hw.py"
    script.parent.mkdir()
    script.write_text("import airlineUtils\nassert airlineUtils.VALUE == 41\n")
    assert execute(Submission.from_path(script), resources=[resource], timeout=60).status == "ok"


def test_a_corrupt_notebook_is_an_input_error_naming_the_file_and_the_fix(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    with pytest.raises(InputError) as error:
        execute(Submission.from_path(broken), timeout=60)
    assert str(broken) in str(error.value) and "Fix:" in str(error.value)


def test_a_script_that_is_not_utf8_is_an_input_error(tmp_path):
    script = tmp_path / "latin1.py"
    script.write_bytes("print('año')\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        execute(Submission.from_path(script), timeout=60)
