"""Rebuild a validated PyTorch export with the grader's own classes, and run its forward graph.

The model is rebuilt from allowlisted ``torch.nn`` classes only (:func:`rebuild`): nothing is
imported from the student, nothing unpickled, ``torch.load`` never called; a student's own class
becomes an empty container holding parameters of the exported shapes. On the meta device
(``device="meta"``, the default) nothing is allocated, so a description of a billion-parameter
model costs nothing. The forward graph is *interpreted* node by node (:func:`run`) with this
module's own table of functions (:data:`FUNCTION_TABLE`); fx's code generation is never used (it
would turn untrusted names into Python source). Arithmetic on plain numbers refuses operands over
2**40 and powers over 64; factories and constants are made on meta, and refused off meta above
2**28 elements.

Example:
    >>> import torch
    >>> from grader.frameworks.torch.validate import validate
    >>> data = validate({"format": "grader-torch-export", "version": 1, "class": "Sequential", "modules": [
    ...     {"path": "", "class": "Sequential"},
    ...     {"path": "0", "class": "Linear", "config": {"in_features": 4, "out_features": 2, "bias": True}}]})
    >>> model, notes = rebuild(data)
    >>> sum(p.numel() for p in model.parameters()), model(torch.empty(3, 4, device="meta")).shape
    (10, torch.Size([3, 2]))
"""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from grader.cards.card import UnreadableModel
from grader.frameworks.torch.allowlist import FUNCTIONS, GETATTR_NAMES
from grader.frameworks.torch.validate import MAX_CPU_ELEMENTS, Device, DType, MemoryFormat, Ref
from grader.i18n import msg

def _small_number(value: Any) -> bool:
    return type(value) in (int, float, bool) and abs(value) <= 2**40


def _guarded(function):
    """Arithmetic on plain numbers stays small; on tensors it is torch's own."""
    def call(*args):
        if any(isinstance(a, torch.Tensor) for a in args):
            return function(*args)
        if not all(_small_number(a) for a in args):
            raise ValueError(f"{function.__name__} on values other than small numbers and tensors")
        if function is operator.pow and abs(args[1]) > 64:
            raise ValueError("a power larger than 64")
        return function(*args)
    return call


def _getitem(container: Any, index: Any) -> Any:
    if isinstance(container, (torch.Tensor, tuple, list, torch.Size)):
        return container[index]
    raise ValueError("indexing something other than a tensor, tuple or list")


def _getattr(value: Any, name: str) -> Any:
    if not isinstance(value, torch.Tensor) or name not in GETATTR_NAMES:
        raise ValueError(f"reading .{name} of something other than a tensor")
    return getattr(value, name)


def _factory(function):
    """``torch.zeros(...)`` and friends: made where the graph runs, never huge off the meta device."""
    def call(*args, **kwargs):
        kwargs.pop("device", None)
        size = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args or kwargs.get("size", ())
        if not all(type(n) is int and n >= 0 for n in size):
            raise ValueError(f"{function.__name__}() with sizes that are not whole numbers")
        device = _current_device()
        if device.type != "meta" and math.prod(size) > MAX_CPU_ELEMENTS:
            raise ValueError(f"{function.__name__}() of {math.prod(size)} elements off the meta device")
        return function(*size, **kwargs, device=device)
    return call


_DEVICE = [torch.device("meta")]


def _dtype(name: str) -> torch.dtype:
    """The torch dtype of a validated dtype name (``validate.DTYPES``)."""
    return getattr(torch, name)


def _current_device() -> torch.device:
    return _DEVICE[-1]


def _resolve_functions() -> dict:
    roots = {"torch": torch, "torch.nn.functional": F, "operator": operator, "builtins": builtins,
             "math": math}
    table = {}
    for qualified in FUNCTIONS:
        where, _, attribute = qualified.rpartition(".")
        function = getattr(roots[where], attribute, None)
        if function is None:
            continue
        if where == "operator" and attribute != "getitem":
            function = _guarded(function)
        table[qualified] = function
    table["operator.getitem"] = _getitem
    table["builtins.getattr"] = _getattr
    table["math.sqrt"] = _guarded(math.sqrt)
    for name in ("zeros", "ones", "randn"):
        table[f"torch.{name}"] = _factory(getattr(torch, name))
    return table


FUNCTION_TABLE = _resolve_functions()
_PASS_THROUGH_METHODS = ("cpu", "cuda")


def _call_method(name: str, args: list, kwargs: dict) -> Any:
    if not args or not isinstance(args[0], torch.Tensor):
        raise ValueError(f".{name}() called on something other than a tensor")
    tensor, rest = args[0], args[1:]
    if name in _PASS_THROUGH_METHODS:
        return tensor
    if name == "to":  # devices are the grader's business; dtypes are kept
        rest = [a for a in rest if isinstance(a, torch.dtype)]
        kwargs = {k: v for k, v in kwargs.items() if k == "dtype"}
    return getattr(torch.Tensor, name)(tensor, *rest, **kwargs)


# ------------------------------------------------------------------------------ rebuilding


class Rebuilt(nn.Module):
    """The model as the grader understands it: allowlisted modules plus the interpreted graph."""

    def __init__(self, root: nn.Module, graph: dict | None, constants: dict[str, torch.Tensor]):
        super().__init__()
        self.root = root
        self.graph = graph
        self.constants = nn.Module()  # buffers, so that .to(device) moves them with the weights
        for name, tensor in constants.items():
            self.constants.register_buffer(name, tensor, persistent=False)

    def forward(self, *inputs: torch.Tensor) -> Any:
        if self.graph is None:
            if isinstance(self.root, nn.Sequential):
                return self.root(*inputs)
            raise RuntimeError("the model's forward was not traced; it can only be described")
        return run(self, inputs)


class _Custom(nn.Module):
    """Stands for a student's own class: holds children and parameters, computes nothing."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind


def rebuild(data: dict, device: str = "meta") -> tuple[Rebuilt, list[str]]:
    """Rebuild a validated export with allowlisted classes; returns the model and notes.

    ``device="meta"`` (the default) allocates nothing. On another device the grader refuses
    models with more than ``MAX_CPU_ELEMENTS`` parameters.
    """
    notes: list = []  # messages (grader.i18n)
    if device != "meta":
        total = sum(math.prod(facts["shape"]) for module in data["modules"]
                    for facts in module.get("params", {}).values() if "shape" in facts)
        if total > MAX_CPU_ELEMENTS:
            raise UnreadableModel(f"the model has about {total} parameters, too many to run off the meta device")
    modules: dict[str, nn.Module] = {}
    owners: dict[str, tuple[nn.Module, str]] = {}
    with torch.device(device):
        for record in data["modules"]:
            path = record["path"]
            parent_path, _, name = path.rpartition(".")
            if "same_as" in record:
                target = record["same_as"]
                if path.startswith(target + ".") or target == "":
                    notes.append(msg("torch.note.cycle", module=path, target=target or "the model"))
                    continue
                modules[parent_path].add_module(name, modules[target])
                continue
            module = _construct(record)
            _check_tensors(module, record, notes)
            for table, kind in (("params", "parameter"), ("buffers", "buffer")):
                for tensor_name, facts in record[table].items():
                    full = f"{path}.{tensor_name}" if path else tensor_name
                    if "same_as" in facts:
                        _tie(module, tensor_name, facts["same_as"], owners, kind, notes)
                    elif kind == "parameter" and tensor_name in module._parameters:
                        module._parameters[tensor_name].requires_grad_(facts["requires_grad"])
                    elif isinstance(module, _Custom):
                        tensor = torch.empty(facts["shape"])
                        if kind == "parameter":
                            module.register_parameter(tensor_name, nn.Parameter(tensor, facts["requires_grad"]))
                        else:
                            module.register_buffer(tensor_name, tensor)
                    owners[full] = (module, tensor_name)
            if record["forward_replaced"]:
                notes.append(msg("torch.note.forward_replaced", module=path or "model"))
            if record["hooks"]:
                notes.append(msg("torch.note.hooks", module=path or "model", count=record["hooks"]))
            if path:
                modules[parent_path].add_module(name, module)
            modules[path] = module
        constants = {}
        graph = data["graph"]
        if graph is not None:
            for name, facts in graph["constants"].items():
                if device != "meta" and math.prod(facts["shape"]) > MAX_CPU_ELEMENTS:
                    raise UnreadableModel(f"constant {name} of shape {facts['shape']} is too large to make")
                if facts["values"] is not None and device != "meta":
                    constants[name] = torch.tensor(facts["values"], dtype=_dtype(facts["dtype"])).reshape(
                        facts["shape"])
                else:
                    constants[name] = torch.zeros(facts["shape"], dtype=_dtype(facts["dtype"]))
    return Rebuilt(modules[""], graph, constants), notes


def _construct(record: dict) -> nn.Module:
    kind = record["class"]
    if kind.startswith("custom:"):
        return _Custom(kind)
    cls = getattr(nn, kind)
    try:
        module = cls(**record["config"])
    except Exception as exc:  # settings that torch itself refuses (groups that do not divide, ...)
        raise UnreadableModel(f"{record['path'] or 'the model'}: {kind} cannot be built with these "
                              f"settings ({type(exc).__name__}: {str(exc)[:200]})") from None
    module.train(record["training"])
    return module


def _check_tensors(module: nn.Module, record: dict, notes: list[str]) -> None:
    """An allowlisted module's exported weights must have the shapes its settings give."""
    if isinstance(module, _Custom):
        return
    for name, facts in record["params"].items():
        own = module._parameters.get(name)
        if own is None:
            notes.append(msg("torch.note.unknown_parameter", module=record["path"], name=name, kind=record["class"]))
        elif "shape" in facts and list(own.shape) != facts["shape"]:
            notes.append(msg("torch.note.changed_after", module=record["path"], name=name,
                             expected=str(list(own.shape)), found=str(facts["shape"])))


def _tie(module: nn.Module, name: str, target: str, owners: dict, kind: str, notes: list[str]) -> None:
    owner = owners.get(target)
    if owner is None:
        return
    other = getattr(owner[0], owner[1])
    own = module._parameters.get(name) if kind == "parameter" else module._buffers.get(name)
    if own is not None and own.shape != other.shape:
        notes.append(msg("torch.note.shared_shape", name=name, target=target, found=str(list(other.shape)),
                         expected=str(list(own.shape))))
    if kind == "parameter" and isinstance(other, nn.Parameter):
        module._parameters[name] = other  # tied weights: counted once, as torch counts them
    elif kind == "buffer":
        module._buffers[name] = other


def run(model: Rebuilt, inputs: tuple, on_node=None) -> Any:
    """Interpret the validated graph on ``inputs``; ``on_node(node, value, error)`` sees every step.

    With ``on_node``, an operation that fails does not stop the run: its value and those that
    depend on it are ``FAILED``.
    """
    values: dict[str, Any] = {}
    placeholders = iter(inputs)
    first = inputs[0] if inputs and isinstance(inputs[0], torch.Tensor) else None
    _DEVICE.append(first.device if first is not None else torch.device("meta"))
    try:
        for node in model.graph["nodes"]:
            error, args = None, []
            try:
                args = _values(node["args"], values)
                kwargs = _values(node["kwargs"], values)
                value = _step(model, node, args, kwargs, placeholders)
            except _Failed:
                value, error = FAILED, "not computed: an earlier operation failed"
            except Exception as exc:
                if on_node is None:
                    raise
                value, error = FAILED, f"{type(exc).__name__}: {str(exc)[:300]}"
            values[node["name"]] = value
            if on_node is not None:
                on_node(node, value, error, args)
            if node["op"] == "output":
                return value
        return None
    finally:
        _DEVICE.pop()


class _Failed(Exception):
    pass


FAILED = type("Failed", (), {"__repr__": lambda self: "FAILED"})()


def _values(argument: Any, values: dict) -> Any:
    if isinstance(argument, Ref):
        value = values[argument.name]
        if value is FAILED:
            raise _Failed
        return value
    if isinstance(argument, list):
        return [_values(item, values) for item in argument]
    if isinstance(argument, tuple):
        return tuple(_values(item, values) for item in argument)
    if isinstance(argument, dict):
        return {key: _values(item, values) for key, item in argument.items()}
    if isinstance(argument, slice):
        return slice(_values(argument.start, values), _values(argument.stop, values),
                     _values(argument.step, values))
    if isinstance(argument, Device):
        return _current_device()
    if isinstance(argument, DType):
        return _dtype(argument.name)
    if isinstance(argument, MemoryFormat):
        return getattr(torch, argument.name)
    return argument


def _step(model: Rebuilt, node: dict, args: list, kwargs: dict, placeholders) -> Any:
    op, target = node["op"], node["target"]
    if op == "placeholder":
        value = next(placeholders, Device)
        if value is Device:
            if args:
                return args[0]  # the forward's default for this argument
            raise ValueError(f"forward takes an input {target!r} that the grader does not give")
        return value
    if op == "get_attr":
        if target in model.constants._buffers:
            return model.constants._buffers[target]
        return model.root.get_parameter(target) if _is_parameter(model.root, target) \
            else model.root.get_buffer(target)
    if op == "call_module":
        return model.root.get_submodule(target)(*args, **kwargs)
    if op == "call_function":
        return FUNCTION_TABLE[target](*args, **kwargs)
    if op == "call_method":
        return _call_method(target, args, kwargs)
    return args[0] if args else None


def _is_parameter(root: nn.Module, target: str) -> bool:
    owner_path, _, name = target.rpartition(".")
    return name in root.get_submodule(owner_path)._parameters


# ------------------------------------------------------------------------------ the card

# Non-tensor bookkeeping and pure pass-throughs: never card entries of their own.
