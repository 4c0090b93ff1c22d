"""Read back what legacy mode translated in the student's process (untrusted data).

:mod:`grader.execution.legacy_keras` appends one JSON line per translation; the student's code
could have written anything there, so each record is size-limited and validated, and the log
is removed once read so that the next file of the submission starts with an empty one.

Example:
    >>> read_translations(Path("private/legacy.jsonl"), "alexnet.ipynb")   # doctest: +SKIP
    [{'old': 'fit(nb_epoch=150)', 'new': 'fit(epochs=150)', 'file': 'alexnet.ipynb', 'line': 12}]
"""

from __future__ import annotations

from pathlib import Path

from grader.execution.readback import read_jsonl

MAX_LOG_BYTES = 200_000
MAX_RECORDS = 500
MAX_TEXT = 200


def read_translations(path: Path, file: str) -> list[dict]:
    records, seen = [], set()
    for record in read_jsonl(path, MAX_LOG_BYTES, remove=True):
        old, new, line = record.get("old"), record.get("new"), record.get("line", 0)
        if not isinstance(old, str) or not isinstance(new, str) or not old.strip():
            continue
        line = line if isinstance(line, int) and not isinstance(line, bool) and 0 <= line < 10**7 else 0
        key = (old[:MAX_TEXT], new[:MAX_TEXT], line)
        if key in seen:
            continue
        seen.add(key)
        records.append({"old": key[0], "new": key[1], "file": file, "line": line})
        if len(records) >= MAX_RECORDS:
            break
    return records
