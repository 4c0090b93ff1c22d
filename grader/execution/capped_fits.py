"""Read back which ``fit()`` calls the cap shortened (untrusted data), and say so to the student.

:mod:`grader.execution.fit_cap_patch` appends one JSON line per capped call to a log the
student's code can also write; so each record is size-limited and every field type-checked,
anything else is dropped, and the log is removed once read so that the next file of the
submission starts with an empty one. The records are information for the report only: nothing
is graded on them.

Example:
    >>> read_capped_fits(Path("private/fit_cap.jsonl"), "hw.ipynb")   # doctest: +SKIP
    [{'file': 'hw.ipynb', 'cell': 'cell 12', 'line': 3, 'epochs_asked': 150, 'epochs_run': 2,
      'batch_size': 5, 'batches_asked': 19, 'batches_run': 10}]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.execution.readback import read_jsonl
from grader.i18n import msg

MAX_LOG_BYTES = 100_000
MAX_RECORDS = 100
MAX_COUNT = 10**9
COUNTS = ("epochs_asked", "epochs_run", "batch_size", "batches_asked", "batches_run", "line")


def read_capped_fits(path: Path, file: str) -> list[dict[str, Any]]:
    """The capped calls logged at ``path`` by one file of the submission; removes the log."""
    records = []
    for record in read_jsonl(path, MAX_LOG_BYTES, remove=True):
        counts = {name: _count(record.get(name)) for name in COUNTS}
        if counts["epochs_asked"] is None or counts["epochs_run"] is None:
            continue
        cell = record.get("cell")
        records.append({"file": file, "cell": cell[:40] if isinstance(cell, str) else None, **counts})
        if len(records) >= MAX_RECORDS:
            break
    return records


def _count(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_COUNT:
        return value
    return None


def cap_message(capped: list[dict[str, Any]]) -> dict | None:
    """One plain sentence for the report, or None when no call was capped.

    >>> cap_message([{"epochs_asked": 150, "epochs_run": 2, "batches_run": 10}])["id"]
    'fitcap.one'
    """
    if not capped:
        return None
    if len(capped) == 1:
        call = capped[0]
        batches = call.get("batches_run")
        if batches is not None and batches != call.get("batches_asked"):
            return msg("fitcap.one", run=call["epochs_run"], asked=call["epochs_asked"], batches=batches)
        return msg("fitcap.one.epochs", run=call["epochs_run"], asked=call["epochs_asked"])
    epochs = max(call["epochs_run"] for call in capped)
    batches = max((call["batches_run"] for call in capped if call.get("batches_run") is not None), default=None)
    if batches is None:
        return msg("fitcap.many.epochs", count=len(capped), epochs=epochs)
    return msg("fitcap.many", count=len(capped), epochs=epochs, batches=batches)
