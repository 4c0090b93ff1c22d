"""The submission rules, run for real in the sandbox: what a notebook wrote is observed after it ended,
an input request is seen, values and fit() calls come back (issue 14).

One notebook does everything a UGR student must not (asks for the number of epochs, saves the
model and a figure, writes into /tmp) and also tries to hide it: it forges the listing the
sandbox writes, and leaves a process behind that keeps writing. The sandbox lists the files only
after the notebook ended and that process was killed, so the forgery is overwritten and the late
file never appears.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from grader.checks import check_kind
from grader.checks.kind import CheckContext
from grader.checks.kinds.no_input import asked_while_running
from grader.execution.fit_cap import FitCap
from grader.execution.runner import execute
from grader.grading.rubric import CheckSpec
from grader.i18n import render
from grader.submission.code import code_cells
from grader.submission.submission import Submission

pytestmark = pytest.mark.sandbox

CELLS = [
    "import os, subprocess, sys, numpy as np, keras\nacc_svm = 0.5",
    "EPOCAS = int(input('Número de épocas: ') or 15)",
    "model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.compile(loss='mse', optimizer='sgd')\n"
    "for fold in range(3):\n    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
    "    m.compile(loss='mse', optimizer='sgd')\n    m.fit(np.zeros((40, 2)), np.zeros(40), epochs=5, batch_size=1, verbose=0)\n"
    "model.save('modelo_1_1.keras')\nnp.save('hog_train.npy', np.zeros(3))\nopen('/tmp/notas.txt', 'w').write('x')\n"
    "acc_svm = np.float64(0.962)\nprecisiones = [0.5, np.float32(0.75)]",
    # Hiding attempts: a forged listing, and a process that writes once the notebook is over.
    "for name in os.listdir('/grader/output'):\n    if name.startswith('files'):\n"
    "        open('/grader/output/' + name, 'w').write(json.dumps({'done': True}) + '\\n')\n"
    "subprocess.Popen([sys.executable, '-c', 'import time\\ntime.sleep(4)\\nopen(\"tarde.txt\", \"w\").write(\"x\")'],"
    " start_new_session=True)\nimport json",
]


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(code) for code in CELLS]
    (folder / "p3.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
    submission = Submission.from_path(folder / "p3.ipynb")
    execution = execute(submission, fit_cap=FitCap(), values=("acc_svm", "precisiones"))
    return execution, code_cells(submission)


def test_the_files_a_run_wrote_are_observed_after_it_ended_whatever_it_tried(ran):
    execution, _ = ran
    written = {w["path"]: w["change"] for w in execution.written}
    assert written == {"modelo_1_1.keras": "created", "hog_train.npy": "created", "/tmp/notas.txt": "created"}
    assert execution.unobserved == []
    context = CheckContext(matches={"m": None}, execution=execution)
    spec = CheckSpec(id="w", kind="no_disk_writes", settings=check_kind("no_disk_writes").parse({}))
    outcome = check_kind("no_disk_writes").run(spec, context)
    assert not outcome.passed and "modelo_1_1.keras" in render(outcome.message, "es")


def test_an_input_request_is_seen_in_the_cell_that_made_it(ran):
    execution, code = ran
    asked = [c for c in execution.cells if asked_while_running(c)]
    assert all(c.ename == "EOFError" for c in asked)  # as in a script: `except EOFError` handles it
    assert [(c.cell, c.line) for c in asked] == [(2, 1)]
    outcome = check_kind("no_input").run(None, CheckContext(matches={"m": None}, execution=execution, code=code))
    assert not outcome.passed
    assert render(outcome.message, "en").startswith("Your code asks for input while it runs: p3.ipynb, cell 2, line 1")


def test_values_and_fit_calls_come_back_as_the_students_process_left_them(ran):
    execution, _ = ran
    last = {v["variable"]: v["value"] for v in execution.values}
    assert last == {"acc_svm": 0.962, "precisiones": [0.5, 0.75]}
    calls = [c for c in execution.fit_calls if c["cell"] == "cell 3"]
    assert len(calls) == 3 and len({c["serial"] for c in calls}) == 3 and {c["batch_size"] for c in calls} == {1}
    assert all(c["capped"] for c in calls) and len(execution.capped_fits) == 3
    assert "serial" not in execution.capped_fits[0] and json.dumps(execution.to_json())
