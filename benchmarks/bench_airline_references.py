"""The Actividad 2 references' RMSE under the course's protocol: where the a10/a11 thresholds come from.

Trains the reference SimpleRNN(5)+Dense(1) and LSTM(5)+Dense(1) exactly as the rubric's train
checks do (the course's ``readAirlineData(4)``: 91 training and 43 test windows, MinMax scaling
over the whole series; Adam, MSE, 150 epochs, batch size 5), with the cache off, at the rubric's
seed and at ``--seeds`` more, and prints one Markdown row per model: train and test RMSE in
thousands of passengers as ``displayResult`` prints them, the limit the rubric derives
(``threshold: {relative: 1.25}`` of the test RMSE at the rubric's seed), and the spread over seeds.

    .venv/bin/python benchmarks/bench_airline_references.py --seeds 4
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import platform
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from grader.checks.kinds.train import parse_train_options
    from grader.expectations.reference import reference_architecture, reference_cards
    from grader.grading.rubric import load_rubric
    from grader.sandbox.devices import choose_device
    from grader.training.context import TrainingContext
    from grader.training.metrics import measure_split
    from grader.training.run import Trainer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4, help="seeds besides the rubric's")
    args = parser.parse_args()

    rubric = load_rubric(ROOT / "rubrics" / "actividad2.yaml")
    references = reference_cards(rubric)
    trainer = Trainer(limits=rubric.limits, device=choose_device("cpu"), use_cache=False)
    context = TrainingContext(trainer=trainer, base=rubric.path.parent, resources=list(rubric.resources))
    print("| model | seed | train RMSE | test RMSE |")
    print("|---|---:|---:|---:|")
    rows = []
    for check in (c for a in rubric.activities for c in a.checks if c.kind == "train"):
        settings = parse_train_options(check.options)
        data = context.dataset(settings.protocol, references[check.model].input_shapes[0][1:])
        architecture = reference_architecture(rubric, rubric.models[check.model])
        tests = []
        for seed in range(settings.protocol.seed, settings.protocol.seed + args.seeds + 1):
            run = trainer.train(architecture, dataclasses.replace(settings.protocol, seed=seed), data)
            if run.status != "ok":
                raise SystemExit(f"{check.id}: training failed: {run.status} {run.problem}")
            train = measure_split("rmse", data, "train", run.predictions["train"])
            test = measure_split("rmse", data, "test", run.predictions["test"])
            tests.append(test)
            print(f"| {check.model} | {seed} | {train:.2f} | {test:.2f} |", flush=True)
        limit = settings.threshold.limit(tests[0])
        rows.append((check.model, data.sizes(), tests[0], limit, min(tests), statistics.median(tests), max(tests)))
    print()
    print("| date | model | windows (train/test) | test RMSE, rubric seed | limit (x1.25) | test RMSE over seeds "
          "min / median / max | machine |")
    print("|---|---|---|---:|---:|---|---|")
    machine = f"{platform.machine()}, {platform.python_version()}"
    for model, sizes, at_seed, limit, low, middle, high in rows:
        print(f"| {dt.date.today()} | {model} | {sizes['train']}/{sizes['test']} | {at_seed:.2f} | {limit:.2f} | "
              f"{low:.2f} / {middle:.2f} / {high:.2f} ({args.seeds + 1} seeds) | {machine} |")


if __name__ == "__main__":
    main()
