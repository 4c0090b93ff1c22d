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
    .venv/bin/python benchmarks/bench_batch.py --cluster 2   # also through a local Ray cluster, 2 workers
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import socket
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


def grade(folder: Path, out: Path, *options: str) -> float:
    """Wall seconds of ``grade FOLDER --force OPTIONS`` (a fresh process, as a user runs it)."""
    command = [sys.executable, "-m", "grader.cli", "grade", str(folder), "--rubric", str(RUBRIC),
               "--out", str(out), "--force", *options]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RAY_USAGE_STATS_ENABLED": "0"})
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"grade {' '.join(options)} failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    print(finished.stdout.strip().splitlines()[-2], file=sys.stderr)
    return elapsed


@contextlib.contextmanager
def local_cluster(workers: int):
    """A Ray head on loopback with ``workers`` CPUs (so as many tasks at once); yields its address and
    how long it took to start."""
    ray = str(Path(sys.executable).with_name("ray"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    started = time.perf_counter()
    subprocess.run([ray, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}", f"--num-cpus={workers}",
                    "--num-gpus=0", "--include-dashboard=false", "--disable-usage-stats",
                    f"--temp-dir=/tmp/ray-bench-{os.getpid()}"], check=True, env=env, capture_output=True)
    try:
        yield f"127.0.0.1:{port}", time.perf_counter() - started
    finally:
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=40, help="submissions to generate (default 40)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    parser.add_argument("--cluster", type=int, metavar="WORKERS", default=0,
                        help="also grade through a local Ray cluster with this many workers (needs the [ray] extra)")
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
            times[f"-j {jobs}"] = grade(tmp / "actividad2", tmp / f"out-j{jobs}", "-j", str(jobs))
            print(f"-j {jobs}: {times[f'-j {jobs}']:.1f} s", file=sys.stderr)
        if args.cluster:
            with local_cluster(args.cluster) as (address, start_s):
                label = f"--cluster ({args.cluster} workers)"
                times[label] = grade(tmp / "actividad2", tmp / "out-cluster", "--cluster", address)
            print(f"{label}: {times[label]:.1f} s (the cluster took {start_s:.1f} s to start, not counted)",
                  file=sys.stderr)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    base = times[f"-j {args.jobs[0]}"]
    print("| date | submissions | " + " | ".join(times) + " | speed-up over the first | machine |")
    cells = " | ".join(f"{seconds:.1f}" for seconds in times.values())
    speedups = ", ".join(f"{label}: {base / seconds:.2f}" for label, seconds in list(times.items())[1:])
    print(f"| {dt.date.today()} | {args.count} | {cells} | {speedups} | {machine} |")
    if args.cluster and f"-j {args.cluster}" in times:
        per_task = (times[f"--cluster ({args.cluster} workers)"] - times[f"-j {args.cluster}"]) / args.count
        print(f"The cluster's own cost: {per_task:+.2f} s per submission against -j {args.cluster} on this machine.")


if __name__ == "__main__":
    main()
