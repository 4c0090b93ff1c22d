"""A memory and process cgroup for one sandboxed run (cgroup v2, or v1 controllers).

Only root can create them here. The cgroup is the hard memory limit (the kernel's OOM
killer ends the run, which rlimits cannot do for shared mappings and tmpfs files) and the
hard process/thread limit; it also lets the grader kill every process of the run at once.

Example (as root):
    >>> group = create_cgroup("grader-demo", memory=2**31, processes=256)   # doctest: +SKIP
    >>> group.version, group.procs_files()                                 # doctest: +SKIP
    ('v1', ['/sys/fs/cgroup/memory/grader/grader-demo/cgroup.procs', ...])
    >>> group.remove()                                                      # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.launch import kill_all

ROOT = Path("/sys/fs/cgroup")
PARENT = "grader"


@dataclass
class Cgroup:
    version: str           # "v2" or "v1"
    paths: list[Path]      # the group's folder (v2) or one folder per controller (v1)

    def procs_files(self) -> list[str]:
        return [str(path / "cgroup.procs") for path in self.paths]

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of this group for exceeding its memory."""
        if self.version == "v2":
            return _counter(self.paths[0] / "memory.events", "oom_kill") > 0
        memory = self.paths[0]
        return _counter(memory / "memory.oom_control", "oom_kill") > 0

    def pids(self) -> list[int]:
        found: set[int] = set()
        for path in self.procs_files():
            try:
                found.update(int(line) for line in Path(path).read_text().split())
            except OSError:
                pass
        return sorted(found)

    def kill(self) -> None:
        """SIGKILL every process in the group, until none is left (or 5 s pass)."""
        kill_file = self.paths[0] / "cgroup.kill"
        if self.version == "v2" and kill_file.exists():
            _write(kill_file, "1")
        kill_all(self.pids, rounds=100, pause=0.05)

    def remove(self) -> None:
        self.kill()
        for path in self.paths:
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # busy while the last zombies are reaped
                    time.sleep(0.05)


def cgroup_version() -> str | None:
    """``v2``/``v1`` when this process may create memory and pids cgroups, else ``None``."""
    if os.geteuid() != 0:
        return None
    if (ROOT / "cgroup.controllers").exists():
        controllers = (ROOT / "cgroup.controllers").read_text().split()
        if {"memory", "pids"} <= set(controllers) and os.access(ROOT, os.W_OK):
            return "v2"
        return None
    if all(os.access(ROOT / c, os.W_OK) for c in ("memory", "pids")):
        return "v1"
    return None


def create_cgroup(name: str, *, memory: int, processes: int) -> Cgroup | None:
    """Create ``grader/<name>`` with the limits; ``None`` when cgroups cannot be used."""
    version = cgroup_version()
    try:
        if version == "v2":
            return _create_v2(name, memory, processes)
        if version == "v1":
            return _create_v1(name, memory, processes)
    except OSError:
        return None
    return None


def _create_v2(name: str, memory: int, processes: int) -> Cgroup:
    parent = ROOT / PARENT
    parent.mkdir(exist_ok=True)
    for folder in (ROOT, parent):
        enabled = (folder / "cgroup.subtree_control").read_text().split()
        for controller in ("memory", "pids"):
            if controller not in enabled:
                _write(folder / "cgroup.subtree_control", f"+{controller}")
    path = parent / name
    path.mkdir()
    _write(path / "memory.max", str(memory))
    if (path / "memory.swap.max").exists():
        _write(path / "memory.swap.max", "0")
    _write(path / "pids.max", str(processes))
    return Cgroup("v2", [path])


def _create_v1(name: str, memory: int, processes: int) -> Cgroup:
    memory_path = ROOT / "memory" / PARENT / name
    pids_path = ROOT / "pids" / PARENT / name
    memory_path.mkdir(parents=True)
    try:
        pids_path.mkdir(parents=True)
    except OSError:
        memory_path.rmdir()
        raise
    _write(memory_path / "memory.limit_in_bytes", str(memory))
    if (memory_path / "memory.memsw.limit_in_bytes").exists():  # no swapping around the limit
        _write(memory_path / "memory.memsw.limit_in_bytes", str(memory))
    _write(pids_path / "pids.max", str(processes))
    return Cgroup("v1", [memory_path, pids_path])


def _write(path: Path, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _counter(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0
