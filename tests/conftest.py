"""Shared fixtures. Tests run TensorFlow on the CPU and never touch the network."""

import os
from pathlib import Path

import pytest

import grader  # noqa: F401 - first: the grader's process never loads triton (see grader/__init__.py)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent


# Fixtures that build reference models or train in the sandbox: a test that uses one is not a unit test.
SANDBOX_FIXTURES = {"references", "example_references", "graded"}


def pytest_collection_modifyitems(config, items):
    """Tier the tests: everything that is not slow, hostile or started in a sandbox is ``unit``
    (``pytest -m unit``: the edit-test loop, under 30 s)."""
    for item in items:
        heavy = any(item.get_closest_marker(name) for name in ("slow", "hostile", "sandbox"))
        if not heavy and not SANDBOX_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Derived expectations go to a cache of the test session's own."""
    os.environ["GRADER_CACHE_DIR"] = str(tmp_path_factory.mktemp("grader-cache"))
    yield


@pytest.fixture(scope="session")
def processes_mentioning():
    """``find(token)``: pids of live processes whose command line contains ``token``.

    Tests give the processes a submission starts a unique token, then look for survivors.
    """
    def find(token: str) -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    if token.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                        found.append(int(entry))
                except OSError:
                    pass
        return found

    return find


@pytest.fixture(scope="session")
def inside(tmp_path_factory):
    """A folder where ``import grader_inside`` finds the in-sandbox package, as inside a sandbox.

    It is on this process's ``sys.path`` for the session; give it as ``PYTHONPATH`` to a child.
    """
    import sys

    folder = tmp_path_factory.mktemp("inside")
    (folder / "grader_inside").symlink_to(ROOT / "grader" / "inside", target_is_directory=True)
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


@pytest.fixture(scope="session")
def rubric():
    from grader.grading.rubric import load_rubric

    return load_rubric(ROOT / "rubrics" / "actividad2.yaml")


@pytest.fixture(scope="session")
def references(rubric):
    from grader.expectations.reference import reference_cards

    return reference_cards(rubric)
