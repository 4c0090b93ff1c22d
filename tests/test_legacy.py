"""Legacy mode: the handout's verbatim Keras 1 AlexNet code runs through the translation layer and is graded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.options import GradingOptions

from grader.sandbox.readback import read_translations
from grader.grading.rubric import load_rubric
from grader.reports.html import render_report

ROOT = Path(__file__).resolve().parent.parent
HANDOUT = ROOT / "submissions" / "actividad2" / "handout.ipynb"


@pytest.fixture(scope="module")
def legacy_rubric(tmp_path_factory):
    """actividad2.yaml plus a `keras_api` check worth 2 points: the rubric decides what old code costs."""
    folder = tmp_path_factory.mktemp("rubric")
    text = (ROOT / "rubrics" / "actividad2.yaml").read_text(encoding="utf-8")
    text = text.replace("reference: ../reference/actividad2", f"reference: {ROOT / 'reference' / 'actividad2'}")
    text = text.replace("../resources/", f"{ROOT / 'resources'}/")
    text = text.replace("language: es", "language: es\nlegacy_keras: true")
    text += ('  - id: "13"\n    title: {es: "Keras actual", en: "Current Keras"}\n    checks:\n'
             '      - {id: api, kind: keras_api, points: 2}\n')
    path = folder / "actividad2.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rubric(path)


@pytest.mark.slow
def test_the_handout_architecture_is_graded_in_legacy_mode(legacy_rubric, references):
    from grader.grading.grade import grade_submission

    result = grade_submission(HANDOUT, legacy_rubric, GradingOptions(lang="en"), references=references).to_json()
    checks = {c["id"]: c for c in result["checks"]}
    translations = result["legacy"]["translations"]
    assert result["legacy"]["enabled"]
    olds = {t["old"] for t in translations}
    assert {"import keras.layers.convolutional", "Convolution2D(96, 11, 11, ...)", "Conv2D(subsample=(4, 4))",
            "Conv2D(border_mode='valid')", "Convolution2D(256, 5, 5, ...)"} <= olds
    # Block 2 is written in Keras 1 only (Convolution2D(256, 5, 5, border_mode='valid')): graded now.
    assert checks["a2-layers"]["status"] == "pass" and checks["a2-shape"]["status"] == "pass"
    assert checks["a1-input"]["status"] == "pass" and checks["a1-shape-after-pool"]["status"] == "pass"
    # The handout's own typo, Activation('rel'), is not an old call: it is still reported as the mistake.
    assert "'linear' instead of 'relu'" in checks["a1-layers"]["message"]
    # The rubric made old code cost 2 points.
    assert checks["api"]["status"] == "fail" and checks["api"]["points"] == 0 and checks["api"]["max_points"] == 2
    page = render_report(result)
    assert "Legacy mode: translations made" in page
    assert "Conv2D(96, (11, 11), ...)" in page and "Conv2D(strides=(4, 4))" in page


def test_translations_from_the_student_process_are_validated(tmp_path):
    log = tmp_path / "legacy.jsonl"
    lines = [json.dumps({"old": "fit(nb_epoch=3)", "new": "fit(epochs=3)", "line": 4}),
             json.dumps({"old": "fit(nb_epoch=3)", "new": "fit(epochs=3)", "line": 4}),  # duplicate
             "not json", json.dumps(["a list"]), json.dumps({"old": 3, "new": "x"}),
             json.dumps({"old": "x" * 500, "new": "y", "line": True})]
    log.write_text("\n".join(lines) + "\n")
    records = read_translations(log, "nb.ipynb")
    assert records == [{"old": "fit(nb_epoch=3)", "new": "fit(epochs=3)", "file": "nb.ipynb", "line": 4},
                       {"old": "x" * 200, "new": "y", "file": "nb.ipynb", "line": 0}]
    assert not log.exists()  # the next file starts with an empty log
