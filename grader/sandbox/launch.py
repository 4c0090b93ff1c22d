"""First process of every run of student code: applies the limits, then becomes the command.

Standard library only, started by the runner as ``python -I -S launch.py SPEC_JSON`` in a
fresh single-threaded process (so nothing here races with the grader's own threads). In order:

1. join the run's cgroups (so everything started from here on is counted and killable);
2. when root, make the interpreter reachable for the sandbox uid: trees that live under a
   folder the uid cannot enter (a pyenv Python in ``/root``) are re-exposed in a private mount
   namespace, at the same paths, and nothing else of that folder is;
3. set the rlimits;
4. when root, drop to the sandbox uid/gid with no supplementary groups (the kernel clears
   every capability on that change);
5. exec the command (bubblewrap), or, for the ``process`` level, run it as a child while this
   process stays as a subreaper that kills whatever the command left behind.
"""

import ctypes
import json
import os
import resource
import signal
import sys
import time

CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
RLIMITS = {
    "AS": resource.RLIMIT_AS, "DATA": resource.RLIMIT_DATA, "NPROC": resource.RLIMIT_NPROC,
    "FSIZE": resource.RLIMIT_FSIZE, "NOFILE": resource.RLIMIT_NOFILE, "CPU": resource.RLIMIT_CPU,
    "CORE": resource.RLIMIT_CORE,
}


def main(spec):
    for path in spec.get("cgroup_procs", []):
        with open(path, "w") as handle:
            handle.write(str(os.getpid()))
    uid, gid = spec.get("uid"), spec.get("gid")
    if spec.get("stage") and uid is not None:
        stage(spec["stage"], uid, gid)
    for name, value in spec.get("rlimits", {}).items():
        soft, hard = (value, value) if not isinstance(value, list) else value
        resource.setrlimit(RLIMITS[name], (soft, hard))
    if uid is not None:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    os.umask(0o077)
    os.chdir(spec["cwd"])
    argv, env = spec["argv"], spec["env"]
    die_with_parent(spec.get("parent"))
    if not spec.get("subreaper"):
        os.execve(argv[0], argv, env)
    return supervise(argv, env)


def die_with_parent(parent):
    """Be killed when the grader process that started this run dies (killed, out of memory, a lost
    cluster worker), so that no run outlives it. Set after the uid drop, which would clear it, and
    kept across ``execve`` (bwrap then takes its sandbox down with it: ``--die-with-parent``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:  # it died before the signal was armed
        os._exit(137)


def stage(paths, uid, gid):
    """Make each of ``paths`` reachable by ``uid`` at its own path, in a private mount namespace."""
    libc = ctypes.CDLL(None, use_errno=True)

    def check(result, what):
        if result != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"{what}: {os.strerror(error)}")

    by_barrier = {}
    for path in paths:
        barrier = _first_closed_folder(path, uid, gid)
        if barrier is not None:
            by_barrier.setdefault(barrier, []).append(path)
    if not by_barrier:
        return
    check(libc.unshare(CLONE_NEWNS), "unshare")
    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    for barrier, inside in sorted(by_barrier.items()):
        handles = {path: os.open(path, os.O_PATH) for path in sorted(set(inside), key=len)}
        check(libc.mount(b"tmpfs", barrier.encode(), b"tmpfs", 0, b"mode=0755,size=1m"), f"tmpfs on {barrier}")
        for path, handle in handles.items():
            if os.path.isdir(f"/proc/self/fd/{handle}"):
                os.makedirs(path, mode=0o755, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
                open(path, "a").close()
            source = f"/proc/self/fd/{handle}".encode()
            check(libc.mount(source, path.encode(), None, MS_BIND | MS_REC, None), f"bind {path}")
            os.close(handle)


def _first_closed_folder(path, uid, gid):
    """The outermost folder above ``path`` that ``uid`` may not enter, or None."""
    parts = os.path.abspath(path).split(os.sep)[1:-1]
    current = ""
    for part in parts:
        current = f"{current}/{part}"
        info = os.stat(current)
        if info.st_uid == uid:
            allowed = info.st_mode & 0o100
        elif info.st_gid == gid:
            allowed = info.st_mode & 0o010
        else:
            allowed = info.st_mode & 0o001
        if not allowed:
            return current
    return None


def supervise(argv, env):
    """Run ``argv`` as a child; when it ends (or on SIGTERM) kill every process it left."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    me = os.getpid()
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)
        die_with_parent(me)
        os.execve(argv[0], argv, env)

    def stop(*_):
        _kill_descendants()
        os._exit(137)

    signal.signal(signal.SIGTERM, stop)
    _, status = os.waitpid(child, 0)
    _kill_descendants()
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _kill_descendants():
    me = os.getpid()
    kill_all(lambda: descendants(me), rounds=20, reap=True)


def kill_all(find, *, rounds=20, pause=0.02, reap=False):
    """SIGKILL whatever ``find()`` lists, again and again, until it lists nothing (or ``rounds`` pass).

    Shared with the grader's own process (grader.sandbox.process, grader.sandbox.cgroups): this
    file is standard library only, so both sides of the uid drop can use it.
    """
    for _ in range(rounds):
        victims = find()
        if not victims:
            return True
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(pause)
        while reap:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
    return not find()


def descendants(parent):
    """Every live (not zombie) descendant of ``parent``, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], [parent]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


if __name__ == "__main__":
    try:
        sys.exit(main(json.loads(sys.argv[1])))
    except OSError as exc:
        print(f"grader sandbox: could not start the run: {exc}", file=sys.stderr)
        sys.exit(126)
