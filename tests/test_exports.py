"""Exports for other tools: JUnit XML, Gradescope results.json, GitHub Actions annotations."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from grader.reports.exporters.github import annotation, annotations
from grader.reports.exporters.gradescope import gradescope_results, write_gradescope
from grader.reports.exporters.junit import write_junit
from test_reports import sample_result


def unreadable() -> dict:
    result = sample_result("ghost", score=0.0)
    result["status"] = "error"
    result["execution"] = {"status": "error", "message": "ghost.ipynb: this is not a valid Jupyter notebook",
                           "duration_s": 0.0, "cells": []}
    for check in result["checks"]:
        check.update(status="skipped", points=0.0)
    return result


def test_junit_has_one_suite_per_submission_and_one_case_per_check(tmp_path):
    results = [sample_result("correct"), unreadable()]
    results[0]["checks"][0]["message"] += " \x1b[31m"  # terminal colours in student output: not valid XML
    root = ET.parse(write_junit(results, tmp_path / "grades.xml")).getroot()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["actividad2/correct", "actividad2/ghost"]
    graded = suites[0]
    cases = graded.findall("testcase")
    assert len(cases) == len(results[0]["checks"])
    failed = [c for c in results[0]["checks"] if c["status"] == "fail"]
    assert int(graded.get("failures")) == len(failed) == len(graded.findall("testcase/failure"))
    failure = graded.find("testcase/failure")
    assert "Expected: (None, 27, 27, 96)" in failure.text and "Fix: Use strides=(2, 2)" in failure.text
    ghost = suites[1]
    assert ghost.find("testcase/error").get("message").startswith("ghost.ipynb: this is not a valid")
    assert int(ghost.get("skipped")) == len(results[1]["checks"])
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def test_gradescope_results_follow_the_autograder_format(tmp_path):
    import json

    result = sample_result("correct")
    data = json.loads(write_gradescope(result, tmp_path / "results.json").read_text())
    assert data["score"] == result["score"]
    assert data["execution_time"] == round(result["execution"]["duration_s"], 1)
    assert [t["status"] for t in data["tests"]] == ["passed" if c["status"] == "pass" else "failed"
                                                    for c in result["checks"]]
    assert [t["max_score"] for t in data["tests"]] == [c["max_points"] for c in result["checks"]]
    assert data["tests"][0]["number"] == "1.1" and data["tests"][1]["number"] == "1.2"
    assert "Fix: Use strides=(2, 2)" in data["tests"][0]["output"]
    assert set(gradescope_results(result)) >= {"score", "tests", "output", "visibility", "execution_time"}


def test_github_annotations_escape_what_would_break_the_command():
    line = annotation("warning", "50% done\nnext: line", title="a2/carla: Capas, bloque 1")
    assert line == "::warning title=a2/carla%3A Capas%2C bloque 1::50%25 done%0Anext: line"
    with pytest.raises(ValueError, match="got 'fatal'"):
        annotation("fatal", "x")


def test_github_annotations_for_a_batch():
    results = [sample_result("correct"), unreadable()]
    lines = annotations(results)
    failing = [c for c in results[0]["checks"] if c["status"] in ("fail", "error")]
    failed_cells = [c for c in results[0]["execution"]["cells"] if c["status"] == "error"]
    assert [l.split(" ", 1)[0] for l in lines] == (["::error"] * len(failed_cells) + ["::warning"] * len(failing)
                                                   + ["::error"])
    assert "cell 7%2C line 2::ValueError: Input 0 of layer" in lines[0] and "Add a Flatten()" in lines[0]
    assert "title=actividad2/ghost%3A not graded::ghost.ipynb: this is not a valid" in lines[-1]


def test_github_annotations_sit_on_the_submitted_file_and_a_script_line():
    notebook = {**sample_result("correct"), "path": "work/handout.ipynb"}
    on_notebook = annotations([notebook])[0]
    assert on_notebook.startswith("::error file=work/handout.ipynb,title=") and "line=" not in on_notebook
    script = sample_result("correct")
    script["path"] = "work/train.py"
    script["execution"]["cells"][0].update(file="train.py", cell=None, line=14)
    on_script = annotations([script])[0]
    assert on_script.startswith("::error file=work/train.py,line=14,title=")
