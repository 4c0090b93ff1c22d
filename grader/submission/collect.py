"""Find the submissions in a folder and the rubric that grades them.

Layouts understood by ``grade``:
  * ``submissions/<assignment>/<student>.ipynb|.py|<student>/``, where ``<assignment>`` is
    the name of a rubric (``rubrics/<assignment>.yaml``);
  * one assignment's folder, with the rubric given by ``--rubric``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.submission.submission import SUFFIXES, notebook_assignment


@dataclass
class Batch:
    rubric: Path
    submissions: list[Path] = field(default_factory=list)


def rubric_search_dirs(path: Path) -> list[Path]:
    """``./rubrics`` and every ``rubrics/`` folder beside ``path`` or one of its parents."""
    dirs = [Path.cwd() / "rubrics"]
    for parent in [path.resolve(), *path.resolve().parents]:
        dirs.append(parent / "rubrics")
    unique = []
    for directory in dirs:
        if directory.is_dir() and directory not in unique:
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

    Returns ``(rubric, choices)``; ``rubric`` is ``None`` when the choice is ambiguous.
    """
    choices = available_rubrics(path)
    if path.suffix == ".ipynb":
        named = notebook_assignment(path)
        if named and rubric_named(named, path):
            return rubric_named(named, path), choices
    for folder in [path.parent, path.parent.parent] if path.is_file() else [path.parent, path]:
        if rubric_named(folder.name, path):
            return rubric_named(folder.name, path), choices
    local = sorted((Path.cwd() / "rubrics").glob("*.y*ml")) if (Path.cwd() / "rubrics").is_dir() else []
    if len(local) == 1:
        return local[0], choices
    return None, choices


def submission_name(path: Path) -> str:
    """The name a submission's results go under: the file's stem, or the folder's name.

    >>> submission_name(Path("hw2/carla.ipynb")), submission_name(Path("hw2/carla"))
    ('carla', 'carla')
    """
    return path.name if path.is_dir() else path.stem


def submissions_in(folder: Path) -> list[Path]:
    """Every notebook, script or student folder directly inside ``folder``."""
    entries = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix in SUFFIXES:
            entries.append(entry)
        elif entry.is_dir() and any(p.suffix in SUFFIXES for p in entry.iterdir() if p.is_file()):
            entries.append(entry)
    return entries


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
