"""Trains one planned PyTorch model and writes its predictions (``"program": "train"``, framework torch).

Runs in the sandbox (standard library, numpy and torch), never with student code: the model is
built from the grader's plan (:mod:`grader_inside.torch.model`). The manifest holds:

* ``job``: the plan (``architecture``), loss and optimizer (PyTorch class names and keyword
  arguments), epochs, batch size, seed, time budget, device (``cpu`` or ``gpu``);
* ``data``: an ``.npz`` with x_train, y_train, x_test, y_test (read without pickle);
* ``result``: JSON lines, written as training goes so a killed run still shows its curve:
  ``{"epoch": i, "loss": ..., "val_loss": ...}`` per epoch, then one line of predictions per
  split, then ``{"done": true, ...}``.

Seeded and deterministic, so the same plan, data and settings give the same numbers on the same
machine and torch build: ``torch.manual_seed(seed)`` right before the model is built on the CPU
(initial weights follow the plan's module order, whatever device trains), a seeded generator for
the DataLoader's shuffling (no worker processes), ``torch.use_deterministic_algorithms(True)`` and
one CPU thread (the thread count changes the order of float sums); Dropout draws from the seeded
generators. On a GPU, cuBLAS needs a fixed workspace (``CUBLAS_WORKSPACE_CONFIG``, set before CUDA
starts) and cuDNN's autotuner is off. The grader computes every metric itself from the predictions.
"""

import json
import os
import time

from grader_inside.records import Records

MAX_RESULT_BYTES = 200_000_000
LOSSES = {"MSELoss": "MSELoss", "mse": "MSELoss", "mean_squared_error": "MSELoss", "L1Loss": "L1Loss",
          "mae": "L1Loss", "mean_absolute_error": "L1Loss", "CrossEntropyLoss": "CrossEntropyLoss",
          "cross_entropy": "CrossEntropyLoss", "sparse_categorical_crossentropy": "CrossEntropyLoss",
          "NLLLoss": "NLLLoss", "BCELoss": "BCELoss", "binary_crossentropy": "BCELoss",
          "BCEWithLogitsLoss": "BCEWithLogitsLoss", "SmoothL1Loss": "SmoothL1Loss", "HuberLoss": "HuberLoss"}
LABELS = ("CrossEntropyLoss", "NLLLoss")  # losses whose targets are class indices
OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
PREDICT_BATCH = 256


def main(manifest):
    job = manifest["job"]
    records = Records(manifest["result"], MAX_RESULT_BYTES)
    write = records.write
    wanted = job.get("device", "cpu")
    if wanted == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    else:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # before CUDA starts
    import numpy as np
    import torch

    from grader_inside.torch.model import build

    device, described = _device(torch, wanted)
    torch.set_num_threads(int(job.get("threads", 1)))
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    seed = int(job["seed"])
    with np.load(manifest["data"], allow_pickle=False) as data:
        arrays = {key: data[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    try:
        loss_name = LOSSES[job["loss"]]
        torch.manual_seed(seed)
        model = build(json.loads(job["architecture"]), device="cpu").to(device)  # weights from the CPU generator
        optimizer = _optimizer(torch, model, dict(job["optimizer"]))
        criterion = getattr(torch.nn, loss_name)()
        splits = {split: _tensors(torch, np, arrays[f"x_{split}"], arrays[f"y_{split}"], loss_name)
                  for split in ("train", "test")}
    except Exception as exc:  # noqa: BLE001 - reported to the student as "could not be trained"
        write({"failed": "setup", "error": f"{type(exc).__name__}: {exc}"[:1000]})
        return 0

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*splits["train"]),
                                         batch_size=int(job["batch_size"]), shuffle=True, num_workers=0,
                                         generator=torch.Generator().manual_seed(seed))
    budget, started, stopped = float(job["time_budget"]), time.monotonic(), None
    try:
        for epoch in range(1, int(job["epochs"]) + 1):
            model.train()
            total, count = 0.0, 0
            for x, y in loader:
                x, y = x.to(device), y.to(device)
                value = criterion(model(x), y)
                optimizer.zero_grad()
                value.backward()
                optimizer.step()
                total += float(value.item()) * len(x)
                count += len(x)
            loss = total / max(count, 1)
            write({"epoch": epoch, "loss": _number(loss), "val_loss": _number(_test_loss(torch, model, criterion,
                                                                                         splits["test"], device))})
            if loss != loss or abs(loss) == float("inf"):
                stopped = "nan"
                break
            if time.monotonic() - started > budget:
                stopped = "time_budget"
                break
    except Exception as exc:  # noqa: BLE001 - e.g. the output does not fit the targets
        write({"failed": "fit", "error": f"{type(exc).__name__}: {exc}"[:1000]})
        return 0
    fit_seconds = time.monotonic() - started
    for split, (x, _) in splits.items():
        write({"split": split, "predictions": _predict(torch, model, x, device).round(7).tolist()})
    write({"done": True, "device": described, "fit_s": round(fit_seconds, 3), "stopped": stopped,
           "torch": torch.__version__})
    return 0


def _device(torch, wanted):
    """The device to train on and what it is, in words (a GPU when asked for and present)."""
    if wanted != "cpu" and torch.cuda.is_available():
        return torch.device("cuda"), f"GPU: {torch.cuda.get_device_name(0)}"
    return torch.device("cpu"), "CPU" if wanted == "cpu" else "CPU (no GPU visible to PyTorch)"


def _optimizer(torch, model, settings):
    name = str(settings.pop("name"))
    name = OPTIMIZERS.get(name.lower(), name)
    if name not in OPTIMIZERS.values():
        raise ValueError(f"unknown optimizer {name!r}")
    if "learning_rate" in settings:
        settings["lr"] = settings.pop("learning_rate")
    if isinstance(settings.get("betas"), list):
        settings["betas"] = tuple(settings["betas"])
    return getattr(torch.optim, name)(model.parameters(), **settings)


def _tensors(torch, np, x, y, loss_name):
    x = torch.as_tensor(np.ascontiguousarray(x, dtype=np.float32))
    if loss_name in LABELS:  # class indices (one-hot rows become their index)
        labels = np.asarray(y)
        labels = labels.reshape(len(labels), -1)
        labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels.reshape(-1)
        y = torch.as_tensor(labels.astype(np.int64))
    else:
        y = torch.as_tensor(np.ascontiguousarray(y, dtype=np.float32))
    return x, y


def _test_loss(torch, model, criterion, split, device):
    x, y = split
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(x), PREDICT_BATCH):
            xb, yb = x[start:start + PREDICT_BATCH].to(device), y[start:start + PREDICT_BATCH].to(device)
            total += float(criterion(model(xb), yb).item()) * len(xb)
    return total / max(len(x), 1)


def _predict(torch, model, x, device):
    model.eval()
    parts = []
    with torch.no_grad():
        for start in range(0, len(x), PREDICT_BATCH):
            parts.append(model(x[start:start + PREDICT_BATCH].to(device)).double().cpu())
    import numpy as np

    return torch.cat(parts).numpy() if parts else np.zeros((0,))


def _number(value):
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None
