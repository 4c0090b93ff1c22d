"""The course repository template (docs/classroom/): its workflow's check command, run on a
repository made from the template with a released pack, grades without the references."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "docs" / "classroom" / "template"
WORKFLOW = TEMPLATE / ".github" / "workflows" / "grader.yml"

pytestmark = pytest.mark.slow


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_workflow_runs_on_push_checks_with_the_pack_and_keeps_the_report():
    workflow = _workflow()
    assert "push" in workflow[True]  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["check"]["steps"]
    check = next(step for step in steps if step.get("id") == "check")
    assert "--pack grader-pack" in check["run"] and "reference" not in check["run"]
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and upload["with"]["path"] == "reports/"
    written = [part for part in check["run"].split() if part.startswith("reports/")]
    assert written and all(path.startswith(upload["with"]["path"]) for path in written)


def test_the_workflow_command_grades_a_student_repository_made_from_the_template(tmp_path):
    from grader.expectations.pack import release

    workflow = _workflow()
    repo = tmp_path / "student-repo"
    shutil.copytree(TEMPLATE, repo)
    release(ROOT / "rubrics" / "actividad2.yaml", tmp_path / "packs")
    shutil.copytree(tmp_path / "packs" / "actividad2", repo / "grader-pack")
    submission = workflow["env"]["SUBMISSION"]
    shutil.copy(ROOT / "submissions" / "actividad2" / "partial.ipynb", repo / submission)
    command = next(step for step in workflow["jobs"]["check"]["steps"] if step.get("id") == "check")["run"]
    env = {**os.environ, **{k: str(v) for k, v in workflow["env"].items()}, "GITHUB_ACTIONS": "true",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 1, done.stderr  # partial.ipynb fails some visible checks: the run is red
    assert not any((repo / name).exists() for name in ("rubrics", "reference"))
    assert "paquete de estudiante grader-pack (actividad2" in done.stdout  # the course's language: Spanish
    annotations = [line for line in done.stdout.splitlines() if line.startswith(("::error", "::warning"))]
    assert annotations and all(f"file={submission}" in line for line in annotations)
    result = json.loads((repo / "reports" / "results.json").read_text(encoding="utf-8"))
    assert result["assignment"] == "actividad2" and 0 < result["score"] < result["max_score"]
    assert (repo / "reports" / "report.html").is_file()
