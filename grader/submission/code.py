"""The code of a submission as the grader reads it (never runs it): one entry per notebook cell or script.

Static checks (``uses``, ``no_input``) and the old-API scan read these; a corrupt or oversized
file has no entries (its run says what is wrong with it).

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); (folder / "hw.py").write_text("x = input()\\n")
    12
    >>> from grader.submission.submission import Submission
    >>> [(c.file, c.cell, c.code) for c in code_cells(Submission.from_path(folder / "hw.py"))]
    [('hw.py', 0, 'x = input()\\n')]
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeCell:
    file: str  # the file's label in the submission
    cell: int  # the notebook cell (1-based, as reports number them), 0 for a script
    code: str


def code_cells(submission) -> list[CodeCell]:
    """Every code cell of every notebook, and every script whole, in the submission's order."""
    import nbformat

    from grader.submission.files import read_bytes
    from grader.submission.submission import MAX_SOURCE_BYTES, read_source

    cells = []
    for source in submission.files:
        try:
            text = read_source(source)  # validated: a corrupt or oversized file is not read
            if source.kind == "script":
                cells.append(CodeCell(source.label, 0, text))
                continue
            notebook = nbformat.reads(read_bytes(source.path, MAX_SOURCE_BYTES).decode("utf-8"), as_version=4)
        except Exception:  # noqa: BLE001 - execution reports unreadable files; reading only explains
            continue
        cells.extend(CodeCell(source.label, i, c.source) for i, c in enumerate(notebook.cells, start=1)
                     if c.cell_type == "code")
    return cells
