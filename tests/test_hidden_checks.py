"""Hidden checks through ``grader check``: students see that they exist and their score, never what they expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubrics" / "resnet_bottleneck.yaml"  # the worked example of docs/rubric.md
REFERENCE = ROOT / "reference" / "resnet_bottleneck"
WRONG_STRIDE = ROOT / "submissions" / "resnet_bottleneck" / "wrong_stride.py"
HIDDEN_TITLES = ("3x3 conv 64 (same) + BN + ReLU", "Still 56x56 after the 3x3 conv")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hidden")
    text = RUBRIC.read_text(encoding="utf-8")
    text = text.replace("reference: ../reference/resnet_bottleneck", f"reference: {REFERENCE}")
    for title in HIDDEN_TITLES:
        text = text.replace(f'title: "{title}"}}', f'title: "{title}", hidden: true}}')
    assert text.count("hidden: true") == 2
    rubric = folder / "rubric.yaml"
    rubric.write_text(text, encoding="utf-8")
    json_path, html_path = folder / "results.json", folder / "report.html"
    code = main(["check", str(WRONG_STRIDE), "--rubric", str(rubric),
                 "--lang", "es", "--json", str(json_path), "--html", str(html_path)])
    return code, json_path, html_path


def test_check_says_hidden_checks_exist_in_the_chosen_language(checked, capsys):
    code, json_path, html_path = checked
    assert code == 1
    result = json.loads(json_path.read_text(encoding="utf-8"))
    assert result["language"] == "es"
    hidden = [c for c in result["checks"] if c["hidden"]]
    assert [c["title"] for c in hidden] == ["Comprobación oculta 1", "Comprobación oculta 2"]
    assert all(c["status"] == "fail" and c["expected"] is None and c["hint"] == "" for c in hidden)
    assert "Comprobación oculta" in html_path.read_text(encoding="utf-8")


def test_no_student_output_holds_hidden_expectations_reference_code_or_rubric_internals(checked):
    _, json_path, html_path = checked
    reference_code = [line.strip() for line in (REFERENCE / "bottleneck.py").read_text().splitlines()
                      if line.strip().startswith(("x = layers", "def ", "shortcut"))]
    for output in (json_path.read_text(encoding="utf-8"), html_path.read_text(encoding="utf-8")):
        for title in HIDDEN_TITLES:
            assert title not in output
        for line in reference_code:
            assert line not in output
        assert "hidden: true" not in output and "hidden-1" in output  # no rubric text; hidden ids renumbered
    block = next(m for m in json.loads(json_path.read_text(encoding="utf-8"))["models"] if m["id"] == "block")
    assert block["rows"] == [] and block["findings"] == []  # the block's table would show the hidden expectations
