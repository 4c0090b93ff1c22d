"""Batch grading: content keys, reuse of unchanged results, kill-and-resume, summary and exit codes.

The course here is tiny (one two-layer Dense reference, scripts as submissions) so that each
submission costs a few seconds: what is tested is the batch machinery, not the checks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.batch.keys import rubric_fingerprint, submission_key
from grader.options import GradingOptions
from grader.cli import grade_main
from grader.grading.rubric import load_rubric

REFERENCE = '''import keras


def net():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu", name="hidden"),
                             keras.layers.Dense(1, name="out")])
'''
RUBRIC = '''schema: 1
assignment: tiny
title: Tiny course
reference: reference
resources: [data.csv]
models:
  net: {build: "net.py:net", variable: model}
activities:
  - id: "1"
    title: Dense network
    checks:
      - {id: found, kind: model_found, model: net}
      - {id: layers, kind: layers, model: net}
  - id: "2"
    title: Runs
    checks:
      - {id: runs, kind: runs}
'''
GOOD = ('import keras\n{sleep}'
        'model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(1)])\n')
WRONG = GOOD.replace("Dense(3,", "Dense(5,")


def make_course(root: Path, students: dict[str, str]) -> tuple[Path, Path]:
    """A rubric, its reference and data, and one script per student; returns (rubric, submissions)."""
    (root / "reference").mkdir(parents=True)
    (root / "reference" / "net.py").write_text(REFERENCE)
    (root / "data.csv").write_text("month,passengers\n1,112\n")
    rubric = root / "tiny.yaml"
    rubric.write_text(RUBRIC)
    submissions = root / "submissions"
    submissions.mkdir()
    for name, code in students.items():
        (submissions / f"{name}.py").write_text(code)
    return rubric, submissions


def results_in(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(out.glob("tiny/*/results.json"))}


# --- content keys (no grading) ------------------------------------------------------------


def test_the_key_follows_every_input_and_nothing_else(tmp_path):
    rubric_path, submissions = make_course(tmp_path, {"ana": GOOD.format(sleep="")})
    student = submissions / "ana.py"

    def key():
        return submission_key(student, rubric_fingerprint(load_rubric(rubric_path)))

    first = key()
    assert key() == first
    (submissions / "notes.txt").write_text("not part of ana's submission")
    assert key() == first
    changes = [
        lambda: student.write_text(WRONG.format(sleep="")),                                  # the submission
        lambda: (tmp_path / "data.csv").write_text("month,passengers\n1,118\n"),              # course data
        lambda: (tmp_path / "reference" / "net.py").write_text(REFERENCE + "\n# edited\n"),   # the reference
        lambda: rubric_path.write_text(RUBRIC.replace("Tiny course", "Tiny")),                # the rubric
    ]
    seen = {first}
    for change in changes:
        change()
        seen.add(key())
    assert len(seen) == len(changes) + 1
    assert submission_key(student, rubric_fingerprint(load_rubric(rubric_path), GradingOptions(timeout=30))) not in seen


# --- batches ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_run_grades_only_what_changed(tmp_path, capsys):
    rubric, submissions = make_course(tmp_path, {"ana": GOOD.format(sleep=""), "bo": WRONG.format(sleep=""),
                                                 "cy": "raise RuntimeError('not done yet')\n"})
    out = tmp_path / "out"
    args = [str(submissions), "--rubric", str(rubric), "--out", str(out), "-j", "1"]
    assert grade_main(args) == 0
    first = results_in(out)
    assert {name: r["score"] for name, r in first.items()} == {"ana": 3, "bo": 2, "cy": 0}
    summary = capsys.readouterr().out
    assert "Graded 3 submission(s) in" in summary and "1 with errors, 0 timed out" in summary and "mean 56%" in summary

    (submissions / "cy.py").write_text(GOOD.format(sleep=""))
    assert grade_main(args) == 0
    second = results_in(out)
    assert "(2 unchanged, reused)" in capsys.readouterr().out
    assert second["ana"] == first["ana"] and second["bo"] == first["bo"]
    assert second["cy"]["score"] == 3 and second["cy"]["cache_key"] != first["cy"]["cache_key"]
    rows = (out / "grades.csv").read_text().splitlines()
    assert len(rows) == 4 and rows[3].startswith("tiny,cy,3,")

    assert grade_main(args + ["--force"]) == 0
    assert "unchanged" not in capsys.readouterr().out
    assert all(results_in(out)[n]["graded_at"] >= second[n]["graded_at"] for n in second)


@pytest.mark.slow
def test_the_grader_failing_on_a_submission_exits_3_and_is_retried(tmp_path, monkeypatch, capsys):
    import grader.grading.grade as grade

    rubric, submissions = make_course(tmp_path, {"ana": GOOD.format(sleep=""), "bo": GOOD.format(sleep="")})
    real = grade.grade_submission

    def flaky(path, *args, **kwargs):
        if Path(path).stem == "bo":
            raise RuntimeError("simulated grader bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(grade, "grade_submission", flaky)
    out = tmp_path / "out"
    args = [str(submissions), "--rubric", str(rubric), "--out", str(out), "-j", "1"]
    assert grade_main(args) == 3
    assert "1 the grader failed on" in capsys.readouterr().out
    failed = results_in(out)["bo"]
    assert failed["status"] == "error" and "simulated grader bug" in failed["execution"]["message"]
    assert "cache_key" not in failed

    monkeypatch.setattr(grade, "grade_submission", real)
    assert grade_main(args) == 0
    assert "(1 unchanged, reused)" in capsys.readouterr().out
    assert results_in(out)["bo"]["score"] == 3


@pytest.mark.slow
def test_a_batch_killed_with_sigkill_resumes_and_loses_nothing(tmp_path):
    """Kill ``grade -j 2`` (and its workers) with SIGKILL halfway; the next run finishes the rest."""
    names = [f"s{i}" for i in range(6)]
    rubric, submissions = make_course(tmp_path, {n: GOOD.format(sleep="import time; time.sleep(2)\n") for n in names})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader.cli", "grade", str(submissions), "--rubric", str(rubric),
               "--out", str(out), "-j", "2"]
    batch = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while len(results_in(out)) < 2 and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(batch.pid, signal.SIGKILL)
    batch.wait()
    before = {name: (result, (out / "tiny" / name / "results.json").stat().st_mtime_ns)
              for name, result in results_in(out).items()}
    assert 2 <= len(before) < len(names), "the batch was not killed halfway"
    assert not (out / "index.html").exists()

    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"({len(before)} unchanged, reused)" in finished.stdout
    after = results_in(out)
    assert sorted(after) == names
    assert all(r["score"] == r["max_score"] == 3 for r in after.values())
    for name, (result, mtime) in before.items():  # kept as they were, not regraded
        assert after[name] == result
        assert (out / "tiny" / name / "results.json").stat().st_mtime_ns == mtime
    assert all((out / "tiny" / name / "report.html").is_file() for name in names)
    assert not list(out.rglob("*.tmp"))
    assert len((out / "grades.csv").read_text().splitlines()) == len(names) + 1


# --- grader validate ----------------------------------------------------------------------


def _course_copy(root: Path) -> Path:
    """The shipped Actividad 2 course (rubric, reference, resources) copied under ``root``."""
    import shutil

    repo = Path(__file__).resolve().parent.parent
    for part in ("rubrics", "reference", "resources"):
        shutil.copytree(repo / part, root / part)
    for other in (root / "rubrics").glob("*.yaml"):  # the other courses' rubrics are not this test's
        if other.name != "actividad2.yaml":
            other.unlink()
    return root / "rubrics"


@pytest.mark.slow
def test_validate_passes_on_the_shipped_course(capsys):
    from grader.cli import main

    import importlib.util

    repo = Path(__file__).resolve().parent.parent
    # The PyTorch course (tema06) needs the [torch] extra; without it only the Keras course is valid here.
    target = repo / "rubrics" if importlib.util.find_spec("torch") else repo / "rubrics" / "actividad2.yaml"
    assert main(["validate", str(target)]) == 0
    out = capsys.readouterr().out
    rubric = load_rubric(repo / "rubrics" / "actividad2.yaml")
    assert f"the reference solution scores {rubric.max_score:g}/{rubric.max_score:g}" in out
    assert f"an empty submission scores 0/{rubric.max_score:g}" in out


@pytest.mark.sandbox
def test_validate_fails_clearly_on_a_broken_reference(tmp_path, capsys):
    from grader.cli import main

    rubrics = _course_copy(tmp_path)
    alexnet = tmp_path / "reference" / "actividad2" / "alexnet.py"
    alexnet.write_text(alexnet.read_text().replace("def alexnet(", "def alexnet(broken,"))
    assert main(["validate", str(rubrics)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {rubrics / 'actividad2.yaml'}" in out
    assert f"error: {alexnet}: alexnet() raised TypeError" in out and "Fix: fix the reference solution" in out


@pytest.mark.slow
def test_validate_catches_checks_that_pass_on_empty_code_or_fail_on_the_reference(tmp_path, capsys):
    from grader.cli import main

    rubric, _ = make_course(tmp_path, {})
    # An uncompiled reference cannot pass a compile check, and a rubric whose only model-free
    # check is 'runs' gives that point to empty code.
    rubric.write_text(RUBRIC.replace("      - {id: runs, kind: runs}",
                                     "      - {id: runs, kind: runs}\n      - {id: compiled, kind: compile, model: net}"))
    free = tmp_path / "free.yaml"
    free.write_text("schema: 1\nassignment: free\nreference: reference\nmodels: {}\n"
                    "activities:\n  - id: '1'\n    checks:\n      - {id: runs, kind: runs}\n")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "the reference solution scores 3/4, expected 4" in out and "compiled (" in out
    assert "an empty submission scores 1/1, expected 0" in out and "Passing checks: runs" in out
    assert "0 of 2 rubric(s) valid." in out


# --- progress -----------------------------------------------------------------------------


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_elsewhere(capsys):
    import io

    from grader.batch.progress import PlainReporter, RichReporter, make_reporter
    from grader.batch.worker import JobOutcome
    from grader.grading.results import GradedSubmission

    result = {"assignment": "tiny", "submission": "ana", "score": 1, "max_score": 3,
              "execution": {"status": "error"}}
    assert isinstance(make_reporter(io.StringIO()), PlainReporter)  # not a terminal: CI, pipes
    live = io.StringIO()
    reporter = make_reporter(live, live=True)
    assert isinstance(reporter, RichReporter)
    reporter.start(total=3, cached=1)
    reporter.advance(JobOutcome(0, GradedSubmission.from_json(result), 1.5))
    reporter.finish()
    assert "tiny/ana: 1/3  execution error  (1.5 s)" in live.getvalue()
    assert "2/3" in live.getvalue() and "1 failed" in live.getvalue()

    plain = PlainReporter()
    plain.start(total=3, cached=1)
    plain.advance(JobOutcome(0, GradedSubmission.from_json(result), 1.5))
    out = capsys.readouterr().out
    assert "1 of 3 submissions unchanged" in out and "[2/3] tiny/ana: 1/3" in out
