"""The result channel's reader, fed what a hostile student's process can write (issue 7, attack 4).

Every line the sandbox leaves is untrusted: the reader keeps JSON objects within bounds and
drops the rest, and never raises.
"""

from __future__ import annotations

import json
import math

import pytest

from grader.sandbox.readback import depth_of, finished, number, read_captures, read_jsonl, read_progress
from grader.submission.submission import SourceFile

HOSTILE_LINES = [
    "[" * 200_000 + "]" * 200_000,                       # nested past the parser's stack
    '{"a": ' * 100 + "1" + "}" * 100,                     # nested past the reader's bound
    "\xff\xfe not utf-8",
    "NaN",
    '"a string"',
    "[1, 2, 3]",
    '{"unterminated": ',
    "",
]


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    return path


def test_only_bounded_json_objects_survive(tmp_path):
    path = _write(tmp_path / "x.jsonl", HOSTILE_LINES + ['{"ok": 1}'])
    assert read_jsonl(path, 50_000_000) == [{"ok": 1}]


def test_the_size_limit_cuts_the_file(tmp_path):
    path = _write(tmp_path / "x.jsonl", ['{"n": %d}' % i for i in range(1000)])
    assert len(read_jsonl(path, 100)) < 20


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_depth_is_measured_without_recursion():
    value: list = []
    inner = value
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    assert depth_of(value, 64) == 65
    assert depth_of({"a": [1, {"b": 2}]}, 64) == 3


@pytest.mark.parametrize("value, expected", [
    ("forever", 0.0), (float("nan"), 0.0), (float("inf"), 0.0), (True, 0.0), (None, 0.0), (-5, 0.0),
    (2.5, 2.5), (10**12, 1e7),
])
def test_numbers_from_the_sandbox_are_finite_and_bounded(value, expected):
    assert number(value) == expected


def test_progress_records_with_wrong_types_become_plain_outcomes(tmp_path):
    script = tmp_path / "hw.py"
    script.write_text("x = 1\n")
    lines = HOSTILE_LINES + [
        '{"cell": "one", "status": "pwned", "duration_s": "forever", "line": "x", "ename": 5}',
        '{"cell": 1, "status": "ok", "duration_s": NaN}',
        '{"cell": 2, "status": "error", "ename": "' + "E" * 5000 + '", "evalue": "' + "v" * 50_000 + '"}',
        json.dumps({"finished": "yes"}),
    ]
    path = _write(tmp_path / "progress.jsonl", lines)
    outcomes = read_progress(path, SourceFile(script, "script"), "x = 1\n")
    assert [o.status for o in outcomes] == ["error", "ok", "error"]
    assert all(isinstance(o.duration_s, float) and math.isfinite(o.duration_s) for o in outcomes)
    assert all(isinstance(o.cell, int) and isinstance(o.ename, str) for o in outcomes)
    assert len(outcomes[2].ename) <= 200 and len(outcomes[2].evalue) <= 2000
    assert not finished(path)  # only ``"finished": true`` counts


def test_captures_keep_only_well_typed_fields(tmp_path):
    lines = HOSTILE_LINES + [
        json.dumps({"variable": "m", "object": "x", "architecture": 5, "compile": {"loss": {"deep": [1]}}}),
        json.dumps({"variable": "", "architecture": "{}"}),
        json.dumps({"variable": "v" * 300, "architecture": "{}"}),
        json.dumps({"variable": "ok", "object": 7, "where": "line 3", "class": "Sequential", "built": True,
                    "architecture": "{}", "compile": {"loss": "mse", "metrics": ["accuracy"] * 50}}),
    ]
    captures = read_captures(_write(tmp_path / "capture.jsonl", lines), "hw.py", 0)
    assert [c.variable for c in captures] == ["m", "ok"]
    assert captures[0].architecture is None and captures[0].object_id == 0
    assert isinstance(captures[0].compile["loss"], str)
    assert len(captures[1].compile["metrics"]) == 20
