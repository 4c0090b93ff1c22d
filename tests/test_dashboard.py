"""The class dashboard (index.html): figures from results, and the page in a real headless Chromium."""

from __future__ import annotations

import shutil

import pytest

from grader.reports.dashboard import class_stats
from grader.reports.exporters.index_html import write_index

CONV = "Conv2D(96, 11x11, strides 4x4, relu)"


def student(name: str, score: float, strides: int = 4, built: bool = True) -> dict:
    """A result for AlexNet's first block: the conv's strides decide whether activity 1 passes."""
    conv = CONV.replace("strides 4x4", f"strides {strides}x{strides}")
    good = strides == 4 and built
    rows = [
        {"status": "same", "differs": [], "reference": {"name": "block1_pad", "describe": "ZeroPadding2D(padding 2)"},
         "student": {"name": "zero_padding2d", "describe": "ZeroPadding2D(padding 2)"}},
        {"status": "same" if good else "differs", "differs": [] if good else ["config", "output_shape"],
         "reference": {"name": "block1_conv", "describe": CONV}, "student": {"name": "conv2d", "describe": conv}},
        {"status": "same" if good else "differs", "differs": [] if good else ["output_shape"],
         "reference": {"name": "block1_pool", "describe": "MaxPooling2D(3x3)"},
         "student": {"name": "max_pooling2d", "describe": "MaxPooling2D(3x3)"}},
    ]
    return {
        "assignment": "actividad2", "submission": name, "title": "Actividad 2", "status": "graded",
        "score": score, "max_score": 10.0,
        "execution": {"status": "ok", "message": "", "duration_s": 1.0, "cells": []},
        "activities": [{"id": "1", "title": "Bloque 1", "points": 5.0 if good else 0.0, "max_points": 5.0,
                        "status": "pass" if good else "fail"},
                       {"id": "2", "title": "Bloque 2", "points": score - (5.0 if good else 0.0), "max_points": 5.0,
                        "status": "pass" if score - (5.0 if good else 0.0) == 5.0 else "partial"}],
        "checks": [{"id": "a1-layers", "activity": "1", "title": "Capas del bloque 1",
                    "status": "pass" if good else "fail", "points": 5.0 if good else 0.0, "max_points": 5.0,
                    "message": "", "expected": None, "found": None}],
        "models": [{"id": "alexnet", "title": "AlexNet", "found": "modelAlexNet" if built else None,
                    "rows": rows if built else [{**row, "status": "missing", "student": None} for row in rows]}],
    }


CLASS = [student("ana", 10), student("bo", 9.5), student("cy", 4, strides=11), student("di", 3.5, strides=11),
         student("ed", 0, built=False), student("fa", 7.5), student("gu", 10), student("hu", 2, strides=11),
         student("iz", 10), student("jo", 8), student("ka", 6), student("lu", 10), student("mo", 1.5, strides=11)]


def test_findings_count_each_mistake_once_per_student():
    stats = class_stats(CLASS)
    top = stats["findings"][0]
    used_11 = [r for r in CLASS if any("strides 11x11" in (row["student"] or {}).get("describe", "")
                                         for m in r["models"] for row in m["rows"])]
    assert (top["kind"], top["layer"], top["count"], top["total"]) == ("differs", "block1_conv", len(used_11), len(CLASS))
    assert top["found"] == CONV.replace("4x4", "11x11") and top["expected"] == CONV
    assert round(top["share"]) == round(100 * len(used_11) / len(CLASS))
    # A model never built is one finding, not one per layer; shape-only differences are not findings.
    assert [f["kind"] for f in stats["findings"]] == ["differs", "no_model"]


def test_histogram_and_pass_rates():
    stats = class_stats(CLASS)
    bands = stats["histogram"]
    assert sum(b["count"] for b in bands) == len(CLASS)
    assert bands[-1]["count"] == sum(1 for r in CLASS if r["score"] >= 9) and bands[-1]["height"] == 100.0
    rates = {row["id"]: row for row in stats["activities"]}
    passed = sum(1 for r in CLASS if r["activities"][0]["status"] == "pass")
    assert (rates["1"]["passed"], rates["1"]["total"]) == (passed, len(CLASS))
    assert stats["checks"][0]["id"] == "a1-layers"


def test_the_page_writes_the_finding_as_a_sentence(tmp_path):
    page = write_index(CLASS, tmp_path / "index.html").read_text(encoding="utf-8")
    share = f"{round(100 * 4 / len(CLASS), 1):g}%"
    assert f"<strong>{share}</strong> (4 of {len(CLASS)})" in page
    assert "strides 11x11" in page and "block1_conv" in page
    assert "did not build the model AlexNet" in page


# --- in a real browser --------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    from browser import Chromium

    with Chromium.start(CHROMIUM) as started:
        yield started


def _column(page, table: str, index: int) -> list[str]:
    return page.evaluate(f"Array.from(document.querySelectorAll('#{table} tbody tr')).map("
                         f"r => r.cells[{index}].getAttribute('data-sort') ?? r.cells[{index}].textContent.trim())")


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_the_console_check_catches_a_broken_page(browser, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><title>x</title><script>notDefined();</script>")
    assert any("notDefined" in p for p in browser.open(broken.as_uri()).problems)


def test_dashboard_loads_from_file_without_errors_and_its_tables_sort(browser, tmp_path):
    links = {f"actividad2/{r['submission']}": f"actividad2/{r['submission']}/report.html" for r in CLASS}
    path = write_index(CLASS, tmp_path / "index.html", links)
    html = path.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained: nothing fetched

    page = browser.open(path.as_uri())
    assert page.problems == []
    assert _column(page, "grades", 0) == [r["submission"] for r in CLASS]
    hrefs = page.evaluate("Array.from(document.querySelectorAll('#grades tbody a')).map(a => a.getAttribute('href'))")
    assert hrefs == [links[f"actividad2/{r['submission']}"] for r in CLASS]

    page.evaluate("document.querySelector('#grades thead th:nth-child(3) button').click()")
    ascending = [float(v) for v in _column(page, "grades", 2)]
    assert ascending == sorted(r["score"] for r in CLASS)
    page.evaluate("document.querySelector('#grades thead th:nth-child(3) button').click()")
    assert [float(v) for v in _column(page, "grades", 2)] == sorted((r["score"] for r in CLASS), reverse=True)
    page.evaluate("document.querySelector('#grades thead th:nth-child(1) button').click()")
    assert _column(page, "grades", 0) == sorted(r["submission"] for r in CLASS)

    page.evaluate("document.querySelector('#activities thead th:nth-child(3) button').click()")
    rates = [float(v) for v in _column(page, "activities", 2)]
    assert rates == sorted(rates) and len(rates) == 2
    assert page.problems == []
