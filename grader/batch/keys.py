"""Content keys: a stored result is reused only while everything that made it is unchanged.

A key hashes the submission's files, the rubric file, every file of the reference folder, every
resource (course data), which of the course's environment and offline files this machine has
(:func:`course_state`), the grading options, the grader's version and the grader's own code
(its ``.py`` files and templates, hashed once per process), and the Keras and TensorFlow versions.
Editing any of them regrades what it concerns and nothing else.

Example::

    >>> context = rubric_fingerprint(rubric, GradingOptions(timeout=300))     # doctest: +SKIP
    >>> key = submission_key(Path("submissions/actividad2/carla"), context)   # doctest: +SKIP
    >>> len(key)                                                              # doctest: +SKIP
    32
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

import grader
from grader.execution.fit_cap import cap_key
from grader.grading.rubric import Rubric
from grader.options import GradingOptions
from grader.submission.files import hash_into, scan

KEY_FORMAT = 2  # 2: files are hashed with their sizes, streamed, links refused


def _hash_tree(digest, root: Path, label: str) -> None:
    """Add ``root`` (a file, or every file under a folder, in a fixed order) to ``digest``.

    Streams each file and follows nothing (:mod:`grader.submission.files`): a submission's link to
    ``/dev/zero`` or ``/proc/self/mem``, or a folder that contains itself, cannot make hashing
    read forever, fail or fill memory.
    """
    digest.update(f"\0{label}\0".encode())
    try:
        listing = scan(root)
    except OSError:
        digest.update(b"<missing>")
        return
    hash_into(digest, listing)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the installed grader's code and templates, so a changed check regrades everything."""
    package = Path(grader.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    versions = []
    for name in ("keras", "tensorflow-cpu", "tensorflow"):
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    digest.update(f"\0{grader.__version__}\0{','.join(versions)}\0{KEY_FORMAT}".encode())
    return digest.hexdigest()


def rubric_fingerprint(rubric: Rubric, options: GradingOptions | None = None, *, sandbox: str = "bwrap",
                       device: str = "cpu") -> str:
    """A hash of everything a rubric's grades depend on besides the submission itself.

    Every grading option counts (``options.key()``), with the isolation level and device actually
    used (``auto`` resolves to one of them; GPU and CPU numbers differ), and the fit cap in force.
    """
    options = options or GradingOptions()
    digest = hashlib.sha256(code_fingerprint().encode())
    _hash_tree(digest, Path(rubric.path), "rubric")
    _hash_tree(digest, Path(rubric.reference), "reference")
    for resource in rubric.resources:
        _hash_tree(digest, Path(resource), f"resource:{Path(resource).name}")
    digest.update(f"\0course={course_state(rubric)}".encode())
    digest.update(f"\0options={options.key()}\0sandbox={sandbox}\0device={device}".encode())
    digest.update(f"\0fit_cap={cap_key(None if options.full else rubric.fit_cap)}".encode())
    return digest.hexdigest()


def course_state(rubric: Rubric) -> str:
    """What of the course's environment and offline files is on this machine: a submission that failed
    for a missing module or data set is regraded once it is installed or downloaded. Offline files
    count by size and modification time (a 170 MB data set is not read for a key)."""
    from grader.data.offline import offline_provider

    parts = [f"missing={[m.module for m in rubric.environment.missing()]}"] if rubric.environment else []
    for name, entries in sorted(rubric.offline.items()):
        for entry in entries:
            for host, inside in offline_provider(name).files(entry):
                files = [host, *sorted(host.rglob("*"))] if host.is_dir() else [host]
                stats = [(str(f.relative_to(host)), f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else None
                         for f in files]
                parts.append(f"{inside}={stats}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def submission_key(path: Path, context: str) -> str:
    """The key of one submission's result under a rubric's ``context`` (see :func:`rubric_fingerprint`)."""
    digest = hashlib.sha256(context.encode())
    _hash_tree(digest, Path(path), f"submission:{Path(path).name}")
    return digest.hexdigest()[:32]
