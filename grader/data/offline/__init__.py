"""What student code downloads, served from the instructor's cache inside the sandbox (no network there).

Handout code calls ``keras.datasets.mnist.load_data()`` and ``MobileNet(weights='imagenet')``; in
the sandbox there is no network, so a rubric declares what its course's code fetches, per
*provider*::

    offline:
      keras_datasets: [mnist, cifar10]                  # keras.datasets.<name>.load_data()
      keras_weights: [mobilenet_1_0_224_tf_no_top.h5]   # what keras.applications loads from ~/.keras/models

Each module of this package exposes ``PROVIDER``, an :class:`OfflineProvider`: for one entry, the
files it needs on the instructor's machine (their own cache) and where each must appear under the
student's home in the sandbox, where it is bound read-only (:mod:`grader.sandbox.run`); and how
``grader data --download`` fetches it. Inside, ``grader_inside.keras.offline`` makes Keras's
``get_file`` return a present file as it is (no hash check, no download, never deleting it) and
raise a one-line error for anything else.

Example:
    >>> sorted(offline_providers())
    ['keras_datasets', 'keras_weights', 'torchvision_datasets']
    >>> [inside for _, inside in offline_provider("keras_datasets").files("mnist")]
    ['.keras/datasets/mnist.npz']
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader.i18n import msg


@dataclass(frozen=True)
class OfflineProvider:
    """One kind of download student code makes, and where its files are.

    ``files(entry)`` lists ``(file on this machine, path under the student's home)`` for one entry of
    the rubric (present or not); ``fetch(entry)`` downloads it into this machine's cache (None: it
    cannot be downloaded by grader); ``entries`` are the names it knows (empty: any file name);
    ``help`` says what its entries are.
    """

    name: str
    files: Callable[[str], list[tuple[Path, str]]]
    help: str
    fetch: Callable[[str], None] | None = None
    entries: tuple[str, ...] = ()

    def check(self, entry: str) -> str | None:
        """Why ``entry`` is not one of this provider's (None when it is)."""
        if self.entries and entry not in self.entries:
            return f"{self.name} has no entry {entry!r}; it has: {', '.join(self.entries)}"
        if not self.entries and (not entry or "/" in entry or entry.startswith(".")):
            return f"{self.name} entries are file names, got {entry!r}"
        return None


@dataclass
class OfflineFiles:
    """What a rubric's ``offline:`` gives one run: the files present, and a message per entry that is not."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # messages (grader.i18n), for the report


@functools.lru_cache(maxsize=1)
def offline_providers() -> dict[str, OfflineProvider]:
    """Every provider, by the key a rubric's ``offline:`` gives it."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        provider = getattr(importlib.import_module(f"{__name__}.{info.name}"), "PROVIDER", None)
        if isinstance(provider, OfflineProvider):
            found[provider.name] = provider
    return found


def offline_provider(name: str) -> OfflineProvider:
    try:
        return offline_providers()[name]
    except KeyError:
        raise ValueError(f"unknown offline provider {name!r}; use one of: {', '.join(sorted(offline_providers()))}") \
            from None


def offline_files(offline: dict[str, list[str]]) -> OfflineFiles:
    """The files of every declared entry that this machine has; a message for each one it has not."""
    result = OfflineFiles()
    for provider_name, entries in offline.items():
        provider = offline_provider(provider_name)
        for entry in entries:
            wanted = provider.files(entry)
            absent = [host for host, _ in wanted if not host.exists()]
            if absent:
                result.problems.append(msg("offline.missing", provider=provider_name, entry=entry,
                                           path=str(absent[0])))
                continue
            unreadable = next((host for host, _ in wanted if not _readable_by_others(host)), None)
            if unreadable is not None:
                result.problems.append(msg("offline.unreadable", provider=provider_name, entry=entry,
                                           path=str(unreadable)))
                continue
            result.files.extend(wanted)
    return result


def _readable_by_others(path: Path) -> bool:
    """Whether the sandbox's own uid can read ``path`` (a file, or every file under a folder). Only root
    hands runs a uid of their own; otherwise the run reads as the grader's user."""
    if os.geteuid() != 0:
        return True
    paths = [path] + ([p for p in path.rglob("*")] if path.is_dir() else [])
    for item in paths:
        mode = item.stat().st_mode
        needed = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
        if mode & needed != needed:
            return False
    return True
