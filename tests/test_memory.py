"""Memory TensorFlow can use: the cgroup is the limit, rlimits a loose backstop, and every way a run
dies for lack of memory is reported as ``memory`` with the file and the cell or line.

The sandbox tests need the default limit of 4 GB. With a cgroup (running as root) the limit is
what a run touches: a cell that touches 2 GB runs, one that touches 6 GB is stopped; without one,
``RLIMIT_DATA`` is the limit (docs/security.md) and the same two cells end the same way.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from grader.execution.runner import execute
from grader.execution.verdict import allocation_failed
from grader.sandbox.levels import memory_backstop, rlimits_for
from grader.sandbox.limits import GIB, Limits
from grader.submission.submission import Submission

ROOT = Path(__file__).resolve().parent.parent

# Touches ``GB`` gigabytes, 64 MB at a time, every page written (allocated but untouched memory is not
# what the limit is about). TensorFlow is imported first, as in the courses' notebooks.
TOUCH = """\
import keras
import numpy as np
chunks = []
for _ in range({gb} * 16):
    chunk = np.empty(64 * 2**20, dtype=np.uint8)
    chunk[::4096] = 1
    chunks.append(chunk)
print("TOUCHED", len(chunks) * 64, "MB")
"""


# ------------------------------------------------------------------------------------ unit


def test_with_a_cgroup_the_rlimits_are_a_backstop_far_above_the_limit():
    limits = Limits(memory=4 * GIB)
    with_cgroup = rlimits_for(limits, uid=None, level="bwrap", cgroup=True)
    assert with_cgroup["DATA"] == with_cgroup["AS"] == memory_backstop(4 * GIB) == 16 * GIB
    # measured: building a Dense(4096) on 36,864 inputs (151 M parameters) maps 4.7 GB of data segment
    # for 2.5 GB resident, so a 4 GB data limit killed what the 4 GB cgroup lets run
    assert with_cgroup["DATA"] > 2 * 4.7e9
    assert memory_backstop(512 * 2**20) >= 8 * GIB  # TensorFlow alone maps 1-2.6 GB at import


def test_without_a_cgroup_the_data_segment_is_the_limit():
    without = rlimits_for(Limits(memory=4 * GIB), uid=None, level="bwrap", cgroup=False)
    assert without["DATA"] == 4 * GIB and without["AS"] == 8 * GIB


@pytest.mark.parametrize("printed, failed", [
    ("terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc", True),
    ("OOM when allocating tensor with shape[100000,10000]", True),
    ("mmap: Cannot allocate memory", True),
    ("Fatal Python error: Segmentation fault", False),
    ("", False),
])
def test_an_abort_after_a_failed_allocation_is_recognized_by_its_last_words(printed, failed):
    assert allocation_failed("epoch 1/2\n" + printed) is failed


# --------------------------------------------------------------------------------- sandbox


def _notebook(path: Path, *cells: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(notebook, path)
    return path


@pytest.mark.sandbox
def test_a_cell_that_touches_2_gb_runs_in_the_default_4_gb(tmp_path):
    notebook = _notebook(tmp_path / "hw.ipynb", "x = 1", TOUCH.format(gb=2))
    result = execute(Submission.from_path(notebook), limits=Limits(), timeout=240)
    assert result.status == "ok", result.message
    assert "TOUCHED 2048 MB" in result.output_tail


@pytest.mark.sandbox
def test_a_cell_that_touches_6_gb_gets_memory_with_its_cell(tmp_path):
    notebook = _notebook(tmp_path / "hw.ipynb", "x = 1", TOUCH.format(gb=6), "y = 2")
    result = execute(Submission.from_path(notebook), limits=Limits(), timeout=240)
    assert result.status == "memory", (result.message, result.cells)
    assert "TOUCHED" not in result.output_tail
    assert "hw.ipynb, cell 2" in result.message and "4 GB" in result.message


@pytest.mark.sandbox
def test_a_script_killed_for_memory_is_reported_at_its_line(tmp_path):
    script = tmp_path / "hw.py"
    script.write_text("import keras\nmodelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])\n"
                      + TOUCH.format(gb=6).replace("import keras\n", ""))
    result = execute(Submission.from_path(script), limits=Limits(memory=2 * GIB), timeout=240)
    assert result.status == "memory", (result.message, result.cells)
    assert "hw.py, line" in result.message and "2 GB" in result.message
    assert [c.variable for c in result.captures] == ["modelRNN"]  # built before: still graded


@pytest.mark.sandbox
def test_an_abort_after_a_failed_allocation_is_memory_not_a_crash(tmp_path):
    """What a C++ allocation failure looks like from outside: its last words on stderr, then SIGABRT."""
    script = tmp_path / "hw.py"
    script.write_text("import os, sys\nx = 1\n"
                      "sys.stderr.write(\"terminate called after throwing an instance of 'std::bad_alloc'\\n\")\n"
                      "sys.stderr.flush()\nos.abort()\n")
    result = execute(Submission.from_path(script), limits=Limits(), timeout=120)
    assert result.status == "memory", (result.message, result.cells)
    assert "hw.py, line 5" in result.message


@pytest.mark.slow
def test_wrong_architecture_runs_under_the_default_limits():
    """strides 2 in block 1: Flatten gives 36,864 and the first Dense(4096) has 151 M parameters (604 MB);
    it was `killed` under the defaults while the data segment was the limit."""
    submission = Submission.from_path(ROOT / "submissions" / "actividad2" / "wrong_architecture.ipynb")
    resources = [ROOT / "resources" / "actividad2" / name
                 for name in ("airlineUtils.py", "international-airline-passengers.csv")]
    result = execute(submission, resources=resources, limits=Limits())
    assert result.status == "ok", (result.message, [c for c in result.cells if c.status != "ok"])
    assert any(c.variable == "modelAlexNet" and "36864" not in (c.error or "") for c in result.captures)

