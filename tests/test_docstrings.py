"""Every example in grader's docstrings runs, and shows what it says.

Examples that need a sandbox, a GPU or the network are marked ``# doctest: +SKIP`` in place.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil

import pytest

import grader

OPTIONAL = {"torch", "torchvision"}  # the [torch] extra: modules that import it are skipped without it


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(grader.__path__, prefix="grader."):
        if info.name.startswith("grader.inside"):
            names.append("grader_inside" + info.name[len("grader.inside"):])  # as the sandbox imports it
        elif not info.name.endswith("__main__"):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name, inside, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write here
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    if any(part in OPTIONAL for part in name.split(".")) and importlib.util.find_spec("torch") is None:
        pytest.skip(f"{name}'s examples need torch (the [torch] extra)")
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in OPTIONAL:
            pytest.skip(f"{name} needs {exc.name} (an optional extra)")
        raise
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (see the output above)"
