"""A submission: one student's notebook, script, or folder of them, checked before it runs.

Example:
    >>> sub = Submission.from_path("submissions/actividad2/correct.ipynb")  # doctest: +SKIP
    >>> sub.name, [f.kind for f in sub.files]                                # doctest: +SKIP
    ('correct', ['notebook'])
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.errors import InputError
from grader.submission.files import Budget, Listing, Refused, read_bytes, scan

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
    """A student's file or folder: its notebooks and scripts, and everything else it holds.

    ``listing`` is what the grader copies into the sandbox (regular files only, within a budget);
    ``refused`` lists what it left out and why (links, devices, too many files...).
    """

    name: str
    path: Path
    files: list[SourceFile] = field(default_factory=list)
    listing: Listing | None = None

    @property
    def refused(self) -> list[Refused]:
        return list(self.listing.refused) if self.listing else []

    @classmethod
    def from_path(cls, path: str | Path, budget: Budget | None = None) -> "Submission":
        """Describe the submission at ``path`` without reading its contents yet.

        Nothing is followed: a submission that is itself a link, or a folder without a regular
        notebook or script, is an :class:`InputError`; links and special files inside a folder are
        left out and listed in ``refused``.
        """
        path = Path(path)
        try:
            listing = scan(path, budget or Budget())
        except FileNotFoundError:
            raise InputError(path, "no such file or folder", "check the path") from None
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None
        is_folder = stat.S_ISDIR(os.lstat(path).st_mode)
        if not is_folder and not listing.files:  # the submission itself is a link or a special file
            raise InputError(path, listing.refused[0].line(), "hand in the notebook or script itself, not a link")
        if is_folder:
            files = [SourceFile(entry.path, SUFFIXES[entry.path.suffix]) for entry in listing.files
                     if "/" not in entry.relative and entry.path.suffix in SUFFIXES]
            if not files:
                refused = "; ".join(r.line() for r in listing.refused[:3])
                raise InputError(path, "the folder holds no .ipynb or .py file" + (f" ({refused})" if refused else ""),
                                 "hand in a notebook (.ipynb) or a script (.py)")
            return cls(name=path.name, path=path, files=files, listing=listing)
        if path.suffix not in SUFFIXES:
            raise InputError(path, f"'{path.suffix or path.name}' files cannot be graded",
                             "hand in a notebook (.ipynb) or a script (.py)")
        return cls(name=path.stem, path=path, files=[SourceFile(path, SUFFIXES[path.suffix])], listing=listing)


def read_source(source: SourceFile) -> str:
    """Check that ``source`` can be run and return its code (cells joined for notebooks).

    Raises :class:`InputError` with a one-line message for a corrupt notebook, a file that is
    not UTF-8, or one that is too large.
    """
    try:
        raw = read_bytes(source.path, MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise InputError(source.path, f"cannot be read as a regular file ({exc.strerror or exc})",
                         "hand in the notebook or script itself, not a link") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise InputError(source.path, f"the file is more than the {MAX_SOURCE_BYTES // 1_000_000} MB the grader reads",
                         "clear the notebook's outputs (Cell > All Output > Clear) and hand it in again")
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


def notebook_metadata(path: Path) -> dict:
    """What a notebook says about its course in its metadata (``metadata.grader``), or ``{}``."""
    try:
        notebook = nbformat.reads(read_bytes(path, MAX_SOURCE_BYTES).decode("utf-8"), as_version=4)
    except Exception:  # noqa: BLE001 - unreadable: the run reports it; here it only names no course
        return {}
    grader_meta = notebook.metadata.get("grader", {})
    return dict(grader_meta) if isinstance(grader_meta, dict) else {}


def notebook_assignment(path: Path) -> str | None:
    """The assignment a notebook names in its metadata (``metadata.grader.assignment``)."""
    value = notebook_metadata(path).get("assignment")
    return value if isinstance(value, str) else None
