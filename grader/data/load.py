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
    if source.sequences:
        data = _sequences(data, spec)
    return _shaped(data, spec, input_shape, loss)


def _sequences(data: Dataset, spec: DataSpec) -> Dataset:
    """Reviews as word ids -> what the model takes: one vector of ``num_words`` counts (or 0/1 marks) per
    review, or the ids padded and cut to ``maxlen`` at the front, as ``keras.utils.pad_sequences`` does."""
    for split, (x, y) in list(data.splits.items()):
        if spec.vectorize:
            vectors = np.zeros((len(x), spec.num_words), dtype="float32")
            for row, review in enumerate(x):
                ids = np.asarray([w for w in review if 0 <= w < spec.num_words], dtype="int64")
                if spec.vectorize == "counts":
                    np.add.at(vectors[row], ids, 1.0)
                else:
                    vectors[row, ids] = 1.0
            x = vectors
        elif spec.maxlen:
            padded = np.zeros((len(x), spec.maxlen), dtype="int32")
            for row, review in enumerate(x):
                kept = list(review)[-spec.maxlen:]
                if kept:
                    padded[row, -len(kept):] = kept
            x = padded
        else:
            raise ValueError(f"the {data.name} reviews are sequences of different lengths: give the data "
                             "'vectorize: counts' (or multi_hot) with 'num_words', or 'maxlen'")
        data.splits[split] = (x, y)
    data.notes.append(msg(f"data.vectorized.{spec.vectorize}", words=spec.num_words) if spec.vectorize
                      else msg("data.padded", maxlen=spec.maxlen))
    return data


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
    if spec.target in ("inputs", "clean"):
        data.task = "regression"
        data.notes.append(msg("data.denoising" if spec.noise is not None else "data.reconstruction"))
    elif data.task == "classification":
        classes = int(max(int(np.max(y)) for _, y in data.splits.values())) + 1
    one_hot = spec.one_hot if spec.one_hot != "auto" else _wants_one_hot(loss)
    normalized = False
    mean, deviation = _standardization(data) if spec.standardize else (None, None)
    permutation = _permutation(data, spec.permute) if spec.permute is not None else None
    for index, (split, (x, y)) in enumerate(list(data.splits.items())):
        if spec.normalize and x.dtype == np.uint8:
            x, normalized = x.astype("float32") / 255.0, True
        if mean is not None:
            x = (x.astype("float64") - mean) / deviation
        if permutation is not None:
            x = x.reshape(len(x), -1)[:, permutation].reshape(x.shape)
        x = _reshape(x, input_shape, data.name)
        x = x.astype("float32") if x.dtype != np.float32 else x
        clean = x
        if spec.noise is not None:
            x = _noisy(x, spec.noise, index)
        if classes is not None:
            y = np.asarray(y).reshape(-1)
            if one_hot:
                y = np.eye(classes, dtype="float32")[y]
        data.splits[split] = (x, clean if spec.target in ("inputs", "clean") else y)
    if normalized:
        data.notes.append(msg("data.normalized"))
    if mean is not None:
        data.notes.append(msg("data.standardized"))
    if permutation is not None:
        data.notes.append(msg("data.permuted", seed=spec.permute.get("seed", 0)))
    if spec.noise is not None:
        loc, scale = noise_parameters(spec.noise)
        data.notes.append(msg("data.noise", loc=f"{loc:g}", scale=f"{scale:g}",
                              clip=msg("data.noise.clip", low=f"{spec.noise['clip'][0]:g}",
                                       high=f"{spec.noise['clip'][1]:g}") if spec.noise.get("clip") else ""))
    if one_hot and classes is not None:
        data.notes.append(msg("data.one_hot", classes=classes))
    return data


def _standardization(data: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """The training inputs' mean and deviation per feature (a constant feature is divided by 1)."""
    x = data.splits["train"][0].astype("float64")
    deviation = x.std(axis=0)
    return x.mean(axis=0), np.where(deviation > 0, deviation, 1.0)


def _permutation(data: Dataset, permute: dict) -> np.ndarray:
    """One permutation of an example's values, drawn from the seed: the same for every example."""
    size = int(np.prod(data.splits["train"][0].shape[1:]))
    return np.random.default_rng(permute.get("seed", 0)).permutation(size)


def noise_parameters(noise: dict) -> tuple[float, float]:
    """The noise's mean and deviation, whichever way the rubric wrote them (``gaussian`` or ``loc``/``scale``)."""
    return float(noise.get("loc", 0.0)), float(noise["gaussian"] if "gaussian" in noise else noise["scale"])


def _noisy(x: np.ndarray, noise: dict, split_index: int) -> np.ndarray:
    """``x`` plus seeded Gaussian noise (another draw per split), clipped when asked."""
    loc, scale = noise_parameters(noise)
    rng = np.random.default_rng([noise.get("seed", 0), split_index])
    noisy = x + (loc + scale * rng.standard_normal(x.shape)).astype("float32")
    if noise.get("clip"):
        noisy = np.clip(noisy, noise["clip"][0], noise["clip"][1])
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
    if x.ndim == 4 and len(target) == 3 and tuple(x.shape[1:]) == (target[1], target[2], target[0]) \
            and target[0] != target[2]:
        return x.transpose(0, 3, 1, 2)  # images stored channels last, a model that takes channels first (PyTorch)
    if math.prod(x.shape[1:]) == math.prod(target):
        return x.reshape(len(x), *target)
    raise ValueError(f"the model's input shape {tuple(input_shape)} does not fit {name} examples shaped "
                     f"{tuple(x.shape[1:])}")
