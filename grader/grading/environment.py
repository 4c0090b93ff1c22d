"""A course's environment: the modules its students' code may import, and whether they are installed.

Student code runs with the grader's own interpreter (in the sandbox, without network), so what it
can import is what is installed beside grader: the coursework stack grader depends on (numpy,
pandas, matplotlib, scikit-learn, scipy, scikit-image, seaborn, Pillow, h5py, tqdm) plus whatever
the instructor added with pip. A rubric says what its course needs with ``environment:``, either
a list of module names or a requirements file (relative to the rubric); ``grader validate`` fails
when something in it is missing, with the command that installs it.

Example:
    >>> env = CourseEnvironment.from_modules(["numpy", "sklearn"])
    >>> env.missing()
    []
    >>> CourseEnvironment.from_modules(["no_such_module_xyz"]).missing()[0].install.endswith(
    ...     " -m pip install no_such_module_xyz")
    True
    >>> requirement_module("scikit-image>=0.22; python_version >= '3.10'")
    ('scikit-image', 'skimage', ">=0.22; python_version >= '3.10'")
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import InputError

# Distributions whose import name is not their own name (lower case, "-" as "_"): the common ones
# in coursework. Anything else installed is looked up in the installed distributions' metadata.
IMPORT_NAMES = {
    "scikit-learn": "sklearn", "scikit-image": "skimage", "pillow": "PIL", "opencv-python": "cv2",
    "opencv-python-headless": "cv2", "opencv-contrib-python": "cv2", "pyyaml": "yaml",
    "beautifulsoup4": "bs4", "tensorflow-cpu": "tensorflow", "tensorflow-gpu": "tensorflow",
    "python-dateutil": "dateutil", "pytorch-lightning": "pytorch_lightning", "protobuf": "google.protobuf",
}
DISTRIBUTIONS = {module: dist for dist, module in IMPORT_NAMES.items() if "-cpu" not in dist and "-gpu" not in dist
                 and "headless" not in dist and "contrib" not in dist}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


@dataclass(frozen=True)
class Missing:
    """One module of the course's environment that the grader's interpreter cannot import."""

    module: str
    install: str  # the command that installs it where grader runs

    def line(self) -> str:
        return f"the course's environment needs the module {self.module!r}, which is not installed " \
               f"where grader runs. Fix: {self.install}"


@dataclass(frozen=True)
class CourseEnvironment:
    """The modules a course's code imports; ``requirements`` maps a module to its requirement line."""

    modules: tuple[str, ...]
    source: str = ""  # the requirements file as the rubric names it, or "" for a list in the rubric
    requirements: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_modules(cls, modules: list[str]) -> "CourseEnvironment":
        return cls(tuple(modules))

    @classmethod
    def from_requirements(cls, path: Path, written: str) -> "CourseEnvironment":
        """A requirements file: one ``name[extras] specifier ; marker`` a line, ``#`` comments, pip
        options (``-r``, ``--index-url``) ignored."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot read the course's requirements file ({exc})",
                             "point 'environment' at a requirements file, relative to the rubric") from None
        modules, requirements = [], {}
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith(("#", "-")):
                continue
            parsed = requirement_module(line)
            if parsed is None:
                raise InputError(path, f"cannot read the requirement {line!r}",
                                 "write one package a line, e.g. scikit-learn>=1.3")
            dist, module, _ = parsed
            modules.append(module)
            requirements[module] = line
        return cls(tuple(modules), written, requirements)

    def missing(self) -> list[Missing]:
        """The modules the grader's interpreter (the one student code runs with) cannot import."""
        return [Missing(module, self.install_command(module)) for module in self.modules if not importable(module)]

    def install_command(self, module: str) -> str:
        requirement = self.requirements.get(module) or DISTRIBUTIONS.get(module) or module
        return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(requirement.split(';')[0].strip())}"

    def describe(self) -> str:
        """``numpy, pandas, sklearn (requirements/actividad2.txt)``: for messages to students."""
        listed = ", ".join(self.modules)
        return f"{listed} ({self.source})" if self.source else listed


def requirement_module(line: str) -> tuple[str, str, str] | None:
    """``(distribution, import name, the rest)`` of one requirement line, or None when it is not one."""
    match = _REQUIREMENT.match(line)
    if match is None:
        return None
    dist = match.group(1)
    return dist, import_name(dist), match.group(3).strip()


def import_name(dist: str) -> str:
    """The module a distribution installs: known names first, then the installed metadata, then the name."""
    key = dist.lower().replace("_", "-")
    if key in IMPORT_NAMES:
        return IMPORT_NAMES[key]
    for module, dists in _installed_modules().items():
        if any(d.lower().replace("_", "-") == key for d in dists):
            return module
    return key.replace("-", "_").replace(".", "_")


def _installed_modules() -> dict[str, list[str]]:
    try:
        return dict(importlib.metadata.packages_distributions())
    except Exception:  # noqa: BLE001 - broken metadata: fall back to the name itself
        return {}


def importable(module: str) -> bool:
    """Whether ``import module`` would find it, without importing it (nothing of it runs here)."""
    top = module.split(".")[0]
    if top in sys.builtin_module_names:
        return True
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False
