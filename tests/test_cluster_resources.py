"""What a cluster task asks Ray for: one core, and a share of a GPU only where a training can use it.

No Ray here: :func:`grader.batch.cluster.task_resources` decides before anything is dispatched
(``tests/test_cluster.py`` grades on a real local cluster).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from grader.batch.cluster import task_resources
from grader.batch.worker import Job
from grader.grading.rubric import load_rubric
from grader.options import GradingOptions
from grader.sandbox.limits import Limits

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def trains():
    """Actividad 2: its activities 10 and 11 train the RNNs."""
    rubric = load_rubric(ROOT / "rubrics" / "actividad2.yaml")
    assert any(c.kind == "train" for a in rubric.activities for c in a.checks)
    return rubric


def job(rubric, *, gpu_fraction=None, device="auto") -> Job:
    limits = dataclasses.replace(rubric.limits, gpu_fraction=gpu_fraction)
    return Job(index=0, path=Path("s001.ipynb"), rubric=dataclasses.replace(rubric, limits=limits),
               folder=Path("out"), key=None, options=GradingOptions(device=device))


def test_the_rubric_sets_the_share_and_the_flag_overrides_it(trains):
    assert task_resources(job(trains, gpu_fraction=0.1), gpu_fraction=None, cluster_gpus=1, retries=3) == \
        {"num_cpus": 1, "max_retries": 3, "num_gpus": 0.1}
    assert task_resources(job(trains, gpu_fraction=0.1), gpu_fraction=0.5, cluster_gpus=1, retries=2)["num_gpus"] == 0.5
    assert task_resources(job(trains), gpu_fraction=0.25, cluster_gpus=4, retries=3)["num_gpus"] == 0.25


@pytest.mark.parametrize("why", ["no share set", "cluster without GPUs", "--device cpu", "no train check"])
def test_a_task_asks_for_no_gpu_where_its_training_cannot_use_one(trains, why):
    rubric, share, gpus, device = trains, 0.25, 2, "auto"
    if why == "no share set":
        share = None
    elif why == "cluster without GPUs":
        gpus = 0
    elif why == "--device cpu":
        device = "cpu"
    else:
        rubric = dataclasses.replace(trains, activities=[
            dataclasses.replace(a, checks=[c for c in a.checks if c.kind != "train"]) for a in trains.activities])
    asked = task_resources(job(rubric, device=device), gpu_fraction=share, cluster_gpus=gpus, retries=3)
    assert asked == {"num_cpus": 1, "max_retries": 3}, why


@pytest.mark.parametrize("value", [0, 1.5, -0.25, "quarter", True])
def test_a_share_outside_0_to_1_is_refused_with_what_is_allowed(value):
    with pytest.raises(ValueError, match="gpu_fraction"):
        Limits.from_config({"gpu_fraction": value})


def test_the_share_round_trips_through_the_plain_config():
    limits = Limits.from_config({"gpu_fraction": 0.2, "memory": "2G"})
    assert limits.gpu_fraction == 0.2
    assert Limits.from_config(limits.get_config()) == limits
