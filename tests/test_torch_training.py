"""Training with PyTorch while grading: the cap on students' own loops, and the sandboxed train check.

Skipped where torch is not installed.
"""

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _inside(inside):
    """``grader_inside`` importable, as in the sandbox."""


# ------------------------------------------------------------------------------ the cap


def run_capped(source, namespace, epochs=2, batches=3):
    from grader_inside.torch import fit_cap

    cap = fit_cap.install({"epochs": epochs, "batches": batches}, where=lambda: "cell 6")
    try:
        tree = ast.parse(source)
        for transformer in cap.ast_transformers:
            tree = ast.fix_missing_locations(transformer.visit(tree))
        exec(compile(tree, "cell", "exec"), namespace)
    finally:
        fit_cap.uninstall()
    return cap.logged


def test_cap_bounds_epochs_and_batches_of_a_handout_loop():
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(100.0)), batch_size=5)
    namespace = {"loader": loader, "seen": []}
    logged = run_capped(textwrap.dedent("""
        n_epochs = 20
        for epoch in range(n_epochs):
            for (x,) in loader:
                seen.append((epoch, x[0].item()))
            acc = 0
            count = 0
            for (x,) in loader:      # an evaluation loop each epoch, as the handout writes
                count += len(x)
            acc /= count             # still defined: the capped loader yields batches
        after = True
    """), namespace)
    assert [e for e, _ in namespace["seen"]] == [0, 0, 0, 1, 1, 1]
    assert namespace["after"] and namespace["epoch"] == 1
    assert logged == [{"epochs_asked": 20, "epochs_run": 2, "batches_asked": 20, "batches_run": 3, "line": 3,
                       "cell": "cell 6", "loop": True}]


def test_the_report_says_what_the_cap_did():
    from grader.execution.fit_cap import cap_message
    from grader.i18n import render

    loop = {"epochs_asked": 20, "epochs_run": 2, "batches_asked": 1875, "batches_run": 3, "line": 4, "loop": True}
    assert render(cap_message([loop]), "en") == (
        "To grade quickly, your training loop (line 4) ran 2 of its 20 epochs, at most 3 batches each. "
        "Run `grader check --full` to run it as written.")
    assert "bucles de entrenamiento" in render(cap_message([loop, dict(loop, line=9)]), "es")


def test_loops_without_data_loaders_run_as_written():
    namespace = {"total": 0}
    logged = run_capped("for i in range(1000):\n    total += i\n", namespace)
    assert namespace["total"] == sum(range(1000)) and logged == []


def test_loops_in_functions_and_tqdm_style_wrappers_are_capped():
    loader = torch.utils.data.DataLoader(list(range(10)), batch_size=1)
    namespace = {"loader": loader, "wrap": lambda it: it, "epochs_run": []}
    run_capped(textwrap.dedent("""
        def fit(loader, epochs):
            for epoch in wrap(range(epochs)):
                for batch in loader:
                    pass
                epochs_run.append(epoch)
        fit(loader, 50)
    """), namespace)
    assert namespace["epochs_run"] == [0, 1]


def test_a_single_pass_over_a_loader_is_capped_and_logged_once():
    loader = torch.utils.data.DataLoader(list(range(50)), batch_size=1)
    namespace = {"loader": loader}
    logged = run_capped("for _ in [1, 2, 3]:\n    n = sum(1 for _ in loader)\n", namespace)
    assert namespace["n"] == 3
    assert [(r["epochs_run"], r["batches_asked"], r["batches_run"]) for r in logged] == [(1, 50, 3)]


@pytest.mark.sandbox  # a fresh process that imports torch: seconds, not the unit tier's milliseconds
def test_the_import_hook_patches_data_loader_when_torch_is_imported_later(tmp_path, inside):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(inside)!r})
        from grader_inside.records import Records
        from grader_inside.torch import fit_cap
        fit_cap.install({{"epochs": 2, "batches": 4}}, Records({str(tmp_path / "cap.jsonl")!r}))
        assert "torch" not in sys.modules
        import torch
        loader = torch.utils.data.DataLoader(list(range(100)), batch_size=1)
        print(sum(1 for _ in loader))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "4", done.stderr
    record = json.loads((tmp_path / "cap.jsonl").read_text())
    assert (record["batches_asked"], record["batches_run"], record["loop"]) == (100, 4, True)


# ------------------------------------------------------------------------------ the train check


def _plan(model, shape):
    from grader.frameworks.torch.training import prepare
    from grader_inside.torch.export import export

    return prepare(json.dumps(export(model)), shape)[0]


def _data(x_train, y_train, x_test, y_test, name="standin"):
    from grader.data.dataset import Dataset

    task = "classification" if np.issubdtype(np.asarray(y_train).dtype, np.integer) else "regression"
    return Dataset(name, {"train": (x_train, y_train), "test": (x_test, y_test)}, task=task)


def _autoencoder():
    import importlib.util

    spec = importlib.util.spec_from_file_location("tema06_ae", ROOT / "reference" / "tema06" / "autoencoder.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.autoencoder()


@pytest.fixture(scope="module")
def mnist_standin():
    from standins.torchvision_data import _labels, mnist_images

    rng = np.random.default_rng(0)
    images = mnist_images(_labels(96, rng), rng).reshape(-1, 784).astype(np.float32) / 255
    return _data(images[:64], images[:64], images[64:], images[64:])


def _protocol(**settings):
    from grader.training.protocol import Protocol

    return Protocol.from_config({"data": "blobs", "seed": 0, "time_budget": 120, **settings})


@pytest.mark.sandbox
def test_autoencoder_trains_in_the_sandbox_seeded_and_deterministic(mnist_standin, tmp_path):
    from grader.sandbox.devices import choose_device
    from grader.training.run import Trainer

    plan = _plan(_autoencoder(), [784])
    protocol = _protocol(loss="MSELoss", optimizer={"name": "Adam", "lr": 1e-3, "weight_decay": 1e-8}, epochs=3,
                         batch_size=32)
    first = Trainer(use_cache=False, device=choose_device("cpu")).train(plan, protocol, mnist_standin, "torch")
    again = Trainer(use_cache=False, device=choose_device("cpu")).train(plan, protocol, mnist_standin, "torch")
    assert first.status == "ok", first.problem
    assert first.epochs == again.epochs  # bit for bit
    assert np.array_equal(first.predictions["test"], again.predictions["test"])
    assert first.predictions["test"].shape == (32, 784) and first.device == "CPU"
    assert first.epochs[-1]["loss"] < first.epochs[0]["loss"]
    other = Trainer(use_cache=False, device=choose_device("cpu")).train(
        plan, _protocol(loss="MSELoss", optimizer={"name": "Adam", "lr": 1e-3}, epochs=3, batch_size=32, seed=1),
        mnist_standin, "torch")
    assert other.epochs != first.epochs


@pytest.mark.sandbox
def test_cnn_learns_the_cifar_standins_in_the_sandbox():
    from grader.data.load import _reshape
    from grader.sandbox.devices import choose_device
    from grader.training.metrics import measure
    from grader.training.run import Trainer
    from standins.torchvision_data import _labels, cifar_images
    from standins.torch_models import handout_cnn

    rng = np.random.default_rng(0)
    labels = _labels(160, rng).astype(np.int64)
    images = cifar_images(labels, rng).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # as Keras's cache holds them
    images = _reshape(images.astype(np.float32) / 255, (3, 32, 32), "cifar10")  # channels first, for PyTorch
    assert images.shape == (160, 3, 32, 32)
    data = _data(images[:128], labels[:128], images[128:], labels[128:])
    protocol = _protocol(loss="CrossEntropyLoss", optimizer={"name": "SGD", "lr": 0.01, "momentum": 0.9}, epochs=4,
                         batch_size=32)
    run = Trainer(use_cache=False, device=choose_device("cpu")).train(_plan(handout_cnn(), [3, 32, 32]), protocol,
                                                                      data, "torch")
    assert run.status == "ok", run.problem
    assert run.epochs[-1]["loss"] < run.epochs[0]["loss"]
    assert measure("accuracy", run.predictions["train"], labels[:128]) > 0.2  # chance is 0.1


def test_a_loss_or_optimizer_pytorch_does_not_have_is_refused_when_the_rubric_loads():
    from grader.checks import check_kind
    from grader.frameworks import framework

    kind, adapter = check_kind("train"), framework("torch")
    base = {"data": "blobs", "metric": "mse", "threshold": 1.0}
    assert kind.parse({**base, "loss": "MSELoss", "optimizer": {"name": "SGD", "lr": 0.1}}, adapter)
    with pytest.raises(ValueError, match="not a PyTorch loss"):
        kind.parse({**base, "loss": "mean_squared_logarithmic_error"}, adapter)
    with pytest.raises(ValueError, match="optimizer 'Nadam' is not supported"):
        kind.parse({**base, "loss": "MSELoss", "optimizer": "Nadam"}, adapter)


@pytest.mark.sandbox
@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_train_check_is_deterministic_on_the_gpu(mnist_standin):
    from grader.sandbox.devices import choose_device
    from grader.training.run import Trainer

    plan = _plan(_autoencoder(), [784])
    protocol = _protocol(loss="MSELoss", optimizer={"name": "Adam", "lr": 1e-3}, epochs=2, batch_size=32)
    on_gpu = Trainer(use_cache=False, device=choose_device("gpu")).train(plan, protocol, mnist_standin, "torch")
    again = Trainer(use_cache=False, device=choose_device("gpu")).train(plan, protocol, mnist_standin, "torch")
    assert on_gpu.status == "ok" and on_gpu.device.startswith("GPU"), (on_gpu.problem, on_gpu.device)
    assert on_gpu.epochs == again.epochs
    on_cpu = Trainer(use_cache=False, device=choose_device("cpu")).train(plan, protocol, mnist_standin, "torch")
    assert np.allclose([e["loss"] for e in on_gpu.epochs], [e["loss"] for e in on_cpu.epochs], rtol=1e-2)
