"""``input()`` while grading behaves as docs/security.md says: ``EOFError``, at the line that called it.

In a script stdin is closed; in a notebook the kernel would raise its own
``StdinNotImplementedError``, which a student's ``except EOFError`` misses, so the harness makes the
kernel raise ``EOFError`` too.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from grader.execution.diagnostics import explain_text
from grader.execution.runner import execute
from grader.submission.submission import Submission

pytestmark = pytest.mark.sandbox

ASKS = 'x = 1\nvalue = input("¿Cuántas épocas? ")\nprint("GOT", value)\n'
CATCHES = 'try:\n    nombre = input("Nombre: ")\nexcept EOFError:\n    nombre = "anónimo"\nprint("HOLA", nombre)\n'


def test_a_notebook_input_raises_eof_error_that_the_students_except_catches(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CATCHES), nbformat.v4.new_code_cell(ASKS)]
    path = tmp_path / "hw.ipynb"
    nbformat.write(notebook, path)
    result = execute(Submission.from_path(path), timeout=180)
    assert "HOLA anónimo" in result.output_tail  # cell 1: caught, the run goes on
    failing = [c for c in result.cells if c.status != "ok"]
    assert [(c.cell, c.ename, c.line, c.code) for c in failing] == \
        [(2, "EOFError", 2, 'value = input("¿Cuántas épocas? ")')]  # its own line, not an except line
    assert "GOT" not in result.output_tail
    assert "sin teclado" in explain_text(failing[0].ename, failing[0].evalue, failing[0].code, "es")


def test_a_script_input_raises_eof_error_at_its_line(tmp_path):
    path = tmp_path / "hw.py"
    path.write_text(CATCHES + ASKS)
    result = execute(Submission.from_path(path), timeout=120)
    assert "HOLA anónimo" in result.output_tail
    failing = [c for c in result.cells if c.status != "ok"]
    assert [(c.ename, c.line) for c in failing] == [("EOFError", 7)]
    assert "without a keyboard" in explain_text(failing[0].ename, failing[0].evalue, failing[0].code, "en")
