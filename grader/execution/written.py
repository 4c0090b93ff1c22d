"""Which files a run created or changed: the sandbox's listing after the run, against what was copied in.

Each file of a submission runs in a fresh copy of the submission's folder (with the course's
resources). Once the student's program has ended, the sandbox lists what is left in its home and
``/tmp`` (:mod:`grader_inside.files`, run after every process of the student's was killed); at the
``process`` level, where the code works in place, the grader lists the folder itself. Comparing
that listing with the files that were copied in tells what the code wrote: a file that was not
there is *created*, one whose content differs is *changed*. What Python, Jupyter, Matplotlib and
Keras keep for themselves (``~/.ipython``, ``~/.cache``, ``~/.keras``, kernel sockets) is left out.

Example:
    >>> copied = {"datos.csv": "a" * 64}
    >>> listing = [{"path": "/home/student/work/datos.csv", "kind": "file", "size": 3, "sha256": "a" * 64},
    ...            {"path": "/home/student/work/modelo.keras", "kind": "file", "size": 9, "sha256": "b" * 64},
    ...            {"path": "/home/student/.ipython/profile_default/history.sqlite", "kind": "file", "size": 1,
    ...             "sha256": None}]
    >>> [(w["path"], w["change"]) for w in written_files(listing, copied, file="p3.ipynb")]
    [('modelo.keras', 'created')]
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from pathlib import Path

from grader.sandbox.levels import HOME, WORK

# Kept by the tools themselves, not written by the student's code (display paths, fnmatch globs).
INFRASTRUCTURE = (
    "~/.ipython/*", "~/.local/*", "~/.jupyter/*", "~/.cache/*", "~/.config/*", "~/.keras/*", "~/.nv/*",
    "~/.pki/*", "~/.matplotlib/*", "/tmp/grader-kernel*", "/tmp/matplotlib-*", "/tmp/tmp*", "/tmp/__autograph*",
    "/tmp/.X*", "/tmp/jupyter*", "/tmp/ipykernel*", "/tmp/.keras/*", "*/__pycache__/*", "*.ipynb_checkpoints/*",
)
MAX_LISTED = 200  # files named per run in a report


def copied_in(work: Path) -> dict[str, str | None]:
    """``relative path -> SHA-256`` of every regular file in the folder the run starts from."""
    found: dict[str, str | None] = {}
    for root, folders, files in os.walk(work, followlinks=False):
        for name in files:
            path = Path(root) / name
            try:
                if not stat.S_ISREG(path.lstat().st_mode):
                    continue
                found[path.relative_to(work).as_posix()] = _sha256(path)
            except OSError:
                continue
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: str, work: str = WORK, home: str = HOME) -> str:
    """``/home/student/work/a.png`` -> ``a.png``; ``/home/student/.x`` -> ``~/.x``; ``/tmp/y`` stays.

    >>> display_path("/home/student/work/figuras/a.png"), display_path("/home/student/.keras/k.json")
    ('figuras/a.png', '~/.keras/k.json')
    """
    if path == work or path.startswith(work + "/"):
        return path[len(work) + 1:] or "."
    if path == home or path.startswith(home + "/"):
        return "~" + path[len(home):]
    return path


def infrastructure(shown: str) -> bool:
    """Whether a display path is the tools' own (see :data:`INFRASTRUCTURE`)."""
    forms = (shown, "~/" + shown) if not shown.startswith(("~", "/")) else (shown,)
    return any(fnmatch.fnmatchcase(form, pattern) for form in forms for pattern in INFRASTRUCTURE)


def written_files(listing: list[dict], copied: dict[str, str | None], *, file: str,
                  work: str = WORK, home: str = HOME) -> list[dict]:
    """What the run of ``file`` created or changed: ``{"file", "path", "change", "size", "kind"}`` each."""
    written = []
    for entry in listing:
        if entry["kind"] == "more":
            written.append({"file": file, "path": display_path(entry["path"], work, home), "change": "more",
                            "size": 0, "kind": "more"})
            continue
        shown = display_path(entry["path"], work, home)
        if infrastructure(shown):
            continue
        before = copied.get(shown, "absent") if not shown.startswith(("~", "/")) else "absent"
        if before == "absent":
            change = "created"
        elif entry["kind"] == "file" and entry.get("sha256") is not None and entry["sha256"] != before:
            change = "changed"
        else:
            continue
        written.append({"file": file, "path": shown, "change": change, "size": entry.get("size", 0),
                        "kind": entry["kind"]})
    folders = [w for w in written if w["kind"] == "folder"]
    written = [w for w in written if w["kind"] != "folder" or not any(
        o["path"].startswith(w["path"] + "/") for o in written if o is not w)] if folders else written
    return written[:MAX_LISTED]


def listing_of(work: Path) -> list[dict]:
    """The grader's own listing of a folder the code worked in place (the ``process`` level), in the
    format the sandbox's listing has, with the folder standing for the work folder."""
    entries = []
    for root, folders, files in os.walk(work, followlinks=False):
        if not folders and not files and Path(root) != work:
            entries.append({"path": f"{WORK}/{Path(root).relative_to(work).as_posix()}", "kind": "folder",
                            "size": 0, "sha256": None})
        for name in files:
            path = Path(root) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            relative = path.relative_to(work).as_posix()
            if stat.S_ISLNK(info.st_mode):
                entries.append({"path": f"{WORK}/{relative}", "kind": "link", "size": 0, "sha256": None})
            elif stat.S_ISREG(info.st_mode):
                entries.append({"path": f"{WORK}/{relative}", "kind": "file", "size": info.st_size,
                                "sha256": _sha256(path) if info.st_size <= 64 * 2**20 else None})
    return entries
