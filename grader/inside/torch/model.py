"""Builds a trainable PyTorch model from the grader's plan: runs INSIDE the sandbox, in the training worker.

The plan is the grader's own re-encoding of a validated export (``grader.frameworks.torch.training``):
allowlisted ``torch.nn`` classes with checked settings, the student's own classes as containers of
parameters of the exported shapes, and the forward graph. It is built here with ``torch.nn``'s
classes looked up by name in the exporter's allowlist, and the graph is *interpreted* node by node
with this module's table of functions (the same names as the exporter's ``FUNCTIONS`` and
``METHODS``); no code is generated and no student code exists in this process. The trusted side
has its own copy of this logic (it imports nothing from here); ``tests/test_torch_capture.py``
checks that both give the same outputs.

Example:
    >>> import torch
    >>> plan = {"modules": [{"path": "", "class": "Sequential"},
    ...     {"path": "0", "class": "Linear", "config": {"in_features": 4, "out_features": 2, "bias": True}}],
    ...     "graph": None}
    >>> model = build(plan)
    >>> model(torch.zeros(3, 4)).shape
    torch.Size([3, 2])
"""

import builtins
import math
import operator

import torch
import torch.nn.functional as F
from torch import nn

from grader_inside.torch.export import CONTAINERS, FUNCTIONS, GETATTR_NAMES, METHODS, MODULE_SETTINGS

MAX_ELEMENTS = 2**28  # a tensor the graph may create


class Planned(nn.Module):
    """The planned modules and the interpreted graph (``nn.Sequential`` order when there is no graph)."""

    def __init__(self, root, graph, constants):
        super().__init__()
        self.root = root
        self.graph = graph
        self.constants = nn.Module()  # buffers, so that .to(device) moves them with the weights
        for name, tensor in constants.items():
            self.constants.register_buffer(name, tensor, persistent=False)

    def forward(self, *inputs):
        if self.graph is None:
            return self.root(*inputs)
        values, placeholders = {}, iter(inputs)
        device = inputs[0].device if inputs else torch.device("cpu")
        for node in self.graph["nodes"]:
            args = _decode(node["args"], values, device)
            kwargs = {key: _decode(item, values, device) for key, item in node["kwargs"].items()}
            op, target = node["op"], node["target"]
            if op == "placeholder":
                value = next(placeholders, None)
                value = value if value is not None else (args[0] if args else None)
            elif op == "get_attr":
                value = self.constants._buffers[target] if target in self.constants._buffers else _tensor(self.root,
                                                                                                           target)
            elif op == "call_module":
                value = self.root.get_submodule(target)(*args, **kwargs)
            elif op == "call_function":
                value = _FUNCTIONS[target](device)(*args, **kwargs)
            elif op == "call_method":
                value = _method(target, args, kwargs)
            else:
                return args[0] if args else None
            values[node["name"]] = value
        return None


class Custom(nn.Module):
    """Stands for a student's own class: holds children and parameters; the graph does the computing."""


def build(plan, device="cpu"):
    """The model ``plan`` describes, on ``device`` (weights from torch's global generator, in plan order)."""
    modules, tensors = {}, {}
    with torch.device(device):
        for record in plan["modules"]:
            path = record["path"]
            parent, _, name = path.rpartition(".")
            if "same_as" in record:
                if not (record["same_as"] == "" or path.startswith(record["same_as"] + ".")):
                    modules[parent].add_module(name, modules[record["same_as"]])
                continue
            module = _construct(record)
            for table in ("params", "buffers"):
                for tensor_name, facts in (record.get(table) or {}).items():
                    full = f"{path}.{tensor_name}" if path else tensor_name
                    if "same_as" in facts:
                        other = tensors.get(facts["same_as"])
                        if other is not None and table == "params" and isinstance(other, nn.Parameter):
                            module._parameters[tensor_name] = other
                        elif other is not None and table == "buffers":
                            module._buffers[tensor_name] = other
                    elif isinstance(module, Custom):
                        tensor = torch.empty(facts["shape"])
                        nn.init.normal_(tensor, std=0.02)
                        if table == "params":
                            module.register_parameter(tensor_name, nn.Parameter(tensor, facts.get("requires_grad",
                                                                                                  True)))
                        else:
                            module.register_buffer(tensor_name, tensor)
                    elif table == "params" and tensor_name in module._parameters and \
                            module._parameters[tensor_name] is not None:
                        module._parameters[tensor_name].requires_grad_(facts.get("requires_grad", True))
                    found = (module._parameters if table == "params" else module._buffers).get(tensor_name)
                    if found is not None:
                        tensors[full] = found
            if path:
                modules[parent].add_module(name, module)
            modules[path] = module
        constants = {}
        graph = plan.get("graph")
        for name, facts in (graph or {}).get("constants", {}).items():
            if math.prod(facts["shape"]) > MAX_ELEMENTS:
                raise ValueError(f"constant {name} is too large")
            dtype = getattr(torch, facts.get("dtype") or "float32")
            values = facts.get("values")
            constants[name] = torch.tensor(values, dtype=dtype).reshape(facts["shape"]) if values is not None \
                else torch.zeros(facts["shape"], dtype=dtype)
    return Planned(modules[""], graph, constants)


def _construct(record):
    kind = record["class"]
    if kind.startswith("custom:"):
        return Custom()
    if kind in CONTAINERS:
        return getattr(nn, kind)()
    if kind not in MODULE_SETTINGS:
        raise ValueError(f"{kind} is not a class the grader builds")
    config = {key: tuple(value) if isinstance(value, list) else value for key, value in record["config"].items()}
    return getattr(nn, kind)(**config)


def _tensor(root, target):
    owner, _, name = target.rpartition(".")
    module = root.get_submodule(owner)
    return module._parameters[name] if name in module._parameters else module._buffers[name]


def _decode(value, values, device):
    if isinstance(value, list):
        return [_decode(item, values, device) for item in value]
    if not isinstance(value, dict):
        return value
    (key, inner), = value.items()
    if key == "node":
        return values[inner]
    if key == "tuple":
        return tuple(_decode(item, values, device) for item in inner)
    if key == "dict":
        return {k: _decode(v, values, device) for k, v in inner.items()}
    if key == "slice":
        return slice(*(_decode(item, values, device) for item in inner))
    if key == "ellipsis":
        return Ellipsis
    if key == "float":
        return float(inner)
    if key == "dtype":
        return getattr(torch, inner)
    if key == "device":
        return device
    if key == "memory_format":
        return getattr(torch, inner)
    raise ValueError(f"an argument the grader cannot read: {key}")


def _small(function):
    def call(*args):
        if not any(isinstance(a, torch.Tensor) for a in args):
            if not all(type(a) in (int, float, bool) and abs(a) <= 2**40 for a in args):
                raise ValueError(f"{function.__name__} on values other than small numbers and tensors")
            if function is operator.pow and abs(args[1]) > 64:
                raise ValueError("a power larger than 64")
        return function(*args)
    return call


def _getitem(container, index):
    if isinstance(container, (torch.Tensor, tuple, list, torch.Size)):
        return container[index]
    raise ValueError("indexing something other than a tensor, tuple or list")


def _getattr(value, name):
    if not isinstance(value, torch.Tensor) or name not in GETATTR_NAMES:
        raise ValueError(f"reading .{name} of something other than a tensor")
    return getattr(value, name)


def _factory(function, device):
    def call(*args, **kwargs):
        kwargs.pop("device", None)
        size = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args or kwargs.pop("size", ())
        if not all(type(n) is int and n >= 0 for n in size) or math.prod(size) > MAX_ELEMENTS:
            raise ValueError(f"{function.__name__}() with sizes the grader does not make")
        return function(*size, **kwargs, device=device)
    return call


def _table():
    roots = {"torch": torch, "torch.nn.functional": F, "operator": operator, "builtins": builtins, "math": math}
    table = {}
    for qualified in FUNCTIONS:
        where, _, attribute = qualified.rpartition(".")
        function = getattr(roots[where], attribute, None)
        if function is None:
            continue
        if where == "operator" and attribute != "getitem" or qualified == "math.sqrt":
            function = _small(function)
        table[qualified] = (lambda f: lambda device: f)(function)
    table["operator.getitem"] = lambda device: _getitem
    table["builtins.getattr"] = lambda device: _getattr
    for name in ("zeros", "ones", "randn"):
        table[f"torch.{name}"] = (lambda f: lambda device: _factory(f, device))(getattr(torch, name))
    return table


_FUNCTIONS = _table()


def _method(name, args, kwargs):
    if name not in METHODS or not args or not isinstance(args[0], torch.Tensor):
        raise ValueError(f".{name}() is not a tensor method the grader follows")
    tensor, rest = args[0], args[1:]
    if name in ("cpu", "cuda"):
        return tensor
    if name == "to":  # devices are the grader's business; dtypes are kept
        rest = [a for a in rest if isinstance(a, torch.dtype)]
        kwargs = {k: v for k, v in kwargs.items() if k == "dtype"}
    return getattr(torch.Tensor, name)(tensor, *rest, **kwargs)
