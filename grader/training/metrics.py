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

LOWER_IS_BETTER = {"mse": True, "rmse": True, "mae": True, "accuracy": False, "binary_accuracy": False}
METRICS = tuple(LOWER_IS_BETTER)
ACCURACIES = ("accuracy", "binary_accuracy")  # fractions of examples right: shown as percentages
UNITS = ("original", "scaled")


def measure(metric: str, predicted: np.ndarray, expected: np.ndarray, *, logits: bool = False) -> float:
    """``metric`` of ``predicted`` against ``expected`` (any matching shapes).

    ``logits``: the model was trained on logits (a loss with ``from_logits=True``), so a one-unit
    output decides at 0 instead of 0.5 (the class is the same either way for several units).
    """
    predicted, expected = np.asarray(predicted, dtype="float64"), np.asarray(expected)
    if metric == "accuracy":
        return _accuracy(predicted, expected, 0.0 if logits else 0.5)
    if metric == "binary_accuracy":
        return _binary_accuracy(predicted, expected, 0.0 if logits else 0.5)
    error = predicted.reshape(len(predicted), -1) - expected.astype("float64").reshape(len(expected), -1)
    if metric == "mse":
        return float(np.mean(error ** 2))
    if metric == "rmse":
        return float(np.sqrt(np.mean(error ** 2)))
    if metric == "mae":
        return float(np.mean(np.abs(error)))
    raise ValueError(f"unknown metric {metric!r}; use one of: {', '.join(METRICS)}")


def _accuracy(predicted: np.ndarray, expected: np.ndarray, boundary: float = 0.5) -> float:
    if predicted.ndim > 1 and predicted.shape[-1] > 1:
        chosen = predicted.reshape(len(predicted), -1).argmax(axis=1)
    else:  # one sigmoid unit
        chosen = (predicted.reshape(-1) > boundary).astype("int64")
    labels = expected.reshape(len(expected), -1)
    labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels.reshape(-1)
    return float(np.mean(chosen == labels.astype("int64")))


def _binary_accuracy(predicted: np.ndarray, expected: np.ndarray, boundary: float = 0.5) -> float:
    """As ``keras.metrics.BinaryAccuracy``: each output above the boundary is a 1, compared with a 0/1
    target, averaged over every output of every example."""
    chosen = predicted.reshape(len(predicted), -1) > boundary
    targets = expected.astype("float64").reshape(len(expected), -1) > 0.5
    if chosen.shape != targets.shape:
        raise ValueError(f"binary accuracy needs one output per target, got {chosen.shape[1]} outputs for "
                         f"{targets.shape[1]} targets")
    return float(np.mean(chosen == targets))


def measure_split(metric: str, data: Dataset, split: str, predicted: np.ndarray, units: str = "original", *,
                  logits: bool = False) -> float:
    """``metric`` on one split; regression errors in the data set's own units unless ``units="scaled"``."""
    expected = data.splits[split][1]
    if len(predicted) != len(expected):
        raise ValueError(f"the model gave {len(predicted)} predictions for {len(expected)} {split} examples")
    if metric not in ACCURACIES and units == "original" and data.target_range is not None:
        predicted, expected = data.to_original(predicted), data.to_original(expected)
    return measure(metric, predicted, expected, logits=logits)


def baseline_value(metric: str, data: Dataset, split: str, baseline: str) -> float:
    """``metric`` of a model that does nothing: ``noisy_input`` returns its input unchanged (a denoiser
    must do better than that), ``mean`` predicts the training targets' mean, ``majority`` always
    answers the most frequent training class (a classifier that learns anything beats it).

    >>> x = np.array([[0.0, 1.0], [1.0, 0.0]]); y = np.array([[0.0, 1.0], [1.0, 1.0]])
    >>> baseline_value("mse", Dataset("t", {"train": (x, y), "test": (x, y)}), "test", "noisy_input")
    0.25
    """
    x, y = data.splits[split]
    if baseline == "noisy_input":
        if x.shape != y.shape:
            raise ValueError(f"the inputs {x.shape[1:]} and targets {y.shape[1:]} differ in shape: "
                             "'noisy_input' is a baseline for denoising (target: clean)")
        return measure(metric, x, y)
    if baseline == "mean":
        mean = np.mean(data.splits["train"][1], axis=0, keepdims=True)
        return measure(metric, np.repeat(mean, len(y), axis=0), y)
    if baseline == "majority":
        train = np.asarray(data.splits["train"][1])
        labels = train.reshape(len(train), -1)
        if labels.shape[1] > 1:  # one-hot: the column seen most often
            answer = np.zeros((len(y), labels.shape[1]))
            answer[:, int(labels.sum(axis=0).argmax())] = 1.0
        else:
            values, counts = np.unique(labels.reshape(-1), return_counts=True)
            answer = np.full((len(y), 1), float(values[counts.argmax()]))
        return measure(metric, answer, y)
    raise ValueError(f"unknown baseline {baseline!r}; use noisy_input, mean or majority")
