"""The airline-passengers series (Actividad 2, activities 10-11), prepared exactly as the course does.

The course's protocol (``resources/actividad2/airlineUtils.py``, ``readAirlineData(history)``):
the 144 monthly totals (thousands of passengers, Jan 1949 - Dec 1960) as float32, min-max scaled
to [0, 1] over the whole series (scikit-learn's ``MinMaxScaler``, whose arithmetic is repeated
here step by step), split into the first 96 months (1949-1956) and the other 48, and windowed
*inside* each part with ``create_dataset``: ``history`` months -> the next one, the last possible
window dropped (91 training and 43 test windows for history 4). RMSE is measured on the
inverse-transformed values, in thousands of passengers, as ``displayResult`` prints it.
``tests/test_airline_protocol.py`` compares every array with the helper's.

``history`` and the window layout come from the model's input shape: ``(history, 1)`` is a
sequence of one value per month (the helper's), ``(1, history)`` the older "months as features"
layout, ``(history,)`` a flat vector.

Example:
    >>> data = load_airline("international-airline-passengers.csv", input_shape=(4, 1))  # doctest: +SKIP
    >>> data.sizes()                                                                        # doctest: +SKIP
    {'train': 91, 'test': 43}
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


FOOTER_LINES = 3  # the helper's read_csv(..., skipfooter=3): the last three lines of the file, blank ones included


def read_series(path: Path) -> np.ndarray:
    """The monthly totals in the CSV's second column, read as the helper's ``pandas.read_csv(path,
    usecols=[1], engine='python', skipfooter=3)`` reads them: the header line and the file's last three
    lines are left out, blank lines skipped. A file whose footer is shorter loses its last months to
    that rule in the helper, so it is refused here with the fix."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(path, f"cannot read the airline data ({exc.strerror})",
                         "ship international-airline-passengers.csv with the rubric's resources") from None
    lines = text.splitlines()
    values = _numbers(lines[1:-FOOTER_LINES] if len(lines) > FOOTER_LINES + 1 else [])
    if len(values) != MONTHS:
        everything = _numbers(lines[1:])
        if len(everything) == MONTHS:
            raise InputError(path, f"the course's readAirlineData would read {len(values)} months, not {MONTHS}: "
                             f"its read_csv(..., skipfooter={FOOTER_LINES}) drops the file's last "
                             f"{FOOTER_LINES} lines, and the footer here is shorter",
                             "end the file with a blank line, a footer line and a blank line, as the course's does")
        raise InputError(path, f"expected {MONTHS} monthly totals (1949-1960), found {len(values)}",
                         "use the course's international-airline-passengers.csv")
    return np.asarray(values, dtype="float32")


def _numbers(lines: list[str]) -> list[float]:
    values = []
    for row in csv.reader(line for line in lines if line.strip()):
        try:
            values.append(float(row[1]))
        except (IndexError, ValueError):
            continue  # a footer line that slipped in
    return values


def windows(series: np.ndarray, history: int) -> tuple[np.ndarray, np.ndarray]:
    """The course's ``create_dataset``: ``history`` values -> the value that follows, for every start in
    ``range(len(series) - history - 1)`` (the last possible window is dropped); X is (samples, history).

    >>> x, y = windows(np.arange(8, dtype="float32"), 3)
    >>> x.tolist(), y.tolist()
    ([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0], [3.0, 4.0, 5.0]], [3.0, 4.0, 5.0, 6.0])
    """
    starts = range(len(series) - history - 1)
    x = np.array([series[i:i + history] for i in starts], dtype=series.dtype).reshape(-1, history)
    y = np.array([series[i + history] for i in starts], dtype=series.dtype)
    return x, y


def min_max_scaled(series: np.ndarray) -> tuple[np.ndarray, float, float]:
    """``series`` scaled to [0, 1] with scikit-learn's ``MinMaxScaler`` arithmetic, in float32, and the
    minimum and maximum it used (the scaler's ``data_min_`` and ``data_max_``)."""
    column = np.asarray(series, dtype="float32").reshape(-1, 1)
    low, high = column.min(axis=0), column.max(axis=0)
    span = high - low
    scale = 1 / np.where(span == 0, np.float32(1), span)
    offset = 0 - low * scale
    scaled = column * scale
    scaled += offset
    return scaled[:, 0], float(low[0]), float(high[0])


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
    longest = MONTHS - TRAIN_MONTHS - 2  # the test part must hold at least one window
    if not 1 <= history <= longest:
        raise ValueError(f"history must be between 1 and {longest} months (the test part is "
                         f"{MONTHS - TRAIN_MONTHS}), got {history}")
    series = read_series(path)
    scaled, low, high = min_max_scaled(series)
    train_x, train_y = windows(scaled[:TRAIN_MONTHS], history)
    test_x, test_y = windows(scaled[TRAIN_MONTHS:], history)
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
