"""What a submission holds on disk, read without trusting it: regular files and folders only.

A submission is a file or a folder a student made. Before anything reads it, :func:`scan` walks
it without following anything: a symbolic link, device, FIFO or socket is refused (reported in
one line and never opened), and the walk stops at a budget of files, depth and bytes, so a link
to ``/dev/zero``, a folder that contains itself or a million empty files cost nothing. Files
are then opened with ``O_NOFOLLOW`` and read in bounded chunks (:func:`read_bytes`,
:func:`copy_into`, :func:`hash_into`).

Example:
    >>> import tempfile, os
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "hw.py").write_text("x = 1\\n")
    >>> os.symlink("/etc/passwd", root / "notes.txt")
    >>> listing = scan(root)
    >>> [f.relative for f in listing.files], [r.line() for r in listing.refused]
    (['hw.py'], ['notes.txt is a link; submissions hold regular files only'])
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED_NAMES = ("__pycache__",)  # and every name that starts with a dot
CHUNK = 1 << 20


@dataclass(frozen=True)
class Budget:
    """How much of a submission the grader reads at most."""

    files: int = 2_000
    depth: int = 16
    total_bytes: int = 200_000_000
    file_bytes: int = 200_000_000


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class Entry:
    path: Path        # on the host
    relative: str     # inside the submission, with "/" separators
    size: int


@dataclass(frozen=True)
class Refused:
    relative: str
    why: str  # "link", "device", "fifo", "socket", "other", "depth", "files", "bytes"

    def message(self) -> dict:
        """The explanation as a catalogue message (see :mod:`grader.i18n`)."""
        from grader.i18n import msg

        return msg(f"left_out.{self.why}", path=self.relative)

    def line(self, lang: str = "en") -> str:
        """The explanation in one line, e.g. ``notes.txt is a link; submissions hold regular files only``."""
        from grader.i18n import render

        return render(self.message(), lang)


@dataclass
class Listing:
    """The regular files of a submission (in a fixed order) and what was refused."""

    root: Path
    files: list[Entry] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files)


def kind_of(mode: int) -> str | None:
    """None for a regular file or folder, else why it is refused."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


def scan(root: str | Path, budget: Budget = DEFAULT_BUDGET) -> Listing:
    """Walk ``root`` (a file or a folder) without following links, within ``budget``.

    Raises ``OSError`` only when ``root`` itself cannot be read; a ``root`` that is a link or
    a special file gives a listing with no files and that one refusal.
    """
    root = Path(root)
    listing = Listing(root)
    info = os.lstat(root)
    why = kind_of(info.st_mode)
    if why is not None:
        listing.refused.append(Refused(root.name, why))
        return listing
    if stat.S_ISREG(info.st_mode):
        listing.files.append(Entry(root, root.name, info.st_size))
        return listing
    total = 0
    stack: list[tuple[Path, str, int]] = [(root, "", 0)]
    while stack:
        folder, prefix, depth = stack.pop()
        try:
            with os.scandir(folder) as handle:
                entries = sorted(handle, key=lambda e: e.name)
        except OSError:
            listing.refused.append(Refused(prefix.rstrip("/") or ".", "other"))
            continue
        subfolders = []
        for item in entries:
            if item.name.startswith(".") or item.name in SKIPPED_NAMES:
                continue
            relative = f"{prefix}{item.name}"
            try:
                mode = item.stat(follow_symlinks=False)
            except OSError:
                listing.refused.append(Refused(relative, "other"))
                continue
            why = kind_of(mode.st_mode)
            if why is not None:
                listing.refused.append(Refused(relative, why))
                continue
            if stat.S_ISDIR(mode.st_mode):
                if depth + 1 >= budget.depth:
                    listing.refused.append(Refused(relative, "depth"))
                else:
                    subfolders.append((Path(item.path), f"{relative}/", depth + 1))
                    listing.folders.append(relative)
                continue
            if len(listing.files) >= budget.files:
                listing.refused.append(Refused(relative, "files"))
                return listing
            if mode.st_size > budget.file_bytes or total + mode.st_size > budget.total_bytes:
                listing.refused.append(Refused(relative, "bytes"))
                continue
            total += mode.st_size
            listing.files.append(Entry(Path(item.path), relative, mode.st_size))
        stack.extend(reversed(subfolders))
    return listing


def open_regular(path: str | Path) -> int:
    """A read-only descriptor of ``path``, refusing links and anything but a regular file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path} is not a regular file")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_bytes(path: str | Path, limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file ``path`` (never a link, device or pipe)."""
    descriptor = open_regular(path)
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(limit)


def copy_into(listing: Listing, target: Path) -> None:
    """Copy the listed files (and folders) under ``target``, reading each in bounded chunks."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in listing.folders:
        (target / folder).mkdir(parents=True, exist_ok=True)
    for entry in listing.files:
        destination = target / entry.relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        remaining = entry.size  # the size seen when scanning: a file that grows since is cut there
        with os.fdopen(open_regular(entry.path), "rb") as source, open(destination, "wb") as out:
            while remaining > 0:
                chunk = source.read(min(CHUNK, remaining))
                if not chunk:
                    break
                out.write(chunk)
                remaining -= len(chunk)


def hash_into(digest, listing: Listing) -> None:
    """Add every listed file (name and content, streamed) and every refusal to ``digest``."""
    for entry in listing.files:
        digest.update(f"\0{entry.relative}\0{entry.size}\0".encode())
        remaining = entry.size
        try:
            with os.fdopen(open_regular(entry.path), "rb") as source:
                while remaining > 0:
                    chunk = source.read(min(CHUNK, remaining))
                    if not chunk:
                        break
                    digest.update(chunk)
                    remaining -= len(chunk)
        except OSError as exc:
            digest.update(f"<unreadable {exc.errno}>".encode())
    for refused in listing.refused:
        digest.update(f"\0refused\0{refused.relative}\0{refused.why}".encode())
