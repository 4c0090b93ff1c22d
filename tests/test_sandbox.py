"""The sandbox's parts: limits, levels, output bounds, verdicts, cgroups, and the weaker levels."""

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest

from grader.sandbox import cgroups
from grader.sandbox.limits import GIB, MIB, Limits, parse_size
from grader.sandbox.process import Ended, Output
from grader.execution.result import CellOutcome
from grader.execution.runner import execute
from grader.sandbox.levels import SandboxUnavailable, choose_sandbox
from grader.execution.verdict import file_status
from grader.submission.submission import Submission


# ------------------------------------------------------------------ limits


@pytest.mark.parametrize("text, expected", [("4G", 4 * GIB), ("512M", 512 * MIB), ("1.5g", int(1.5 * GIB)),
                                            ("64KiB", 64 * 1024), (1000, 1000), ("2 GB", 2 * GIB)])
def test_sizes_read_like_people_write_them(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["lots", "-1", "4X", True])
def test_a_size_that_is_not_one_says_what_is_allowed(text):
    with pytest.raises(ValueError, match="512M or 4G|negative"):
        parse_size(text)


def test_limits_round_trip_through_a_plain_config():
    limits = Limits.from_config({"memory": "2G", "timeout": 90, "processes": 300, "output": "64K"})
    assert Limits.from_config(limits.get_config()) == limits
    assert limits.cell_timeout == 90  # never longer than the whole run


def test_limits_below_what_tensorflow_needs_are_refused_with_the_minimum():
    with pytest.raises(ValueError, match="limits.memory must be at least 512 MB, got 100 MB"):
        Limits.from_config({"memory": "100M"})
    with pytest.raises(ValueError, match="unknown limit 'ram'"):
        Limits.from_config({"ram": "2G"})


def test_overriding_keeps_what_is_not_given():
    limits = Limits(memory=2 * GIB).overriding(timeout=30, memory=None)
    assert (limits.timeout, limits.cell_timeout, limits.memory) == (30, 30, 2 * GIB)


def test_the_rubric_limits_block_is_validated_with_its_line(tmp_path):
    from grader.errors import InputError
    from grader.grading.rubric import load_rubric

    root = Path(__file__).resolve().parent.parent
    text = (root / "rubrics" / "actividad2.yaml").read_text().replace("cell_timeout: 300", "cell_timeout: 300\n  memory: lots")
    rubric = tmp_path / "r.yaml"
    rubric.write_text(text.replace("../reference", str(root / "reference")).replace("../resources", str(root / "resources")))
    with pytest.raises(InputError, match=r"r.yaml: line \d+: expected a size such as 512M or 4G, got 'lots'"):
        load_rubric(rubric)


# ------------------------------------------------------------------ output and verdicts


def test_output_keeps_its_head_and_tail_and_marks_the_cut():
    output = Output(limit=1000)
    output.add(b"START\n" + b"x" * 100_000)
    output.add(b"\nEND\n")
    text = output.text()
    assert text.startswith("START") and text.endswith("END\n")
    assert output.cut == 100_011 - 1000
    assert f"[... {output.cut:,} bytes of output cut by the grader" in text


def test_short_output_is_kept_whole():
    output = Output(limit=1000)
    output.add(b"hello\n")
    assert output.text() == "hello\n" and output.cut == 0


@pytest.mark.parametrize("ended, cells, oom, finished, expected", [
    (Ended("timeout", -9), [], False, False, "timeout"),
    (Ended("ok", 0), [CellOutcome("a.ipynb", 7, "error", ename="MemoryError")], False, True, "memory"),
    (Ended("killed", -9), [], True, False, "memory"),
    (Ended("ok", 0), [], False, False, "killed"),            # os._exit(0) before the end
    (Ended("ok", 139), [], False, False, "killed"),          # a segfault under the sandbox's init
    (Ended("ok", 0), [CellOutcome("a.py", 1, "error", ename="ValueError")], False, True, "error"),
    (Ended("ok", 0), [CellOutcome("a.ipynb", 3, "timeout")], False, True, "timeout"),
    (Ended("ok", 0), [], False, True, "ok"),
])
def test_each_way_a_run_ends_gets_its_own_status(ended, cells, oom, finished, expected):
    assert file_status(ended, cells, oom, finished) == expected


# ------------------------------------------------------------------ choosing a level


def test_an_unknown_level_names_the_allowed_ones():
    with pytest.raises(ValueError, match="auto, bwrap, process, none; got 'docker'"):
        choose_sandbox("docker")


def test_a_bwrap_refused_by_apparmor_says_why_and_how_to_allow_it(monkeypatch):
    tmp_path = Path(tempfile.mkdtemp(prefix="grader-fake-bwrap-"))  # reachable by the sandbox uid
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\n[ \"$1\" = --version ] && { echo 'bubblewrap 0.11.0'; exit 0; }\n"
                    "echo 'bwrap: setting up uid map: Permission denied' >&2; exit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.chmod(tmp_path, 0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with pytest.raises(SandboxUnavailable) as error:
        choose_sandbox("auto")
    assert "user namespace" in error.value.why and "uid map" in error.value.why
    assert "apparmor_restrict_unprivileged_userns=0" in error.value.fix
    assert "--sandbox process" in error.value.fix
    shutil.rmtree(tmp_path)


def test_a_bwrap_too_old_for_sized_tmpfs_is_not_used(tmp_path, monkeypatch):
    from grader.sandbox.levels import find_bwrap

    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bubblewrap 0.8.0'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    path, version, origin = find_bwrap()
    assert path != str(fake) and origin == "bundled" and version >= "0.10"


def test_the_default_level_is_bubblewrap_and_says_what_it_isolates():
    sandbox = choose_sandbox("auto")
    assert sandbox.level == "bwrap"
    assert sandbox.describe().startswith("bubblewrap ")
    if os.geteuid() == 0:
        assert sandbox.drop_uid and "own unprivileged uid" in sandbox.describe()


@pytest.mark.skipif(cgroups.cgroup_version() is None, reason="needs root and writable memory+pids cgroups")
def test_a_cgroup_gets_its_limits_and_is_removed():
    group = cgroups.create_cgroup(f"test-{os.getpid()}", memory=GIB, processes=99)
    try:
        if group.version == "v1":
            assert (group.paths[0] / "memory.limit_in_bytes").read_text().strip() == str(GIB)
            assert (group.paths[1] / "pids.max").read_text().strip() == "99"
        else:
            assert (group.paths[0] / "memory.max").read_text().strip() == str(GIB)
        assert group.pids() == [] and not group.oom_killed()
    finally:
        group.remove()
    assert not any(path.exists() for path in group.paths)


# ------------------------------------------------------------------ the weaker levels still bound the run


@pytest.mark.sandbox
def test_process_level_still_kills_a_daemon_and_reports_memory(tmp_path, processes_mentioning):
    token = f"grader-process-level-{os.getpid()}-{time.monotonic_ns()}"
    script = tmp_path / "hw.py"
    script.write_text(
        "import subprocess, sys\n"
        "code = 'import os, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\ntime.sleep(300)'\n"
        f"subprocess.Popen([sys.executable, '-c', code, {token!r}])\n"
        "hoard = [bytearray(16 * 2**20) for _ in range(1000)]\n"
    )
    os.chmod(tmp_path, 0o755)
    result = execute(Submission.from_path(script), limits=Limits(timeout=60, memory=GIB),
                     sandbox=choose_sandbox("process"))
    assert result.status == "memory"
    assert "ran out of memory" in result.message and "limit 1 GB" in result.message
    assert result.sandbox_level == "process"
    time.sleep(0.5)
    assert processes_mentioning(token) == []


def test_an_interpreter_under_tmp_is_bound_after_the_sandbox_tmpfs(monkeypatch):
    """A venv in /tmp (a fresh clone there) must not be hidden by the sandbox's own /tmp."""
    from grader.sandbox import levels as sandbox_module

    monkeypatch.setattr(sandbox_module, "python_trees", lambda: ["/tmp/clone/.venv"])
    args = sandbox_module.bwrap_arguments("bwrap", Limits(), binds=[], command=["python"], env={})
    tmpfs_at = args.index("/tmp", args.index("--tmpfs"))
    venv_at = args.index("/tmp/clone/.venv")
    assert tmpfs_at < venv_at
