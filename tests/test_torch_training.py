"""Training with PyTorch while grading: the cap on students' loops, and the grader's seeded train check.

Skipped where torch is not installed.
"""

import ast
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from grader_torch_proto import training_cap  # noqa: E402
from grader_torch_proto.inside import export  # noqa: E402
from grader_torch_proto.train_check import read_idx, train  # noqa: E402
from standins.torchvision_data import _labels, cifar_images, write_mnist  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def reference(file_name, function):
    path = ROOT / "reference" / "tema06" / file_name
    spec = importlib.util.spec_from_file_location(f"tema06_train_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return json.loads(json.dumps(export(getattr(module, function)())))


# ------------------------------------------------------------------------------ the cap


def run_capped(source, namespace, epochs=2, batches=3):
    cap = training_cap.install({"epochs": epochs, "batches": batches})
    try:
        exec(compile(training_cap.cap_epoch_loops(ast.parse(source)), "cell", "exec"), namespace)
    finally:
        training_cap.uninstall()
    return cap.records


def test_cap_bounds_epochs_and_batches_of_a_handout_loop():
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(100.0)), batch_size=5)
    namespace = {"loader": loader, "seen": []}
    records = run_capped(textwrap.dedent("""
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
    assert {"cap": "epochs", "line": 3, "ran": 2, "asked": 20} in records
    assert {"cap": "batches", "ran": 3, "asked": 20} in records


def test_loops_without_data_loaders_run_as_written():
    namespace = {"total": 0}
    records = run_capped("for i in range(1000):\n    total += i\n", namespace)
    assert namespace["total"] == sum(range(1000)) and records == []


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


def test_the_import_hook_patches_data_loader_when_torch_is_imported_later(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from grader_torch_proto import training_cap
        training_cap.install({{"epochs": 2, "batches": 4}}, {str(tmp_path / "cap.jsonl")!r})
        assert "torch" not in sys.modules
        import torch
        loader = torch.utils.data.DataLoader(list(range(100)), batch_size=1)
        print(sum(1 for _ in loader))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "4", done.stderr
    assert json.loads((tmp_path / "cap.jsonl").read_text()) == {"cap": "batches", "ran": 4, "asked": 100}


# ------------------------------------------------------------------------------ the train check


@pytest.fixture(scope="module")
def mnist(tmp_path_factory):
    raw = write_mnist(tmp_path_factory.mktemp("mnist"), train=128, test=32)
    images = read_idx(raw / "train-images-idx3-ubyte").reshape(-1, 28 * 28).astype(np.float32) / 255
    return images


def test_autoencoder_train_check_is_deterministic(mnist):
    data = reference("autoencoder.py", "autoencoder")
    settings = dict(loss="mse", optimizer="adam", lr=1e-3, weight_decay=1e-8, epochs=3, batch_size=32)
    first = train(data, mnist, mnist, seed=0, **settings)
    assert first == train(data, mnist, mnist, seed=0, **settings)  # bit for bit
    assert first != train(data, mnist, mnist, seed=1, **settings)
    assert first[-1] < first[0]


def test_cnn_train_check_learns_the_standins():
    rng = np.random.default_rng(0)
    labels = _labels(96, rng)
    images = cifar_images(labels, rng).reshape(-1, 3, 32, 32).astype(np.float32) / 255
    data = reference("cifar10.py", "cifar10_model")
    settings = dict(loss="cross_entropy", optimizer="sgd", lr=0.01, momentum=0.9, epochs=3, batch_size=32)
    losses = train(data, images, labels.astype(np.int64), seed=0, **settings)
    assert losses == train(data, images, labels.astype(np.int64), seed=0, **settings)
    assert losses[-1] < losses[0]


def test_read_idx_refuses_what_is_not_idx(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + b"123")
    with pytest.raises(ValueError, match="header says"):
        read_idx(tmp_path / "bad")
    (tmp_path / "pickle").write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(ValueError, match="not an IDX"):
        read_idx(tmp_path / "pickle")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_train_check_is_deterministic_on_the_gpu(mnist):
    data = reference("autoencoder.py", "autoencoder")
    settings = dict(loss="mse", optimizer="adam", lr=1e-3, epochs=2, batch_size=32, seed=0)
    on_gpu = train(data, mnist, mnist, device="cuda", **settings)
    assert on_gpu == train(data, mnist, mnist, device="cuda", **settings)
    on_cpu = train(data, mnist, mnist, **settings)
    assert np.allclose(on_gpu, on_cpu, rtol=1e-2)  # same initial weights, other kernels: close
