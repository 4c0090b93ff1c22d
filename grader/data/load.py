"""Load a data set for a training check and shape it for the model being trained.

Example:
    >>> spec = DataSpec.from_config({"name": "blobs", "classes": 3, "features": 4})
    >>> data = load_dataset(spec, input_shape=(4,), loss="sparse_categorical_crossentropy")
    >>> data.task, data.splits["train"][0].shape[1:]
    ('classification', (4,))
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from grader.data import data_source
from grader.data.dataset import Dataset
from grader.data.spec import DataSpec
from grader.i18n import msg


def load_dataset(spec: DataSpec, *, input_shape=None, loss: Any = None, base: Path | None = None,
                 resources: list[Path] = ()) -> Dataset:
    """The data set ``spec`` names, prepared for a model whose input shape (no batch axis) is ``input_shape``.

    Raises :class:`InputError` for a missing or unreadable file and ``ValueError`` when the
    model cannot take this data (the message says why, for the student's report).
    """
    source = data_source(spec.name)
    loaded = source.load(spec, base, list(resources), input_shape)
    if source.prepared:
        return _subsample(loaded, spec)
    (x_train, y_train), (x_test, y_test) = loaded
    data = Dataset(name=spec.name if spec.name != "file" else Path(spec.file).name,
                   splits={"train": (x_train, y_train), "test": (x_test, y_test)}, task=_task(y_train))
    data = _subsample(data, spec)
    return _shaped(data, spec, input_shape, loss)


def _task(labels: np.ndarray) -> str:
    labels = np.asarray(labels)
    return "classification" if np.issubdtype(labels.dtype, np.integer) else "regression"


def _subsample(data: Dataset, spec: DataSpec) -> Dataset:
    for split, limit in (("train", spec.train_samples), ("test", spec.test_samples)):
        x, y = data.splits[split]
        if limit is not None and limit < len(x):
            data.splits[split] = (x[:limit], y[:limit])
            data.notes.append(msg(f"data.first.{split}", count=limit, total=len(x)))
    return data


def _shaped(data: Dataset, spec: DataSpec, input_shape, loss: Any) -> Dataset:
    classes = None
    if spec.target == "inputs":
        data.task = "regression"
        data.notes.append(msg("data.reconstruction"))
    elif data.task == "classification":
        classes = int(max(int(np.max(y)) for _, y in data.splits.values())) + 1
    one_hot = spec.one_hot if spec.one_hot != "auto" else _wants_one_hot(loss)
    normalized = False
    for split, (x, y) in list(data.splits.items()):
        if spec.normalize and x.dtype == np.uint8:
            x, normalized = x.astype("float32") / 255.0, True
        x = _reshape(x, input_shape, data.name)
        if classes is not None:
            y = np.asarray(y).reshape(-1)
            if one_hot:
                y = np.eye(classes, dtype="float32")[y]
        x = x.astype("float32") if x.dtype != np.float32 else x
        target = x if spec.target == "inputs" else y
        data.splits[split] = (_noisy(x, spec.noise, split), target)
    if normalized:
        data.notes.append(msg("data.normalized"))
    if spec.noise:
        data.notes.append(msg("data.noise", loc=spec.noise.get("loc", 0.0), scale=spec.noise["scale"],
                              clip=spec.noise.get("clip") or "-"))
    if one_hot and classes is not None:
        data.notes.append(msg("data.one_hot", classes=classes))
    return data


def _noisy(x: np.ndarray, noise: dict | None, split: str) -> np.ndarray:
    """``x`` plus Gaussian noise (seeded per split), clipped: the inputs of a denoising autoencoder."""
    if not noise:
        return x
    seed = int(noise.get("seed", 0)) + (0 if split == "train" else 1)
    noisy = x + np.random.default_rng(seed).normal(noise.get("loc", 0.0), noise["scale"], size=x.shape)
    if noise.get("clip"):
        noisy = np.clip(noisy, *noise["clip"])
    return noisy.astype("float32")


def _wants_one_hot(loss: Any) -> bool:
    name = str(loss or "").lower()
    return "categorical" in name and "sparse" not in name


def _reshape(x: np.ndarray, input_shape, name: str) -> np.ndarray:
    if input_shape is None:
        return x
    target = tuple(int(d) for d in input_shape if d is not None)
    if len(target) != len(input_shape):
        return x  # variable-size axes: the data goes in as it is
    if tuple(x.shape[1:]) == target:
        return x
    if math.prod(x.shape[1:]) == math.prod(target):
        return x.reshape(len(x), *target)
    raise ValueError(f"the model's input shape {tuple(input_shape)} does not fit {name} examples shaped "
                     f"{tuple(x.shape[1:])}")
