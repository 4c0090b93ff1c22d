"""The PyTorch adapter at the framework seam: what works without torch, and what a PyTorch rubric needs.

Reading code, the one-line error when torch is missing, channels-first images, and the check kind
that reads the code (``test_data``) need no torch; none of these tests imports it.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from grader.checks import check_kind
from grader.checks.kind import CheckContext
from grader.execution.result import ExecutionResult
from grader.frameworks import FrameworkUnavailable
from grader.frameworks.torch.code import read_code
from grader.i18n import render

HANDOUT = """\
trainset = torchvision.datasets.CIFAR10(root='./data', train=True, download=True, transform=transform)
testset = torchvision.datasets.CIFAR10(root='./data', train=False, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True)
testloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True)
"""


def _run_test_data(cells):
    findings = read_code(cells, file="hw.ipynb")
    context = CheckContext(matches={}, execution=ExecutionResult(), code_findings=findings)
    return check_kind("test_data").run(None, context)


def test_the_handouts_test_loader_from_the_training_set_fails_with_its_place_and_fix():
    outcome = _run_test_data([(3, "import torch"), (9, HANDOUT)])
    assert not outcome.passed
    assert render(outcome.message, "en").startswith("hw.ipynb, cell 9, line 4: `testloader` is built from `trainset`")
    assert outcome.hint == "testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=True)"


@pytest.mark.parametrize("code, passed", [
    (HANDOUT.replace("testloader = torch.utils.data.DataLoader(trainset", "testloader = torch.utils.data.DataLoader(testset"),
     True),
    ("testset = datasets.MNIST('./data', train=True)\nval_loader = DataLoader(testset)", False),  # train=True
    ("loader = DataLoader(dataset)", False),  # no evaluation at all: nothing to give points for
    ("", False),
])
def test_what_counts_as_evaluating_on_test_data(code, passed):
    assert _run_test_data([(1, code)]).passed is passed


def test_a_missing_framework_is_one_line_that_names_the_install_command(monkeypatch):
    from grader import frameworks
    from grader.cli import _missing_framework
    from grader.grading.rubric import load_rubric

    real = importlib.util.find_spec
    monkeypatch.setattr(frameworks.importlib.util, "find_spec", lambda name, *a: None if name == "torch" else
                        real(name, *a))
    with pytest.raises(FrameworkUnavailable) as raised:
        frameworks.framework("torch")
    assert raised.value.one_line() == ("PyTorch is not installed here (no module named 'torch'). "
                                       'Fix: install it with: pip install -e ".[torch]"')
    assert _missing_framework(load_rubric("rubrics/tema06.yaml")).one_line() == raised.value.one_line()
    assert _missing_framework(load_rubric("rubrics/actividad2.yaml")) is None


def test_images_kept_channels_last_are_given_channels_first():
    from grader.data.load import _reshape

    images = np.arange(2 * 32 * 32 * 3).reshape(2, 32, 32, 3)
    first = _reshape(images, (3, 32, 32), "cifar10")
    assert first.shape == (2, 3, 32, 32) and (first[1, 2] == images[1, :, :, 2]).all()
    assert _reshape(images, (32, 32, 3), "cifar10") is images  # a Keras model takes them as they are
    assert _reshape(np.zeros((2, 28, 28)), (1, 28, 28), "mnist").shape == (2, 1, 28, 28)


def test_the_adapter_does_not_import_torch():
    import subprocess
    import sys

    code = ("import sys; from grader.frameworks.torch import ADAPTER, code, outline, canonical, labels; "
            "print('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_grading_a_pytorch_course_without_torch_stops_with_that_one_line(monkeypatch, capsys):
    from grader import frameworks
    from grader.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(frameworks.importlib.util, "find_spec", lambda name, *a: None if name == "torch" else
                        real(name, *a))
    assert main(["check", "submissions/tema06/correct.ipynb", "--rubric", "rubrics/tema06.yaml"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == ['error: PyTorch is not installed here (no module named \'torch\'). '
                      'Fix: install it with: pip install -e ".[torch]"']
