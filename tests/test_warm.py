"""Caches built once on the trusted side and seeded into each run's fresh home."""

from __future__ import annotations

import json

import pytest

from grader.sandbox.warm import matplotlib_cache

pytest.importorskip("matplotlib")


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_matplotlib_font_list_is_built_once_under_the_grader_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path))
    folder = matplotlib_cache()
    assert folder is not None and folder.is_relative_to(tmp_path)
    (font_list,) = folder.glob("fontlist-*.json")
    assert json.loads(font_list.read_text())["ttflist"]  # the fonts matplotlib found
    built = font_list.stat().st_mtime_ns
    assert matplotlib_cache() == folder and font_list.stat().st_mtime_ns == built  # not built again


@pytest.mark.sandbox
def test_a_run_finds_the_font_list_in_its_home_before_matplotlib_starts(tmp_path):
    from grader.execution.runner import execute
    from grader.submission.submission import Submission

    script = tmp_path / "fonts.py"
    script.write_text("import glob, os\n"
                      "print('seeded:', bool(glob.glob(os.path.expanduser('~/.cache/matplotlib/fontlist-*.json'))))\n"
                      "import matplotlib.font_manager\n")
    result = execute(Submission.from_path(script))
    assert result.status == "ok" and "seeded: True" in result.output_tail
