"""``grade --cluster``: a real Ray head on loopback with worker processes, no fake executor.

The class is graded locally and through the cluster; the results must be the same, timestamps
and durations aside. Then a worker process is killed while it grades, and every submission must
still be graded, once.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

if importlib.util.find_spec("ray") is None:  # found, not imported: collecting the unit tier stays quick
    pytest.skip("the [ray] extra is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
RAY = str(Path(sys.executable).with_name("ray"))
TIMES = ("graded_at", "duration_s", "fit_s", "seconds")

pytestmark = pytest.mark.slow

RUBRIC = """\
assignment: tiny
reference: reference
models:
  rnn_base: {build: "rnn.py:simple_rnn", variable: modelRNN}
activities:
  - id: "1"
    checks:
      - {id: found, kind: model_found, model: rnn_base}
      - {id: params, kind: params, model: rnn_base}
      - {id: runs, kind: runs}
"""
STUDENT = "import keras\nmodelRNN = keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN({units})])\n"
SLOW = STUDENT + "import time\ntime.sleep(20)\n"


def _without_log_lines(text):
    if not isinstance(text, str):
        return text
    return "\n".join(line for line in text.splitlines()
                     if not re.match(r"^([IWE]\d{4} |WARNING: All log messages)", line))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    (root / "reference").mkdir()
    (root / "reference" / "rnn.py").write_text((ROOT / "reference" / "actividad2" / "rnn.py").read_text())
    (root / "rubric.yaml").write_text(RUBRIC)
    students = root / "tiny"
    students.mkdir()
    for name, units in (("ana", 5), ("bob", 3), ("eva", 5)):
        (students / f"{name}.py").write_text(STUDENT.format(units=units))
    (students / "carla").mkdir()
    (students / "carla" / "hw.py").write_text(STUDENT.format(units=4))
    return root


@pytest.fixture(scope="module")
def head(tmp_path_factory):
    """A Ray head on loopback with two CPUs: two worker processes grade at once."""
    port = _free_port()
    temp = Path("/tmp") / f"ray-{os.getpid()}"  # Ray's sockets need a short path
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    started = subprocess.run([RAY, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                              "--num-cpus=2", "--num-gpus=0", "--include-dashboard=false", "--disable-usage-stats",
                              f"--temp-dir={temp}"], capture_output=True, text=True, env=env, timeout=180)
    assert started.returncode == 0, started.stderr[-3000:]
    yield f"127.0.0.1:{port}"
    subprocess.run([RAY, "stop", "--force"], capture_output=True, timeout=120, env=env)


def _grade(course: Path, out: Path, *extra: str, wait: bool = True):
    argv = [sys.executable, "-m", "grader.cli", "grade", str(course / "tiny"), "--rubric", str(course / "rubric.yaml"),
            "--out", str(out), "--force", *extra]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RAY_USAGE_STATS_ENABLED": "0"}
    if not wait:
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env)


def _results(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((out / "tiny").glob("*/results.json"))}


def _timeless(value):
    """A result without what depends on when it ran: timestamps, durations, TensorFlow's timestamped log lines."""
    if isinstance(value, dict):
        return {k: _timeless(v) if k != "output" else _without_log_lines(v) for k, v in value.items() if k not in TIMES}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def test_a_class_graded_on_the_cluster_gets_the_results_of_a_local_run(course, head, tmp_path):
    local = _grade(course, tmp_path / "local")
    assert local.returncode == 0, local.stderr[-3000:]
    clustered = _grade(course, tmp_path / "cluster", "--cluster", head)
    assert clustered.returncode == 0, clustered.stderr[-3000:]
    assert "Graded 4 submission(s)" in clustered.stdout
    here, there = _results(tmp_path / "local"), _results(tmp_path / "cluster")
    assert set(here) == {"ana", "bob", "carla", "eva"} == set(there)
    for name in here:
        assert _timeless(here[name]) == _timeless(there[name]), name
    assert (tmp_path / "cluster" / "index.html").is_file() and (tmp_path / "cluster" / "grades.csv").is_file()
    assert [here[n]["score"] for n in sorted(here)] == [3, 2, 2, 3]  # 35 parameters only for SimpleRNN(5)


def test_a_worker_killed_mid_task_loses_nothing_and_grades_each_submission_once(course, head, tmp_path):
    (course / "tiny" / "zed.py").write_text(SLOW.format(units=5))
    try:
        running = _grade(course, tmp_path / "out", "--cluster", head, wait=False)
        time.sleep(1)
        victim = _busy_worker(timeout=300)
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = running.communicate(timeout=900)
    finally:
        (course / "tiny" / "zed.py").unlink()
    assert running.returncode == 0, stderr[-3000:]
    assert "Graded 5 submission(s)" in stdout
    for name in ("ana", "bob", "carla", "eva", "zed"):  # one line each: each result arrived once
        assert len([line for line in stdout.splitlines() if f"tiny/{name}:" in line]) == 1, (name, stdout)
    results = _results(tmp_path / "out")
    assert set(results) == {"ana", "bob", "carla", "eva", "zed"}
    assert all(r["execution"]["status"] == "ok" and "cache_key" in r for r in results.values()), results
    assert [results[n]["score"] for n in sorted(results)] == [3, 2, 2, 3, 3]
    leftovers = [pid for pid in _pids() if b"grader_inside" in _cmdline(pid)]
    assert leftovers == []  # the killed worker's run died with it


def _busy_worker(timeout: float) -> int:
    """The pid of a Ray worker in the middle of grading (a sandboxed run is among its descendants)."""
    from grader.sandbox.launch import descendants

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in _pids():
            if b"ray::grade_task" in _cmdline(pid) and any(b"grader_inside" in _cmdline(c) for c in descendants(pid)):
                return pid
        time.sleep(0.2)
    pytest.fail(f"no Ray worker started grading within {timeout} s")


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
