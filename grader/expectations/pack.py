"""Student packs: what ``grader check`` needs to grade the visible checks, and nothing else.

``grader release RUBRIC`` writes a folder students receive (``<out>/<assignment>/``):

* ``grader-pack.json``: the rubric's visible part as plain data (checks, models, limits, the
  students' fit cap, messages), the reference cards those checks use as plain data (redacted
  where only hidden checks examine a layer, see :mod:`grader.expectations.visible`), what checks
  need besides the cards (a train check's reference metric, trained at release time under the
  rubric's protocol), how many hidden checks there are and what they are worth (never which),
  the course's hash, the grader version that made it, and a hash of all of that;
* ``resources/``: the files the rubric copies beside students' code (helpers, data).

It holds no reference source, no hidden check (not its id, title or message), no YAML comment
of the rubric, and no pickle. A pack whose content no longer matches its hash (edited by hand),
or made by an incompatible grader, or for another version of the course (when the course is at
hand to compare), is refused with one line instead of grading with it.

Example::

    >>> folder = release(Path("rubrics/actividad2.yaml"), Path("packs"))   # doctest: +SKIP
    >>> pack = load_pack(folder)                                           # doctest: +SKIP
    >>> pack.rubric.assignment, pack.hidden_checks                         # doctest: +SKIP
    ('actividad2', 0)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__
from grader.cards.card import ModelCard
from grader.errors import InputError

if TYPE_CHECKING:  # annotations only
    from grader.grading.rubric import Rubric

PACK_FILE = "grader-pack.json"
FORMAT = 1


@dataclass
class Pack:
    """A loaded, verified student pack."""

    folder: Path
    rubric: Rubric  # visible checks only
    references: dict[str, ModelCard]
    values: dict[str, dict] = field(default_factory=dict)  # check id -> what its kind needs
    hidden_checks: int = 0
    hidden_points: float = 0.0
    course_sha256: str = ""
    grader_version: str = ""


def course_sha256(rubric) -> str:
    """The hash of everything a course's grades depend on: the rubric file, its references, its resources."""
    from grader.submission.files import hash_into, scan

    digest = hashlib.sha256()
    for label, root in (("rubric", Path(rubric.path)), ("reference", Path(rubric.reference)),
                        *((f"resource:{Path(r).name}", Path(r)) for r in rubric.resources)):
        digest.update(f"\0{label}\0".encode())
        hash_into(digest, scan(root))
    return digest.hexdigest()


def _data_files(rubric) -> list[Path]:
    """The data files (``data: {file: ...}``) the rubric's visible train checks read."""
    from grader.data.source import find_file

    files = []
    for activity in rubric.activities:
        for spec in activity.checks:
            protocol = getattr(spec.settings, "protocol", None)
            name = getattr(getattr(protocol, "data", None), "file", None) if spec.kind == "train" else None
            if name and not spec.hidden:
                path = find_file(name, rubric.path.parent, list(rubric.resources))
                if path not in files:
                    files.append(path)
    return files


def _names_in(value) -> set[str]:
    """Every text inside a check's options (a model id may be any of them)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_names_in(v) for v in value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*(_names_in(v) for v in value)) if value else set()
    return set()


def release(rubric_path: Path, out: Path, *, sandbox=None, options=None) -> Path:
    """Write the student pack of the rubric at ``rubric_path`` under ``out``; return its folder."""
    from grader.checks import check_kind
    from grader.expectations.reference import reference_cards
    from grader.expectations.visible import visible_references
    from grader.grading.grade import check_points, training_context
    from grader.grading.rubric import load_rubric
    from grader.options import GradingOptions

    rubric = load_rubric(rubric_path)
    options = options or GradingOptions()
    references = reference_cards(rubric, sandbox=sandbox)
    check_points(rubric, references)
    visible = visible_references(rubric, references)
    training = training_context(rubric, options, sandbox=sandbox)
    config = rubric.get_config()
    hidden = [check for activity in rubric.activities for check in activity.checks if check.hidden]
    values: dict[str, dict] = {}
    for activity in rubric.activities:
        for spec in activity.checks:
            kind = check_kind(spec.kind)
            if spec.hidden or kind.pack is None or spec.model is None:
                continue
            needed = kind.pack(spec, rubric.models[spec.model], visible[spec.model], training)
            if needed:
                values[spec.id] = needed
    config["private"] = ""
    config["activities"] = [
        {**activity, "private": "", "checks": [{**c, "private": ""} for c in activity["checks"] if not c["hidden"]]}
        for activity in config["activities"]
    ]
    config["activities"] = [a for a in config["activities"] if a["checks"]]
    used = {c["model"] for a in config["activities"] for c in a["checks"] if c.get("model")}
    used |= {name for a in config["activities"] for c in a["checks"] for name in _names_in(c.get("options"))
             if name in config["models"]}  # the parts and other models a visible check names (a base, a GAN's parts)
    config["models"] = {model_id: spec for model_id, spec in config["models"].items() if model_id in used}
    folder = out / rubric.assignment
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "resources").mkdir(parents=True)
    resources = {}
    for resource in rubric.resources:
        target = folder / "resources" / Path(resource).name
        (shutil.copytree if Path(resource).is_dir() else shutil.copy2)(resource, target)
        resources[Path(resource).name] = _file_sha256(target)
    for path in _data_files(rubric):  # what visible train checks train on: found by name among the resources
        target = folder / "resources" / path.name
        if path.name not in resources and path.is_file():
            shutil.copy2(path, target)
            resources[path.name] = _file_sha256(target)
    config.update(path=PACK_FILE, reference=".", resources=[f"resources/{name}" for name in resources])
    content = {
        "format": FORMAT,
        "grader_version": __version__,
        "assignment": rubric.assignment,
        "course_sha256": course_sha256(rubric),
        "released_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "rubric": config,
        "references": {model_id: visible[model_id].get_config() for model_id in config["models"]},
        "values": values,
        "hidden": {"checks": len(hidden), "points": sum(c.points for c in hidden)},
        "resources": resources,
    }
    content["content_sha256"] = _content_sha256(content)
    (folder / PACK_FILE).write_text(json.dumps(content, indent=1, ensure_ascii=False, allow_nan=False) + "\n",
                                    encoding="utf-8")
    return folder


def load_pack(path: Path, *, course=None) -> Pack:
    """The pack at ``path`` (its folder or its ``grader-pack.json``), verified.

    ``course`` (the full rubric, when it is at hand) is compared with the pack: a pack made for
    another version of the course is refused. Every refusal is one :class:`InputError` line.
    """
    from grader.grading.rubric import Rubric

    file = path / PACK_FILE if path.is_dir() else path
    folder = file.parent
    try:
        content = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(file, "there is no student pack here",
                         "give the folder 'grader release' wrote, or the grader-pack.json in it") from None
    except (OSError, ValueError) as exc:
        raise InputError(file, f"the student pack is not readable JSON ({exc})",
                         "download the pack again from your course") from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise InputError(file, f"this pack has format {content.get('format') if isinstance(content, dict) else '?'}, "
                         f"this grader reads format {FORMAT}",
                         "install the grader version your course uses, or ask for a current pack")
    if content.get("content_sha256") != _content_sha256(content):
        raise InputError(file, "the pack was changed after it was released (its content does not match its hash)",
                         "download the pack again from your course; never edit it by hand")
    for name, expected in (content.get("resources") or {}).items():
        resource = folder / "resources" / name
        if not resource.exists() or _file_sha256(resource) != expected:
            raise InputError(resource, "a file of the pack was changed or removed after it was released",
                             "download the pack again from your course")
    if _major(content.get("grader_version", "")) != _major(__version__):
        raise InputError(file, f"the pack was made by grader {content.get('grader_version')}, this is grader "
                         f"{__version__}", "install the grader version your course uses")
    if course is not None and content.get("course_sha256") != course_sha256(course):
        raise InputError(file, "the pack was made for another version of the course's rubric or references",
                         "run 'grader release' again (instructors) or download the current pack (students)")
    config = dict(content["rubric"])
    config["path"] = str(folder / config["path"])
    try:
        rubric = Rubric.from_config(config)
        references = {model_id: ModelCard.from_config(card) for model_id, card in content["references"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(file, f"the pack cannot be read by this grader ({type(exc).__name__}: {exc})",
                         "install the grader version your course uses, or ask for a current pack") from None
    hidden = content.get("hidden") or {}
    return Pack(folder=folder, rubric=rubric, references=references, values=dict(content.get("values") or {}),
                hidden_checks=int(hidden.get("checks", 0)), hidden_points=float(hidden.get("points", 0.0)),
                course_sha256=str(content.get("course_sha256", "")),
                grader_version=str(content.get("grader_version", "")))


def find_pack(path: Path) -> Path | None:
    """The pack for the submission at ``path``: named in the notebook's metadata (``grader.pack``,
    relative to the notebook), or a ``grader-pack.json`` beside it or in a folder above it."""
    from grader.submission.submission import notebook_metadata

    if path.suffix == ".ipynb":
        named = notebook_metadata(path).get("pack")
        if isinstance(named, str) and named:
            candidate = (path.parent / named).resolve()
            return candidate if (candidate / PACK_FILE).is_file() or candidate.is_file() else None
    start = path.resolve() if path.is_dir() else path.resolve().parent
    for folder in [start, *start.parents]:
        for candidate in (folder / PACK_FILE, folder / "grader-pack" / PACK_FILE):
            if candidate.is_file():
                return candidate
    return None


def _content_sha256(content: dict) -> str:
    body = {key: value for key, value in content.items() if key != "content_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _file_sha256(path: Path) -> str:
    from grader.submission.files import hash_into, scan

    digest = hashlib.sha256()
    hash_into(digest, scan(path))
    return digest.hexdigest()


def _major(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:2]) if parts and parts[0] == "0" else parts[0]
