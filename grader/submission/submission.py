"""A submission: one student's notebook, script, or folder of them, checked before it runs.

Example:
    >>> sub = Submission.from_path("submissions/actividad2/correct.ipynb")  # doctest: +SKIP
    >>> sub.name, [f.kind for f in sub.files]                                # doctest: +SKIP
    ('correct', ['notebook'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.errors import InputError

SUFFIXES = {".ipynb": "notebook", ".py": "script"}
MAX_SOURCE_BYTES = 20_000_000


@dataclass
class SourceFile:
    path: Path
    kind: str  # "notebook" or "script"

    @property
    def label(self) -> str:
        return self.path.name


@dataclass
class Submission:
    name: str
    path: Path
    files: list[SourceFile] = field(default_factory=list)

    @classmethod
    def from_path(cls, path: str | Path) -> "Submission":
        """Describe the submission at ``path`` without reading its contents yet."""
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such file or folder", "check the path")
        if path.is_dir():
            files = [
                SourceFile(p, SUFFIXES[p.suffix])
                for p in sorted(path.iterdir())
                if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file()
            ]
            if not files:
                raise InputError(path, "the folder holds no .ipynb or .py file",
                                 "hand in a notebook (.ipynb) or a script (.py)")
            return cls(name=path.name, path=path, files=files)
        if path.suffix not in SUFFIXES:
            raise InputError(path, f"'{path.suffix or path.name}' files cannot be graded",
                             "hand in a notebook (.ipynb) or a script (.py)")
        return cls(name=path.stem, path=path, files=[SourceFile(path, SUFFIXES[path.suffix])])


def read_source(source: SourceFile) -> str:
    """Check that ``source`` can be run and return its code (cells joined for notebooks).

    Raises :class:`InputError` with a one-line message for a corrupt notebook, a file that is
    not UTF-8, or one that is too large.
    """
    size = source.path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise InputError(source.path, f"the file is {size // 1_000_000} MB, more than the "
                         f"{MAX_SOURCE_BYTES // 1_000_000} MB the grader reads",
                         "clear the notebook's outputs (Cell > All Output > Clear) and hand it in again")
    raw = source.path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source.path, f"the file is not UTF-8 text (byte {exc.start})",
                         "save it with UTF-8 encoding") from None
    if source.kind == "script":
        return text
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises several unrelated types
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise InputError(source.path, f"this is not a valid Jupyter notebook ({reason})",
                         "open it in Jupyter, save it again, and hand in the saved .ipynb") from None
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def notebook_assignment(path: Path) -> str | None:
    """The assignment a notebook names in its metadata (``metadata.grader.assignment``)."""
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception:
        return None
    grader_meta = notebook.metadata.get("grader", {})
    value = grader_meta.get("assignment") if isinstance(grader_meta, dict) else None
    return value if isinstance(value, str) else None
