"""The grader's ``airline`` protocol is the course's helper, array by array.

``resources/actividad2/airlineUtils.py`` is the helper students import (``readAirlineData(history)``
returns six values; ``displayResult`` prints the RMSE); the grader's train checks prepare the data
with ``grader.data.sources.airline``. Both must give the same windows, the same scaling and the
same RMSE, or a student's printed test score would not be the one the grade is about.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from grader.data.load import load_dataset
from grader.data.spec import DataSpec
from grader.training.metrics import measure_split

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "resources" / "actividad2"
AIRLINE = COURSE / "international-airline-passengers.csv"


@pytest.fixture()
def helper(monkeypatch):
    """The course's airlineUtils, imported as a student's script does, from the course folder."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(COURSE)  # readAirlineData reads the CSV from the working folder, as in class
    spec = importlib.util.spec_from_file_location("airlineUtils", COURSE / "airlineUtils.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _grader(history, input_shape=None):
    return load_dataset(DataSpec.from_config("airline"), input_shape=input_shape or (history, 1), resources=[AIRLINE])


@pytest.mark.parametrize("history", [1, 4, 10, 12])
def test_the_grader_windows_are_the_helpers_array_by_array(helper, history):
    trainX, trainY, testX, testY, scaler, dataset = helper.readAirlineData(history)
    data = _grader(history)
    for ours, theirs in ((data.splits["train"][0], trainX), (data.splits["train"][1], trainY),
                         (data.splits["test"][0], testX), (data.splits["test"][1], testY)):
        assert ours.dtype == theirs.dtype == np.float32
        assert ours.shape == theirs.shape
        np.testing.assert_array_equal(ours, theirs)
    # the windows are built inside each part, the last possible one dropped (create_dataset's - 1)
    assert data.sizes() == {"train": 96 - history - 1, "test": 48 - history - 1}
    assert data.target_range == (float(scaler.data_min_[0]), float(scaler.data_max_[0]))


def test_history_4_gives_91_training_and_43_test_windows(helper):
    trainX, trainY, testX, testY, scaler, dataset = helper.readAirlineData(4)
    assert (trainX.shape, testX.shape, dataset.shape) == ((91, 4, 1), (43, 4, 1), (144, 1))
    assert _grader(4).sizes() == {"train": 91, "test": 43}


def test_the_scaling_is_scikit_learns_fitted_on_the_whole_series(helper):
    from grader.data.sources.airline import min_max_scaled, read_series

    *_, scaler, dataset = helper.readAirlineData(4)
    scaled, low, high = min_max_scaled(read_series(AIRLINE))
    np.testing.assert_array_equal(scaled, dataset[:, 0])
    assert (low, high) == (104.0, 622.0)  # the series' minimum and maximum, thousands of passengers


def test_other_layouts_hold_the_same_windows():
    sequence = _grader(6)
    features = _grader(6, input_shape=(1, 6))
    flat = _grader(6, input_shape=(6,))
    assert features.splits["train"][0].shape == (89, 1, 6) and flat.splits["test"][0].shape == (41, 6)
    np.testing.assert_array_equal(features.splits["train"][0].reshape(-1, 6), sequence.splits["train"][0][..., 0])
    with pytest.raises(ValueError, match="input shape"):
        _grader(4, input_shape=(4, 2))
    with pytest.raises(ValueError, match="history must be between 1 and 46"):
        _grader(47)


def test_the_rmse_is_the_one_display_result_prints(helper, capsys):
    trainX, trainY, testX, testY, scaler, dataset = helper.readAirlineData(4)
    data = _grader(4)
    # predictions of a model that is off by a varying amount (scaled units, as model.predict gives them)
    trainPredict = (trainY + np.linspace(-0.04, 0.06, len(trainY), dtype="float32")).reshape(-1, 1)
    testPredict = (testY + np.linspace(0.05, -0.09, len(testY), dtype="float32")).reshape(-1, 1)
    helper.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, 4)
    printed = capsys.readouterr().out.splitlines()
    train_rmse = measure_split("rmse", data, "train", trainPredict)
    test_rmse = measure_split("rmse", data, "test", testPredict)
    assert printed == ["Train Score: %.2f RMSE" % train_rmse, "Test Score: %.2f RMSE" % test_rmse]
    # and to far more than the printed digits: the helper's sqrt(mean_squared_error) of the inverse transform
    course = math.sqrt(np.mean((scaler.inverse_transform(testPredict)[:, 0]
                                - scaler.inverse_transform([testY])[0]) ** 2))
    assert test_rmse == pytest.approx(course, rel=1e-6)


def test_display_result_draws_each_prediction_at_the_month_it_predicts(helper):
    import matplotlib.pyplot as plt

    trainX, trainY, testX, testY, scaler, dataset = helper.readAirlineData(4)
    plt.close("all")
    helper.displayResult(dataset, trainY.reshape(-1, 1), trainY, testY.reshape(-1, 1), testY, scaler, 4)
    original, train_line, test_line = plt.gca().get_lines()
    months = np.asarray(original.get_ydata()).ravel()
    trained = np.asarray(train_line.get_ydata()).ravel()
    tested = np.asarray(test_line.get_ydata()).ravel()
    shown = ~np.isnan(trained)
    assert np.flatnonzero(shown).tolist() == list(range(4, 95))
    np.testing.assert_allclose(trained[shown], months[shown], rtol=1e-5)  # a perfect prediction lies on the series
    shown = ~np.isnan(tested)
    assert np.flatnonzero(shown).tolist() == list(range(100, 143))  # len(trainPredict) + 2*history + 1 onwards
    np.testing.assert_allclose(tested[shown], months[shown], rtol=1e-5)
    plt.close("all")


def test_a_footer_that_would_eat_a_month_in_the_helper_is_refused_with_the_fix(tmp_path):
    """pandas's skipfooter=3 drops the file's last three lines: without the final blank line, December 1960."""
    from grader.data.sources.airline import load_airline
    from grader.errors import InputError

    short = tmp_path / "international-airline-passengers.csv"
    short.write_text(AIRLINE.read_text().rstrip("\n") + "\n")
    with pytest.raises(InputError) as caught:
        load_airline(short, input_shape=(4, 1))
    assert "would read 143 months, not 144" in caught.value.one_line()
    assert "end the file with a blank line" in caught.value.one_line()
