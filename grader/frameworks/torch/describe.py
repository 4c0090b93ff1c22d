"""Describe a PyTorch export on the meta device: every step's output shape and parameters, as plain data.

The trusted side's reading of a student's (or a reference's) model: :func:`describe` rebuilds the
validated export (:mod:`grader.frameworks.torch.rebuild`) and runs its forward graph on meta
tensors of the given input shape, recording one entry per call of a leaf module (a second call of
the same module is ``fc@2``, with no parameters of its own) and per functional operation whose
value is a tensor (``size``, ``dim``, ``x.shape`` and indexing into a module's tuple output are
bookkeeping, folded into ``inbound``); then the leaf modules forward never calls
(``called: False``). A step that fails keeps torch's own message (``error``: the shape mismatch
of a wrong layer) and what depends on it is not computed. Without a graph, the entries are the
leaf modules in tree order (``called: None``), with shapes only where torch's own
``nn.Sequential`` fixes the order. Counts are ``numel`` of the rebuilt parameters, each counted
once (tied weights included), as torch counts them.

Example:
    >>> from grader.frameworks.torch.validate import validate
    >>> data = {"format": "grader-torch-export", "version": 1, "class": "Sequential", "modules": [
    ...     {"path": "", "class": "Sequential"},
    ...     {"path": "0", "class": "Linear", "config": {"in_features": 4, "out_features": 2, "bias": True}},
    ...     {"path": "1", "class": "ReLU", "config": {"inplace": False}}]}
    >>> card = describe(data, [8, 4])
    >>> [(e["name"], e["kind"], e["output_shape"], e["params"]) for e in card["layers"]]
    [('0', 'Linear', [8, 2], 10), ('1', 'ReLU', [8, 2], 0)]
    >>> card["total_params"], card["traced"]
    (10, False)
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from grader.cards.card import UnreadableModel
from grader.frameworks.torch.allowlist import MAX_ITEMS, MODULE_SETTINGS
from grader.frameworks.torch.rebuild import FAILED, Rebuilt, _Custom, rebuild, run
from grader.frameworks.torch.validate import MAX_DIM, Device, DType, MemoryFormat, Ref, Validated, validate
from grader.i18n import msg

_NOT_ENTRIES = {("call_method", name) for name in ("size", "dim")} | {("call_function", "builtins.getattr")}


def describe(data: dict, input_shape: list[int] | list[list[int]], *, dtype=torch.float32) -> dict:
    """A card for the export ``data`` (raw or validated) on inputs of ``input_shape``, as plain data.

    ``input_shape`` is one shape (``[32, 3, 32, 32]``) or one per forward argument. Integer inputs
    (an ``Embedding`` first) take ``dtype=torch.int64``.
    """
    if type(data) is not Validated:
        data = validate(data)
    model, notes = rebuild(data, "meta")
    model.eval()
    shapes = [input_shape] if input_shape and type(input_shape[0]) is int else input_shape
    for shape in shapes:
        if type(shape) is not list or not all(type(s) is int and 0 < s <= MAX_DIM for s in shape):
            raise UnreadableModel(f"input shape {shape!r} must be a list of positive sizes")
    with torch.device("meta"):
        inputs = tuple(torch.empty(shape, dtype=dtype) for shape in shapes)
    card = {"model_class": data["class"], "input_shape": shapes[0] if len(shapes) == 1 else shapes,
            "traced": data["graph"] is not None, "trace_error": data["graph_error"] if data["graph"] is None else None,
            "layers": [], "notes": notes}
    owners = _parameter_owners(model.root)
    if data["graph"] is not None:
        _graph_entries(model, inputs, card, owners)
    else:
        _tree_entries(model, inputs, card, owners)
    called = {entry["name"].split("@")[0] for entry in card["layers"]}
    for path, module in model.root.named_modules():
        if path and path not in called and _is_leaf(module) and path in owners["paths"]:
            card["layers"].append(_module_entry(path, module, owners, None, []) | {"called": False})
        elif isinstance(module, _Custom):
            unused = [p for p in module.parameters(recurse=False)
                      if owners["first"].get(id(p)) == path and id(p) not in owners["used"]]
            if unused:  # a student's class holding parameters its forward never reads (or no graph)
                entry = _module_entry(path, module, owners, None, []) | {"called": None}
                entry["params"] = sum(p.numel() for p in unused)
                entry["trainable_params"] = sum(p.numel() for p in unused if p.requires_grad)
                card["layers"].append(entry)
    card["total_params"] = sum(p.numel() for p in model.root.parameters())
    card["trainable_params"] = sum(p.numel() for p in model.root.parameters() if p.requires_grad)
    card["non_trainable_params"] = card["total_params"] - card["trainable_params"]
    return card


def _is_leaf(module: nn.Module) -> bool:
    return not isinstance(module, (_Custom, nn.Sequential, nn.ModuleList, nn.ModuleDict))


def _parameter_owners(root: nn.Module) -> dict:
    """Which module path first owns each parameter (shared parameters are counted once)."""
    first: dict[int, str] = {}
    paths = set()
    for path, module in root.named_modules():  # our own rebuilt model: its methods can be used
        paths.add(path)
        for parameter in module.parameters(recurse=False):
            first.setdefault(id(parameter), path)
    return {"first": first, "paths": paths, "used": set()}


def _module_entry(path: str, module: nn.Module, owners: dict, value: Any, inbound: list[str]) -> dict:
    own = [p for p in module.parameters(recurse=False) if owners["first"].get(id(p)) == path]
    kind = module.kind if isinstance(module, _Custom) else type(module).__name__
    config = {} if isinstance(module, _Custom) else \
        {key: _plain(getattr(module, key)) for key in MODULE_SETTINGS[kind] if hasattr(module, key)}
    if "bias" in MODULE_SETTINGS.get(kind, ()) and "bias" in module._parameters:
        config["bias"] = module._parameters["bias"] is not None
    return {"name": path, "kind": kind, "config": config, "output_shape": _shape(value),
            "params": sum(p.numel() for p in own),
            "trainable_params": sum(p.numel() for p in own if p.requires_grad),
            "inbound": inbound, "called": True}


def _owner(root: nn.Module, target: str) -> nn.Module | None:
    """The module that holds the parameter or buffer ``target`` (``"block.weight"``)."""
    path = target.rpartition(".")[0]
    try:
        return root.get_submodule(path)
    except AttributeError:
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, torch.Size):
        return list(value)
    return value


def _shape(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return list(value.shape)
    if isinstance(value, (tuple, list)) and value and len(value) <= MAX_ITEMS:
        shapes = [_shape(item) for item in value]
        return shapes if any(s is not None for s in shapes) else None
    return None


def _graph_entries(model: Rebuilt, inputs: tuple, card: dict, owners: dict) -> None:
    feeds: dict[str, list[str]] = {}  # node name -> the entries its value comes from
    reads: dict[str, Any] = {}  # get_attr node -> the parameter of a student's own class it reads
    calls: dict[str, int] = {}
    largest = [0]

    def sources(node: dict) -> list[str]:
        found: list[str] = []
        for ref in _refs(node["args"]) + _refs(node["kwargs"]):
            for name in feeds.get(ref, []):
                if name not in found:
                    found.append(name)
        return found

    def on_node(node: dict, value: Any, error: str | None, args: list) -> None:
        op, target = node["op"], node["target"]
        inbound = sources(node)
        if op == "placeholder":
            feeds[node["name"]] = ["input" if len(inputs) == 1 else f"input:{target}"]
            return
        if isinstance(value, torch.Tensor):
            largest[0] = max(largest[0], value.numel())
        is_entry = op in ("call_module", "call_function", "call_method") and (op, target) not in _NOT_ENTRIES \
            and not (target == "operator.getitem" and not (args and isinstance(args[0], torch.Tensor))) \
            and (isinstance(value, (torch.Tensor, tuple)) or error is not None)
        if op == "get_attr":
            feeds[node["name"]] = []
            if isinstance(value, nn.Parameter) and isinstance(_owner(model.root, target), _Custom):
                reads[node["name"]] = value
            return
        if not is_entry:
            feeds[node["name"]] = inbound
            return
        if op == "call_module":
            count = calls[target] = calls.get(target, 0) + 1
            module = model.root.get_submodule(target)
            entry = _module_entry(target, module, owners, value, inbound)
            if count > 1:
                entry.update(name=f"{target}@{count}", params=0, trainable_params=0)
        else:
            kind = f"Tensor.{target}" if op == "call_method" else target
            entry = {"name": node["name"], "kind": kind, "config": _call_config(node),
                     "output_shape": _shape(value), "params": 0, "trainable_params": 0,
                     "inbound": inbound, "called": True}
        for ref in _refs(node["args"]) + _refs(node["kwargs"]):
            parameter = reads.get(ref)
            if parameter is not None and id(parameter) not in owners["used"]:
                owners["used"].add(id(parameter))  # a student's own weight counts where forward first uses it
                entry["params"] += parameter.numel()
                entry["trainable_params"] += parameter.numel() if parameter.requires_grad else 0
        if error is not None:
            entry["error"] = error
        card["layers"].append(entry)
        feeds[node["name"]] = [entry["name"]]

    with torch.device("meta"):
        output = run(model, inputs, on_node)
    card["output_shape"] = _shape(output) if output is not FAILED else None
    card["largest_output_elements"] = largest[0]


def _refs(argument: Any) -> list[str]:
    if isinstance(argument, Ref):
        return [argument.name]
    if isinstance(argument, (list, tuple)):
        return [name for item in argument for name in _refs(item)]
    if isinstance(argument, dict):
        return [name for item in argument.values() for name in _refs(item)]
    return []


# Argument names of the functions whose settings matter for comparison.
SIGNATURES = {
    "torch.flatten": ("input", "start_dim", "end_dim"),
    "Tensor.flatten": ("self", "start_dim", "end_dim"),
    "torch.nn.functional.relu": ("input", "inplace"),
    "torch.nn.functional.leaky_relu": ("input", "negative_slope", "inplace"),
    "torch.nn.functional.softmax": ("input", "dim"),
    "torch.nn.functional.log_softmax": ("input", "dim"),
    "torch.softmax": ("input", "dim"),
    "Tensor.softmax": ("self", "dim"),
    "torch.nn.functional.dropout": ("input", "p", "training", "inplace"),
    "torch.nn.functional.dropout2d": ("input", "p", "training", "inplace"),
    "torch.nn.functional.max_pool2d": ("input", "kernel_size", "stride", "padding", "dilation",
                                       "ceil_mode", "return_indices"),
    "torch.nn.functional.avg_pool2d": ("input", "kernel_size", "stride", "padding", "ceil_mode",
                                       "count_include_pad", "divisor_override"),
    "torch.nn.functional.adaptive_avg_pool2d": ("input", "output_size"),
    "torch.cat": ("tensors", "dim"),
    "torch.stack": ("tensors", "dim"),
}


def _call_config(node: dict) -> dict:
    kind = f"Tensor.{node['target']}" if node["op"] == "call_method" else node["target"]
    names = SIGNATURES.get(kind)
    config: dict[str, Any] = {}
    if names is None:
        constants = [_constant(arg) for arg in node["args"] if not _refs(arg)]
        if constants:
            config["args"] = constants
    else:
        for name, arg in zip(names, node["args"], strict=False):  # fewer args than names: defaults
            if name == "tensors" and isinstance(arg, (list, tuple)):
                config[name] = len(arg)  # how many are joined
            elif name not in ("input", "self") and not _refs(arg):
                config[name] = _constant(arg)
    for key, arg in node["kwargs"].items():
        if not _refs(arg):
            config[key] = _constant(arg)
    return config


def _constant(argument: Any) -> Any:
    if isinstance(argument, (list, tuple)):
        return [_constant(item) for item in argument]
    if isinstance(argument, slice):
        return {"slice": [argument.start, argument.stop, argument.step]}
    if argument is Ellipsis:
        return "..."
    if isinstance(argument, DType):
        return argument.name
    if isinstance(argument, (Device, MemoryFormat)):
        return None
    return argument


def _tree_entries(model: Rebuilt, inputs: tuple, card: dict, owners: dict) -> None:
    """No usable graph: list the leaf modules; shapes only where torch's own Sequential orders them."""
    shapes: dict[str, Any] = {}
    if isinstance(model.root, nn.Sequential):
        hooks = [module.register_forward_hook(
            lambda module, args, output, path=path: shapes.__setitem__(path, output))
            for path, module in model.root.named_modules() if path and _is_leaf(module)]
        try:
            with torch.device("meta"):
                model.root(*inputs)
        except Exception as exc:
            card["notes"].append(msg("torch.note.shapes_stop", error=f"{type(exc).__name__}: {str(exc)[:200]}"))
        finally:
            for hook in hooks:
                hook.remove()
    else:
        card["notes"].append(msg("torch.note.not_traced", reason=card["trace_error"] or ""))
    previous: list[str] = []
    for path, module in model.root.named_modules():
        if path and _is_leaf(module):
            entry = _module_entry(path, module, owners, shapes.get(path), previous if shapes else [])
            entry["called"] = None  # unknown without a graph
            card["layers"].append(entry)
            previous = [path]
