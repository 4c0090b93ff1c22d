"""Caches a fresh sandbox would otherwise build on every run, built once on the trusted side.

Each run starts with an empty home, so matplotlib would list the machine's fonts again (about
0.5 s on the benchmark VM) whenever a notebook imports it. :func:`matplotlib_cache` builds its font
list once, with the grader's own Python (the one the sandbox runs, so the list names the same
files), under the grader's cache; :func:`seed` puts a copy where the run's programs are, and
``grader_inside`` copies it into the run's home before the student's code starts.

Example::

    >>> folder = matplotlib_cache()   # doctest: +SKIP
    >>> sorted(p.name for p in folder.glob("fontlist-*.json"))   # doctest: +SKIP
    ['fontlist-v390.json']
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grader.cache import cache_dir

SEED_FOLDER = "matplotlib"  # under the run's programs/: grader_inside copies it to ~/.cache/matplotlib


def matplotlib_cache() -> Path | None:
    """The folder holding a font list matplotlib accepts, built on first use; None without matplotlib
    or when it cannot be built (a run then builds its own, as before)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    folder = cache_dir() / "matplotlib" / _version_key(Path(spec.origin).parent)
    if list(folder.glob("fontlist-*.json")):
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], timeout=120, check=True,
                       env={**os.environ, "MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return folder if list(folder.glob("fontlist-*.json")) else None


def seed(programs: Path) -> None:
    """Copy the prebuilt caches into ``programs`` (the run's read-only folder of grader code)."""
    folder = matplotlib_cache()
    if folder is None:
        return
    target = programs / SEED_FOLDER
    target.mkdir(exist_ok=True)
    for font_list in folder.glob("fontlist-*.json"):
        shutil.copy2(font_list, target / font_list.name)


def _version_key(package: Path) -> str:
    """The list names font files of this matplotlib (inside this environment) and of the system."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("matplotlib")
    except PackageNotFoundError:
        installed = "unknown"
    digest = hashlib.sha256(f"{installed}\0{package}".encode()).hexdigest()[:16]
    return f"{installed}-{digest}"
