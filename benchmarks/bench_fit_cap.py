"""How much does the fit cap save? ``grader check`` on the handout's airline RNN, capped and ``--full``.

Generates a notebook with the Actividad 2 handout's forecasting model (SimpleRNN(5) + Dense(1)
on ``readAirlineData(4)``, ``fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)``,
then ``displayResult``), grades it with ``grader check`` (the rubric's default cap: 2 epochs of
at most 10 batches) and with ``grader check --full`` (as written), alternating the two, and
prints the medians and their ratio as a Markdown row for ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/bench_fit_cap.py --runs 3                   # one 150-epoch fit
    .venv/bin/python benchmarks/bench_fit_cap.py --runs 3 --shape handout   # the whole Actividad 2 notebook
    .venv/bin/python benchmarks/bench_fit_cap.py --runs 3 --shape course    # every training of activities 10-12

Each time is the whole ``grader check`` command (a fresh process: imports, the sandboxed run,
rebuilding the models, checks, reports); the reference expectations are cached before timing.
The execution time the grader measured for the student's code alone is printed as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CELLS = [
    "import keras\nfrom keras.models import Sequential\nfrom keras.layers import SimpleRNN, Dense\n"
    "from airlineUtils import readAirlineData, displayResult\n\nkeras.utils.set_random_seed(0)",
    "history = 4\ntrainX, trainY, testX, testY, scaler, dataset = readAirlineData(history)\n"
    "print(trainX.shape, trainY.shape, testX.shape, testY.shape)",
    "modelRNN = Sequential()\nmodelRNN.add(keras.Input((history, 1)))\nmodelRNN.add(SimpleRNN(5))\n"
    "modelRNN.add(Dense(1))\nmodelRNN.compile(loss='mean_squared_error', optimizer='adam')\n"
    "modelRNN.fit(trainX, trainY, epochs=150, batch_size=5, verbose=2)",
    "trainPredict = modelRNN.predict(trainX)\ntestPredict = modelRNN.predict(testX)\n"
    "displayResult(dataset, trainPredict, trainY, testPredict, testY, scaler, history)",
]


def _course_cells() -> list[str]:
    """Activities 10-12 as the handout asks for them, each model trained as the handout trains it."""
    def model(name, layers_code, history="history"):
        return (f"{name} = Sequential()\n{name}.add(keras.Input(({history}, 1)))\n{layers_code}"
                f"{name}.compile(loss='mean_squared_error', optimizer='adam')\n")

    rnn = "modelRNN.add(SimpleRNN(5))\nmodelRNN.add(Dense(1))\n"
    fit = "modelRNN.fit({x}, {y}, epochs={epochs}, batch_size={batch}, verbose=2)\n"
    show = ("trainPredict = modelRNN.predict({x})\ntestPredict = modelRNN.predict({tx})\n"
            "displayResult({d}, trainPredict, {y}, testPredict, {ty}, scaler, {h})")
    data4 = dict(x="trainX", y="trainY", tx="testX", ty="testY", h="history", d="dataset")
    data10 = dict(x="trainX10", y="trainY10", tx="testX10", ty="testY10", h="10", d="dataset10")
    cells = [CELLS[0].replace("from keras.layers import SimpleRNN, Dense",
                              "from keras.layers import SimpleRNN, LSTM, Dense, Dropout"), CELLS[1]]
    for _ in range(2):  # activity 10: "run the base model several times"
        cells.append(model("modelRNN", rnn) + fit.format(epochs=150, batch=5, **data4) + show.format(**data4))
    cells.append("trainX10, trainY10, testX10, testY10, scaler, dataset10 = readAirlineData(10)\n"
                 + model("modelRNN", rnn, history="10") + fit.format(epochs=150, batch=5, **data10)
                 + show.format(**data10))
    cells.append(model("modelRNN", "modelRNN.add(SimpleRNN(5))\nmodelRNN.add(Dense(100))\nmodelRNN.add(Dense(1))\n")
                 + fit.format(epochs=150, batch=5, **data4) + show.format(**data4))
    cells.append(model("modelRNN", "modelRNN.add(SimpleRNN(5))\nmodelRNN.add(Dropout(0.2))\nmodelRNN.add(Dense(1))\n")
                 + fit.format(epochs=150, batch=5, **data4) + show.format(**data4))
    cells.append(model("modelRNN", "modelRNN.add(LSTM(5))\nmodelRNN.add(Dense(1))\n")  # activity 11
                 + fit.format(epochs=150, batch=5, **data4) + show.format(**data4))
    cells.append(model("modelRNN", rnn) + fit.format(epochs=100, batch=10, **data4)  # activity 12
                 + show.format(**data4))
    return cells


def write_submission(folder: Path, shape: str = "single") -> Path:
    """``single``: the one-model notebook above. ``handout``: the bundled correct Actividad 2
    notebook (AlexNet, the RNN models) with its two trainings, activity 10's SimpleRNN and
    activity 11's LSTM, set to the handout's 150 epochs with batch size 5. ``course``: every
    training activities 10-12 ask for (the base model twice, history 10, an extra Dense(100),
    Dropout, the LSTM, then other epochs and batch size), 150 epochs with batch size 5 each but
    the last."""
    if shape == "handout":
        notebook = nbformat.read(ROOT / "submissions" / "actividad2" / "correct.ipynb", as_version=4)
        for cell in notebook.cells:
            cell.source = cell.source.replace("epochs=3, batch_size=16", "epochs=150, batch_size=5")
        path = folder / "handout_150_epochs.ipynb"
    else:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in (_course_cells() if shape == "course" else CELLS)]
        path = folder / f"airline_{shape}.ipynb"
    nbformat.write(notebook, path)
    return path


def grader_check(notebook: Path, rubric: Path, full: bool) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "grader.cli", "check", str(notebook), "--rubric", str(rubric),
                   "--json", f"{folder}/results.json", "--html", f"{folder}/report.html"] + (["--full"] if full else [])
        started = time.perf_counter()
        code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}).returncode
        elapsed = time.perf_counter() - started
        if code not in (0, 1):
            raise SystemExit(f"grader check{' --full' if full else ''} failed with exit code {code}")
        execution = json.loads(Path(folder, "results.json").read_text(encoding="utf-8"))["execution"]
    return elapsed, execution


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rubric", type=Path, default=ROOT / "rubrics/actividad2.yaml")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", choices=("single", "handout", "course"), default="single",
                        help="single: one 150-epoch fit; handout: the bundled Actividad 2 notebook with its two fits "
                             "at 150 epochs; course: the seven trainings activities 10-12 ask for")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        notebook = write_submission(Path(folder), args.shape)
        _, execution = grader_check(notebook, args.rubric, full=False)  # warm caches; check the cap applied
        calls = execution.get("capped_fits") or []
        if not calls or calls[0]["epochs_asked"] != 150:
            raise SystemExit(f"the cap was not applied: {calls!r}")
        times: dict[bool, list[float]] = {False: [], True: []}
        runs: dict[bool, list[float]] = {False: [], True: []}
        for run in range(args.runs):
            for full in (False, True):
                elapsed, execution = grader_check(notebook, args.rubric, full)
                times[full].append(elapsed)
                runs[full].append(execution["duration_s"])
            print(f"run {run + 1}: capped {times[False][-1]:.2f} s (code {runs[False][-1]:.2f} s), "
                  f"--full {times[True][-1]:.2f} s (code {runs[True][-1]:.2f} s)", file=sys.stderr)
    capped, full = statistics.median(times[False]), statistics.median(times[True])
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"| {dt.date.today()} | {args.shape} | {args.runs} | {_cell(times[False])} | {_cell(times[True])} | {capped / full:.2f} "
          f"| {_cell(runs[False])} | {_cell(runs[True])} | {machine} |")


if __name__ == "__main__":
    main()
