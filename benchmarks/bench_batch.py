"""How much faster is ``grade -j 2`` than ``grade -j 1`` on a class of Actividad 2?

Generates N submissions (default 40) from the bundled examples in ``submissions/actividad2/`` into
a temporary folder (nothing is committed): correct ones (copies of the correct notebook, script and
folder submission), partial ones (the partial notebook; the correct notebook with block 1's
strides 11 or a SimpleRNN(3)) and broken ones (the handout's Keras 1 code, a notebook whose third
code cell raises, a script with a syntax error, a file that is not a notebook). Each copy gets its
own comment, so every submission has its own content. Then it grades the class with ``-j 1`` and
``-j 2`` (``--force``, separate output folders, the reference expectations cached beforehand) and
prints the wall times, the speed-up and a Markdown row for ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/bench_batch.py               # 40 submissions: the acceptance figure
    .venv/bin/python benchmarks/bench_batch.py -n 4          # a quick check that it works
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "submissions" / "actividad2"
RUBRIC = ROOT / "rubrics" / "actividad2.yaml"


def _notebook(source: Path, target: Path, index: int, replace: tuple[str, str] | None = None,
              raise_in_cell: int | None = None) -> None:
    notebook = json.loads(source.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for cell in code:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if replace:
            text = text.replace(*replace)
        cell["source"] = text
    code[0]["source"] = f"# submission {index}\n" + code[0]["source"]
    if raise_in_cell is not None:
        code[raise_in_cell]["source"] += "\nraise RuntimeError('unfinished')\n"
    target.write_text(json.dumps(notebook), encoding="utf-8")


def _script(source: Path, target: Path, index: int, append: str = "") -> None:
    target.write_text(f"# submission {index}\n" + source.read_text(encoding="utf-8") + append, encoding="utf-8")


# Each maker writes submission ``index`` under ``folder``; the mix cycles through them.
MAKERS = [
    ("correct notebook", lambda f, i: _notebook(EXAMPLES / "correct.ipynb", f / f"s{i:02d}.ipynb", i)),
    ("correct script", lambda f, i: _script(EXAMPLES / "correct_script.py", f / f"s{i:02d}.py", i)),
    ("strides 11 in block 1", lambda f, i: _notebook(EXAMPLES / "correct.ipynb", f / f"s{i:02d}.ipynb", i,
                                                     replace=("strides=(4", "strides=(11"))),
    ("partial notebook", lambda f, i: _notebook(EXAMPLES / "partial.ipynb", f / f"s{i:02d}.ipynb", i)),
    ("folder submission", lambda f, i: (shutil.copytree(EXAMPLES / "carla", f / f"s{i:02d}"),
                                        _script(EXAMPLES / "carla" / "rnn.py", f / f"s{i:02d}" / "rnn.py", i))),
    ("raises in cell 3", lambda f, i: _notebook(EXAMPLES / "correct.ipynb", f / f"s{i:02d}.ipynb", i, raise_in_cell=2)),
    ("handout (Keras 1)", lambda f, i: _notebook(EXAMPLES / "handout.ipynb", f / f"s{i:02d}.ipynb", i)),
    ("SimpleRNN(3)", lambda f, i: _notebook(EXAMPLES / "correct.ipynb", f / f"s{i:02d}.ipynb", i,
                                            replace=("SimpleRNN(5)", "SimpleRNN(3)"))),
    ("syntax error", lambda f, i: _script(EXAMPLES / "correct_script.py", f / f"s{i:02d}.py", i, append="\ndef (:\n")),
    ("not a notebook", lambda f, i: (f / f"s{i:02d}.ipynb").write_text(f"submission {i}: not JSON")),
]


def make_class(folder: Path, count: int) -> list[str]:
    """Write ``count`` submissions into ``folder``; return what each one is."""
    folder.mkdir(parents=True, exist_ok=True)
    kinds = []
    for index in range(count):
        kind, make = MAKERS[index % len(MAKERS)]
        make(folder, index)
        kinds.append(kind)
    return kinds


def grade(folder: Path, out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "grader.cli", "grade", str(folder), "--rubric", str(RUBRIC),
               "--out", str(out), "-j", str(jobs), "--force"]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"grade -j {jobs} failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    print(finished.stdout.strip().splitlines()[-2], file=sys.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=40, help="submissions to generate (default 40)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error(f"--count must be at least 1, got {args.count}")

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        kinds = make_class(tmp / "actividad2", args.count)
        print(f"{args.count} submissions: " + ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)),
              file=sys.stderr)
        subprocess.run([sys.executable, "-c", "from grader.grading.rubric import load_rubric;"
                        "from grader.expectations.reference import reference_cards;"
                        f"reference_cards(load_rubric({str(RUBRIC)!r}))"], check=True,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})  # cache the expectations
        times = {}
        for jobs in args.jobs:
            times[jobs] = grade(tmp / "actividad2", tmp / f"out-j{jobs}", jobs)
            print(f"-j {jobs}: {times[jobs]:.1f} s", file=sys.stderr)
    base = times[args.jobs[0]]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    cells = " | ".join(f"{times[j]:.1f}" for j in args.jobs)
    speedups = " | ".join(f"{base / times[j]:.2f}" for j in args.jobs[1:])
    print(f"| {dt.date.today()} | {args.count} | {cells} | {speedups} | {machine} |")


if __name__ == "__main__":
    main()
