"""How much does grading cost on top of running the notebook?

Times ``grader check`` on a notebook against plain nbclient execution of the same notebook
(same kernel, same working directory contents), alternating the two, several runs each, and
prints the medians and their ratio as a Markdown row for ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/bench_check.py --runs 5
    .venv/bin/python benchmarks/bench_check.py submissions/actividad2/partial.ipynb --runs 3
    .venv/bin/python benchmarks/bench_check.py submissions/actividad2/partial.ipynb --runs 5 --batch 10

The reference expectations are derived once before timing (the cache is what a second
``grader check`` would use); the grader's own start-up (imports) is included in its time.
"""

from __future__ import annotations

import argparse
import json
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


def unique_copy(notebook: Path, folder: Path, run: int) -> Path:
    """A copy of ``notebook`` whose first cell says which run it is: each run grades new content, as
    a student's edit does, so no stored result is reused."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    first = next(cell for cell in data["cells"] if cell["cell_type"] == "code")
    source = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
    first["source"] = f"# run {run} {time.time_ns()}\n{source}"
    target = folder / notebook.name
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def plain_nbclient(notebook: Path) -> float:
    """Execute ``notebook`` with nbclient alone, in a fresh folder holding the course resources."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        unique_copy(notebook, work, 0)
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
        notebook = unique_copy(notebook, Path(folder), 1)
        started = time.perf_counter()
        code = subprocess.run(
            [str(Path(sys.executable).with_name("grader")), "check", str(notebook), "--rubric", str(rubric),
             "--json", f"{folder}/results.json", "--html", f"{folder}/report.html"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        ).returncode
        elapsed = time.perf_counter() - started
    if code not in (0, 1):
        raise SystemExit(f"grader check failed with exit code {code}")
    return elapsed


def batch_overhead(notebook: Path, rubric: Path, count: int) -> tuple[float, float]:
    """Wall seconds of ``grade -j 1`` on ``count`` distinct copies of ``notebook``, and of running the
    same copies one after the other with plain nbclient."""
    with tempfile.TemporaryDirectory() as folder:
        students = Path(folder) / "class"
        for index in range(count):
            (students / f"s{index:03d}").mkdir(parents=True)
            unique_copy(notebook, students / f"s{index:03d}", index)
        plain = sum(plain_nbclient(students / f"s{index:03d}" / notebook.name) for index in range(count))
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("grade")), str(students), "--rubric", str(rubric),
                        "--out", f"{folder}/out", "-j", "1", "--force"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
        return time.perf_counter() - started, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=ROOT / "submissions/actividad2/correct.ipynb")
    parser.add_argument("--rubric", type=Path, default=ROOT / "rubrics/actividad2.yaml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, metavar="N", default=0,
                        help="also: grade -j 1 on N copies against N plain runs (the per-submission overhead)")
    args = parser.parse_args()
    args.notebook = args.notebook.resolve()

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
    if args.batch:
        batch, sequential = batch_overhead(args.notebook, args.rubric, args.batch)
        print(f"batch of {args.batch}: grade -j 1 {batch:.1f} s, plain nbclient one after the other {sequential:.1f} s: "
              f"{(batch - sequential) / args.batch:+.2f} s per submission")


if __name__ == "__main__":
    main()
