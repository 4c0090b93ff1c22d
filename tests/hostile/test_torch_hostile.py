"""Hostile PyTorch submissions, graded in one batch beside a correct one, through the real `grade` command.

Each file in ``torch_course/submissions/`` attacks how the grader reads a PyTorch model (its first comment
says how): a module whose ``__repr__``, ``extra_repr``, ``parameters()``, ``named_modules()`` and
``state_dict()`` lie; a ``forward()`` that reads the course's reference while the grader traces
it; a tensor subclass that lies about its shape on the export channel. The suite plants secrets
in the rubric and the reference, grades everything in the strongest sandbox and asserts that the
true counts are reported, no secret appears anywhere, and the correct submission gets full marks.
Needs torch (the ``[torch]`` extra) and bubblewrap.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

from grader.sandbox.levels import SandboxUnavailable, choose_sandbox  # noqa: E402

HERE = Path(__file__).resolve().parent / "torch_course"
REPO = HERE.parent.parent.parent
ATTACKS = sorted(p.name for p in (HERE / "submissions").iterdir())
TRUE_WRONG_TOTAL = 896 + 9_248 + 8192 * 256 + 256 + 256 * 10 + 10  # fc3 and fc4 with 256: 2,110,122

pytestmark = pytest.mark.hostile


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    try:
        choose_sandbox("auto")
    except SandboxUnavailable as exc:
        pytest.fail(f"the strong sandbox must be available where the hostile suite runs: {exc}")
    root = tmp_path_factory.mktemp("torch-arena")
    os.chmod(root, 0o755)
    token = secrets.token_hex(8)
    course, submissions, out = root / "course", root / "submissions" / "hostile_torch", root / "out"
    (course / "reference").mkdir(parents=True)
    reference = course / "reference" / "cifar10.py"
    reference.write_text((REPO / "reference" / "tema06" / "cifar10.py").read_text()
                         + f"\n# SECRET-REFERENCE-{token}\n")
    rubric = course / "rubric.yaml"
    rubric.write_text((HERE / "rubric.yaml").read_text().replace("@@TOKEN@@", token))
    submissions.mkdir(parents=True)
    for name in ATTACKS:
        text = (HERE / "submissions" / name).read_text()
        text = text.replace("@@REFERENCE@@", str(reference)).replace("@@RUBRIC@@", str(rubric))
        (submissions / name).write_text(text)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    batch = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(submissions), "--rubric", str(rubric),
                            "--out", str(out), "-j", "1"], capture_output=True, text=True, timeout=1800, env=env,
                           cwd=root)
    results = {p.parent.name: json.loads(p.read_text()) for p in (out / "hostile_torch").glob("*/results.json")}
    return {"token": token, "batch": batch, "results": results, "out": out}


def _result(arena, name: str) -> dict:
    stem = name.rsplit(".", 1)[0]
    assert stem in arena["results"], f"{name} has no results.json; grade said:\n{arena['batch'].stderr[-3000:]}"
    return arena["results"][stem]


def _check(result: dict, check_id: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == check_id)


def test_every_attack_ran_and_the_batch_ended_normally(arena):
    assert arena["batch"].returncode == 0, arena["batch"].stderr[-3000:]
    assert set(arena["results"]) == {name.rsplit(".", 1)[0] for name in ATTACKS}
    for name in ATTACKS:
        result = _result(arena, name)
        assert "ATTEMPT" in result["execution"]["output"], (name, result["execution"])
        assert result["execution"]["sandbox"]["level"] == "bwrap"


def test_the_correct_submission_gets_full_marks(arena):
    result = _result(arena, "correct_torch.py")
    assert result["score"] == result["max_score"], [c["message"] for c in result["checks"] if c["status"] != "pass"]


def test_a_module_that_lies_about_itself_gets_its_true_count(arena):
    result = _result(arena, "lying_module.py")
    assert "4,210,090" in result["execution"]["output"]  # what it claims when asked its own way
    params = _check(result, "params")
    assert params["status"] == "fail" and params["found"] == {"total": TRUE_WRONG_TOTAL, "trainable": TRUE_WRONG_TOTAL} \
        or params["found"] == TRUE_WRONG_TOTAL, params
    assert f"{TRUE_WRONG_TOTAL:,}" in params["message"]
    model = result["models"][0]
    assert model["student_total"] == TRUE_WRONG_TOTAL
    assert model["findings"][0]["layer"] == "fc3" and model["findings"][0]["fix"] == "nn.Linear(8192, 512)"


def test_a_tensor_subclass_on_the_channel_does_not_change_the_count(arena):
    result = _result(arena, "tensor_subclass.py")
    assert "torch.Size([512, 8192])" in result["execution"]["output"]  # the lie, in the student's process
    assert result["models"][0]["student_total"] == TRUE_WRONG_TOTAL
    assert f"{TRUE_WRONG_TOTAL:,}" in _check(result, "params")["message"]


def test_a_forward_that_reads_the_reference_reads_nothing_and_is_graded(arena):
    result = _result(arena, "forward_reads_reference.py")
    printed = result["execution"]["output"]
    assert "READ " not in printed and "cannot read" in printed
    assert _check(result, "params")["status"] == "pass"


def test_no_secret_appears_in_any_output(arena):
    token = arena["token"]
    for path in arena["out"].rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            for secret in (f"SECRET-RUBRIC-{token}", f"SECRET-REFERENCE-{token}"):
                assert secret not in text, f"{secret} leaked into {path}"
