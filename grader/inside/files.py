"""Lists the files left in the sandbox after a student's program ended, for the grader to compare.

Run by the sandbox's entry shell once the student's program has exited and every process it left
behind was killed (``python -I -S files.py OUT ROOT...``): the student's code no longer runs, so
what it wrote cannot be hidden or forged after the fact. One JSON line per regular file, link or
empty folder under each root (nothing followed): its path, kind, size and, within a budget, the
SHA-256 of its content, so that the grader can tell a file the code created or changed from one
that was copied in. Read-only mounts are skipped: the grader's interpreter when it lives under
``/tmp`` (a project's ``.venv`` there), the offline data bound under the student's home.
Standard library only; bounded in entries, depth, hashing and output.

Example::

    python -I -S files.py /grader/output/files0.jsonl /home/student /tmp
    {"path": "/home/student/work/modelo.keras", "kind": "file", "size": 709642, "sha256": "3f0c..."}
"""

import hashlib
import json
import os
import stat
import sys

MAX_ENTRIES = 5000
MAX_DEPTH = 24
MAX_OUTPUT = 2_000_000
MAX_HASHED_FILE = 64 * 2**20
HASH_BUDGET = 256 * 2**20


def entries(roots):
    """``(path, kind, size, sha256)`` for what lies under ``roots``, depth first, bounded."""
    budget = [HASH_BUDGET]
    count = 0
    stack = [(root, 0) for root in reversed(roots)]
    while stack and count < MAX_ENTRIES:
        folder, depth = stack.pop()
        try:
            children = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        if not children and depth > 0:
            count += 1
            yield folder, "folder", 0, None
        for child in children:
            if count >= MAX_ENTRIES:
                yield folder, "more", 0, None
                return
            try:
                info = child.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISLNK(info.st_mode) and _read_only(child.path):
                continue  # bound read-only by the grader (an interpreter under /tmp, offline data): not written
            if stat.S_ISDIR(info.st_mode):
                if depth + 1 < MAX_DEPTH:
                    stack.append((child.path, depth + 1))
                continue
            count += 1
            if stat.S_ISLNK(info.st_mode):
                yield child.path, "link", 0, None
            elif stat.S_ISREG(info.st_mode):
                yield child.path, "file", info.st_size, _digest(child.path, info.st_size, budget)


def _read_only(path):
    """Whether ``path`` is on a read-only mount: nothing the student's code ran can have written it."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _digest(path, size, budget):
    if size > MAX_HASHED_FILE or size > budget[0]:
        return None
    budget[0] -= size
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def main(argv):
    out, roots = argv[1], argv[2:]
    written = 0
    with open(out, "w", encoding="utf-8") as handle:  # "w": nothing the student's code wrote here survives
        for path, kind, size, sha in entries(roots):
            line = json.dumps({"path": path, "kind": kind, "size": size, "sha256": sha}) + "\n"
            written += len(line)
            if written > MAX_OUTPUT:
                break
            handle.write(line)
        handle.write(json.dumps({"done": True}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
