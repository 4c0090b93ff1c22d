"""Metrics of a training check, computed by the grader from the model's predictions.

The training process returns predictions only; the numbers that decide a grade are computed
here, from the grader's own copy of the targets.

Example:
    >>> import numpy as np
    >>> round(measure("rmse", np.array([1.0, 2.0]), np.array([1.0, 4.0])), 4)
    1.4142
    >>> measure("accuracy", np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 0]))
    0.5
"""

from __future__ import annotations

import numpy as np

from grader.data.dataset import Dataset

LOWER_IS_BETTER = {"mse": True, "rmse": True, "mae": True, "accuracy": False}
METRICS = tuple(LOWER_IS_BETTER)
UNITS = ("original", "scaled")


def measure(metric: str, predicted: np.ndarray, expected: np.ndarray) -> float:
    """``metric`` of ``predicted`` against ``expected`` (any matching shapes)."""
    predicted, expected = np.asarray(predicted, dtype="float64"), np.asarray(expected)
    if metric == "accuracy":
        return _accuracy(predicted, expected)
    error = predicted.reshape(len(predicted), -1) - expected.astype("float64").reshape(len(expected), -1)
    if metric == "mse":
        return float(np.mean(error ** 2))
    if metric == "rmse":
        return float(np.sqrt(np.mean(error ** 2)))
    if metric == "mae":
        return float(np.mean(np.abs(error)))
    raise ValueError(f"unknown metric {metric!r}; use one of: {', '.join(METRICS)}")


def _accuracy(predicted: np.ndarray, expected: np.ndarray) -> float:
    if predicted.ndim > 1 and predicted.shape[-1] > 1:
        chosen = predicted.reshape(len(predicted), -1).argmax(axis=1)
    else:  # one sigmoid unit
        chosen = (predicted.reshape(-1) >= 0.5).astype("int64")
    labels = expected.reshape(len(expected), -1)
    labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels.reshape(-1)
    return float(np.mean(chosen == labels.astype("int64")))


def measure_split(metric: str, data: Dataset, split: str, predicted: np.ndarray, units: str = "original") -> float:
    """``metric`` on one split; regression errors in the data set's own units unless ``units="scaled"``."""
    expected = data.splits[split][1]
    if len(predicted) != len(expected):
        raise ValueError(f"the model gave {len(predicted)} predictions for {len(expected)} {split} examples")
    if metric != "accuracy" and units == "original" and data.target_range is not None:
        predicted, expected = data.to_original(predicted), data.to_original(expected)
    return measure(metric, predicted, expected)
