"""Start one confined command, keep a bounded part of its output, and end it for good.

Example:
    >>> output = Output(limit=1000)
    >>> run_confined(["/bin/echo", "hi"], timeout=30, output=output).status
    'ok'
    >>> output.text()
    'hi\\n'
"""

from __future__ import annotations

import collections

import os
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.launch import descendants, kill_all


class Output:
    """The first and last bytes of a stream, with a marker where the middle was cut."""

    def __init__(self, limit: int):
        self.head_limit = limit // 4
        self.tail_limit = limit - self.head_limit
        self.head = bytearray()
        self.tail: collections.deque[bytes] = collections.deque()
        self.tail_size = 0
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.head_limit - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if not chunk:
            return
        self.tail.append(chunk)
        self.tail_size += len(chunk)
        while self.tail_size - len(self.tail[0]) >= self.tail_limit:
            self.tail_size -= len(self.tail.popleft())

    @property
    def cut(self) -> int:
        """Bytes of output that were not kept."""
        return self.total - len(self.head) - min(self.tail_size, self.tail_limit)

    def text(self) -> str:
        tail = b"".join(self.tail)[-self.tail_limit:] if self.tail else b""
        if self.cut <= 0:
            return (bytes(self.head) + tail).decode("utf-8", "replace")
        marker = f"\n[... {self.cut:,} bytes of output cut by the grader (limit {self.head_limit + self.tail_limit:,}) ...]\n"
        return bytes(self.head).decode("utf-8", "replace") + marker + tail.decode("utf-8", "replace")


@dataclass
class Ended:
    status: str        # "ok" (the command exited by itself, any code), "timeout" or "killed"
    returncode: int


def run_confined(argv: list[str], *, timeout: float, output: Output, cwd: str | Path | None = None,
                 env: dict[str, str] | None = None, on_end=None) -> Ended:
    """Run ``argv`` in a session of its own; SIGKILL it and everything it started at the end.

    ``on_end`` is called after the command ended and before its processes are reaped, to
    let a cgroup kill what is left in it.
    """
    process = subprocess.Popen(
        argv, cwd=cwd, env=env if env is not None else {}, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    reader = threading.Thread(target=_drain, args=(process.stdout, output), daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=max(timeout, 0.1))
        ended = Ended("ok" if code >= 0 else "killed", code)
    except subprocess.TimeoutExpired:
        ended = Ended("timeout", -signal.SIGKILL)
        try:  # a supervising launcher cleans up its orphans on SIGTERM
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
    kill_tree(process.pid)
    if on_end is not None:
        on_end()
    process.wait()
    reader.join(timeout=5)
    return ended


def _drain(stream, output: Output) -> None:
    for chunk in iter(lambda: stream.read1(65536), b""):
        output.add(chunk)


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid``, its process group, and every descendant still attached to it."""
    def tree() -> list[int]:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        alive = [pid] if Path(f"/proc/{pid}").exists() else []
        return alive + descendants(pid)

    kill_all(tree, rounds=3, pause=0)
