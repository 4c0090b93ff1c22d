"""How much does grading cost on top of running the notebook?

Times ``grader check`` on a notebook against plain nbclient execution of the same notebook
(same kernel, same working directory contents), alternating the two, several runs each, and
prints the medians and their ratio as a Markdown row for ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/bench_check.py --runs 5
    .venv/bin/python benchmarks/bench_check.py submissions/actividad2/partial.ipynb --runs 3

The reference expectations are derived once before timing (the cache is what a second
``grader check`` would use); the grader's own start-up (imports) is included in its time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources" / "actividad2"


def plain_nbclient(notebook: Path) -> float:
    """Execute ``notebook`` with nbclient alone, in a fresh folder holding the course resources."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(notebook, work / notebook.name)
        for resource in RESOURCES.iterdir():
            shutil.copy(resource, work / resource.name)
        code = (
            "import nbformat, sys; from nbclient import NotebookClient\n"
            "nb = nbformat.read(sys.argv[1], as_version=4)\n"
            "NotebookClient(nb, timeout=600, kernel_name='python3', allow_errors=True,\n"
            "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        )
        env = {**os.environ, "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2"}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(work / notebook.name), str(work)], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started


def grader_check(notebook: Path, rubric: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        code = subprocess.run(
            [sys.executable, "-m", "grader.cli", "check", str(notebook), "--rubric", str(rubric),
             "--json", f"{folder}/results.json", "--html", f"{folder}/report.html"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        ).returncode
        elapsed = time.perf_counter() - started
    if code not in (0, 1):
        raise SystemExit(f"grader check failed with exit code {code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=ROOT / "submissions/actividad2/correct.ipynb")
    parser.add_argument("--rubric", type=Path, default=ROOT / "rubrics/actividad2.yaml")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    grader_check(args.notebook, args.rubric)  # warm the page cache and the expectations cache
    plain, graded = [], []
    for run in range(args.runs):
        plain.append(plain_nbclient(args.notebook))
        graded.append(grader_check(args.notebook, args.rubric))
        print(f"run {run + 1}: nbclient {plain[-1]:.2f} s, grader check {graded[-1]:.2f} s", file=sys.stderr)
    p, g = statistics.median(plain), statistics.median(graded)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"| {dt.date.today()} | {args.notebook.relative_to(ROOT)} | {args.runs} | {p:.2f} "
          f"({min(plain):.2f}-{max(plain):.2f}) | {g:.2f} ({min(graded):.2f}-{max(graded):.2f}) | {g / p:.2f} | {machine} |")


if __name__ == "__main__":
    main()
