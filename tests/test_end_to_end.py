"""The bundled example class, graded end to end through the command line.

These run real notebooks (about 10-25 s each), so the batch is graded once per session.
"""

import csv
import json
import shutil
from pathlib import Path

import pytest

from grader.cli import grade_main, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "submissions" / "actividad2"
RUBRIC = ROOT / "rubrics" / "actividad2.yaml"
ALEXNET = {"1", "2", "3", "4", "5", "6", "7"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Run ``grade submissions/`` once; return the output folder."""
    out = tmp_path_factory.mktemp("reports")
    assert grade_main([str(ROOT / "submissions"), "--out", str(out)]) == 0
    return out


def _result(batch: Path, name: str) -> dict:
    return json.loads((batch / "actividad2" / name / "results.json").read_text())


def _activity_status(result: dict) -> dict[str, str]:
    return {a["id"]: a["status"] for a in result["activities"]}


def test_results_follow_schema_1(batch):
    result = _result(batch, "correct")
    assert result["schema"] == 1 and result["assignment"] == "actividad2" and result["status"] == "graded"
    assert set(result["execution"]) >= {"status", "message", "duration_s"}
    for check in result["checks"]:
        assert set(check) >= {"id", "activity", "title", "status", "points", "max_points", "message", "expected", "found"}
        assert check["status"] in ("pass", "fail", "error", "skipped")
    assert {c["activity"] for c in result["checks"]} == {"1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "12"}


@pytest.mark.parametrize("name", ["correct", "correct_script", "carla", "diego"])
def test_correct_submissions_get_full_marks(batch, name):
    result = _result(batch, name)
    failing = [(c["id"], c["message"]) for c in result["checks"] if c["status"] != "pass"]
    assert failing == []
    assert result["score"] == result["max_score"]


def test_grader_check_gives_full_marks_and_exit_0_on_the_correct_notebook(tmp_path, capsys):
    json_path = tmp_path / "results.json"
    code = main(["check", str(EXAMPLES / "correct.ipynb"), "--json", str(json_path), "--html", str(tmp_path / "r.html")])
    assert code == 0
    result = json.loads(json_path.read_text())
    assert result["score"] == result["max_score"] > 0
    printed = capsys.readouterr().out
    assert "Informe:" in printed and "Actividad" in printed  # the rubric's language, every label


def test_the_partial_submission_passes_activities_1_to_3_only(batch):
    status = _activity_status(_result(batch, "partial"))
    assert [status[a] for a in ("1", "2", "3")] == ["pass"] * 3
    assert all(status[a] == "fail" for a in ("4", "5", "6", "7", "8", "10", "11"))


def test_the_partial_submission_is_told_what_is_missing(batch):
    checks = {c["id"]: c for c in _result(batch, "partial")["checks"]}
    # rubrics/actividad2.yaml says `language: es`: the grader writes in Spanish.
    assert "block4_pad" in checks["a4-layers"]["message"] and "falta" in checks["a4-layers"]["message"]
    assert checks["a4-shape"]["expected"] == [None, 6, 6, 256]


def test_the_handout_code_is_an_execution_error_that_names_the_fix(batch):
    execution = _result(batch, "handout")["execution"]
    assert execution["status"] == "error"
    assert "keras.layers.convolutional" in execution["message"]
    assert "from keras.layers import" in execution["message"]
    failing = [cell for cell in execution["cells"] if cell["status"] == "error"]
    assert len(failing) > 5
    assert all(cell["hint"] for cell in failing), "every failing cell needs a likely fix"
    assert any("from keras.models import Sequential" in cell["hint"] for cell in failing)


def test_the_wrong_architecture_is_located(batch):
    result = _result(batch, "wrong_architecture")
    failing = {c["id"]: c for c in result["checks"] if c["status"] != "pass"}
    assert failing, "a wrong architecture must lose points"
    assert result["score"] < result["max_score"]
    assert any("`block3_conv`" in c["message"] or "384" in c["message"] for c in failing.values())


def test_the_batch_writes_an_index_and_a_gradebook(batch):
    index = (batch / "index.html").read_text()
    for name in ("correct", "correct_script", "partial", "handout", "wrong_architecture", "carla", "diego"):
        assert f"actividad2/{name}/report.html" in index
        assert (batch / "actividad2" / name / "report.html").is_file()
    rows = list(csv.DictReader((batch / "grades.csv").open()))
    scores = {row["submission"]: float(row["score"]) for row in rows}
    assert scores["correct"] == float(rows[0]["max_score"]) > scores["partial"] > scores["handout"]


def test_the_report_shows_expected_and_found_side_by_side(batch):
    html = (batch / "actividad2" / "partial" / "report.html").read_text()
    assert "(None, 6, 6, 256)" in html and "block5_pool" in html


def test_counts_ignore_what_the_student_process_claims(tmp_path, rubric, references):
    """Monkeypatched count_params/summary/output_shape and a fake results.json change nothing."""
    from grader.grading.grade import grade_submission

    script = tmp_path / "forger.py"
    script.write_text(
        "import json, keras\n"
        "keras.Model.count_params = lambda self: 35\n"
        "keras.Model.summary = lambda self, *a, **k: print('Total params: 35')\n"
        "modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(4)])\n"
        "type(modelRNN).output_shape = property(lambda self: (None, 5))\n"
        "json.dump({'score': 30, 'max_score': 30}, open('results.json', 'w'))\n"
    )
    result = grade_submission(script, rubric, references=references).to_json()
    checks = {c["id"]: c for c in result["checks"]}
    assert checks["a8-params"]["status"] == "fail"
    assert (checks["a8-params"]["expected"], checks["a8-params"]["found"]) == (35, 24)
    assert checks["a8-params-4"]["status"] == "pass"
    assert result["score"] < result["max_score"]


def test_a_corrupt_notebook_in_a_batch_is_reported_and_the_rest_is_graded(tmp_path, capsys):
    folder = tmp_path / "actividad2"
    folder.mkdir()
    (folder / "broken.ipynb").write_text("{ this is not a notebook")
    shutil.copy(EXAMPLES / "partial.ipynb", folder / "ok.ipynb")
    out = tmp_path / "out"
    assert grade_main([str(folder), "--rubric", str(RUBRIC), "--out", str(out)]) == 0
    broken = json.loads((out / "actividad2" / "broken" / "results.json").read_text())
    assert broken["status"] == "error" and "broken.ipynb" in broken["execution"]["message"]
    assert "Fix:" in broken["execution"]["message"]
    assert json.loads((out / "actividad2" / "ok" / "results.json").read_text())["score"] > 0


def test_the_handout_report_explains_every_old_call_with_the_current_spelling(batch):
    from markupsafe import escape

    result = _result(batch, "handout")
    calls = result["old_api"]
    patterns = {p for call in calls for p in call["patterns"]}
    assert {"module_convolutional", "module_normalization", "module_pooling", "subsample", "border_mode",
            "conv_positional_kernel", "input_length", "nb_epoch"} <= patterns
    page = (batch / "actividad2" / "handout" / "report.html").read_text(encoding="utf-8")
    for call in calls:
        assert str(escape(call["now"])) in page and call["explanation"]
    assert "Conv2D(96, (11, 11), strides=(4, 4), padding=&#39;valid&#39;)" in page


# ------------------------------------------------- README command 1: the class as its students wrote it


def test_the_course_style_folder_runs_each_activity_script_with_the_students_own_helper(batch):
    """diego/: one script per activity, `import airlineUtils`, six values, sklearn, current Keras."""
    result = _result(batch, "diego")
    assert result["execution"]["status"] == "ok" and result["execution"]["cells"] == []
    files = result["execution"]["course_files"]
    assert any("`airlineUtils.py`" in line and "tu propia copia" in line for line in files)
    assert any("`international-airline-passengers.csv`" in line and "copia del curso" in line for line in files)
    found = {model["id"]: model["found"] for model in result["models"]}
    assert found["alexnet"].startswith("modelAlexNet (actividad7.py, línea")
    assert found["rnn_dense"].startswith("modelRNN (actividad10.py, línea")  # the compiled state of that object
    assert found["lstm_dense"].startswith("modelRNN (actividad11.py, línea")
    assert "(91, 4, 1) (43, 4, 1)" in result["execution"]["output"]  # the course's readAirlineData(4)


def test_no_example_is_killed_and_no_output_shows_tensorflows_startup_lines(batch):
    for path in sorted((batch / "actividad2").glob("*/results.json")):
        execution = json.loads(path.read_text())["execution"]
        assert execution["status"] != "killed", (path.parent.name, execution["message"])
        assert "absl::InitializeLog" not in execution["output"], path.parent.name
        assert "oneDNN custom operations" not in execution["output"], path.parent.name


def test_wrong_architecture_runs_under_the_defaults_and_is_graded_on_every_activity(batch):
    """Its first Dense has 151 M parameters (604 MB): killed while RLIMIT_DATA was the memory limit."""
    result = _result(batch, "wrong_architecture")
    assert result["execution"]["status"] == "ok", result["execution"]["message"]
    alexnet = next(m for m in result["models"] if m["id"] == "alexnet")
    assert alexnet["student_total"] == 174_888_552  # the fixture note's figure, all 8 layers built
    status = _activity_status(result)
    assert status["5"] == "fail" and status["8"] != "pass"  # Flatten gives 36,864; SimpleRNN(4) only


def test_the_batch_summary_and_dashboard_are_in_the_rubrics_language(batch):
    index = (batch / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in index and "Distribución de notas" in index and "Score distribution" not in index


LEGACY_RNN = """\
# Actividad 10 (Keras 2, como en el enunciado)
import math
import numpy
from keras.models import Sequential
from keras.layers import Dense
from keras.layers.recurrent import SimpleRNN, LSTM
from sklearn.metrics import mean_squared_error
import airlineUtils

numpy.random.seed(7)
history = 4
trainX, trainY, testX, testY, scaler, dataset = airlineUtils.readAirlineData(history)

# create and fit the RNN
modelRNN = Sequential()
modelRNN.add(SimpleRNN(5, input_dim=1, input_length=history, return_sequences=False))
modelRNN.add(Dense(1))
modelRNN.compile(loss='mean_squared_error', optimizer='adam')
modelRNN.fit(trainX, trainY, nb_epoch=150, batch_size=5, verbose=2)
trainPredict = modelRNN.predict(trainX)
testPredict = modelRNN.predict(testX)
airlineUtils.displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)
print('RMSE: %.2f' % math.sqrt(mean_squared_error(testY, testPredict[:, 0])))

# create and fit a LSTM network
modelRNN = Sequential()
modelRNN.add(LSTM(5, input_dim=1, input_length=history, return_sequences=False))
modelRNN.add(Dense(1))
modelRNN.compile(loss='mean_squared_error', optimizer='adam')
modelRNN.fit(trainX, trainY, nb_epoch=150, batch_size=5, verbose=2)
"""


def test_a_keras_2_rnn_script_in_the_course_style_is_graded_with_legacy_keras(tmp_path):
    """What real Actividad 2 scripts look like: they run and activities 10-11 are graded (grade --legacy-keras)."""
    folder = tmp_path / "actividad2" / "real_student"
    folder.mkdir(parents=True)
    (folder / "AirlinePrediction.py").write_text(LEGACY_RNN)
    out = tmp_path / "out"
    assert grade_main([str(tmp_path / "actividad2"), "--rubric", str(RUBRIC), "--out", str(out),
                       "--legacy-keras", "--lang", "en"]) == 0
    result = json.loads((out / "actividad2" / "real_student" / "results.json").read_text())
    assert result["execution"]["status"] == "ok", result["execution"]["message"]
    assert result["language"] == "en" and result["legacy"]["enabled"]
    checks = {c["id"]: c for c in result["checks"]}
    for check in ("a10-layers", "a10-params", "a10-compile", "a10-train", "a11-layers", "a11-params", "a11-train"):
        assert checks[check]["status"] == "pass", (check, checks[check]["message"])
