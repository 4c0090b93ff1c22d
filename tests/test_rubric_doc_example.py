"""The worked example of docs/rubric.md grades as the doc says, and the doc shows its files.

The example is a course pack like any other (``rubrics/resnet_bottleneck.yaml``,
``reference/resnet_bottleneck/``, ``submissions/resnet_bottleneck/``), so ``grader validate
rubrics/`` and ``grade submissions/`` take it too. The fast tests need no TensorFlow: they load
rubrics (the example, the doc's one-line check examples, and broken rubrics whose one-line errors
the doc quotes). The slow ones grade the example's three submissions end to end.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader.errors import InputError
from grader.checks import check_kinds
from grader.grading.rubric import load_rubric

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rubric.md"
RUBRIC = ROOT / "rubrics" / "resnet_bottleneck.yaml"
REFERENCE_FOLDER = ROOT / "reference" / "resnet_bottleneck"
REFERENCE = REFERENCE_FOLDER / "bottleneck.py"
SUBMISSIONS = ROOT / "submissions" / "resnet_bottleneck"
GOOD = SUBMISSIONS / "good.py"
WRONG_STRIDE = SUBMISSIONS / "wrong_stride.py"
WRONG_SKIP = SUBMISSIONS / "wrong_skip.py"
POINT_KEYS = ("at", "through", "from", "to")

# The checks wrong_stride.py fails, as the doc's table lists them.
WRONG_STRIDE_FAILS = {"conv3x3", "conv3x3-shape", "add-shape", "block-params", "head-params"}


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    """The fenced code blocks of the doc in ``language``, each with its final newline."""
    return re.findall(rf"^```{language}\n(.*?)^```\s*$", _doc(), re.S | re.M)


def _reference_layer_names() -> set[str]:
    return set(re.findall(r'name="(\w+)"', REFERENCE.read_text(encoding="utf-8")))


def _doc_check_examples() -> list[dict]:
    """The one-line check examples: YAML blocks that are a list of checks."""
    examples = []
    for block in _blocks("yaml"):
        data = yaml.safe_load(block)
        if isinstance(data, list) and data and all(isinstance(c, dict) and "kind" in c for c in data):
            examples.extend(data)
    return examples


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The example rubric with one edit, as tmp_path/rubric.yaml next to a copy of its reference."""
    text = RUBRIC.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the example rubric no longer contains {old!r}"
    shutil.copytree(REFERENCE_FOLDER, tmp_path / "reference" / "resnet_bottleneck")
    (tmp_path / "rubrics").mkdir()
    path = tmp_path / "rubrics" / "rubric.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(text: str) -> int:
    """The line of the example rubric that contains ``text`` (1-based)."""
    lines = RUBRIC.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def _as_in_doc(error: InputError, tmp_path: Path) -> str:
    """The error's one line, with the temporary folder left out, as the doc shows it."""
    return str(error).replace(str(tmp_path / "rubrics") + os.sep, "")


# ------------------------------------------------------------------ the example and the doc


def test_example_rubric_loads():
    rubric = load_rubric(RUBRIC)
    assert rubric.assignment == "resnet_bottleneck"
    assert set(rubric.models) == {"block", "classifier"}
    assert rubric.models["classifier"].variables == ["classifier", "model"]
    assert rubric.max_score == 17
    names = _reference_layer_names()
    for activity in rubric.activities:
        for check in activity.checks:
            for key in POINT_KEYS:
                if key in check.options:
                    assert check.options[key] in names, (check.id, key)


@pytest.mark.parametrize("path, language", [
    (RUBRIC, "yaml"), (REFERENCE, "python"), (GOOD, "python"), (WRONG_STRIDE, "python"), (WRONG_SKIP, "python"),
], ids=lambda value: value.name if isinstance(value, Path) else value)
def test_doc_shows_example_file(path, language):
    """Each example file appears in full, as one code block of the doc."""
    assert path.read_text(encoding="utf-8") in _blocks(language), \
        f"docs/rubric.md does not show the current {path.relative_to(ROOT)}: copy it into the doc"


def test_doc_yaml_blocks_parse():
    blocks = _blocks("yaml")
    assert blocks
    for block in blocks:
        yaml.safe_load(block)


def test_doc_documents_every_check_kind():
    doc = _doc()
    for kind in check_kinds():
        assert f"### `{kind}`" in doc, kind
    assert {c["kind"] for c in _doc_check_examples()} == set(check_kinds())


def test_doc_check_examples_are_valid(tmp_path):
    """The one-line examples load in the example rubric and name layers of its reference."""
    examples = _doc_check_examples()
    names = _reference_layer_names()
    for check in examples:
        for key in POINT_KEYS:
            if key in check:
                assert check[key] in names, check
    data = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    data["reference"] = str(REFERENCE_FOLDER)
    data["activities"].append({"id": "doc-examples", "checks": examples})
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rubric = load_rubric(path)
    assert len(rubric.activities[-1].checks) == len(examples)


def test_loading_a_rubric_needs_no_tensorflow():
    code = ("import sys; from grader.grading.rubric import load_rubric; "
            f"load_rubric({str(RUBRIC)!r}); "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


# ------------------------------------------------------------------------- broken rubrics

BROKEN = {
    "unknown-kind": ("kind: layers, model: block, from: conv2", "kind: layer, model: block, from: conv2",
                     "unknown check kind 'layer'", "use one of: base_model, compile, connections, ensemble"),
    "unknown-model": ("kind: output_shape, model: block, at: add", "kind: output_shape, model: blocks, at: add",
                      "unknown model 'blocks'", "use one of: block, classifier"),
    "invalid-yaml": ('title: "Add + ReLU"}', 'title: "Add + ReLU"',
                     "invalid YAML", "fix the YAML syntax"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_rubric_error_is_one_line_with_file_line_and_fix(case, tmp_path):
    old, new, problem, fix = BROKEN[case]
    path = _broken_copy(tmp_path, old, new)
    # YAML notices a missing '}' on the line after it; the other errors are on the edited line.
    line = _line_of(old) + (1 if case == "invalid-yaml" else 0)
    with pytest.raises(InputError) as caught:
        load_rubric(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: line {line}: {problem}"), message
    assert f". Fix: {fix}" in message, message
    assert caught.value.path == str(path) and caught.value.fix
    assert _as_in_doc(caught.value, tmp_path) in _doc(), \
        f"docs/rubric.md should quote this error as the loader writes it: {_as_in_doc(caught.value, tmp_path)}"


# ------------------------------------------------------------ grading the example (slow)


@pytest.fixture(scope="module")
def example_rubric():
    return load_rubric(RUBRIC)


@pytest.fixture(scope="module")
def example_references(example_rubric):
    from grader.expectations.reference import reference_cards

    return reference_cards(example_rubric)


def _checks(result: dict) -> dict[str, dict]:
    return {check["id"]: check for check in result["checks"]}


@pytest.mark.slow
def test_unknown_layer_name_is_reported_with_the_names_to_use(tmp_path, example_references):
    from grader.expectations.reference import reference_cards
    from grader.grading.grade import check_points

    path = _broken_copy(tmp_path, "at: add, title", "at: addition, title")
    rubric = load_rubric(path)  # layer names are not known before the reference is built
    with pytest.raises(InputError) as caught:
        check_points(rubric, reference_cards(rubric))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: check 'add-shape' names layer 'addition'"), message
    assert "Fix: use one of: conv1, bn1, relu1, conv2, bn2, relu2, conv3, bn3, add, out" in message
    assert _as_in_doc(caught.value, tmp_path) in _doc()


@pytest.mark.slow
def test_good_submission_gets_full_marks(example_rubric, example_references):
    from grader.grading.grade import grade_submission

    result = grade_submission(GOOD, example_rubric, references=example_references).to_json()
    assert result["status"] == "graded"
    assert result["execution"]["status"] == "ok", result["execution"]
    failing = {i: c["message"] for i, c in _checks(result).items() if c["status"] != "pass"}
    assert failing == {}
    assert result["score"] == result["max_score"] == 17
    # Other variable names than the rubric's: the closest models are graded, and the report says so.
    models = {m["id"]: m for m in result["models"]}
    assert models["block"]["found"].startswith("resblock ")
    assert models["classifier"]["found"].startswith("net ")
    assert any("resblock" in note for note in models["block"]["notes"])
    assert "resblock" in _checks(result)["block-found"]["message"]
    assert all(row["status"] == "same" for m in result["models"] for row in m["rows"])


@pytest.mark.slow
def test_wrong_stride_loses_points_at_the_layer_at_fault(example_rubric, example_references):
    from grader.grading.grade import grade_submission

    result = grade_submission(WRONG_STRIDE, example_rubric, references=example_references).to_json()
    assert result["execution"]["status"] == "ok", result["execution"]
    assert result["score"] < result["max_score"]
    checks = _checks(result)
    failing = {i for i, c in checks.items() if c["status"] != "pass"}
    assert failing == WRONG_STRIDE_FAILS
    for check_id in failing:
        assert checks[check_id]["status"] == "fail"
        assert "`conv3x3`" in checks[check_id]["message"], checks[check_id]
        assert "strides (2, 2)" in checks[check_id]["message"], checks[check_id]
    assert checks["conv3x3"]["hint"] == "Conv2D(64, (3, 3), padding='same')"
    assert "(None, 28, 28, 64)" in checks["conv3x3-shape"]["message"]
    block = next(m for m in result["models"] if m["id"] == "block")
    assert [r["student"]["name"] for r in block["rows"] if r["status"] == "extra"] == ["projection"]
    # The doc states the score and lists the failing checks.
    doc = _doc()
    assert f"It scores {result['score']:g}/{result['max_score']:g}." in doc
    for check_id in failing:
        assert f"| `{check_id}` |" in doc


@pytest.mark.slow
def test_a_skip_connection_from_the_wrong_tensor_costs_only_the_connection(example_rubric, example_references):
    from grader.grading.grade import grade_submission

    result = grade_submission(WRONG_SKIP, example_rubric, references=example_references).to_json()
    assert result["execution"]["status"] == "ok", result["execution"]
    checks = _checks(result)
    assert {i for i, c in checks.items() if c["status"] != "pass"} == {"skip"}
    message = checks["skip"]["message"]
    assert message == ("Your layer `add` (Add) sums `batch_normalization_2` and `batch_normalization_2`; the "
                       "reference's `add` sums `bn3` (BatchNormalization()) and the input `features`, which in your "
                       "model are `batch_normalization_2` and the input `input_layer`.")
    assert message in _doc() and checks["skip"]["hint"] in _doc()
    assert f"It scores {result['score']:g}/{result['max_score']:g}: only `skip` fails." in _doc()
