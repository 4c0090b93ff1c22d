"""A quick outline of a PyTorch export, read without torch: which modules ``forward`` calls, in order.

The outline has layer kinds, settings and connections, but no output shapes or parameter counts.
It is enough to choose which of a student's models to grade against a reference; only the chosen
one is rebuilt and described (:mod:`grader.frameworks.torch.card`).

Example:
    >>> import json
    >>> data = {"format": "grader-torch-export", "version": 1, "class": "Net", "modules": [
    ...     {"path": "", "class": "custom:Net"},
    ...     {"path": "fc", "class": "Linear", "config": {"in_features": 4, "out_features": 2, "bias": True}}],
    ...     "graph": {"nodes": [
    ...         {"name": "x", "op": "placeholder", "target": "x"},
    ...         {"name": "fc", "op": "call_module", "target": "fc", "args": [{"node": "x"}]},
    ...         {"name": "relu", "op": "call_function", "target": "torch.relu", "args": [{"node": "fc"}]},
    ...         {"name": "output", "op": "output", "target": "output", "args": [{"node": "relu"}]}]}}
    >>> card = outline_from_json(json.dumps(data), name="model")
    >>> [(layer.kind, layer.inbound) for layer in card.layers]
    [('Linear', ['input']), ('torch.relu', ['fc'])]
"""

from __future__ import annotations

from typing import Any

from grader.cards.card import LayerCard, ModelCard, UnreadableModel
from grader.frameworks.torch.allowlist import CONTAINERS
from grader.frameworks.torch.validate import Ref, load

_BOOKKEEPING = {("call_method", "size"), ("call_method", "dim"), ("call_function", "builtins.getattr"),
                ("call_function", "operator.getitem")}


def outline_from_json(architecture: str, name: str, source: str = "") -> ModelCard | None:
    """The outline, or ``None`` when the text is not a readable PyTorch export."""
    try:
        data = load(architecture)
    except UnreadableModel:
        return None
    modules = {m["path"]: m for m in data["modules"] if "same_as" not in m}
    for record in data["modules"]:
        if "same_as" in record and record["same_as"] in modules:
            modules[record["path"]] = modules[record["same_as"]]
    layers: list[LayerCard] = []
    if data["graph"] is None:
        previous = ["input"]
        for path, record in modules.items():
            if _leaf(record):
                layers.append(LayerCard(path, record["class"], _plain(record["config"]), inbound=previous))
                previous = [path]
    else:
        feeds: dict[str, list[str]] = {}
        calls: dict[str, int] = {}
        for node in data["graph"]["nodes"]:
            op, target = node["op"], node["target"]
            inbound = list(dict.fromkeys(n for ref in _refs(node["args"]) + _refs(node["kwargs"])
                                         for n in feeds.get(ref, [])))
            if op == "placeholder":
                feeds[node["name"]] = ["input"]
            elif op == "call_module":
                count = calls[target] = calls.get(target, 0) + 1
                entry = target if count == 1 else f"{target}@{count}"
                layers.append(LayerCard(entry, modules[target]["class"], _plain(modules[target]["config"]),
                                        inbound=inbound))
                feeds[node["name"]] = [entry]
            elif op in ("call_function", "call_method") and (op, target) not in _BOOKKEEPING:
                kind = f"Tensor.{target}" if op == "call_method" else target
                layers.append(LayerCard(node["name"], kind, {}, inbound=inbound))
                feeds[node["name"]] = [node["name"]]
            else:
                feeds[node["name"]] = inbound if op != "get_attr" else []
    shape = data["input_shape"]
    return ModelCard(name=name, layers=layers, model_class=data["class"],
                     input_shapes=[[None, *shape[1:]]] if shape else [], source=source)


def _leaf(record: dict) -> bool:
    return not record["class"].startswith("custom:") and record["class"] not in CONTAINERS


def _plain(config: dict) -> dict:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in config.items()}


def _refs(argument: Any) -> list[str]:
    if isinstance(argument, Ref):
        return [argument.name]
    if isinstance(argument, (list, tuple)):
        return [name for item in argument for name in _refs(item)]
    if isinstance(argument, dict):
        return [name for item in argument.values() for name in _refs(item)]
    return []
