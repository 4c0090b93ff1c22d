"""The airline-passengers series (Actividad 2, activities 10-11), prepared as the course does.

The course's protocol (``airlineUtils.readAirlineData``): 144 monthly totals (thousands of
passengers, Jan 1949 - Dec 1960), min-max scaled to [0, 1] over the whole series, windows of
``history`` months predicting the next one; training targets are the months of 1949-1956
after the first window, test targets every month of 1957-1960.

``history`` and the window layout come from the model's input shape: ``(history, 1)`` is a
sequence of one value per month, ``(1, history)`` the older "months as features" layout.

Example:
    >>> data = load_airline("international-airline-passengers.csv", input_shape=(4, 1))  # doctest: +SKIP
    >>> data.sizes()                                                                        # doctest: +SKIP
    {'train': 92, 'test': 48}
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from grader.data.dataset import Dataset
from grader.data.source import DataSource, Located, find_file
from grader.errors import InputError
from grader.i18n import msg

TRAIN_MONTHS = 96  # January 1949 to December 1956
MONTHS = 144
UNITS = {"en": "thousand passengers", "es": "miles de pasajeros"}


def read_series(path: Path) -> np.ndarray:
    """The monthly totals in the CSV's second column; the header and footer lines are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(path, f"cannot read the airline data ({exc.strerror})",
                         "ship international-airline-passengers.csv with the rubric's resources") from None
    values = []
    for row in csv.reader(text.splitlines()):
        if len(row) < 2:
            continue
        try:
            values.append(float(row[1]))
        except ValueError:
            continue  # the header and the footer
    if len(values) != MONTHS:
        raise InputError(path, f"expected {MONTHS} monthly totals (1949-1960), found {len(values)}",
                         "use the course's international-airline-passengers.csv")
    return np.asarray(values, dtype="float32")


def windows(series: np.ndarray, history: int) -> tuple[np.ndarray, np.ndarray]:
    """``history`` consecutive values -> the value that follows; X is (samples, history)."""
    x = np.stack([series[i:i + history] for i in range(len(series) - history)])
    return x, series[history:].copy()


def history_from(input_shape: tuple | list | None) -> tuple[int, str]:
    """``(history, layout)`` read from a model input shape without the batch axis."""
    shape = tuple(input_shape or ())
    if len(shape) == 2 and shape[1] == 1 and shape[0]:
        return int(shape[0]), "sequence"
    if len(shape) == 2 and shape[0] == 1 and shape[1]:
        return int(shape[1]), "features"
    if len(shape) == 1 and shape[0]:
        return int(shape[0]), "flat"
    raise ValueError(f"the model's input shape {shape} is not one of (history, 1), (1, history) or (history,)")


def load_airline(path: Path, *, input_shape=None, history: int | None = None) -> Dataset:
    """The course's train/test windows, shaped for a model with ``input_shape``."""
    if history is None:
        history, layout = history_from(input_shape)
    else:
        layout = history_from(input_shape)[1] if input_shape else "sequence"
    if not 1 <= history < TRAIN_MONTHS:
        raise ValueError(f"history must be between 1 and {TRAIN_MONTHS - 1} months, got {history}")
    series = read_series(path)
    low, high = float(series.min()), float(series.max())
    scaled = (series - low) / (high - low)
    train_x, train_y = windows(scaled[:TRAIN_MONTHS], history)
    test_x, test_y = windows(scaled[TRAIN_MONTHS - history:], history)
    shape = {"sequence": (history, 1), "features": (1, history), "flat": (history,)}[layout]
    return Dataset(
        name="airline",
        splits={"train": (train_x.reshape(-1, *shape), train_y), "test": (test_x.reshape(-1, *shape), test_y)},
        target_range=(low, high), units=dict(UNITS), task="regression",
        notes=[msg("data.airline", history=history, shape=str(shape))],
    )


AIRLINE_FILE = "international-airline-passengers.csv"


def _load(spec, base: Path | None, resources: list[Path], input_shape=None) -> Dataset:
    path = find_file(spec.file or AIRLINE_FILE, base, resources)
    if not path.is_file():
        raise InputError(path, "the data file of a training check does not exist",
                         "ship it with the rubric (resources:) or fix 'data: file:' (relative to the rubric)")
    return load_airline(path, input_shape=input_shape, history=spec.history)


def _locate(spec, base: Path | None, resources: list[Path]) -> Located:
    path = find_file(spec.file or AIRLINE_FILE, base, resources)
    return Located(str(path), not path.is_file())


SOURCES = (DataSource("airline", load=_load, locate=_locate, prepared=True,
                      help="the airline passengers series, windowed as the course's airlineUtils does"),)
