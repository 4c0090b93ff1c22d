"""Reading an untrusted PyTorch export: size and nesting limits, a type check of every field.

Nothing in an export (what ``grader_inside.torch.capture`` wrote in the student's process) is
believed. It is parsed with limits, every field is type-checked, every module class must be
allowlisted (or is the student's own, ``custom:<Name>``), every constructor setting passes its
rule (:data:`SETTING_RULES`: exact ``int`` not ``bool``, ranges, sizes up to 2**31, finite floats,
string choices). Anything else is :class:`UnreadableModel` with one line. The forward graph is
checked separately: a malformed one is dropped with the reason (``graph: None``, ``graph_error``),
and the model is still read from its module tree. Pure Python: nothing here imports torch.

Example:
    >>> data = {"format": "grader-torch-export", "version": 1, "class": "Net", "modules": [
    ...     {"path": "", "class": "custom:Net"},
    ...     {"path": "fc", "class": "Linear", "config": {"in_features": 4, "out_features": 2, "bias": True}}]}
    >>> checked = validate(data)
    >>> checked["modules"][1]["config"], checked["graph_error"]
    ({'in_features': 4, 'out_features': 2, 'bias': True}, 'no forward graph was exported')
    >>> validate({**data, "modules": [{"path": "", "class": "os.system"}]})
    Traceback (most recent call last):
    ...
    grader.cards.card.UnreadableModel: module '' has class 'os.system', which is neither allowlisted nor custom
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from grader.cards.card import UnreadableModel
from grader.frameworks.torch.allowlist import (
    CONTAINERS, FORMAT, FUNCTIONS, MAX_DEPTH, MAX_ITEMS, MAX_MODULES, MAX_NEST, MAX_NODES, MAX_TEXT, METHODS,
    MODULE_SETTINGS, VERSION,
)

MAX_EXPORT_BYTES = 20_000_000
MAX_DIM = 2**31           # a feature, channel or vocabulary size
MAX_KERNEL = 2**16
MAX_TENSOR_RANK = 8
MAX_CPU_ELEMENTS = 2**28  # a tensor the rebuilt model may create off the meta device
NODE_OPS = ("placeholder", "get_attr", "call_module", "call_function", "call_method", "output")
# dtype names a graph may mention, and the dtype each stands for (looked up when rebuilding)
DTYPES = {"float32": "float32", "float64": "float64", "float16": "float16", "bfloat16": "bfloat16",
          "int64": "int64", "int32": "int32", "uint8": "uint8", "bool": "bool", "float": "float32",
          "long": "int64"}
MEMORY_FORMATS = ("contiguous_format", "preserve_format")

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
    except UnreadableModel:
        raise
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
    checked = Validated({"class": _text(data.get("class", "?"), "the model's class"), "modules": [],
                         "input_shape": _input_shape(data.get("input_shape"))})
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


class Ref:
    """A reference to an earlier node's value."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Device:
    """A device argument: ignored, the rebuilt model runs where the grader puts it."""


class DType:
    """A dtype argument, by name (one of :data:`DTYPES`)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class MemoryFormat:
    """A memory format argument, by name (one of :data:`MEMORY_FORMATS`)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


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
        return Ref(inner)
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
        return DType(DTYPES[inner])
    if key == "device":
        return Device()
    if key == "memory_format" and inner in MEMORY_FORMATS:
        return MemoryFormat(inner)
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
        dtype = DTYPES.get(facts["dtype"], "float32") if type(facts.get("dtype")) is str else "float32"
        values = facts.get("values")
        if type(values) is not list or len(values) != math.prod(shape) or \
                any(type(v) not in (int, float, bool) for v in values):
            values = None
        checked[name] = {"shape": shape, "dtype": dtype, "values": values}
    return checked


# ------------------------------------------------------------------------------ functions


def _input_shape(value: Any) -> list[int] | None:
    """A reference's ``INPUT_SHAPE`` (batch axis first), or None when the export has none."""
    if value is None:
        return None
    if type(value) is not list or not 1 <= len(value) <= MAX_TENSOR_RANK:
        raise UnreadableModel(f"the input shape must be a list of 1 to {MAX_TENSOR_RANK} sizes")
    return [_int(size, "an input size", 1, MAX_DIM) for size in value]
