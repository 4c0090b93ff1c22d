"""docs/extending.md's examples work: a check kind, an exporter and a data source, each one module.

The example modules (``docs/examples/extending/``) are declared the way an installed package
declares them (entry points); nothing else in grader changes.
"""

from __future__ import annotations

import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples" / "extending"


DECLARED = {
    "grader.check_kinds": [("max_layers", "max_layers")],
    "grader.messages": [("max_layers", "max_layers")],
    "grader.exporters": [("markdown", "markdown_summary")],
    "grader.data_sources": [("sine", "sine")],
}


def _clear_registries():
    from grader.checks import check_kinds
    from grader.data import data_sources
    from grader.i18n import messages
    from grader.reports.exporters import exporters

    for registry in (check_kinds, data_sources, messages, exporters):
        registry.cache_clear()


@pytest.fixture
def installed(monkeypatch):
    """The examples, as if a package declaring them were installed."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.setattr("grader.plugins.entry_points", lambda group: [
        EntryPoint(name=name, value=module, group=group) for name, module in DECLARED.get(group, [])])
    _clear_registries()
    yield
    _clear_registries()
    for module in ("max_layers", "markdown_summary", "sine"):
        sys.modules.pop(module, None)


def test_a_new_check_kind_is_loaded_from_a_rubric_and_graded(installed, tmp_path):
    import keras

    from grader.execution.result import Capture, ExecutionResult
    from grader.frameworks import framework
    from grader.grading.grade import score_execution
    from grader.grading.rubric import load_rubric

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "net.py").write_text(textwrap.dedent("""
        import keras
        def net():
            return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, name="hidden"),
                                     keras.layers.Dense(1, name="out")])
    """))
    rubric_path = tmp_path / "rubric.yaml"
    rubric_path.write_text(textwrap.dedent("""
        assignment: tiny
        reference: reference
        models: {net: {build: "net.py:net", variable: model}}
        activities:
          - id: "1"
            checks:
              - {id: small, kind: max_layers, model: net, at_most: 2}
    """))
    rubric = load_rubric(rubric_path)
    assert rubric.activities[0].checks[0].settings.at_most == 2

    keras_adapter = framework("keras")
    reference = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dense(1)])
    references = {"net": keras_adapter.card_from_export(reference.to_json(), name="net", source="reference")}
    deep = keras.Sequential([keras.Input((4,)), *[keras.layers.Dense(8) for _ in range(3)], keras.layers.Dense(1)])
    for model, status, points in ((reference, "pass", 1.0), (deep, "fail", 0.0)):
        capture = Capture(file="hw.py", variable="model", object_id=1, where="line 3", model_class="Sequential",
                          built=True, order=0, architecture=model.to_json())
        result = score_execution(ExecutionResult(captures=[capture]), rubric, references, "ana", lang="es")
        check = result.checks[0]
        assert (check.status, check.points) == (status, points)
        assert check.title == "Como mucho 2 capas"
        assert check.message.startswith("Tu modelo tiene")


def test_a_rubric_with_bad_options_for_the_new_kind_gets_one_line(installed, tmp_path):
    from grader.errors import InputError
    from grader.grading.rubric import load_rubric

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "net.py").write_text("def net():\n    return None\n")
    (tmp_path / "rubric.yaml").write_text(textwrap.dedent("""
        assignment: tiny
        reference: reference
        models: {net: {build: "net.py:net"}}
        activities:
          - id: "1"
            checks:
              - {kind: max_layers, model: net, at_most: many}
    """))
    with pytest.raises(InputError, match="line 8: 'at_most' must be a whole number >= 1, got 'many'"):
        load_rubric(tmp_path / "rubric.yaml")


def test_a_new_exporter_gets_its_flag_and_writes_its_file(installed, tmp_path):
    import argparse

    from grader.cli import _export_arguments
    from grader.reports.exporters import exporters

    parser = argparse.ArgumentParser()
    _export_arguments(parser, "grade")
    args = parser.parse_args(["--markdown", str(tmp_path / "scores.md")])
    result = {"assignment": "tiny", "submission": "ana", "score": 3.0, "max_score": 4.0}
    exporters()["markdown"].write([result], args.markdown)
    assert "| tiny/ana | 3/4 | 75 |" in (tmp_path / "scores.md").read_text()


def test_a_new_data_source_trains_a_check(installed):
    from grader.data.load import load_dataset
    from grader.data.spec import DataSpec

    data = load_dataset(DataSpec.from_config({"name": "sine", "samples": 100}), input_shape=(8,))
    assert data.sizes() == {"train": 80, "test": 20}
    assert data.splits["train"][0].shape == (80, 8)
    with pytest.raises(ValueError, match="unknown option 'period'"):
        DataSpec.from_config({"name": "sine", "period": 3})


def test_an_extension_cannot_replace_what_grader_has(monkeypatch):
    monkeypatch.setattr("grader.plugins.entry_points", lambda group: [
        EntryPoint(name="layers", value="grader.checks.kinds.layers", group=group)]
        if group == "grader.check_kinds" else [])
    _clear_registries()
    try:
        from grader.checks import check_kinds

        with pytest.raises(ValueError, match="declares the check kind 'layers', which grader already has"):
            check_kinds()
    finally:
        _clear_registries()


def test_the_examples_are_what_the_doc_shows():
    doc = (ROOT / "docs" / "extending.md").read_text(encoding="utf-8")
    for example in ("max_layers.py", "markdown_summary.py", "sine.py"):
        assert f"docs/examples/extending/{example}" in doc, example
