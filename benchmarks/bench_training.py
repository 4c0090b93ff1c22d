"""How long does a train check take? Actividad 2's protocol on its reference models, in the sandbox.

Trains the reference SimpleRNN(5)+Dense(1) and LSTM(5)+Dense(1) under the rubric's a10/a11
settings (airline data, 150 epochs, batch 5) with the cache off, ``--runs`` times each, and
prints one Markdown row per model: the whole training run (sandbox start, TensorFlow import,
fit, predictions) and the ``fit`` alone, with the device the worker reports. Run it with
``--device gpu`` on a GPU machine to record GPU figures.

    .venv/bin/python benchmarks/bench_training.py --runs 2 [--device cpu|gpu|auto]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from grader.sandbox.devices import choose_device
    from grader.expectations.reference import reference_architecture, reference_cards
    from grader.grading.rubric import load_rubric
    from grader.checks.kinds.train import parse_train_options
    from grader.training.context import TrainingContext
    from grader.training.metrics import measure_split
    from grader.training.run import Trainer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto")
    args = parser.parse_args()

    rubric = load_rubric(ROOT / "rubrics" / "actividad2.yaml")
    references = reference_cards(rubric)
    trainer = Trainer(limits=rubric.limits, device=choose_device(args.device), use_cache=False)
    context = TrainingContext(trainer=trainer, base=rubric.path.parent, resources=list(rubric.resources))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    for check in (c for a in rubric.activities for c in a.checks if c.kind == "train"):
        settings = parse_train_options(check.options)
        shape = references[check.model].input_shapes[0][1:]
        data = context.dataset(settings.protocol, shape)
        architecture = reference_architecture(rubric, rubric.models[check.model])
        totals, fits, device, value = [], [], "", None
        for _ in range(args.runs):
            started = time.perf_counter()
            run = trainer.train(architecture, settings.protocol, data)
            totals.append(time.perf_counter() - started)
            if run.status != "ok":
                raise SystemExit(f"{check.id}: training failed: {run.status} {run.problem}")
            fits.append(run.fit_s)
            device = run.device
            value = measure_split(settings.metric, data, settings.split, run.predictions[settings.split])
        print(f"| {dt.date.today()} | {commit} | {check.id} ({check.model}) | {settings.protocol.epochs} x batch "
              f"{settings.protocol.batch_size} | {args.runs} | {statistics.median(totals):.1f} "
              f"({min(totals):.1f}-{max(totals):.1f}) | {statistics.median(fits):.1f} | {device} | "
              f"{value:.2f} | {platform.machine()}, {os.cpu_count()} cores |")


if __name__ == "__main__":
    main()
