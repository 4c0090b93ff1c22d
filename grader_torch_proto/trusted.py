"""The grader's side: turns an untrusted export (from :mod:`inside`) into a model card.

Nothing in the export is believed. It is parsed with size and nesting limits, every field is
type-checked, and the model is rebuilt here from allowlisted ``torch.nn`` classes only: no
student code is imported, nothing is unpickled, ``torch.load`` is never called. Parameter counts
come from the rebuilt modules and every output shape from running them, and the exported forward
graph, on meta tensors (``device="meta"``: shapes without memory, so a description of a
billion-parameter model costs nothing).

The forward graph is *interpreted* node by node with this module's own table of functions
(:data:`inside.FUNCTIONS`, :data:`inside.METHODS`); fx's code generation is never used (it would
turn untrusted names into Python source). A graph that is missing, malformed or calls something
outside the tables does not make the model unreadable: the card is built from the module tree and
says what could not be checked (``traced: false`` and ``trace_error``).

Example:
    >>> import torch
    >>> from grader_torch_proto.inside import export
    >>> card = describe(export(torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.ReLU())), [8, 4])
    >>> [(layer["name"], layer["kind"], layer["output_shape"], layer["params"]) for layer in card["layers"]]
    [('0', 'Linear', [8, 2], 10), ('1', 'ReLU', [8, 2], 0)]
    >>> card["total_params"], card["traced"]
    (10, True)
"""

from __future__ import annotations

import builtins
import json
import math
import operator
import re
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from grader_torch_proto.inside import (
    CONTAINERS, FORMAT, FUNCTIONS, GETATTR_NAMES, MAX_DEPTH, MAX_ITEMS, MAX_MODULES, MAX_NEST,
    MAX_NODES, MAX_TEXT, METHODS, MODULE_SETTINGS, VERSION,
)

MAX_EXPORT_BYTES = 20_000_000
MAX_DIM = 2**31           # a feature, channel or vocabulary size
MAX_KERNEL = 2**16
MAX_TENSOR_RANK = 8
MAX_CPU_ELEMENTS = 2**28  # a tensor the rebuilt model may create off the meta device
NODE_OPS = ("placeholder", "get_attr", "call_module", "call_function", "call_method", "output")
DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
          "bfloat16": torch.bfloat16, "int64": torch.int64, "int32": torch.int32,
          "uint8": torch.uint8, "bool": torch.bool, "float": torch.float32, "long": torch.int64}


class UnreadableModel(Exception):
    """The export cannot be read as a model; the message says why in one line."""


class Validated(dict):
    """An export that :func:`validate` checked (a type that parsed JSON never has)."""


# ------------------------------------------------------------------------------ parsing


def load(text: str | bytes) -> dict:
    """Parse one export (JSON text) within the size and nesting limits, then :func:`validate` it."""
    if len(text) > MAX_EXPORT_BYTES:
        raise UnreadableModel(f"the model description is larger than {MAX_EXPORT_BYTES} bytes")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise UnreadableModel(f"the model description is not valid JSON ({type(exc).__name__})") from None
    return validate(data)


def _text(value: Any, what: str, *, empty: bool = True) -> str:
    if type(value) is not str or len(value) > MAX_TEXT or (not empty and not value):
        raise UnreadableModel(f"{what} must be a text of at most {MAX_TEXT} characters")
    return value


def _int(value: Any, what: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise UnreadableModel(f"{what} must be a whole number from {low} to {high}, got {_show(value)}")
    return value


def _float(value: Any, what: str, low: float, high: float) -> float:
    if type(value) not in (int, float) or not math.isfinite(value) or not low <= value <= high:
        raise UnreadableModel(f"{what} must be a number from {low} to {high}, got {_show(value)}")
    return float(value)


def _show(value: Any) -> str:
    text = json.dumps(value) if type(value) in (int, float, str, bool, type(None)) else type(value).__name__
    return text[:60]


# Rules for constructor settings: each turns a JSON value into a constructor argument or raises.
def _ints(low: int, high: int, *, length: tuple[int, ...] = (1, 2, 3), none: bool = False):
    def rule(value: Any, what: str):
        if value is None and none:
            return None
        if type(value) is int:
            return _int(value, what, low, high)
        if type(value) is list and len(value) in length:
            return tuple(None if item is None and none else _int(item, what, low, high) for item in value)
        raise UnreadableModel(f"{what} must be a whole number or a list of {length} of them")
    return rule


def _bool(none: bool = False):
    def rule(value: Any, what: str):
        if type(value) is bool or (value is None and none):
            return value
        raise UnreadableModel(f"{what} must be true or false")
    return rule


def _number(low: float, high: float, *, none: bool = False):
    def rule(value: Any, what: str):
        if value is None and none:
            return None
        return _float(value, what, low, high)
    return rule


def _choice(*options: Any):
    def rule(value: Any, what: str):
        if value in options and type(value) in (str, type(None)):
            return value
        raise UnreadableModel(f"{what} must be one of {', '.join(map(str, options))}")
    return rule


def _padding(value: Any, what: str):
    if value in ("same", "valid"):
        return value
    return _ints(0, MAX_KERNEL)(value, what)


def _scale_factor(value: Any, what: str):
    if value is None:
        return None
    if type(value) is list and 1 <= len(value) <= 3:
        return tuple(_float(item, what, 1e-3, 1e4) for item in value)
    return _float(value, what, 1e-3, 1e4)


_SIZE = _ints(1, MAX_DIM, length=(1,))
SETTING_RULES = {
    "in_features": _SIZE, "out_features": _SIZE, "in1_features": _SIZE, "in2_features": _SIZE,
    "in_channels": _SIZE, "out_channels": _SIZE, "num_features": _SIZE,
    "num_embeddings": _SIZE, "embedding_dim": _SIZE, "input_size": _SIZE, "hidden_size": _SIZE,
    "num_layers": _ints(1, 1000, length=(1,)), "groups": _ints(1, MAX_DIM, length=(1,)),
    "proj_size": _ints(0, MAX_DIM, length=(1,)),
    "kernel_size": _ints(1, MAX_KERNEL), "stride": _ints(1, MAX_KERNEL, none=True),
    "dilation": _ints(1, MAX_KERNEL), "output_padding": _ints(0, MAX_KERNEL), "padding": _padding,
    "output_size": _ints(1, MAX_DIM, none=True), "divisor_override": _ints(1, MAX_DIM, none=True),
    "normalized_shape": _ints(1, MAX_DIM, length=(1, 2, 3, 4)),
    "unflattened_size": _ints(-1, MAX_DIM, length=(1, 2, 3, 4, 5)),
    "size": _ints(1, MAX_DIM, none=True),
    "bias": _bool(), "inplace": _bool(), "return_indices": _bool(), "ceil_mode": _bool(),
    "count_include_pad": _bool(), "affine": _bool(), "track_running_stats": _bool(),
    "batch_first": _bool(), "bidirectional": _bool(), "elementwise_affine": _bool(),
    "scale_grad_by_freq": _bool(), "sparse": _bool(), "align_corners": _bool(none=True),
    "recompute_scale_factor": _bool(none=True),
    "p": _number(0.0, 1.0), "dropout": _number(0.0, 1.0), "eps": _number(0.0, 1.0),
    "momentum": _number(0.0, 1.0, none=True), "negative_slope": _number(-1e6, 1e6),
    "alpha": _number(-1e6, 1e6), "norm_type": _number(1e-6, 1e6),
    "max_norm": _number(0.0, 1e12, none=True), "scale_factor": _scale_factor,
    "dim": _ints(-MAX_TENSOR_RANK, MAX_TENSOR_RANK, length=(1,), none=True),
    "start_dim": _ints(-MAX_TENSOR_RANK, MAX_TENSOR_RANK, length=(1,)),
    "end_dim": _ints(-MAX_TENSOR_RANK, MAX_TENSOR_RANK, length=(1,)),
    "padding_idx": _ints(-MAX_DIM, MAX_DIM, length=(1,), none=True),
    "padding_mode": _choice("zeros", "reflect", "replicate", "circular"),
    "nonlinearity": _choice("tanh", "relu"), "approximate": _choice("none", "tanh"),
    "mode": _choice("nearest", "linear", "bilinear", "bicubic", "trilinear", "nearest-exact"),
}


def validate(data: Any) -> dict:
    """Check an export's structure and types; return it with its settings as constructor arguments.

    Raises :class:`UnreadableModel` for anything malformed in the module tree. A malformed
    forward graph is dropped (``graph: None``) with the reason in ``graph_error``.
    """
    try:
        return _validate(data)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        # every check above should have caught it first; this net keeps "unreadable, never a crash"
        raise UnreadableModel(f"the model description is malformed ({type(exc).__name__})") from None


def _validate(data: Any) -> dict:
    if type(data) is not dict or data.get("format") != FORMAT:
        raise UnreadableModel("not a PyTorch model description from the grader's exporter")
    if data.get("version") != VERSION:
        raise UnreadableModel(f"unknown model description version {_show(data.get('version'))}")
    modules = data.get("modules")
    if type(modules) is not list or not modules or len(modules) > MAX_MODULES:
        raise UnreadableModel(f"the model must list 1 to {MAX_MODULES} modules")
    if data.get("truncated") is not None and data.get("truncated") is not False:
        raise UnreadableModel("the model's module tree was too large or too deep to export whole; "
                              f"the grader reads at most {MAX_MODULES} modules, {MAX_DEPTH} levels deep")
    checked = Validated({"class": _text(data.get("class", "?"), "the model's class"), "modules": []})
    seen: dict[str, dict] = {}
    tensors: set[str] = set()
    for index, record in enumerate(modules):
        module = _module(record, index, seen, tensors)
        seen[module["path"]] = module
        checked["modules"].append(module)
    error = data.get("graph_error")
    checked["graph_error"] = error[:500] if type(error) is str else None
    checked["graph"] = None
    if data.get("graph") is not None:
        try:
            checked["graph"] = _graph(data["graph"], seen, tensors)
        except UnreadableModel as exc:
            checked["graph_error"] = f"the forward graph was not used: {exc}"
    elif checked["graph_error"] is None:
        checked["graph_error"] = "no forward graph was exported"
    return checked


def _module(record: Any, index: int, seen: dict, tensors: set) -> dict:
    if type(record) is not dict:
        raise UnreadableModel(f"module #{index} is not a mapping")
    path = _text(record.get("path"), f"module #{index}'s path")
    if index == 0 and path != "":
        raise UnreadableModel("the first module must be the model itself (path '')")
    if index > 0:
        parts = path.split(".")
        if any(not part for part in parts) or len(parts) > MAX_DEPTH:
            raise UnreadableModel(f"module path {path!r} is not a valid path")
        parent = ".".join(parts[:-1])
        if parent not in seen or "same_as" in seen[parent]:
            raise UnreadableModel(f"module {path!r} comes before its parent")
        if path in seen:
            raise UnreadableModel(f"module {path!r} is listed twice")
    if "same_as" in record:
        target = _text(record["same_as"], f"module {path!r}'s same_as")
        if target not in seen or "same_as" in seen[target]:
            raise UnreadableModel(f"module {path!r} repeats a module that is not listed before it")
        return {"path": path, "same_as": target}
    kind = _text(record.get("class"), f"module {path!r}'s class", empty=False)
    if kind not in MODULE_SETTINGS and not kind.startswith("custom:"):
        raise UnreadableModel(f"module {path!r} has class {kind!r}, which is neither allowlisted nor custom")
    module = {"path": path, "class": kind, "config": {}, "training": record.get("training") is True,
              "forward_replaced": record.get("forward_replaced") is True,
              "hooks": record.get("hooks") if type(record.get("hooks")) is int else 0}
    if kind in MODULE_SETTINGS and kind not in CONTAINERS:
        config = record.get("config", {})
        if type(config) is not dict:
            raise UnreadableModel(f"module {path!r}'s settings are not a mapping")
        for key, value in config.items():
            if key not in MODULE_SETTINGS[kind]:
                raise UnreadableModel(f"module {path!r}: {kind} has no setting {key!r}")
            module["config"][key] = SETTING_RULES[key](value, f"{path}: {kind}.{key}")
    base = record.get("base")
    if kind.startswith("custom:") and type(base) is str and base in MODULE_SETTINGS:
        module["base"] = base
    for table in ("params", "buffers"):
        module[table] = _tensor_table(record.get(table, {}), path, table, tensors)
    return module


def _tensor_table(table: Any, path: str, what: str, tensors: set) -> dict:
    if type(table) is not dict or len(table) > MAX_ITEMS:
        raise UnreadableModel(f"module {path!r}'s {what} are not a mapping of at most {MAX_ITEMS}")
    checked = {}
    for name, facts in table.items():
        if type(name) is not str or not name or "." in name or len(name) > MAX_TEXT:
            raise UnreadableModel(f"module {path!r} has a {what[:-1]} with an invalid name")
        full = f"{path}.{name}" if path else name
        if type(facts) is not dict:
            raise UnreadableModel(f"{full}: not a mapping")
        if "same_as" in facts:
            target = _text(facts["same_as"], f"{full}'s same_as")
            if target not in tensors:
                raise UnreadableModel(f"{full} repeats a tensor that is not listed before it")
            checked[name] = {"same_as": target}
        else:
            shape = facts.get("shape")
            if type(shape) is not list or len(shape) > MAX_TENSOR_RANK:
                raise UnreadableModel(f"{full}: shape must be a list of at most {MAX_TENSOR_RANK} sizes")
            checked[name] = {"shape": [_int(size, f"{full}'s shape", 0, MAX_DIM) for size in shape],
                             "requires_grad": facts.get("requires_grad") is not False}
        tensors.add(full)
    return checked


# ------------------------------------------------------------------------------ the forward graph


class _Ref:
    """A reference to an earlier node's value."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class _Device:
    """A device argument: ignored, the rebuilt model runs where the grader puts it."""


def _argument(value: Any, names: set, depth: int = 0) -> Any:
    if depth > MAX_NEST:
        raise UnreadableModel("an argument is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, str):
        if kind is str and len(value) > MAX_TEXT:
            raise UnreadableModel("an argument text is too long")
        return value
    if kind is int:
        return _int(value, "a whole-number argument", -2**62, 2**62)
    if kind is float:
        return _float(value, "a number argument", -1e300, 1e300)
    if kind is list:
        if len(value) > MAX_ITEMS:
            raise UnreadableModel("an argument list is too long")
        return [_argument(item, names, depth + 1) for item in value]
    if kind is not dict or len(value) != 1:
        raise UnreadableModel(f"an argument of type {kind.__name__} cannot be read")
    (key, inner), = value.items()
    if key == "node":
        if type(inner) is not str or inner not in names:
            raise UnreadableModel("an operation uses a value that is computed after it, or never")
        return _Ref(inner)
    if key == "tuple" and type(inner) is list:
        return tuple(_argument(item, names, depth + 1) for item in inner[:MAX_ITEMS + 1])
    if key == "dict" and type(inner) is dict and len(inner) <= MAX_ITEMS:
        return {_text(k, "a key"): _argument(v, names, depth + 1) for k, v in inner.items()}
    if key == "slice" and type(inner) is list and len(inner) == 3:
        return slice(*(_argument(item, names, depth + 1) for item in inner))
    if key == "ellipsis":
        return Ellipsis
    if key == "float" and inner in ("inf", "-inf", "nan"):
        return float(inner)
    if key == "dtype" and type(inner) is str and inner in DTYPES:
        return DTYPES[inner]
    if key == "device":
        return _Device()
    if key == "memory_format" and inner in ("contiguous_format", "preserve_format"):
        return getattr(torch, inner)
    raise UnreadableModel(f"the forward passes a value the grader cannot read ({_show(key)}: {_show(inner)})")


def _graph(graph: Any, modules: dict, tensors: set) -> dict:
    if type(graph) is not dict or type(graph.get("nodes")) is not list:
        raise UnreadableModel("the graph has no list of operations")
    raw_nodes = graph["nodes"]
    if not raw_nodes or len(raw_nodes) > MAX_NODES:
        raise UnreadableModel(f"the graph must have 1 to {MAX_NODES} operations")
    constants = _constants(graph.get("constants", {}))
    leaves = {path: module for path, module in modules.items()
              if "same_as" not in module and module["class"] in MODULE_SETTINGS
              and module["class"] not in CONTAINERS}
    for path, module in modules.items():  # a shared leaf can be called by its second name too
        if "same_as" in module and module["same_as"] in leaves:
            leaves[path] = leaves[module["same_as"]]
    names: set[str] = set()
    nodes = []
    for raw in raw_nodes:
        if type(raw) is not dict:
            raise UnreadableModel("an operation is not a mapping")
        name = _text(raw.get("name"), "an operation's name", empty=False)
        op = raw.get("op")
        if op not in NODE_OPS or name in names:
            raise UnreadableModel(f"operation {name!r} has an unknown kind or a repeated name")
        target = _text(raw.get("target"), f"operation {name!r}'s target")
        if op == "call_module" and target not in leaves:
            raise UnreadableModel(f"forward calls {target!r}, which is not an allowlisted module of the model")
        if op == "call_function" and target not in FUNCTIONS:
            shown = target.removeprefix("unlisted:")
            raise UnreadableModel(f"forward calls {shown!r}, which the grader does not follow")
        if op == "call_method" and target not in METHODS:
            raise UnreadableModel(f"forward calls the tensor method {target!r}, which the grader does not follow")
        if op == "get_attr" and target not in tensors and target not in constants:
            raise UnreadableModel(f"forward reads {target!r}, which is not a parameter or buffer of the model")
        args, kwargs = raw.get("args", []), raw.get("kwargs", {})
        if type(args) is not list or type(kwargs) is not dict:
            raise UnreadableModel(f"operation {name!r}'s arguments are not a list and a mapping")
        nodes.append({"name": name, "op": op, "target": target,
                      "args": [_argument(arg, names) for arg in args[:MAX_ITEMS + 1]],
                      "kwargs": {_text(k, "an argument name"): _argument(v, names)
                                 for k, v in kwargs.items()}})
        names.add(name)
    if [node["op"] for node in nodes].count("output") != 1 or nodes[-1]["op"] != "output":
        raise UnreadableModel("the graph must end with exactly one output")
    return {"nodes": nodes, "constants": constants}


def _constants(table: Any) -> dict:
    if type(table) is not dict or len(table) > MAX_ITEMS:
        raise UnreadableModel("the graph's constants are not a mapping")
    checked = {}
    for name, facts in table.items():
        if type(name) is not str or not re.fullmatch(r"__constant\d{1,6}", name) or type(facts) is not dict \
                or type(facts.get("shape")) is not list:
            raise UnreadableModel("a constant of the graph is malformed")
        shape = [_int(size, f"constant {name}'s shape", 0, MAX_DIM) for size in facts["shape"][:MAX_TENSOR_RANK + 1]]
        dtype = DTYPES.get(facts["dtype"], torch.float32) if type(facts.get("dtype")) is str else torch.float32
        values = facts.get("values")
        if type(values) is not list or len(values) != math.prod(shape) or \
                any(type(v) not in (int, float, bool) for v in values):
            values = None
        checked[name] = {"shape": shape, "dtype": dtype, "values": values}
    return checked


# ------------------------------------------------------------------------------ functions


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
    notes: list[str] = []
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
                    notes.append(f"{path} refers back to {target or 'the model'}: the cycle is ignored")
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
                notes.append(f"{path or 'the model'}: forward was replaced on the instance; graded as its class")
            if record["hooks"]:
                notes.append(f"{path or 'the model'}: has {record['hooks']} forward hook(s), not graded")
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
                    constants[name] = torch.tensor(facts["values"], dtype=facts["dtype"]).reshape(facts["shape"])
                else:
                    constants[name] = torch.zeros(facts["shape"], dtype=facts["dtype"])
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
            notes.append(f"{record['path']}: the export lists a parameter {name!r} that {record['class']} "
                         "does not have; ignored")
        elif "shape" in facts and list(own.shape) != facts["shape"]:
            notes.append(f"{record['path']}: its settings give {name} the shape {list(own.shape)}, but the "
                         f"student's object holds {facts['shape']}: attributes were changed after "
                         "construction; the settings were graded")


def _tie(module: nn.Module, name: str, target: str, owners: dict, kind: str, notes: list[str]) -> None:
    owner = owners.get(target)
    if owner is None:
        return
    other = getattr(owner[0], owner[1])
    own = module._parameters.get(name) if kind == "parameter" else module._buffers.get(name)
    if own is not None and own.shape != other.shape:
        notes.append(f"{name} is shared with {target}, whose shape {list(other.shape)} is not the "
                     f"{list(own.shape)} its module's settings give")
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
    if isinstance(argument, _Ref):
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
    if isinstance(argument, _Device):
        return _current_device()
    return argument


def _step(model: Rebuilt, node: dict, args: list, kwargs: dict, placeholders) -> Any:
    op, target = node["op"], node["target"]
    if op == "placeholder":
        value = next(placeholders, _Device)
        if value is _Device:
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
            if card["traced"]:
                card["notes"].append(f"{path} is defined but forward never calls it")
        elif isinstance(module, _Custom) and any(True for _ in module.parameters(recurse=False)):
            card["layers"].append(_module_entry(path, module, owners, None, []) | {"called": None})
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
    return {"first": first, "paths": paths}


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
        if op == "get_attr" or not is_entry:
            feeds[node["name"]] = inbound if op != "get_attr" else []
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
        if error is not None:
            entry["error"] = error
        card["layers"].append(entry)
        feeds[node["name"]] = [entry["name"]]

    with torch.device("meta"):
        output = run(model, inputs, on_node)
    card["output_shape"] = _shape(output) if output is not FAILED else None
    card["largest_output_elements"] = largest[0]


def _refs(argument: Any) -> list[str]:
    if isinstance(argument, _Ref):
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
    if isinstance(argument, torch.dtype):
        return str(argument).replace("torch.", "")
    if isinstance(argument, (_Device, torch.memory_format)):
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
            card["notes"].append(f"shapes stop where the layers no longer fit: {type(exc).__name__}: {str(exc)[:200]}")
        finally:
            for hook in hooks:
                hook.remove()
    else:
        card["notes"].append("forward was not traced: output shapes and the order of layers were not checked")
    previous: list[str] = []
    for path, module in model.root.named_modules():
        if path and _is_leaf(module):
            entry = _module_entry(path, module, owners, shapes.get(path), previous if shapes else [])
            entry["called"] = None  # unknown without a graph
            card["layers"].append(entry)
            previous = [path]
