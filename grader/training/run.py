"""Train one architecture under one protocol, in the sandbox, with fixed seeds; cache the outcome.

The architecture is the one the grader rebuilt from the student's export (standard Keras
layers only), never the student's code. Training is seeded, so the same architecture, data
and protocol give the same numbers; the outcome is therefore cached by exactly those (layer
names aside, which do not change the numbers): a class where forty students built the same
model trains it once, and regrading costs nothing.

Example:
    >>> trainer = Trainer(limits=Limits(memory=2 * 2**30))                     # doctest: +SKIP
    >>> run = trainer.train(model_json, protocol, dataset)                     # doctest: +SKIP
    >>> run.status, len(run.epochs), run.predictions["test"].shape             # doctest: +SKIP
    ('ok', 150, (48, 1))
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from grader import __version__
from grader.cache import cache_dir, write_cache
from grader.data.dataset import Dataset
from grader.frameworks import framework
from grader.sandbox.devices import Device, choose_device
from grader.sandbox.limits import Limits
from grader.sandbox.manifest import manifest
from grader.sandbox.run import run_program
from grader.sandbox.readback import read_jsonl
from grader.sandbox.levels import Sandbox
from grader.training.protocol import Protocol

INSIDE = Path(__file__).resolve().parent.parent / "inside"  # read for the cache key, never imported
RESULT = "result.jsonl"
MAX_RESULT_BYTES = 64_000_000
STARTUP_SECONDS = 180.0  # importing TensorFlow in a fresh sandbox, predicting, writing
RUN_FORMAT = 1


@dataclass
class TrainingRun:
    """What one training produced. ``status``: ok, failed (Keras refused the model or the
    data), timeout, memory, or crashed; ``problem`` says why in plain words when not ok."""

    status: str
    problem: str = ""
    epochs: list[dict] = field(default_factory=list)  # {"epoch", "loss", "val_loss"}
    predictions: dict[str, Any] = field(default_factory=dict)  # split -> array
    device: str = ""
    fit_s: float = 0.0
    stopped: str | None = None  # "time_budget" or "nan" when training ended early
    cached: bool = False

    def get_config(self) -> dict[str, Any]:
        config = {k: v for k, v in self.__dict__.items() if k != "predictions"}
        config["predictions"] = {split: np.asarray(v).tolist() for split, v in self.predictions.items()}
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "TrainingRun":
        config = dict(config)
        config["predictions"] = {s: np.asarray(v, dtype="float64") for s, v in config.get("predictions", {}).items()}
        return cls(**config)


class Trainer:
    """Trains architectures for training checks.

    A trainer trains each (architecture, settings, data) once and remembers the outcome; on disk
    too unless ``use_cache=False``, which makes a new trainer train afresh.
    """

    def __init__(self, *, limits: Limits | None = None, sandbox: Sandbox | None = None,
                 device: Device | None = None, use_cache: bool = True, cache: Path | None = None):
        self.limits = limits or Limits()
        self.sandbox = sandbox
        self.device = device or choose_device("auto")
        self.use_cache = use_cache
        self.cache = cache
        self._runs: dict[str, TrainingRun] = {}  # this trainer's own runs: checks sharing settings share one

    def train(self, architecture: str, protocol: Protocol, data: Dataset, framework_name: str = "keras") -> TrainingRun:
        """Train ``architecture`` (an export of ``framework_name``) as ``protocol`` says, on ``data``."""
        adapter = framework(framework_name)
        architecture = adapter.training.without_compile(architecture)  # the protocol decides loss and optimizer
        key = run_key(architecture, protocol, data, self.device, adapter)
        if key in self._runs:
            return dataclasses.replace(self._runs[key], cached=True)
        self._runs[key] = self._stored_or_trained(key, architecture, protocol, data, adapter.name)
        return self._runs[key]

    def _stored_or_trained(self, key: str, architecture: str, protocol: Protocol, data: Dataset,
                           framework_name: str) -> TrainingRun:
        path = self._cache_dir() / f"{key}.json"
        if not self.use_cache:
            return self._train(architecture, protocol, data, framework_name)
        with _locked(path.with_suffix(".lock")):  # one worker trains, the others wait and reuse
            stored = _load(path)
            if stored is not None:
                stored.cached = True
                return stored
            run = self._train(architecture, protocol, data, framework_name)
            if run.status in ("ok", "failed"):  # deterministic outcomes only; a timeout may pass next time
                _store(path, run)
            return run

    def _cache_dir(self) -> Path:
        if self.cache is not None:
            return self.cache
        return cache_dir() / "training"

    def _train(self, architecture: str, protocol: Protocol, data: Dataset, framework_name: str) -> TrainingRun:
        job = {"architecture": architecture, "loss": protocol.loss_config(), "optimizer": protocol.optimizer_config(),
               "epochs": protocol.epochs, "batch_size": protocol.batch_size, "seed": protocol.seed,
               "time_budget": protocol.time_budget, "device": self.device.kind}
        limits = self.limits.overriding(timeout=protocol.time_budget + STARTUP_SECONDS,
                                        cell_timeout=protocol.time_budget + STARTUP_SECONDS)
        with tempfile.TemporaryDirectory(prefix="grader-job-") as folder:
            data_path = Path(folder) / "data.npz"
            (x_train, y_train), (x_test, y_test) = data.splits["train"], data.splits["test"]
            np.savez(data_path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
            program = manifest("train", framework=framework_name, job=job, data="data.npz", result=RESULT)
            with run_program(program, inputs={"data.npz": data_path}, results=[RESULT], limits=limits,
                             sandbox=self.sandbox, env=self.device.environment(),
                             devices=list(self.device.files)) as ran:
                records = read_jsonl(ran.results[RESULT], MAX_RESULT_BYTES)
                return read_run(records, data, ended=ran.ended.status, out_of_memory=ran.out_of_memory,
                                output=ran.output, limits=limits)


def read_run(records: list[dict], data: Dataset, *, ended: str, out_of_memory: bool, output: str,
             limits: Limits) -> TrainingRun:
    """Turn the worker's JSON lines (untrusted: checked field by field) into a :class:`TrainingRun`."""
    run = TrainingRun(status="crashed")
    for record in records:
        if "epoch" in record and isinstance(record["epoch"], int):
            run.epochs.append({"epoch": record["epoch"], "loss": _finite(record.get("loss")),
                               "val_loss": _finite(record.get("val_loss"))})
        elif record.get("split") in data.splits and isinstance(record.get("predictions"), list):
            try:
                predicted = np.asarray(record["predictions"], dtype="float64")
            except (TypeError, ValueError):
                continue
            if len(predicted) == len(data.splits[record["split"]][0]):
                run.predictions[record["split"]] = predicted
        elif "failed" in record:
            run.status, run.problem = "failed", str(record.get("error", ""))[:1000]
        elif record.get("done") is True:
            run.device = str(record.get("device", ""))[:200]
            run.fit_s = _finite(record.get("fit_s")) or 0.0
            run.stopped = record.get("stopped") if record.get("stopped") in ("time_budget", "nan") else None
            if set(run.predictions) == set(data.splits):
                run.status = "ok"
    if run.status in ("ok", "failed"):
        return run
    if out_of_memory:
        run.status, run.problem = "memory", f"training ran out of memory (limit {limits.memory // 2**20} MB)"
    elif ended == "timeout":
        run.status, run.problem = "timeout", f"training did not finish within {limits.timeout:.0f} s"
    else:
        last = [line for line in output.strip().splitlines() if line.strip()][-1:] or ["no output"]
        run.problem = f"the training process stopped abruptly ({last[0][:300]})"
    return run


def run_key(architecture: str, protocol: Protocol, data: Dataset, device: Device, adapter=None) -> str:
    """What decides a training's numbers: the architecture (names aside), protocol, data, device, versions."""
    adapter = adapter or framework("keras")
    worker = INSIDE / adapter.name / "train.py"
    digest = hashlib.sha256()
    for part in (adapter.training.cache_form(architecture), json.dumps(protocol.get_config(), sort_keys=True),
                 data.fingerprint(), device.kind, f"{adapter.name}={adapter.version()}", __version__,
                 str(RUN_FORMAT), hashlib.sha256(worker.read_bytes()).hexdigest()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


@contextlib.contextmanager
def _locked(path: Path):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a")
    except OSError:  # a read-only cache: no sharing, no waiting
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load(path: Path) -> TrainingRun | None:
    try:
        return TrainingRun.from_config(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _store(path: Path, run: TrainingRun) -> None:
    write_cache(path, json.dumps(run.get_config()))
