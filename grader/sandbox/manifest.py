"""The one way the trusted side configures a program inside the sandbox: a JSON manifest.

A run of ``python -m grader_inside MANIFEST`` does what its manifest says and nothing else; no
setting travels by which files happen to exist. The fields, per program:

``script`` / ``notebook`` (a student's file):
    ``source`` (the file), ``frameworks`` (whose models to export, e.g. ``["keras"]``),
    ``captures`` and ``progress`` (result files), ``legacy`` (the translation log, or null when
    legacy mode is off), ``fit_cap`` (``{"epochs", "batches", "log"}``, or null to run ``fit()``
    as written), ``offline`` (``{provider: [entries]}``: the data and weights the code may fetch, present
    read-only under the student's home, for the frameworks' in-sandbox patches; see
    :mod:`grader.data.offline`), ``values`` (``{"names", "log"}``: variables whose values to write
    when they change, or absent), ``cell_timeout`` and ``output_limit`` (notebooks), ``inspect``
    (questions about the student's objects once the code has run: ``[{"id", "kind", "framework", ...}]``,
    see ``grader_inside.<framework>.inspect``).
``reference`` (a rubric's reference models):
    ``models`` (``[{"id", "file", "function", "framework"}]``) and ``result``.
``train`` (one exported architecture):
    ``framework``, ``job`` (architecture and protocol), ``data`` (an ``.npz``) and ``result``.

Example:
    >>> manifest("reference", models=[{"id": "m", "file": "m.py", "function": "build", "framework": "keras"}],
    ...          result="references.jsonl")["program"]
    'reference'
    >>> manifest("train", framework="keras")
    Traceback (most recent call last):
    ...
    ValueError: a 'train' manifest needs data, job, result; got framework
"""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, tuple[set[str], set[str]]] = {  # program -> (required, optional)
    "script": ({"source", "frameworks", "captures", "progress"}, {"legacy", "fit_cap", "offline", "values", "inspect"}),
    "notebook": ({"source", "frameworks", "captures", "progress", "cell_timeout"},
                 {"legacy", "fit_cap", "output_limit", "offline", "values", "inspect"}),
    "reference": ({"models", "result"}, set()),
    "train": ({"framework", "job", "data", "result"}, set()),
}


def manifest(program: str, **fields: Any) -> dict[str, Any]:
    """A manifest for ``program``, checked against the fields that program reads."""
    if program not in FIELDS:
        raise ValueError(f"unknown program {program!r}; use one of: {', '.join(FIELDS)}")
    required, optional = FIELDS[program]
    missing, unknown = required - set(fields), set(fields) - required - optional
    if missing or unknown:
        problem = f"needs {', '.join(sorted(missing))}" if missing else f"takes no {', '.join(sorted(unknown))}"
        raise ValueError(f"a {program!r} manifest {problem}; got {', '.join(sorted(fields)) or 'nothing'}")
    return {"program": program, **fields}
