"""The PyTorch train check's GPU path, checked in one run on a machine with an NVIDIA GPU.

Run from the repository root (no sandbox, no network, no data; torch and numpy only)::

    python benchmarks/gpu_torch.py            # prints one line per check, then PASS or FAIL

What it checks, with the grader's own code (the plan the grader makes of the Tema 06 references,
trained by the sandbox's training worker, ``grader/inside/torch/train.py``, called in-process):

1. the worker trains on the GPU when asked (``device: gpu``) and says so;
2. two GPU runs of the same plan, data and seed give the same losses and predictions, bit for bit
   (``CUBLAS_WORKSPACE_CONFIG``, deterministic algorithms, cuDNN autotuner off);
3. a GPU run and a CPU run start from the same weights (built on the CPU) and end close
   (other kernels round differently: relative 1e-2 on each epoch's loss);
4. the CNN (4,210,090 parameters) and the autoencoder (224,601) train, and how long each takes.

Exit status 0 when every check passes. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _inside_package(folder: Path) -> None:
    """``grader_inside`` importable, as the sandbox names it (a link to ``grader/inside``)."""
    (folder / "grader_inside").symlink_to(ROOT / "grader" / "inside", target_is_directory=True)
    sys.path.insert(0, str(folder))


def _reference(file_name: str, function: str):
    path = ROOT / "reference" / "tema06" / file_name
    spec = importlib.util.spec_from_file_location(f"gpu_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)()


def _train(folder: Path, plan: str, data: Path, job: dict, name: str) -> list[dict]:
    from grader_inside.torch import train

    result = folder / f"{name}.jsonl"
    result.unlink(missing_ok=True)
    train.main({"job": {"architecture": plan, **job}, "data": str(data), "result": str(result)})
    return [json.loads(line) for line in result.read_text().splitlines()]


def main() -> int:
    import numpy as np
    import torch

    from grader.frameworks.torch.training import prepare

    checks: list[tuple[str, bool, str]] = []
    print(f"torch {torch.__version__}, CUDA available: {torch.cuda.is_available()}, "
          f"device: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}")
    with tempfile.TemporaryDirectory(prefix="grader-gpu-") as folder:
        folder = Path(folder)
        _inside_package(folder)
        from grader_inside.torch.export import export

        rng = np.random.default_rng(0)
        cases = {
            "autoencoder": (_reference("autoencoder.py", "autoencoder"), [784], "MSELoss",
                            {"name": "Adam", "lr": 1e-3}, rng.random((512, 784), dtype=np.float32), None),
            "cnn": (_reference("cifar10.py", "cifar10_model"), [3, 32, 32], "CrossEntropyLoss",
                    {"name": "SGD", "lr": 0.01, "momentum": 0.9}, rng.random((512, 3, 32, 32), dtype=np.float32),
                    rng.integers(0, 10, 512)),
        }
        for name, (model, shape, loss, optimizer, x, labels) in cases.items():
            plan, _ = prepare(json.dumps(export(model)), shape)
            y = x if labels is None else labels
            data = folder / f"{name}.npz"
            np.savez(data, x_train=x[:448], y_train=y[:448], x_test=x[448:], y_test=y[448:])
            job = {"loss": loss, "optimizer": optimizer, "epochs": 3, "batch_size": 32, "seed": 0,
                   "time_budget": 600}
            runs = {}
            for label, device in (("gpu", "gpu"), ("gpu again", "gpu"), ("cpu", "cpu")):
                started = time.monotonic()
                records = _train(folder, plan, data, {**job, "device": device}, f"{name}-{device}")
                runs[label] = (records, time.monotonic() - started)
            done = {label: next((r for r in records if r.get("done")), {}) for label, (records, _) in runs.items()}
            losses = {label: [r["loss"] for r in records if "epoch" in r] for label, (records, _) in runs.items()}
            predictions = {label: [r["predictions"] for r in records if r.get("split") == "test"]
                           for label, (records, _) in runs.items()}
            on_gpu = str(done["gpu"].get("device", "")).startswith("GPU")
            checks.append((f"{name}: trains on the GPU ({done['gpu'].get('device')}, "
                           f"{runs['gpu'][1]:.1f} s; CPU {runs['cpu'][1]:.1f} s)", on_gpu, str(done["gpu"])[:200]))
            same = losses["gpu"] == losses["gpu again"] and predictions["gpu"] == predictions["gpu again"] \
                and bool(losses["gpu"])
            checks.append((f"{name}: two GPU runs give the same numbers", same, f"{losses['gpu']} {losses['gpu again']}"))
            close = bool(losses["cpu"]) and len(losses["cpu"]) == len(losses["gpu"]) and \
                bool(np.allclose(losses["gpu"], losses["cpu"], rtol=1e-2))
            checks.append((f"{name}: GPU and CPU losses agree within 1%", close, f"{losses['gpu']} {losses['cpu']}"))
    for what, passed, detail in checks:
        print(f"{'ok  ' if passed else 'FAIL'} {what}" + ("" if passed else f"\n     {detail}"))
    failed = [what for what, passed, _ in checks if not passed]
    print("PASS" if not failed else f"FAIL ({len(failed)} of {len(checks)})")
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
