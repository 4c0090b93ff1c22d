"""Rubric loading: the shipped rubric loads; mistakes are one line with file, line and fix."""

from pathlib import Path

import pytest

from grader.errors import InputError
from grader.grading.grade import check_points
from grader.grading.rubric import load_rubric

ROOT = Path(__file__).resolve().parent.parent

HEAD = f"""\
assignment: x
reference: {ROOT / 'reference' / 'actividad2'}
models:
  rnn: {{build: rnn.py:rnn_dense, variable: modelRNN}}
activities:
  - id: "1"
    checks:
"""


def _load(tmp_path, checks: str):
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + checks)
    return load_rubric(path)


def test_the_shipped_rubric_loads(rubric):
    assert rubric.assignment == "actividad2"
    assert [a.id for a in rubric.activities] == ["1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12"]
    assert rubric.max_score == 32  # 30 architecture points + the two train checks (activities 10 and 11)
    assert [c.id for a in rubric.activities for c in a.checks if c.kind == "train"] == ["a10-train", "a11-train"]
    assert all(r.exists() for r in rubric.resources)


def test_the_rubric_round_trips_to_plain_config(rubric):
    config = rubric.get_config()
    assert config["reference"] == "../reference/actividad2"
    assert config["models"]["alexnet"]["variables"] == ["modelAlexNet"]


@pytest.mark.parametrize("checks, needle, line", [
    ("      - {kind: runs, model: rnn}\n", "takes no 'model'", 8),
    ("      - {kind: params, model: rnn, count: all}\n", "'count' must be", 8),
    ("      - {kind: layers, model: rnn, settings: [filter]}\n", "unknown layer setting 'filter'", 8),
    ("      - {kind: output_shape, model: rnn, at: 3}\n", "'at' must be the name", 8),
    ("      - {kind: params, model: rnn, points: -1}\n", "points must be a number", 8),
])
def test_mistakes_name_the_file_and_the_line(tmp_path, checks, needle, line):
    with pytest.raises(InputError) as error:
        _load(tmp_path, checks)
    text = str(error.value)
    assert needle in text and str(tmp_path / "r.yaml") in text and f"line {line}" in text


def test_a_layer_the_reference_does_not_have_is_a_rubric_error(tmp_path, references):
    rubric = _load(tmp_path, "      - {kind: output_shape, model: rnn, at: block9}\n")
    with pytest.raises(InputError, match="use one of: rnn, output"):
        check_points(rubric, {"rnn": references["rnn_dense"]})


def test_a_reversed_layer_range_is_a_rubric_error(tmp_path, references):
    rubric = _load(tmp_path, "      - {kind: layers, model: rnn, from: output, to: rnn}\n")
    with pytest.raises(InputError, match="swap them"):
        check_points(rubric, {"rnn": references["rnn_dense"]})
