"""Hostile submissions, graded in one batch beside correct ones, through the real `grade` command.

Each file in ``submissions/`` attacks the grader one way (its first comment says how). The
suite plants secrets where a submission might look (the rubric, the reference, hidden data,
another student's file), listens on loopback and on a UNIX socket, then grades everything
with the default (strongest) sandbox and asserts what must hold: no connection arrives,
no secret appears in any output, nothing is written outside, no process survives, the true
counts are reported, the correct submissions get the same results as when graded alone, and
the grader exits normally.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from grader.sandbox import cgroups
from grader.sandbox.levels import SandboxUnavailable, choose_sandbox

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ATTACKS = sorted(p.name for p in (HERE / "submissions").iterdir())
CORRECT = sorted(p.name for p in (HERE / "correct").iterdir())

pytestmark = pytest.mark.hostile


class Listener:
    """Accepts connections on loopback TCP and on a UNIX socket, and remembers them."""

    def __init__(self, socket_path: Path):
        self.connections: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.unix = socket.socket(socket.AF_UNIX)
        self.unix.bind(str(socket_path))
        os.chmod(socket_path, 0o777)  # as a docker.sock would be for its group
        self.unix.listen()
        self.port = self.tcp.getsockname()[1]
        for server in (self.tcp, self.unix):
            threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server):
        while True:
            try:
                connection, address = server.accept()
            except OSError:
                return
            self.connections.append(str(address) or "unix")
            connection.close()

    def close(self):
        self.tcp.close()
        self.unix.close()


@pytest.fixture(scope="module")
def arena(tmp_path_factory, processes_mentioning):
    try:
        sandbox = choose_sandbox("auto")
    except SandboxUnavailable as exc:
        pytest.fail(f"the strong sandbox must be available where the hostile suite runs: {exc}")
    root = tmp_path_factory.mktemp("arena")
    os.chmod(root, 0o755)
    token = secrets.token_hex(8)
    course, submissions, alone, out = root / "course", root / "submissions" / "hostile", root / "alone", root / "out"
    (course / "reference").mkdir(parents=True)
    (course / "hidden").mkdir()
    reference = course / "reference" / "rnn.py"
    reference.write_text((REPO / "reference" / "actividad2" / "rnn.py").read_text()
                         + f"\n# SECRET-REFERENCE-{token}\n")
    hidden = course / "hidden" / "test-data.csv"
    hidden.write_text(f"month,passengers\nSECRET-HIDDEN-{token},1\n")
    rubric = course / "rubric.yaml"
    rubric.write_text((HERE / "rubric.yaml").read_text().replace("@@TOKEN@@", token))
    listener = Listener(root / "host.sock")
    values = {
        "TOKEN": token, "PORT": str(listener.port), "SOCKET": str(root / "host.sock"),
        "RUBRIC": str(rubric), "REFERENCE": str(reference), "HIDDEN": str(hidden),
        "OTHER": str(submissions / CORRECT[0]), "OUT": str(out), "COURSE": str(course),
        "SUBMISSIONS": str(submissions), "VENV": sys.prefix,
    }
    submissions.mkdir(parents=True)
    alone.mkdir()
    for folder, names, targets in ((HERE / "submissions", ATTACKS, [submissions]),
                                   (HERE / "correct", CORRECT, [submissions, alone])):
        for name in names:
            data = (folder / name).read_bytes()
            for key, value in values.items():
                data = data.replace(f"@@{key}@@".encode(), value.encode())
            for target in targets:
                (target / name).write_bytes(data)
    before = _listing(course)
    batch = _grade(submissions, rubric, out, token)
    listener.close()
    survivors = processes_mentioning(token)
    alone_batch = _grade(alone, rubric, root / "out-alone", token)
    results = {p.parent.name: json.loads(p.read_text()) for p in (out / "hostile").glob("*/results.json")}
    alone_results = {p.parent.name: json.loads(p.read_text())
                     for p in (root / "out-alone" / "hostile").glob("*/results.json")}
    yield {
        "sandbox": sandbox, "token": token, "batch": batch, "alone_batch": alone_batch, "out": out,
        "results": results, "alone": alone_results, "listener": listener, "survivors": survivors,
        "course": course, "course_before": before, "root": root, "values": values,
    }
    for pid in survivors:  # never leave a failed sandbox's processes on the machine
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def _grade(folder: Path, rubric: Path, out: Path, token: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "GRADER_TEST_TOKEN": f"SECRET-ENV-{token}"}
    return subprocess.run(
        [sys.executable, "-m", "grader.cli", "grade", str(folder), "--rubric", str(rubric), "--out", str(out)],
        capture_output=True, text=True, timeout=1800, env=env, cwd=folder.parent,
    )


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")}


def _result(arena, name: str) -> dict:
    stem = name.rsplit(".", 1)[0]
    assert stem in arena["results"], f"{name} has no results.json; grade said:\n{arena['batch'].stdout[-3000:]}"
    return arena["results"][stem]


def _check(result: dict, check_id: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == check_id)


def _printed(arena, name: str) -> str:
    return _result(arena, name)["execution"].get("output", "")


# ------------------------------------------------------------------ the batch as a whole


def test_the_grader_exits_normally_and_grades_every_submission(arena):
    batch = arena["batch"]
    assert batch.returncode == 0, batch.stderr[-3000:]
    expected = {n.rsplit(".", 1)[0] for n in ATTACKS + CORRECT}
    assert set(arena["results"]) == expected


def test_the_strong_level_graded_the_batch(arena):
    never_ran = {"corrupt", "latin1_script"}  # unreadable: refused before running
    for name, result in arena["results"].items():
        if name not in never_ran:
            assert result["execution"].get("sandbox", {}).get("level") == "bwrap", name


def test_correct_submissions_get_the_same_results_as_when_graded_alone(arena):
    for name in CORRECT:
        stem = name.rsplit(".", 1)[0]
        mixed, alone = arena["results"][stem], arena["alone"][stem]
        assert mixed["score"] == alone["score"] == mixed["max_score"], (stem, mixed["execution"]["message"])
        assert [(c["id"], c["status"], c["message"]) for c in mixed["checks"]] == \
               [(c["id"], c["status"], c["message"]) for c in alone["checks"]]


def test_every_attack_actually_ran(arena):
    """Guards the suite itself: an attack that never started would prove nothing."""
    silent = {"latin1_script.py", "corrupt.ipynb", "segfault.py"}
    for name in ATTACKS:
        if name in silent:
            continue
        assert "ATTEMPT" in _printed(arena, name), f"{name} did not run: {_result(arena, name)['execution']}"


def test_no_secret_appears_in_any_output(arena):
    token = arena["token"]
    secrets_ = [f"SECRET-RUBRIC-{token}", f"SECRET-REFERENCE-{token}", f"SECRET-HIDDEN-{token}",
                f"SECRET-OTHER-STUDENT-{token}"]
    for path in arena["out"].rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            for secret in secrets_:
                assert secret not in text, f"{secret} leaked into {path}"


# ------------------------------------------------------------------ one attack at a time


def test_no_connection_reaches_the_machine(arena):
    assert arena["listener"].connections == []
    assert "CONNECTED" not in _printed(arena, "network_loopback.py")
    assert "CONNECTED" not in _printed(arena, "unix_socket.py")


def test_the_filesystem_shows_no_rubric_reference_or_other_submission(arena):
    printed = _printed(arena, "read_absolute.py")
    for key in ("RUBRIC", "REFERENCE", "HIDDEN", "OTHER", "OUT", "COURSE"):
        assert f"cannot read {arena['values'][key]}" in printed, key
    read = [line.split()[1] for line in _printed(arena, "read_relative.py").splitlines() if line.startswith("READ ")]
    assert read, "the relative walk found nothing at all, not even its own files"
    assert [p for p in read if "rubric" in p or "reference" in p or "hidden" in p] == []
    walked = _printed(arena, "walk_root.py")
    assert "WALKED" in walked and "FOUND" not in walked


def test_the_environment_is_cleared(arena):
    printed = _printed(arena, "read_absolute.py")
    env_line = next(line for line in printed.splitlines() if line.startswith("ENV "))
    assert f"SECRET-ENV-{arena['token']}" not in env_line  # set in the grader's own environment
    assert "GRADER_CACHE_DIR" not in env_line and "PYTEST" not in env_line


def test_nothing_is_written_outside_the_working_directory(arena):
    assert _listing(arena["course"]) == arena["course_before"]
    values = arena["values"]
    for path in (f"{values['OUT']}/pwned", f"{values['SUBMISSIONS']}/pwned", f"/tmp/pwned-{arena['token']}",
                 f"{sys.prefix}/pwned", "/etc/pwned", "/usr/pwned", "/root/pwned",
                 f"{values['SUBMISSIONS']}/../pwned"):
        assert not os.path.exists(path), path
    printed = _printed(arena, "write_outside.py")
    assert "ATTEMPT write-outside" in printed
    for inside in ("/etc/pwned", "/usr/pwned", f"{sys.prefix}/pwned", "/root/pwned"):
        assert f"WROTE {inside}" not in printed  # read-only even inside (its own /tmp and home are not)


def test_no_process_survives_its_submission(arena):
    assert arena["survivors"] == [], "processes left behind by submissions"
    assert "daemon started" in _printed(arena, "daemon.py")


def test_ignoring_sigterm_in_an_endless_loop_ends_at_the_time_limit(arena):
    result = _result(arena, "sigterm_loop.py")
    assert result["execution"]["status"] == "timeout"
    assert "90 s" in result["execution"]["message"]
    assert _check(result, "found")["status"] == "pass"  # built before the loop: still graded


def test_an_endless_cell_is_interrupted_and_the_next_cell_still_runs(arena):
    result = _result(arena, "loop_cell.ipynb")
    assert result["execution"]["status"] == "timeout"
    assert "cell 3" in result["execution"]["message"] and "20 s" in result["execution"]["message"]
    assert _check(result, "params")["status"] == "pass"  # cell 4 ran after the interrupted cell 3


def test_a_memory_bomb_is_stopped_with_a_memory_verdict(arena):
    result = _result(arena, "memory_bomb.py")
    assert result["execution"]["status"] == "memory"
    assert "ran out of memory" in result["execution"]["message"] and "1 GB" in result["execution"]["message"]
    assert "ALLOCATED" not in _printed(arena, "memory_bomb.py")
    assert _check(result, "found")["status"] == "pass"


def test_a_shared_mapping_bomb_is_stopped(arena):
    result = _result(arena, "mmap_bomb.py")
    assert "MAPPED" not in _printed(arena, "mmap_bomb.py")
    expected = {"memory"} if cgroups.cgroup_version() else {"memory", "error"}
    assert result["execution"]["status"] in expected
    assert _check(result, "found")["status"] == "pass"


def test_a_fork_bomb_is_held_at_the_process_limit(arena):
    printed = _printed(arena, "fork_bomb.py")
    assert "FORK REFUSED" in printed, printed[-2000:]
    refused_after = int(printed.split("FORK REFUSED after", 1)[1].split()[0])
    assert refused_after < 256  # limits.processes in the rubric


def test_300_mb_of_output_is_cut_to_the_limit_with_a_marker(arena):
    execution = _result(arena, "output_flood.py")["execution"]
    assert execution["output_cut_bytes"] > 299 * 2**20
    assert len(execution["output"].encode()) < 64 * 1024 + 500
    assert "bytes of output cut by the grader" in execution["output"]
    assert execution["output"].rstrip().endswith("FLOOD DONE")


def test_os_exit_midway_is_reported_and_what_ran_is_graded(arena):
    result = _result(arena, "exit_midway.py")
    assert result["execution"]["status"] == "killed"
    assert _check(result, "found")["status"] == "pass"
    assert _check(result, "runs")["status"] == "fail"


def test_a_segfault_is_reported_and_what_ran_is_graded(arena):
    result = _result(arena, "segfault.py")
    assert result["execution"]["status"] == "killed"
    assert "stopped abruptly" in result["execution"]["message"]
    assert _check(result, "params")["status"] == "pass"


def test_input_does_not_hang_the_grader(arena):
    result = _result(arena, "asks_input.py")
    assert result["execution"]["status"] == "error"
    assert "EOFError" in json.dumps(result["execution"]["cells"])


def test_monkeypatching_keras_does_not_change_the_counts_the_grader_reports(arena):
    result = _result(arena, "monkeypatch.py")
    params = _check(result, "params")
    assert params["status"] == "fail"
    assert "15" in json.dumps(params)  # SimpleRNN(3) on 1 feature: 3 + 9 + 3, whatever it claims
    assert "IMPORTED grader" not in _printed(arena, "monkeypatch.py")


def test_forged_results_files_are_not_read(arena):
    token = arena["token"]
    for path in arena["out"].rglob("*"):
        if path.is_file():
            assert f"FORGED-{token}" not in path.read_text(errors="replace"), path
    forged = _result(arena, "fake_results.py")
    assert forged["score"] < forged["max_score"] and _check(forged, "found")["status"] == "fail"


def test_no_way_out_of_the_namespaces(arena):
    printed = _printed(arena, "escape_namespaces.py")
    assert "USERNS denied" in printed
    assert "STATUS CapEff:\t0000000000000000" in printed
    assert "STATUS NoNewPrivs:\t1" in printed
    pids = json.loads(printed.split("PIDS ", 1)[1].splitlines()[0])
    assert max(pids) < 100  # its own PID namespace: the machine's processes are not there
    if os.geteuid() == 0:
        uid = int(printed.split("UID ", 1)[1].split()[0])
        assert uid != 0


def test_killing_every_visible_process_harms_nobody_else(arena):
    assert _result(arena, "a_kill_everything.py")["execution"]["status"] in ("ok", "killed")
    assert arena["batch"].returncode == 0  # the grader, graded later submissions, and exited


def test_unreadable_inputs_get_one_line_errors_and_the_batch_goes_on(arena):
    corrupt = _result(arena, "corrupt.ipynb")
    assert corrupt["status"] == "error" and "corrupt.ipynb" in corrupt["execution"]["message"]
    latin1 = _result(arena, "latin1_script.py")
    assert latin1["status"] == "error" and "UTF-8" in latin1["execution"]["message"]
    assert "\n" not in corrupt["execution"]["message"] and "\n" not in latin1["execution"]["message"]
