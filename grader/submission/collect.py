"""Find the submissions in a folder and the rubric that grades them.

Layouts understood by ``grade``:
  * ``submissions/<assignment>/<student>.ipynb|.py|<student>/``, where ``<assignment>`` is
    the name of a rubric (``rubrics/<assignment>.yaml``);
  * one assignment's folder, with the rubric given by ``--rubric``.
"""

from __future__ import annotations

from typing import Any

from grader.i18n import msg

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from grader.submission.submission import SUFFIXES, notebook_assignment


@dataclass
class Batch:
    rubric: Path
    submissions: list[Path] = field(default_factory=list)


def rubric_search_dirs(path: Path) -> list[Path]:
    """Where a course's rubrics may be: ``./rubrics`` and ``rubrics/`` beside ``path`` or a parent.

    Never inside ``path`` itself: a submission is the student's, and a rubric (or a reference) it
    ships would let the student choose how, and with what code, it is graded.
    """
    submission = path.resolve()
    candidates = [Path.cwd() / "rubrics", *(parent / "rubrics" for parent in submission.parents)]
    unique = []
    for directory in candidates:
        inside = directory.resolve() == submission or submission in directory.resolve().parents
        if not inside and directory.is_dir() and directory not in unique:
            unique.append(directory)
    return unique


def available_rubrics(path: Path) -> list[Path]:
    found: dict[str, Path] = {}
    for directory in rubric_search_dirs(path):
        for rubric in sorted(directory.glob("*.y*ml")):
            found.setdefault(rubric.stem, rubric)
    return list(found.values())


def rubric_named(name: str, path: Path) -> Path | None:
    for rubric in available_rubrics(path):
        if rubric.stem == name:
            return rubric
    return None


def rubric_for_submission(path: Path) -> tuple[Path | None, list[Path]]:
    """Pick the rubric for one submission: notebook metadata, parent folder, or the only one.

    Returns ``(rubric, choices)``; ``rubric`` is ``None`` when the choice is ambiguous. Only the
    course's rubrics are candidates (see :func:`rubric_search_dirs`); the notebook's metadata and
    the folder names only choose among them.
    """
    rubric, _ = course_rubric(path)
    return rubric, available_rubrics(path)


def course_rubric(path: Path) -> tuple[Path | None, Any]:
    """The course rubric for ``path`` and how it was chosen, as a message (for ``grader check`` to say)."""
    if path.suffix == ".ipynb":
        named = notebook_assignment(path)
        if named and rubric_named(named, path):
            return rubric_named(named, path), msg("course.how.metadata", name=named)
    absolute = Path(os.path.abspath(path))  # names as written: "." or a link's target name do not count
    for folder in [absolute.parent, absolute.parent.parent] if path.is_file() else [absolute.parent, absolute]:
        if folder.name and rubric_named(folder.name, path):
            return rubric_named(folder.name, path), msg("course.how.folder", name=folder.name)
    local = Path.cwd() / "rubrics"
    if local in rubric_search_dirs(path):
        only = sorted(local.glob("*.y*ml"))
        if len(only) == 1:
            return only[0], msg("course.how.only")
    return None, ""


def submission_name(path: Path) -> str:
    """The name a submission's results go under: the file's stem, or the folder's name.

    >>> submission_name(Path("hw2/carla.ipynb")), submission_name(Path("hw2/carla"))
    ('carla', 'carla')
    """
    return path.name if path.is_dir() else path.stem


def submissions_in(folder: Path) -> list[Path]:
    """Every notebook, script or student folder directly inside ``folder``.

    Nothing is followed: a link among them is listed too, so that its student gets a result that
    says why it could not be graded instead of silently disappearing from the grades.
    """
    entries = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        mode = entry.lstat().st_mode
        if stat.S_ISREG(mode) and entry.suffix in SUFFIXES:
            entries.append(entry)
        elif stat.S_ISDIR(mode) and _holds_source(entry):
            entries.append(entry)
        elif not stat.S_ISREG(mode) and not stat.S_ISDIR(mode) and (entry.suffix in SUFFIXES or not entry.suffix):
            entries.append(entry)  # a link or special file handed in: reported, never followed
    return entries


def _holds_source(folder: Path) -> bool:
    try:
        return any(item.suffix in SUFFIXES and stat.S_ISREG(item.lstat().st_mode) for item in folder.iterdir())
    except OSError:
        return False


def collect(folder: Path, rubric: Path | None = None) -> tuple[list[Batch], list[str]]:
    """Group the submissions under ``folder`` by rubric; also return one-line problems."""
    if rubric is not None:
        return [Batch(rubric, submissions_in(folder))], []
    own = rubric_named(folder.name, folder)
    if own is not None:
        return [Batch(own, submissions_in(folder))], []
    batches, problems = [], []
    for assignment in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found = rubric_named(assignment.name, folder)
        if found is None:
            names = ", ".join(r.stem for r in available_rubrics(folder)) or "none found"
            problems.append(f"{assignment}: no rubric named {assignment.name}.yaml (rubrics: {names}). "
                            "Fix: name the folder like its rubric, or pass --rubric")
            continue
        batches.append(Batch(found, submissions_in(assignment)))
    return batches, problems
