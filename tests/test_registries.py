"""The contract every registered extension keeps: check kinds, exporters, data sources, frameworks.

Runs over whatever the registries hold, so a new kind, exporter or data source is checked the
moment its module exists.
"""

from __future__ import annotations

import json

import pytest

from grader.checks import check_kinds
from grader.checks.kind import CheckKind
from grader.data import data_sources
from grader.data.spec import DataSpec
from grader.frameworks import framework, names
from grader.i18n import LANGUAGES, is_msg, render
from grader.reports.exporters import exporters

# Options that load, per kind that needs some (the others load from no options at all).
VALID = {
    "output_shape": {"at": "dense"},
    "params": {"through": "dense", "count": ["total", "trainable"]},
    "layers": {"from": "a", "to": "b", "settings": ["units"]},
    "compile": {"settings": ["loss", "optimizer"]},
    "train": {"data": "blobs", "metric": "accuracy", "threshold": {"min": 0.5}},
    "no_disk_writes": {"ignore": ["~/.keras/*"]},
    "reported_value": {"variable": "acc_svm", "reduce": "last", "expect": {"min": 0.9}},
    "uses": {"calls": ["sklearn.svm"]},
    "fit_call": {"expect": {"batch_size": 1}},
    "loop_models": {"count": 5},
    "connections": {"at": "add"},
    "nested": {"parts": ["encoder", "decoder"], "same_objects": True},
    "base_model": {"base": "mobilenet", "compare": ["application", "trainable"]},
    "trains": {"parts": ["generator", "discriminator"]},
    "saved_model": {"formats": ["h5"]},
    "ensemble": {"members": "models", "average": "average", "inputs": "x_test"},
}
# Options that must be refused, per kind that takes any.
INVALID = {
    "output_shape": {"at": 3},
    "params": {"count": "all"},
    "layers": {"settings": ["no_such_setting"]},
    "compile": {"settings": "loss"},
    "train": {"data": "blobs", "metric": "accuracy"},
    "no_disk_writes": {"ignore": "~/.keras/*".split("/") + [3]},
    "reported_value": {"variable": "acc svm"},
    "uses": {"calls": ["sklearn svm"]},
    "fit_call": {"expect": {"shuffle": False}},
    "loop_models": {"count": 1},
    "connections": {"at": ["add"]},
    "nested": {"parts": "encoder"},
    "base_model": {"base": "mobilenet", "compare": ["colour"]},
    "trains": {"parts": "generator"},
    "saved_model": {"formats": ["pickle"]},
    "ensemble": {"members": "models", "average": "average", "inputs": "x test"},
}

KINDS = sorted(check_kinds())


def test_every_kind_has_a_test_case():
    with_options = {name for name, kind in check_kinds().items() if kind.options.NAMES}
    assert with_options <= set(VALID) and with_options <= set(INVALID), with_options - set(VALID)


@pytest.mark.parametrize("name", KINDS)
def test_valid_options_load_and_the_default_title_reads_in_both_languages(name):
    kind = check_kinds()[name]
    assert isinstance(kind, CheckKind) and kind.name == name and kind.about in ("model", "submission")
    options = kind.parse(VALID.get(name, {}), framework("keras"))
    title = kind.title(options)
    assert is_msg(title)
    for lang in LANGUAGES:
        assert render(title, lang).strip()


@pytest.mark.parametrize("name", sorted(INVALID))
def test_bad_options_give_one_line_errors(name):
    kind = check_kinds()[name]
    with pytest.raises(ValueError) as caught:
        kind.parse(INVALID[name], framework("keras"))
    assert "\n" not in str(caught.value) and str(caught.value)


def test_every_option_a_kind_names_is_one_a_rubric_can_write():
    for kind in check_kinds().values():
        assert all(isinstance(option, str) and option for option in kind.options.NAMES)
        assert not {"id", "kind", "title", "model", "points", "hidden"} & set(kind.options.NAMES), kind.name


SAMPLE = {"schema": 1, "assignment": "tiny", "title": "Tiny", "language": "es", "submission": "ana",
          "status": "graded", "score": 1.0, "max_score": 2.0,
          "execution": {"status": "ok", "message": "", "duration_s": 1.0, "cells": []},
          "activities": [{"id": "1", "title": "Uno", "points": 1.0, "max_points": 2.0, "status": "partial"}],
          "checks": [{"id": "a", "activity": "1", "title": "A", "status": "pass", "points": 1.0, "max_points": 1.0,
                      "message": "bien", "kind": "params"},
                     {"id": "b", "activity": "1", "title": "B", "status": "fail", "points": 0.0, "max_points": 1.0,
                      "message": "mal", "expected": 35, "found": 15, "kind": "params"}]}


@pytest.mark.parametrize("name", sorted(exporters()))
def test_every_exporter_writes_from_a_results_document(name, tmp_path, monkeypatch, capsys):
    exporter = exporters()[name]
    assert exporter.per in ("submission", "batch")
    assert exporter.flag or exporter.default or exporter.active, f"{name} is never written"
    target = tmp_path / (exporter.default or f"{name}.out")
    document = json.loads(json.dumps(SAMPLE))
    if exporter.active is not None:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert exporter.active()
        exporter.write([document], None, {})
        assert capsys.readouterr().out.strip()
        return
    exporter.write(document if exporter.per == "submission" else [document], target, {"tiny/ana": "tiny/ana/report.html"})
    assert target.is_file() and target.stat().st_size > 0


def test_submission_exporters_write_results_json_last():
    from grader.reports.exporters import per_submission

    assert [e.name for e in per_submission()][-1] == "results_json"


@pytest.mark.parametrize("name", sorted(data_sources()))
def test_every_data_source_says_where_its_data_is(name, tmp_path):
    source = data_sources()[name]
    spec = DataSpec.from_config({"name": name, "file": "x.npz"} if source.needs_file else name)
    located = source.locate(spec, tmp_path, [])
    assert isinstance(located.where, str) and located.where and isinstance(located.missing, bool)
    assert source.help


def test_every_framework_fills_the_adapter():
    for name in names():
        try:
            adapter = framework(name)
        except Exception as exc:  # noqa: BLE001 - an optional framework that is not installed says how
            assert "not installed" in str(exc), exc
            continue
        assert adapter.name == name and adapter.title and adapter.install
        for function in (adapter.card_from_export, adapter.outline, adapter.canonical, adapter.fix_line,
                         adapter.input_fix, adapter.compile_value, adapter.compile_call):
            assert callable(function)
        assert adapter.key_settings and adapter.version()
