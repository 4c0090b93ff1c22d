"""What train checks need to know about a PyTorch export (the training itself runs in the sandbox).

The sandbox's training worker (``grader_inside.torch.train``) never sees the student's export: it
gets a *plan*, the grader's own re-encoding of the validated export (allowlisted classes, checked
settings, the checked graph, nothing else), in the same format. Losses and optimizers are
PyTorch's, by class name (``MSELoss``, ``CrossEntropyLoss``; ``SGD``, ``Adam``), with their own
keyword arguments (``{name: SGD, lr: 0.001, momentum: 0.9}``); :func:`check` refuses others when
the rubric is loaded.

Example:
    >>> import json
    >>> data = {"format": "grader-torch-export", "version": 1, "class": "Sequential", "modules": [
    ...     {"path": "", "class": "Sequential"},
    ...     {"path": "0", "class": "Linear", "config": {"in_features": 4, "out_features": 2, "bias": True},
    ...      "params": {"weight": {"shape": [2, 4]}, "bias": {"shape": [2]}}}]}
    >>> plan, shape = prepare(json.dumps(data), [4])
    >>> shape, json.loads(plan)["format"]
    ((4,), 'grader-torch-plan')
    >>> cache_form(plan) == cache_form(plan.replace('"path": "0"', '"path": "first"'))
    True
"""

from __future__ import annotations

import json
import math
from typing import Any

from grader.cards.card import UnreadableModel
from grader.frameworks.torch.validate import Device, DType, MemoryFormat, Ref, load

PLAN = "grader-torch-plan"
LOSSES = {  # what a rubric may write -> PyTorch's class
    "MSELoss": "MSELoss", "mse": "MSELoss", "mean_squared_error": "MSELoss",
    "L1Loss": "L1Loss", "mae": "L1Loss", "mean_absolute_error": "L1Loss",
    "CrossEntropyLoss": "CrossEntropyLoss", "cross_entropy": "CrossEntropyLoss",
    "sparse_categorical_crossentropy": "CrossEntropyLoss",
    "NLLLoss": "NLLLoss", "BCELoss": "BCELoss", "binary_crossentropy": "BCELoss",
    "BCEWithLogitsLoss": "BCEWithLogitsLoss", "SmoothL1Loss": "SmoothL1Loss", "HuberLoss": "HuberLoss",
}
OPTIMIZERS = {"SGD": "SGD", "sgd": "SGD", "Adam": "Adam", "adam": "Adam", "AdamW": "AdamW", "adamw": "AdamW",
              "RMSprop": "RMSprop", "rmsprop": "RMSprop", "Adagrad": "Adagrad", "adagrad": "Adagrad"}
OPTIMIZER_SETTINGS = ("lr", "learning_rate", "momentum", "weight_decay", "nesterov", "dampening", "betas", "eps",
                      "alpha", "amsgrad")


def check(protocol) -> None:
    """Refuse a loss or optimizer the worker does not know (``ValueError`` naming what it knows)."""
    if protocol.loss not in LOSSES:
        raise ValueError(f"loss {protocol.loss!r} is not a PyTorch loss the grader trains with; use one of: "
                         f"{', '.join(sorted(set(LOSSES.values())))}")
    optimizer = protocol.optimizer_config()
    if optimizer.get("name") not in OPTIMIZERS:
        raise ValueError(f"optimizer {optimizer.get('name')!r} is not supported for PyTorch; use one of: "
                         f"{', '.join(sorted(set(OPTIMIZERS.values())))}")
    unknown = sorted(set(optimizer) - {"name", *OPTIMIZER_SETTINGS})
    if unknown:
        raise ValueError(f"unknown optimizer setting {unknown[0]!r}; use: {', '.join(OPTIMIZER_SETTINGS)}")


def prepare(architecture: str, input_shape: Any) -> tuple[str, tuple]:
    """The plan the worker trains, and the input shape (no batch axis) it trains on.

    Raises :class:`UnreadableModel` when the model cannot be trained: its ``forward`` could not be
    followed (and it is not an ``nn.Sequential``), or it holds a student's own class.
    """
    data = load(architecture)
    if input_shape is None:
        if data["input_shape"] is None:
            raise UnreadableModel("there is no input shape to train it on")
        input_shape = data["input_shape"][1:]
    custom = [m["path"] or "the model" for m in data["modules"]
              if "same_as" not in m and m["class"].startswith("custom:") and m["params"]]
    if data["graph"] is None and data["modules"][0]["class"] != "Sequential":
        raise UnreadableModel(f"its forward() could not be followed ({data['graph_error']}), so the grader "
                              "cannot train it")
    if data["graph"] is None and custom:
        raise UnreadableModel(f"{custom[0]} is a class of your own, so the grader cannot train the model")
    plan = {"format": PLAN, "version": 1, "class": data["class"],
            "modules": [_module(record) for record in data["modules"]],
            "graph": None if data["graph"] is None else {
                "nodes": [{"name": n["name"], "op": n["op"], "target": n["target"],
                           "args": [_encode(a) for a in n["args"]],
                           "kwargs": {k: _encode(v) for k, v in n["kwargs"].items()}}
                          for n in data["graph"]["nodes"]],
                "constants": data["graph"]["constants"]}}
    return json.dumps(plan), tuple(int(size) for size in input_shape)


def without_compile(plan: str) -> str:
    """A plan has no compile settings: the protocol decides the loss and the optimizer."""
    return plan


def cache_form(plan: str) -> str:
    """The plan with modules and operations named by position: names never change numbers."""
    try:
        data = json.loads(plan)
        paths = {m["path"]: f"m{i}" for i, m in enumerate(data["modules"])}
    except (ValueError, TypeError, KeyError):
        return plan

    def tensor(full: str) -> str:
        owner, _, name = full.rpartition(".")
        return f"{paths.get(owner, owner)}.{name}"

    modules = []
    for m in data["modules"]:
        parent = m["path"].rpartition(".")[0]
        entry = {k: v for k, v in m.items() if k != "path"}
        entry["parent"] = paths.get(parent) if m["path"] else None
        if "same_as" in m:
            entry["same_as"] = paths.get(m["same_as"])
        for table in ("params", "buffers"):
            entry[table] = {name: ({"same_as": tensor(facts["same_as"])} if "same_as" in facts else facts)
                            for name, facts in (m.get(table) or {}).items()}
        modules.append(entry)
    graph = data.get("graph")
    if graph is not None:
        names = {n["name"]: f"n{i}" for i, n in enumerate(graph["nodes"])}

        def renamed(value: Any) -> Any:
            if isinstance(value, dict):
                if set(value) == {"node"}:
                    return {"node": names.get(value["node"])}
                return {k: renamed(v) for k, v in value.items()}
            if isinstance(value, list):
                return [renamed(v) for v in value]
            return value

        graph = {"constants": graph["constants"], "nodes": [
            {"name": names[n["name"]], "op": n["op"],
             "target": paths.get(n["target"], n["target"]) if n["op"] == "call_module" else
             tensor(n["target"]) if n["op"] == "get_attr" and not n["target"].startswith("__constant") else
             n["target"] if n["op"] != "placeholder" else "input",
             "args": renamed(n["args"]), "kwargs": renamed(n["kwargs"])} for n in graph["nodes"]]}
    return json.dumps({"class": "model", "modules": modules, "graph": graph}, sort_keys=True)


def _module(record: dict) -> dict:
    if "same_as" in record:
        return {"path": record["path"], "same_as": record["same_as"]}
    out = {"path": record["path"], "class": record["class"], "training": record["training"],
           "config": {k: list(v) if isinstance(v, tuple) else v for k, v in record["config"].items()}}
    for table in ("params", "buffers"):
        out[table] = {name: dict(facts) for name, facts in record[table].items()}
    return out


def _encode(value: Any) -> Any:
    """A validated argument back in the export's JSON encoding (the worker reads that format)."""
    if isinstance(value, Ref):
        return {"node": value.name}
    if isinstance(value, DType):
        return {"dtype": value.name}
    if isinstance(value, Device):
        return {"device": "cpu"}
    if isinstance(value, MemoryFormat):
        return {"memory_format": value.name}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"dict": {k: _encode(v) for k, v in value.items()}}
    if isinstance(value, slice):
        return {"slice": [_encode(value.start), _encode(value.stop), _encode(value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value
