"""Attacks through what a submission *is* (its files, links, its own course) and through what its
process leaves behind for the trusted side: the second security review (issue 7).

A course is laid out the way instructors keep one (``rubrics/``, ``reference/``, hidden data,
``submissions/<assignment>/``) with a secret in every file a student must not see, and graded
with the real commands at the strongest sandbox level, without ``--rubric``, from inside the
assignment's folder. Each test names the attack and asserts that its effect did not happen.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from grader.sandbox.levels import SandboxUnavailable, choose_sandbox

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ESCAPE_NAME = "\x1b]0;pwned\x07title.py"

pytestmark = pytest.mark.hostile

CORRECT = """\
# A correct submission. SECRET-OTHER-STUDENT-{token} must never reach another submission.
import keras

modelRNN = keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN(5)])
"""

EVIL_REFERENCE = """\
# A "reference" shipped inside a submission: if the grader ran it in its own process, it would
# write the marker as root, outside any sandbox.
import os, keras
for path in ("{marker}", "/tmp/pwned-{token}"):
    try:
        with open(path, "w") as handle:
            handle.write(f"written by uid {{os.getuid()}}")
        print("WROTE", path)
    except OSError as exc:
        print("cannot write", path, type(exc).__name__)

def simple_rnn():
    return keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN(5)])
"""

STUDENT_RUBRIC = """\
schema: 1
assignment: hostile
reference: ../reference
models:
  rnn_base: {build: "evil.py:simple_rnn", variable: modelRNN}
activities:
  - id: "1"
    checks:
      - {kind: model_found, model: rnn_base}
"""

READS_ITS_FILES = """\
# Reads every file of its own folder, as a student would who hoped links were followed.
import os, keras
print("ATTEMPT read-own-files")
for name in sorted(os.listdir(".")):
    try:
        with open(name, "rb") as handle:
            print("READ", name, handle.read(300))
    except OSError as exc:
        print("cannot read", name, type(exc).__name__)
modelRNN = keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN(5)])
"""

FORGES_OUTPUT = """\
# %%
# Leaves the trusted side hostile records where the harness writes, a custom activation, a line
# the parser cannot hold, and an error message full of terminal escapes.
import json, keras
print("ATTEMPT forge-output")

def mi_activacion(x):
    return x * 2

modelRNN = keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN(5, activation=mi_activacion)])
big = {{"class_name": "Sequential", "module": "keras", "config": {{"name": "s", "layers": [
    {{"class_name": "InputLayer", "module": "keras.layers", "config": {{"name": "in", "batch_shape": [None, 4, 1]}}}},
    {{"class_name": "SimpleRNN", "module": "keras.layers", "config": {{"name": "rnn", "units": 600000}}}}]}}}}
for name in ("capture0.jsonl", "progress0.jsonl"):
    path = "/grader/output/" + name
    try:
        with open(path, "a") as handle:
            handle.write(json.dumps({{"variable": "modelRNN", "object": 1, "where": "line 1", "class": "Sequential",
                                      "built": True, "architecture": json.dumps(big)}}) + "\\n")
            handle.write("[" * 200000 + "]" * 200000 + "\\n")
            handle.write(json.dumps({{"variable": "deep", "object": 2, "architecture": "[" * 100000 + "]" * 100000}}) + "\\n")
            handle.write('{{"cell": 1, "status": "error", "duration_s": "forever", "line": "x", "ename": 5}}\\n')
            handle.write('{{"cell": 2, "status": "ok", "duration_s": NaN}}\\n')
        print("WROTE", path)
    except OSError as exc:
        print("cannot write", path, type(exc).__name__)
# %%
x = {additions}
# %%
raise ValueError("bad \\x1b]0;pwned-title\\x07 value \\x1b[2J cleared")
"""


def _grade(args: list[str], cwd: Path, token: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "GRADER_TEST_TOKEN": f"SECRET-ENV-{token}"}
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], capture_output=True, text=True,
                          timeout=1800, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    try:
        choose_sandbox("auto")
    except SandboxUnavailable as exc:
        pytest.fail(f"the strong sandbox must be available where the hostile suite runs: {exc}")
    root = tmp_path_factory.mktemp("course")
    os.chmod(root, 0o755)
    token = secrets.token_hex(8)
    (root / "rubrics").mkdir()
    (root / "reference").mkdir()
    (root / "hidden").mkdir()
    reference = root / "reference" / "rnn.py"
    reference.write_text((REPO / "reference" / "actividad2" / "rnn.py").read_text()
                         + f"\n# SECRET-REFERENCE-{token}\n")
    (root / "hidden" / "test-data.csv").write_text(f"month,passengers\nSECRET-HIDDEN-{token},1\n")
    rubric = root / "rubrics" / "hostile.yaml"
    rubric.write_text((HERE / "rubric.yaml").read_text().replace("@@TOKEN@@", token)
                      .replace("reference: reference", "reference: ../reference"))
    assignment = root / "submissions" / "hostile"
    assignment.mkdir(parents=True)
    marker = root / f"pwned-{token}"

    (assignment / "correct_rnn.py").write_text(CORRECT.format(token=token))
    (assignment / "victim.py").write_text(CORRECT.format(token=token))

    hijack = assignment / "rubric_hijack"
    (hijack / "rubrics").mkdir(parents=True)
    (hijack / "reference").mkdir()
    (hijack / "rubrics" / "hostile.yaml").write_text(STUDENT_RUBRIC)
    (hijack / "reference" / "evil.py").write_text(EVIL_REFERENCE.format(marker=marker, token=token))
    (hijack / "hw.py").write_text(CORRECT.format(token="none"))

    links = assignment / "links"
    links.mkdir()
    (links / "hw.py").write_text(READS_ITS_FILES)
    targets = {"notes.txt": reference, "rubric.txt": rubric, "hidden": root / "hidden",
               "homework.py": Path("../victim.py"), "environ": Path("/proc/self/environ"),
               "shadow": Path("/etc/shadow"), "zero.bin": Path("/dev/zero"), "a": Path("."), "b": Path("."),
               "core.bin": Path("/proc/self/mem")}
    for name, target in targets.items():
        os.symlink(target, links / name)
    os.mkfifo(links / "pipe")
    with open(links / "sparse.bin", "wb") as handle:  # 1.5 GB that costs no disk: never read whole
        handle.truncate(1_500_000_000)

    os.symlink("victim.py", assignment / "copycat.py")  # a classmate's notebook handed in as a link
    (assignment / "forges_output.py").write_text(
        FORGES_OUTPUT.format(additions="+".join(["1"] * 10_000)))
    (assignment / ESCAPE_NAME).write_text(CORRECT.format(token="none"))

    batch = _grade(["grade", str(assignment), "--out", str(root / "out")], assignment, token)
    results = {p.parent.name: json.loads(p.read_text()) for p in (root / "out" / "hostile").glob("*/results.json")}
    yield {"root": root, "token": token, "assignment": assignment, "marker": marker, "batch": batch,
           "results": results, "out": root / "out", "rubric": rubric}


def _check(result: dict, check_id: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == check_id)


def _all_output(course) -> str:
    texts = [course["batch"].stdout, course["batch"].stderr]
    texts += [p.read_text(errors="replace") for p in course["out"].rglob("*") if p.is_file()]
    return "\n".join(texts)


def test_the_batch_finishes_and_grades_every_submission_whatever_its_files(course):
    batch = course["batch"]
    assert batch.returncode == 0, batch.stderr[-3000:]
    expected = {"correct_rnn", "victim", "rubric_hijack", "links", "copycat", "forges_output",
                ESCAPE_NAME[:-3]}
    assert set(course["results"]) == expected, batch.stdout[-3000:]
    assert (course["out"] / "grades.csv").is_file() and (course["out"] / "index.html").is_file()
    for name in ("correct_rnn", "victim"):
        result = course["results"][name]
        assert result["score"] == result["max_score"], result["execution"]["message"]


def test_a_rubric_inside_the_submission_is_never_chosen_nor_its_reference_run(course):
    result = course["results"]["rubric_hijack"]
    assert result["rubric"] == str(course["rubric"])
    assert [c["id"] for c in result["checks"]] == ["found", "params", "runs"]
    assert not course["marker"].exists()
    assert not Path(f"/tmp/pwned-{course['token']}").exists()


def test_grader_check_from_the_assignment_folder_uses_the_course_and_says_so(course):
    checked = _grade(["check", "rubric_hijack", "--json", str(course["root"] / "check.json"),
                      "--html", str(course["root"] / "check.html")], course["assignment"], course["token"])
    assert f"Course: {course['rubric']}" in checked.stdout, checked.stdout + checked.stderr
    assert json.loads((course["root"] / "check.json").read_text())["max_score"] == 3
    assert not course["marker"].exists()


def test_a_reference_runs_in_the_sandbox_even_when_the_instructor_picks_the_students_rubric(course):
    """The last line of defence: reference code never runs in the grader's own process."""
    checked = _grade(["check", "rubric_hijack", "--rubric", "rubric_hijack/rubrics/hostile.yaml",
                      "--json", str(course["root"] / "evil.json"), "--html", str(course["root"] / "evil.html")],
                     course["assignment"], course["token"])
    assert checked.returncode in (0, 1), checked.stderr[-2000:]
    assert not course["marker"].exists(), course["marker"].read_text()
    assert not Path(f"/tmp/pwned-{course['token']}").exists()


def test_links_in_a_submission_are_reported_and_never_followed(course):
    result = course["results"]["links"]
    left_out = result["execution"]["left_out"]
    for name in ("notes.txt", "rubric.txt", "hidden", "homework.py", "environ", "shadow", "zero.bin", "a", "b",
                 "core.bin"):
        assert any(line.startswith(f"{name} ") and "link" in line for line in left_out), (name, left_out)
    assert any(line.startswith("pipe ") for line in left_out)
    assert any(line.startswith("sparse.bin ") for line in left_out)
    printed = result["execution"]["output"]
    assert "ATTEMPT read-own-files" in printed and "READ hw.py" in printed
    assert "READ notes.txt" not in printed and "READ shadow" not in printed
    assert _check(result, "found")["status"] == "pass"  # the student's own regular files are graded


def test_no_secret_reaches_any_output(course):
    token = course["token"]
    text = _all_output(course)
    for secret in (f"SECRET-REFERENCE-{token}", f"SECRET-RUBRIC-{token}", f"SECRET-HIDDEN-{token}",
                   f"SECRET-ENV-{token}"):
        assert secret not in text, secret
    shadow = Path("/etc/shadow").read_text().splitlines()[0] if os.access("/etc/shadow", os.R_OK) else None
    if shadow:
        assert shadow not in text
    links = course["results"]["links"]["execution"]["output"]
    assert f"SECRET-OTHER-STUDENT-{token}" not in links


def test_a_submission_that_is_a_link_to_a_classmates_work_is_not_graded_as_theirs(course):
    result = course["results"]["copycat"]
    assert result["status"] == "error"
    assert "copycat.py is a link" in result["execution"]["message"]
    assert result["score"] == 0


def test_forged_records_on_the_result_channel_never_fail_the_grader(course):
    result = course["results"]["forges_output"]
    assert result["status"] == "graded", result["execution"]["message"]
    assert "ATTEMPT forge-output" in result["execution"]["output"]
    assert "the grader failed" not in json.dumps(result)
    # The 600,000-unit SimpleRNN it claims was described without allocating it, and is not its model:
    assert _check(result, "found")["status"] == "pass"
    assert all(isinstance(cell.get("duration_s"), (int, float)) for cell in result["execution"]["cells"])


def test_a_students_own_activation_is_graded_by_name(course):
    result = course["results"]["forges_output"]
    model = next(m for m in result["models"] if m["id"] == "rnn_base")
    assert any("mi_activacion" in note for note in model["notes"]), model["notes"]
    assert _check(result, "params")["status"] == "pass"  # 35 parameters: the activation changes no count


def test_every_results_file_is_strict_json(course):
    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    for path in course["out"].rglob("results.json"):
        json.loads(path.read_text(), parse_constant=refuse)


def test_terminal_escapes_from_file_names_and_messages_are_not_printed(course):
    batch = course["batch"]
    assert "\x1b" not in batch.stdout and "\x1b" not in batch.stderr
    assert "\x07" not in batch.stdout
    checked = _grade(["check", "forges_output.py", "--json", str(course["root"] / "forged.json"),
                      "--html", str(course["root"] / "forged.html")], course["assignment"], course["token"])
    assert "\x1b" not in checked.stdout and "\x1b" not in checked.stderr
    assert "hostile / forges_output" in checked.stdout
    cells = json.loads((course["root"] / "forged.json").read_text())["execution"]["cells"]
    assert any(cell["ename"] == "ValueError" and "pwned-title" in cell["evalue"] for cell in cells)  # kept in the data
