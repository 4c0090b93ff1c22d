"""Actividad 2's train checks end to end on the CPU: the course's airline protocol, 150 epochs.

Expected numbers are never typed here: the thresholds come from the reference trained by the
grader under the same protocol, and the data preparation is checked against the course's own
helper in test_airline_protocol.py.
"""

from pathlib import Path

import pytest

from grader.options import GradingOptions

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

BROKEN = """\
import keras
from keras import layers
from airlineUtils import readAirlineData

trainX, trainY, testX, testY, scaler, dataset = readAirlineData(4)
# A sigmoid squashes the output: the test months (1957-1960) lie above the training range.
modelRNN = keras.Sequential([keras.Input(shape=(4, 1)), layers.SimpleRNN(5), layers.Dense(1, activation="sigmoid")])
modelRNN.compile(loss="mean_squared_error", optimizer="adam")
"""


def _train_checks(result):
    return {c["id"]: c for c in result["checks"] if c["id"].endswith("-train")}


def test_correct_submission_passes_both_train_checks_at_the_reference_figure(rubric, references):
    from grader.grading.grade import grade_submission

    result = grade_submission(ROOT / "submissions" / "actividad2" / "correct_script.py", rubric,
                              GradingOptions(device="cpu"), references=references).to_json()
    checks = _train_checks(result)
    assert set(checks) == {"a10-train", "a11-train"}
    for check in checks.values():
        assert check["status"] == "pass", check["message"]
        found, expected = check["found"], check["expected"]
        assert found["epochs_run"] == 150 and found["device"] == "CPU"
        assert found["data"]["sizes"] == {"train": 91, "test": 43}  # the course's windows inside 1949-1956, 1957-1960
        # the student's model is the reference architecture: it reaches exactly the reference's RMSE
        assert found["value"] == pytest.approx(expected["reference"])
        assert expected["limit"] == pytest.approx(1.25 * expected["reference"])
        assert "miles de pasajeros" in check["message"]
        from grader.i18n import render

        assert "4 meses de historia por ventana" in render(found["data"]["notes"][0], "es")


def test_sigmoid_output_fails_the_train_check_with_its_rmse(rubric, references, tmp_path):
    from grader.grading.grade import grade_submission

    script = tmp_path / "broken.py"
    script.write_text(BROKEN)
    result = grade_submission(script, rubric, GradingOptions(device="cpu", lang="en"), references=references).to_json()
    check = _train_checks(result)["a10-train"]
    assert check["status"] == "fail"
    assert check["found"]["value"] > check["expected"]["limit"]
    assert "but it must be at most" in check["message"] and "thousand passengers" in check["message"]
    # modelRNN is the variable activity 11 grades too: the same trained model, against the LSTM's bar
    lstm = _train_checks(result)["a11-train"]
    assert lstm["status"] == "fail" and lstm["found"]["value"] == check["found"]["value"]
    assert lstm["found"]["cached"] is True
