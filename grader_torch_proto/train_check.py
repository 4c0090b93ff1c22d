"""A seeded, deterministic train check for a rebuilt PyTorch model (grader's side, CPU by default).

The grader trains *its own rebuild* of the student's architecture (:func:`trusted.rebuild` on the
CPU, the forward being the interpreted graph), never the student's object, on data it reads
itself (IDX files or ``.npz``; no pickle, no ``torch.load``), with the rubric's loss, optimizer,
epochs, batch size and seed. The same export, data and settings give the same numbers, bit for
bit, on the same machine and torch build:

* ``torch.manual_seed(seed)`` right before the rebuild, which is made on the CPU and then moved:
  initial weights depend on the seed and on the order modules are built (the export's order,
  the student's registration order), not on the device that trains them;
* a ``torch.Generator`` seeded for the ``DataLoader``'s shuffling, ``num_workers=0``;
* ``torch.use_deterministic_algorithms(True)`` and one intra-op thread for the duration (thread
  count changes the order of float reductions on the CPU); both restored afterwards;
* Dropout draws from the same global generator, seeded above.

Across machines, CPU kernels may pick other instruction sets (AVX2, AVX-512) and round
differently: caches of train results are keyed by torch version and the export, and compared
with tolerances, not bit-exactly.

Example:
    >>> import numpy as np, torch
    >>> from grader_torch_proto.inside import export
    >>> data = export(torch.nn.Sequential(torch.nn.Linear(4, 3)))
    >>> x, y = np.ones((8, 4), np.float32), np.zeros(8, np.int64)
    >>> a = train(data, x, y, loss="cross_entropy", optimizer="sgd", lr=0.1, epochs=2, batch_size=4, seed=1)
    >>> a == train(data, x, y, loss="cross_entropy", optimizer="sgd", lr=0.1, epochs=2, batch_size=4, seed=1)
    True
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import torch

from grader_torch_proto.trusted import rebuild, validate

LOSSES = {"mse": torch.nn.MSELoss, "cross_entropy": torch.nn.CrossEntropyLoss}
OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}
MAX_IDX_BYTES = 200_000_000


def read_idx(path: str | Path) -> np.ndarray:
    """An uncompressed IDX file of unsigned bytes (MNIST's format), checked before it is trusted."""
    data = Path(path).read_bytes()[:MAX_IDX_BYTES + 1]
    if len(data) < 8 or len(data) > MAX_IDX_BYTES or data[:3] != b"\x00\x00\x08" or not 1 <= data[3] <= 4:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    rank = data[3]
    shape = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    body = data[4 + 4 * rank:]
    if int(np.prod(shape)) != len(body):
        raise ValueError(f"{path}: the header says {shape}, the file holds {len(body)} bytes")
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def train(export: dict, inputs: np.ndarray, targets: np.ndarray, *, loss: str, optimizer: str,
          lr: float, epochs: int, batch_size: int, seed: int, momentum: float = 0.0,
          weight_decay: float = 0.0, device: str = "cpu") -> list[float]:
    """Train the rebuilt model; returns the mean loss of each epoch (plain floats)."""
    if device.startswith("cuda"):  # cuBLAS is deterministic only with a fixed workspace, set before it starts
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        torch.manual_seed(seed)
        model, _ = rebuild(validate(export), device="cpu")  # initial weights from the CPU generator,
        model.to(device)                                    # whatever device trains them
        model.train()
        settings = {"lr": lr, "weight_decay": weight_decay}
        if optimizer == "sgd":
            settings["momentum"] = momentum
        step = OPTIMIZERS[optimizer](model.parameters(), **settings)
        criterion = LOSSES[loss]()
        dataset = torch.utils.data.TensorDataset(torch.as_tensor(inputs), torch.as_tensor(targets))
        loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=0,
                                             generator=torch.Generator().manual_seed(seed))
        history = []
        for _ in range(epochs):
            total, count = 0.0, 0
            for x, y in loader:
                x, y = x.to(device), y.to(device)
                value = criterion(model(x), y)
                step.zero_grad()
                value.backward()
                step.step()
                total += value.item() * len(x)
                count += len(x)
            history.append(total / max(count, 1))
        return history
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)
