"""The HTML reports, the batch index and the grades CSV (no TensorFlow needed)."""

from __future__ import annotations

import copy
import csv
import html
import re

import pytest

from grader.reports.exporters.grades_csv import grades_table, write_grades_csv
from grader.reports.common import format_shape, format_value, result_key
from grader.reports.exporters.index_html import write_index
from grader.reports.exporters.report_html import write_report
from grader.reports.html import render_index, render_report

HOSTILE = "<script>alert(1)</script>"


def sample_result(submission: str = "correct", score: float = 17.0) -> dict:
    """A result with one failing and one passing check, a model whose rows differ, and a run error."""
    return {
        "schema": 1,
        "assignment": "actividad2",
        "title": "Actividad Práctica 2: Técnicas de Aprendizaje Profundo",
        "submission": submission,
        "status": "graded",
        "score": score,
        "max_score": 20.0,
        "execution": {
            "status": "error",
            "message": "handout.ipynb, cell 7: ValueError",
            "duration_s": 12.3,
            "cells": [{
                "file": "handout.ipynb", "cell": 7, "status": "error", "ename": "ValueError",
                "evalue": "Input 0 of layer \"dense\" is incompatible with the layer",
                "line": 2, "code": "model.add(Dense(10))",
                "hint": "Add a Flatten() layer before the first Dense layer.", "duration_s": 0.1,
            }],
        },
        "activities": [
            {"id": "1", "title": "Bloque 1 de AlexNet", "points": 2.0, "max_points": 3.0, "status": "partial"},
            {"id": "2", "title": "Bloque 2 de AlexNet", "points": 3.0, "max_points": 3.0, "status": "pass"},
        ],
        "checks": [
            {"id": "a1-shape-pool", "activity": "1", "title": "Output shape after block 1",
             "status": "fail", "points": 0.0, "max_points": 1.0,
             "message": "The output of block 1 has the wrong shape.",
             "expected": [None, 27, 27, 96], "found": [None, 26, 26, 96],
             "model": "alexnet", "hint": "Use strides=(2, 2) in the MaxPooling2D layer."},
            {"id": "a1-params-conv", "activity": "1", "title": "Parameters of the first convolution",
             "status": "pass", "points": 2.0, "max_points": 2.0, "message": "Correct.",
             "expected": 34944, "found": 34944, "model": "alexnet", "hint": ""},
            {"id": "a2-layers", "activity": "2", "title": "Block 2 layers", "status": "pass",
             "points": 3.0, "max_points": 3.0, "message": "Correct.", "expected": None, "found": None,
             "model": "alexnet", "hint": ""},
        ],
        "models": [{
            "id": "alexnet", "title": "AlexNet", "variable": "modelAlexNet",
            "found": "modelAlexNet (correct.ipynb, cell 4)",
            "notes": ["The model had no input shape, so it was built with (None, 224, 224, 3)."],
            "reference_total": 62379752, "student_total": 62343944,
            "rows": [
                {"status": "same", "differs": [],
                 "reference": {"name": "block1_conv", "kind": "Conv2D", "describe": "Conv2D(96, 11x11, strides 4x4, relu)",
                               "output_shape": [None, 55, 55, 96], "params": 34944},
                 "student": {"name": "conv2d", "kind": "Conv2D", "describe": "Conv2D(96, 11x11, strides 4x4, relu)",
                             "output_shape": [None, 55, 55, 96], "params": 34944}},
                {"status": "differs", "differs": ["output_shape"],
                 "reference": {"name": "block1_pool", "kind": "MaxPooling2D", "describe": "MaxPooling2D(3x3, strides 2x2)",
                               "output_shape": [None, 27, 27, 96], "params": 0},
                 "student": {"name": "max_pooling2d", "kind": "MaxPooling2D", "describe": "MaxPooling2D(2x2, strides 2x2)",
                             "output_shape": [None, 26, 26, 96], "params": 0}},
                {"status": "missing", "differs": [],
                 "reference": {"name": "block1_bn", "kind": "BatchNormalization", "describe": "BatchNormalization()",
                               "output_shape": [None, 55, 55, 96], "params": 384},
                 "student": None},
            ],
        }],
        "grader_version": "0.1.0",
        "graded_at": "2026-11-23T12:00:00+00:00",
        "rubric": "rubrics/actividad2.yaml",
    }


def text_of(page: str) -> str:
    """The page's visible text, tags removed and entities decoded, whitespace collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def table_rows(page: str) -> list[str]:
    return re.findall(r"<tr\b.*?</tr>", page, flags=re.S)


# --- formatting -------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    ([None, 27, 27, 96], "(None, 27, 27, 96)"),
    ([None, 10], "(None, 10)"),
    ([None], "(None,)"),
    ([[None, 2], [None, 3]], "[(None, 2), (None, 3)]"),
])
def test_shapes_look_like_keras(value, shown):
    assert format_shape(value) == shown
    assert format_value(value) == shown


@pytest.mark.parametrize("value, shown", [
    (34944, "34,944"), (62379752.0, "62,379,752"), (0.001, "0.001"), (True, "True"),
    ("relu", "relu"), (None, "—"), ({"units": 10, "activation": "relu"}, "units=10, activation=relu"),
])
def test_values_are_readable(value, shown):
    assert format_value(value) == shown


# --- report.html ------------------------------------------------------------------------


def test_the_page_is_written_in_the_result_language():
    result = sample_result()
    result["language"] = "es"
    text = text_of(render_report(result))
    assert '<html lang="es">' in render_report(result)
    assert "Actividad 1 — Bloque 1 de AlexNet" in text
    assert "Arreglo probable:" in text and "Likely fix:" not in text
    assert "Esperado (None, 27, 27, 96) Encontrado (None, 26, 26, 96)" in text
    assert "Tu código se detuvo con un error" in text


def test_a_hidden_check_shows_its_score_but_not_its_expectations():
    result = sample_result()
    failing = next(c for c in result["checks"] if c["status"] == "fail")
    for check in result["checks"]:  # every check of the model hidden: its table goes too
        check["hidden"] = check["model"] == failing["model"]
    for model in result["models"]:
        model["id"] = failing["model"]
    page = render_report(result)
    text = text_of(page)
    assert "Hidden check 1" in text and "its expectations are not shown" in text
    assert failing["title"] not in text and failing["hint"] not in text
    assert "(None, 26, 26, 96)" not in text  # neither the found value nor the model's table
    assert failing["title"] in text_of(render_report(result, audience="instructor"))


def test_report_shows_score_activities_and_checks():
    page = render_report(sample_result())
    text = text_of(page)
    assert "17 / 20" in text
    assert "85%" in text
    assert "Activity 1 — Bloque 1 de AlexNet" in text  # no "language": English page, rubric titles as given
    assert "Activity 2 — Bloque 2 de AlexNet" in text
    assert "Output shape after block 1" in text and "Parameters of the first convolution" in text
    assert "Likely fix: Use strides=(2, 2) in the MaxPooling2D layer." in text
    # Expected vs found only for the failing check, formatted like Keras.
    assert "Expected (None, 27, 27, 96) Found (None, 26, 26, 96)" in text
    assert text.count("Expected") == 1


def test_report_shows_execution_error_with_hint():
    text = text_of(render_report(sample_result()))
    assert "Your code stopped with an error" in text
    assert "handout.ipynb, cell 7, line 2" in text
    assert "model.add(Dense(10))" in text
    assert 'ValueError: Input 0 of layer "dense" is incompatible' in text
    assert "Likely fix: Add a Flatten() layer before the first Dense layer." in text


def test_report_model_table_marks_differing_and_missing_rows():
    page = render_report(sample_result())
    rows = table_rows(page)
    differs = next(row for row in rows if "block1_pool" in row)
    missing = next(row for row in rows if "block1_bn" in row)
    same = next(row for row in rows if "block1_conv" in row)
    assert 'class="row-differs"' in differs and "≠ differs" in differs
    assert "(None, 27, 27, 96)" in differs and "(None, 26, 26, 96)" in differs
    assert 'class="row-missing"' in missing and "missing in your model" in missing
    assert "34,944" in same
    total = next(row for row in rows if "Total params" in row)
    assert "62,379,752" in total and "62,343,944" in total
    text = text_of(page)
    assert "Graded variable: modelAlexNet (correct.ipynb, cell 4)" in text
    assert "The model had no input shape" in text
    assert "rubrics/actividad2.yaml" in text and "2026-11-23 12:00 UTC" in text


def test_report_is_self_contained():
    page = render_report(sample_result())
    assert '<meta name="viewport"' in page
    assert "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_report_escapes_student_strings():
    result = sample_result()
    result["submission"] = HOSTILE
    result["models"][0]["found"] = f"{HOSTILE} (x.ipynb, cell 1)"
    result["models"][0]["rows"][0]["student"]["name"] = HOSTILE
    result["execution"]["cells"][0]["evalue"] = HOSTILE
    result["execution"]["cells"][0]["code"] = f"{HOSTILE} = Sequential()"
    result["checks"][0]["found"] = HOSTILE
    page = render_report(result)
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6
    assert HOSTILE in text_of(page)


def test_report_when_everything_passed_and_model_not_found():
    result = sample_result()
    result["execution"] = {"status": "ok", "message": "", "duration_s": 4.0, "cells": []}
    result["models"][0].update(found=None, student_total=None,
                               rows=[{**row, "student": None, "status": "missing"} for row in result["models"][0]["rows"]])
    text = text_of(render_report(result))
    assert "ran to the end without errors (4 s)" in text
    assert "No model found: expected a variable named modelAlexNet" in text


def test_report_tolerates_a_minimal_result():
    # A result from a grading error may have almost nothing in it.
    page = render_report({"assignment": "actividad2", "submission": "x", "status": "error",
                          "score": None, "max_score": 20,
                          "execution": {"status": "error", "message": "Could not read the notebook."}})
    assert "Could not read the notebook." in text_of(page)


def test_write_report_is_utf8(tmp_path):
    path = write_report(sample_result(), tmp_path / "out" / "report.html")
    assert "Técnicas de Aprendizaje Profundo" in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]  # no temp file left behind


# --- index.html -------------------------------------------------------------------------


def batch() -> list[dict]:
    broken = sample_result("broken", score=4.5)
    clean = sample_result("clean", score=20.0)
    clean["execution"] = {"status": "ok", "message": "", "duration_s": 3.0, "cells": []}
    return [sample_result("correct"), broken, clean]


def test_index_lists_every_submission_with_its_link():
    results = batch()
    links = {result_key(r): f"{r['assignment']}/{r['submission']}/report.html" for r in results}
    page = render_index(results, links)
    for result in results:
        assert f'<a href="actividad2/{result["submission"]}/report.html">{result["submission"]}</a>' in page
    text = text_of(page)
    assert "3 submissions" in text
    assert "mean score 13.83 / 20 (69.2%)" in text
    assert "2 with execution errors" in text
    assert "4.5 / 20" in text and "22.5%" in text
    assert 'data-type="number"' in page  # sortable numeric columns


def test_index_escapes_names_and_drops_script_links(tmp_path):
    result = sample_result(HOSTILE)
    page = render_index([result], {result_key(result): "javascript:alert(1)"})
    assert "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # only the sorting script
    path = write_index([result], tmp_path / "index.html")
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")


# --- grades.csv -------------------------------------------------------------------------


def test_grades_csv(tmp_path):
    results = batch()
    extra = copy.deepcopy(results[2])
    extra["submission"] = "=HYPERLINK(1)"
    extra["activities"].append({"id": "3", "title": "RNN", "points": 1.5, "max_points": 2.0, "status": "partial"})
    path = write_grades_csv(results + [extra], tmp_path / "grades.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["assignment", "submission", "score", "max_score", "percent", "status",
                             "execution_status", "failed_checks", "activity_1", "activity_2", "activity_3"]
    correct, broken, clean, injected = rows
    assert correct == {"assignment": "actividad2", "submission": "correct", "score": "17", "max_score": "20",
                       "percent": "85", "status": "graded", "execution_status": "error", "failed_checks": "1",
                       "activity_1": "2", "activity_2": "3", "activity_3": ""}
    assert (broken["score"], broken["percent"]) == ("4.5", "22.5")
    assert clean["execution_status"] == "ok"
    assert injected["submission"] == "'=HYPERLINK(1)" and injected["activity_3"] == "1.5"


def test_grades_table_of_nothing():
    assert grades_table([]) == (["assignment", "submission", "score", "max_score", "percent", "status",
                                 "execution_status", "failed_checks"], [])
