"""The one way anything inside the sandbox writes for the grader: bounded JSON lines.

Each file has a byte budget; a line that would pass it is dropped (and so is everything after),
so a run that loops on a log cannot fill the disk. Each line is flushed at once, so a run that is
killed leaves every record written before.

Example::

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "log.jsonl")
    >>> log = Records(path, limit=60)
    >>> log.write({"cell": 1, "status": "ok"}), log.write({"cell": 2, "status": "x" * 80})
    (True, False)
    >>> open(path).read()
    '{"cell": 1, "status": "ok"}\\n'
"""

import json


class Records:
    """Appends JSON objects to ``path``, one per line, up to ``limit`` bytes in all."""

    def __init__(self, path, limit=1_000_000):
        self.path = path
        self.limit = limit
        self.written = 0

    def write(self, record):
        """Append ``record``; False when it did not fit in the budget (or the file cannot be written)."""
        if not self.path:
            return False
        line = json.dumps(record, default=str) + "\n"
        if self.written + len(line.encode("utf-8")) > self.limit:
            self.written = self.limit  # nothing after a dropped record: the log stays in order
            return False
        try:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
        except OSError:
            return False
        self.written += len(line.encode("utf-8"))
        return True
