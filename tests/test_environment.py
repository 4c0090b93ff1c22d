"""Course environments: a rubric declares what its students' code imports; validate fails without it.

Nothing is installed while grading (no network): the environment is grader's own interpreter, with
the coursework stack grader depends on plus what the instructor added (docs/instructors.md).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from grader.cli import main
from grader.errors import InputError
from grader.execution.diagnostics import explain_text
from grader.grading.environment import CourseEnvironment
from grader.grading.rubric import load_rubric
from grader.grading.validate import validate_rubric

ROOT = Path(__file__).resolve().parent.parent

# What Actividad 2's code imports besides Keras: the course's airlineUtils (pandas, sklearn's
# MinMaxScaler and mean_squared_error, matplotlib) and the students' own sklearn imports.
COURSEWORK = ["numpy", "pandas", "matplotlib", "sklearn", "scipy", "skimage", "seaborn", "PIL", "h5py", "tqdm"]


def _rubric(tmp_path: Path, environment: str) -> Path:
    (tmp_path / "ref").mkdir(exist_ok=True)
    (tmp_path / "ref" / "m.py").write_text("def build():\n    pass\n")
    path = tmp_path / "rubric.yaml"
    path.write_text(textwrap.dedent("""\
        assignment: demo
        reference: ref
        models: {m: {build: m.py:build}}
        activities:
          - id: "1"
            checks:
              - {kind: model_found, model: m}
        """) + environment + "\n")
    return path


@pytest.mark.parametrize("module", COURSEWORK)
def test_the_default_environment_holds_the_coursework_stack(module):
    assert CourseEnvironment.from_modules([module]).missing() == []


def test_the_example_course_declares_its_environment_and_it_is_installed():
    rubric = load_rubric(ROOT / "rubrics" / "actividad2.yaml")
    assert rubric.environment is not None and "sklearn" in rubric.environment.modules
    assert rubric.environment.missing() == []


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_a_requirements_file_is_read_with_import_names(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "# Actividad 2\nscikit-learn>=1.3\nPillow\n-r base.txt\nscikit-image ; python_version >= '3.10'\n"
        "pandas  # the helper reads the CSV\n")
    rubric = load_rubric(_rubric(tmp_path, "environment: requirements.txt"))
    assert rubric.environment.modules == ("sklearn", "PIL", "skimage", "pandas")
    assert rubric.environment.source == "requirements.txt"
    assert rubric.environment.missing() == []


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_validate_fails_a_rubric_whose_environment_is_not_installed_with_the_install_command(tmp_path):
    (tmp_path / "requirements.txt").write_text("numpy\ngrader-no-such-package>=2.1\n")
    report = validate_rubric(_rubric(tmp_path, "environment: requirements.txt"))
    assert not report.ok and len(report.problems) == 1
    problem = report.problems[0]
    assert "'grader_no_such_package'" in problem and "not installed where grader runs" in problem
    assert f"Fix: {sys.executable} -m pip install 'grader-no-such-package>=2.1'" in problem


def test_validate_on_the_command_line_names_the_missing_module(tmp_path, capsys):
    path = _rubric(tmp_path, "environment: [numpy, torch_geometric_absent]")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "'torch_geometric_absent'" in out and "-m pip install torch_geometric_absent" in out


@pytest.mark.parametrize("environment, problem", [
    ("environment: [numpy, 'not a module']", "must list module names"),
    ("environment: []", "must list module names"),
    ("environment: missing.txt", "does not exist"),
])
def test_a_wrong_environment_is_a_one_line_rubric_error(tmp_path, environment, problem):
    with pytest.raises(InputError) as caught:
        load_rubric(_rubric(tmp_path, environment))
    assert problem in caught.value.one_line() and "rubric.yaml" in caught.value.one_line()


def test_a_missing_module_in_student_code_says_which_environment_the_course_uses():
    env = CourseEnvironment.from_modules(["numpy", "pandas", "sklearn"])
    text = explain_text("ModuleNotFoundError", "No module named 'torch'", "import torch", "es", frameworks=())
    assert "`torch` no está instalado" in text and "entorno por defecto del corrector" in text
    from grader.execution.diagnostics import explain, hint_text

    course = hint_text(explain("ModuleNotFoundError", "No module named 'torch'", frameworks=(), environment=env), "en")
    assert course.startswith("The package `torch` is not installed")
    assert "This course's environment has numpy, pandas, sklearn" in course
