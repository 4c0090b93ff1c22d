"""Quiet terminals: TensorFlow's start-up lines reach neither the instructor's terminal nor the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.quiet import without_startup_lines

ROOT = Path(__file__).resolve().parent.parent

# As TensorFlow 2.21 printed them on this project's machine (docs: grader/quiet.py).
STARTUP = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1796059219.492052   22391 port.cc:153] oneDNN custom operations are on. You may see slightly "
    "different numerical results due to floating-point round-off errors from different computation orders. To turn "
    "them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n"
    "I0000 00:00:1796059219.760056   22391 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use "
    "available CPU instructions in performance-critical operations.\n"
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the "
    "appropriate compiler flags.\n"
)


def test_startup_lines_are_removed_and_everything_else_kept():
    printed = STARTUP + "(None, 54, 54, 96)\nTrain Score: 23.46 RMSE\n" + STARTUP + "Epoch 1/2\n"
    assert without_startup_lines(printed) == "(None, 54, 54, 96)\nTrain Score: 23.46 RMSE\nEpoch 1/2\n"


def test_a_students_own_lines_that_mention_tensorflow_are_kept():
    own = "W0000 00:00:1.0  7 my_layer.cc:12] a warning from a custom op\nWARNING: absl is fine\n"
    assert without_startup_lines(own) == own


@pytest.mark.sandbox
def test_grader_check_prints_no_startup_lines_and_the_report_has_none(tmp_path):
    script = tmp_path / "hw.py"
    script.write_text("import keras\nprint('HOLA')\n"
                      "modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])\n")
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    ran = subprocess.run([sys.executable, "-m", "grader.cli", "check", str(script), "--rubric",
                          str(ROOT / "rubrics" / "actividad2.yaml"), "--json", str(tmp_path / "r.json")],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    terminal = ran.stdout + ran.stderr
    assert "Curso:" in terminal, terminal[-2000:]
    assert "absl::InitializeLog" not in terminal and "oneDNN custom operations" not in terminal, terminal
    printed = json.loads((tmp_path / "r.json").read_text())["execution"]["output"]
    assert "HOLA" in printed
    assert "absl::InitializeLog" not in printed and "oneDNN custom operations" not in printed, printed
