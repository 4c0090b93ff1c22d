"""Command-line usage errors: exit 2 with one line that names the problem and the fix."""

from pathlib import Path

import pytest

from grader.cli import grade_main, main

ROOT = Path(__file__).resolve().parent.parent


def test_check_on_a_missing_file_exits_2(capsys):
    assert main(["check", "does/not/exist.ipynb"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_check_without_a_rubric_it_can_pick_lists_the_choices(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / "rubrics").mkdir(exist_ok=True)
        (tmp_path / "rubrics" / f"{name}.yaml").write_text("assignment: x\n")
    script = tmp_path / "hw.py"
    script.write_text("print(1)\n")
    assert main(["check", str(script)]) == 2
    error = capsys.readouterr().err
    assert "cannot tell which rubric" in error and "a.yaml" in error and "--rubric" in error


def test_a_broken_rubric_exits_2_naming_file_and_line(tmp_path, capsys):
    rubric = tmp_path / "r.yaml"
    rubric.write_text("assignment: x\nreference: .\nmodels: {}\nactivities:\n  - id: '1'\n    chekcs: []\n")
    script = tmp_path / "hw.py"
    script.write_text("print(1)\n")
    assert main(["check", str(script), "--rubric", str(rubric)]) == 2
    error = capsys.readouterr().err
    assert str(rubric) in error and "line 5" in error and "chekcs" in error


def test_grade_on_an_empty_folder_exits_2(tmp_path, capsys):
    assert grade_main([str(tmp_path), "--rubric", str(ROOT / "rubrics" / "actividad2.yaml")]) == 2
    assert "no submissions" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_timeout_must_be_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "x.ipynb", "--timeout", value])
    assert exit_info.value.code == 2


def test_memory_below_what_tensorflow_needs_is_refused_with_the_minimum(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "x.ipynb", "--memory", "100M"])
    assert exit_.value.code == 2
    assert "must be at least 512 MB (TensorFlow needs that to start), got 100M" in capsys.readouterr().err


def test_memory_must_be_a_size_and_units_are_read(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["check", "x.ipynb", "--memory", "lots"])
    assert "expected a size such as 512M or 4G, got 'lots'" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "missing.ipynb"), "--memory", "2G"]) == 2  # parsed, then no such file


@pytest.mark.parametrize("body, code, out, err", [
    ("print('graded', end='')\nreturn 3", 3, "graded", ""),
    ("raise SystemExit('bad option')", 1, "", "bad option"),
    ("return None", 0, "", ""),
])
def test_the_commands_leave_quickly_with_their_exit_status_and_output(body, code, out, err):
    import subprocess
    import sys
    import textwrap

    program = ("import atexit, sys\nfrom grader.cli import exit_quickly\natexit.register(lambda: print('atexit ran'))\n"
               "def command():\n" + textwrap.indent(body, "    ") + "\nexit_quickly(command)\nprint('never')\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == code
    assert done.stdout == out + "atexit ran\n"  # the handlers ran, the streams were flushed, nothing after
    assert err in done.stderr
