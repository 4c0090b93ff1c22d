"""Describes a PyTorch model as plain data: runs INSIDE the sandbox, in the student's process.

Standard library and torch only; imported by :mod:`grader_inside.torch.capture` once the student's
code has imported torch. Everything the student's code can reach it can tamper with, so what it
writes is a *claim* that the grader's side (``grader.frameworks.torch``) validates and rebuilds
with its own classes. It exports architectures, never numbers the grader would trust: parameter
counts and output shapes are recomputed on the trusted side.

What it avoids, because a student's class can override it:
  * ``repr``/``extra_repr``/``str`` of anything the student made (never called);
  * ``parameters()``, ``named_modules()``, ``children()``, ``__getattr__``, ``__getattribute__``:
    the module tree is read from the instance's own ``__dict__`` through the getset descriptor
    that ``nn.Module`` owns (``_INSTANCE_DICT``), whatever the class defines;
  * ``isinstance`` (fooled by a ``__class__`` property): types are checked with ``type(x)`` and
    ``issubclass``, and allowlisted classes by identity (a subclass of ``nn.Linear`` is custom);
  * tensor subclasses' ``__torch_function__``: tensors are read under
    ``torch._C.DisableTorchFunctionSubclass``; anything that is not an exact int, float, str,
    bool or None becomes ``{"unsupported": "<type>"}``.

The forward computation is recorded with ``torch.fx`` by a tracer whose module paths, leaf
decisions and parameter names come from the same ``__dict__`` walk (not from the student's
``named_modules()``/``named_parameters()``). Tracing runs the student's ``forward`` with proxy
values: it is student code, bounded by the sandbox like any cell. A forward that cannot be traced
(data-dependent control flow, an exception) gives the module tree only, with the reason.

The format (``grader-torch-export``, version 1) is described in ``docs/architecture.md``.

Example:
    >>> import torch
    >>> data = export(torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.ReLU()))
    >>> [(m["path"], m["class"]) for m in data["modules"]]
    [('', 'Sequential'), ('0', 'Linear'), ('1', 'ReLU')]
    >>> [n["op"] for n in data["graph"]["nodes"]]
    ['placeholder', 'call_module', 'call_module', 'output']
"""

import math
import operator
import types

import torch

FORMAT = "grader-torch-export"
VERSION = 1

MAX_MODULES = 5000
MAX_NODES = 10000
MAX_DEPTH = 64          # dots in a module path
MAX_TEXT = 200          # characters of any string that is exported
MAX_ITEMS = 256         # elements of any list that is exported
MAX_NEST = 8            # nesting of exported values
MAX_CONSTANT_VALUES = 64  # a tensor constant's values are exported when it is this small
MAX_VARIABLES = 50      # models per list or dict in a namespace

# Constructor settings of each allowlisted class, read from the instance's attributes. ``bias``
# is read from the parameters where the class keeps no ``bias`` attribute (Linear, convolutions,
# LayerNorm). Containers have no settings; their children are listed.
MODULE_SETTINGS = {
    "Linear": ("in_features", "out_features", "bias"),
    "Bilinear": ("in1_features", "in2_features", "out_features", "bias"),
    "Conv1d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
               "groups", "bias", "padding_mode"),
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
               "groups", "bias", "padding_mode"),
    "ConvTranspose2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                        "output_padding", "groups", "bias", "dilation", "padding_mode"),
    "MaxPool1d": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "AvgPool1d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"),
    "AvgPool2d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                  "divisor_override"),
    "AdaptiveAvgPool1d": ("output_size",),
    "AdaptiveAvgPool2d": ("output_size",),
    "AdaptiveMaxPool2d": ("output_size", "return_indices"),
    "BatchNorm1d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "BatchNorm2d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "LayerNorm": ("normalized_shape", "eps", "elementwise_affine", "bias"),
    "Dropout": ("p", "inplace"),
    "Dropout1d": ("p", "inplace"),
    "Dropout2d": ("p", "inplace"),
    "ReLU": ("inplace",),
    "ReLU6": ("inplace",),
    "LeakyReLU": ("negative_slope", "inplace"),
    "ELU": ("alpha", "inplace"),
    "GELU": ("approximate",),
    "SiLU": ("inplace",),
    "Sigmoid": (),
    "Tanh": (),
    "Softmax": ("dim",),
    "LogSoftmax": ("dim",),
    "Flatten": ("start_dim", "end_dim"),
    "Unflatten": ("dim", "unflattened_size"),
    "Embedding": ("num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type",
                  "scale_grad_by_freq", "sparse"),
    "RNN": ("input_size", "hidden_size", "num_layers", "nonlinearity", "bias", "batch_first",
            "dropout", "bidirectional"),
    "LSTM": ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
             "bidirectional", "proj_size"),
    "GRU": ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
            "bidirectional"),
    "Identity": (),
    "Upsample": ("size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"),
    "Sequential": (),
    "ModuleList": (),
    "ModuleDict": (),
}
CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")

# Functions a traced forward may call, by qualified name; anything else is exported as
# ``unlisted:<name>`` and the grader's side reports that it could not follow the computation.
FUNCTIONS = (
    "torch.flatten", "torch.reshape", "torch.cat", "torch.concat", "torch.stack",
    "torch.relu", "torch.sigmoid", "torch.tanh", "torch.softmax", "torch.log_softmax",
    "torch.add", "torch.sub", "torch.mul", "torch.div", "torch.matmul", "torch.mm", "torch.bmm",
    "torch.transpose", "torch.permute", "torch.squeeze", "torch.unsqueeze", "torch.mean",
    "torch.sum", "torch.max", "torch.min", "torch.exp", "torch.abs", "torch.clamp", "torch.sqrt",
    "torch.zeros", "torch.ones", "torch.zeros_like", "torch.ones_like", "torch.randn",
    "torch.nn.functional.relu", "torch.nn.functional.relu6", "torch.nn.functional.leaky_relu",
    "torch.nn.functional.elu", "torch.nn.functional.gelu", "torch.nn.functional.silu",
    "torch.nn.functional.sigmoid", "torch.nn.functional.tanh", "torch.nn.functional.softmax",
    "torch.nn.functional.log_softmax", "torch.nn.functional.dropout",
    "torch.nn.functional.dropout2d", "torch.nn.functional.max_pool1d",
    "torch.nn.functional.max_pool2d", "torch.nn.functional.avg_pool1d",
    "torch.nn.functional.avg_pool2d", "torch.nn.functional.adaptive_avg_pool1d",
    "torch.nn.functional.adaptive_avg_pool2d", "torch.nn.functional.interpolate",
    "torch.nn.functional.pad", "torch.nn.functional.linear", "torch.nn.functional.conv2d",
    "torch.nn.functional.layer_norm", "torch.nn.functional.normalize",
    "operator.add", "operator.sub", "operator.mul", "operator.truediv", "operator.floordiv",
    "operator.mod", "operator.neg", "operator.pow", "operator.matmul", "operator.getitem",
    "builtins.getattr", "math.sqrt",
)
# Tensor methods a traced forward may call (``x.view(...)`` is ``call_method`` ``view``).
METHODS = (
    "view", "reshape", "flatten", "permute", "transpose", "contiguous", "size", "dim",
    "unsqueeze", "squeeze", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "mean", "sum",
    "max", "min", "argmax", "float", "double", "to", "cpu", "cuda", "detach", "clone", "add",
    "sub", "mul", "div", "matmul", "expand", "repeat", "chunk", "split", "t", "exp", "pow",
    "clamp", "view_as", "reshape_as", "type_as", "abs", "sqrt",
)
GETATTR_NAMES = ("shape", "ndim", "dtype", "device", "T")

_INSTANCE_DICT = torch.nn.Module.__dict__["__dict__"]  # the real instance dict, whatever the class says
_SHAPE = torch.Tensor.shape  # the tensor type's own descriptor: a subclass's `shape` property is not asked
_TYPE_NAME = type.__dict__["__name__"]
_TYPE_MRO = type.__dict__["__mro__"]
_MISSING = object()


def _class_name(cls):
    try:
        return _plain_text(_TYPE_NAME.__get__(cls))
    except Exception:
        return "?"


def _allowlisted_classes():
    classes = {}
    for name in MODULE_SETTINGS:
        cls = getattr(torch.nn, name, None)
        if isinstance(cls, type):
            classes[cls] = name
    return classes


def _function_names():
    import builtins
    import torch.nn.functional as functional

    roots = {"torch": torch, "torch.nn.functional": functional, "operator": operator,
             "builtins": builtins, "math": math}
    names = {}
    for qualified in FUNCTIONS:
        where, _, attribute = qualified.rpartition(".")
        function = getattr(roots[where], attribute, None)
        if function is not None:
            names.setdefault(id(function), qualified)
    return names


_ALLOWED = _allowlisted_classes()
_FUNCTION_NAMES = _function_names()
_KEEP = [torch.nn.functional]  # keeps the functions whose ids are in _FUNCTION_NAMES alive


# ------------------------------------------------------------------------------ plain values


def _plain_text(value):
    return str.__add__(value, "")[:MAX_TEXT] if issubclass(type(value), str) else "?"


def plain(value, depth=0):
    """``value`` as JSON-able data built only from exact builtin types; never calls its methods."""
    kind = type(value)
    if value is None or kind is bool:
        return value
    if issubclass(kind, bool):
        return bool(value)
    if issubclass(kind, int):
        number = int.__add__(value, 0)  # an exact int, whatever the subclass says about itself
        return number if -2**63 <= number < 2**63 else {"unsupported": "huge int"}
    if issubclass(kind, float):
        number = float.__add__(value, 0.0)
        return number if math.isfinite(number) else {"float": repr(number)}
    if issubclass(kind, str):
        return _plain_text(value)
    if depth >= MAX_NEST:
        return {"unsupported": "nesting"}
    if kind in (list, tuple, torch.Size):
        head = (list if kind is list else tuple).__getitem__(value, slice(0, MAX_ITEMS))
        items = [plain(item, depth + 1) for item in head]
        return {"tuple": items} if kind is tuple else items
    if kind is slice:
        return {"slice": [plain(value.start, depth + 1), plain(value.stop, depth + 1),
                          plain(value.step, depth + 1)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if kind is torch.dtype:
        return {"dtype": str(value).replace("torch.", "")[:40]}
    if kind is torch.device:
        return {"device": str(value)[:40]}
    if kind is torch.memory_format:
        return {"memory_format": str(value).replace("torch.", "")[:40]}
    return {"unsupported": _class_name(kind)}


def _setting(value):
    """A constructor setting: tuples stay lists, as JSON has them."""
    data = plain(value)
    if isinstance(data, dict) and "tuple" in data:
        return data["tuple"]
    return data


# ------------------------------------------------------------------------------ the module tree


def _state(module):
    """The instance's own attribute dict, read past any ``__getattr__``/``__getattribute__``."""
    try:
        state = _INSTANCE_DICT.__get__(module)
    except Exception:
        return {}
    return state if type(state) is dict else {}


def _entries(state, key):
    table = state.get(key)
    if not issubclass(type(table), dict):
        return []
    try:
        return list(dict.items(table))[:MAX_MODULES]
    except Exception:
        return []


def _is_tensor(value):
    return issubclass(type(value), torch.Tensor)


def _tensor_facts(tensor):
    with torch._C.DisableTorchFunctionSubclass():
        try:
            shape = [plain(size) for size in tuple(_SHAPE.__get__(tensor))[:MAX_ITEMS]]  # past a subclass's property
        except Exception:
            shape = None
        try:
            requires_grad = bool(torch.Tensor.requires_grad.__get__(tensor))
        except Exception:
            requires_grad = None
        try:
            dtype = str(torch.Tensor.dtype.__get__(tensor)).replace("torch.", "")[:40]
        except Exception:
            dtype = None
    facts = {"shape": shape, "requires_grad": requires_grad, "dtype": dtype}
    if type(tensor) is not torch.Tensor and type(tensor) is not torch.nn.Parameter:
        facts["subclass"] = _class_name(type(tensor))
    return facts


class _Walk:
    """One pre-order walk of a module tree through instance dicts; shared modules listed once."""

    def __init__(self, root):
        self.records = []
        self.paths = {}     # id(module) -> first path
        self.leaves = set()  # ids of allowlisted, non-container modules
        self.tensors = {}   # id(tensor) -> "path.name" of parameters and buffers
        self.keep = []      # keeps every object whose id is a key above alive while exporting
        self.truncated = False
        self._visit(root)

    def _visit(self, root):
        stack = [("", root, 0)]
        while stack:
            path, module, depth = stack.pop()
            if len(self.records) >= MAX_MODULES:
                self.truncated = True
                return
            self.keep.append(module)
            first = self.paths.get(id(module))
            if first is not None:
                self.records.append({"path": path, "same_as": first})
                continue
            self.paths[id(module)] = path
            self.records.append(self._describe(path, module))
            if depth >= MAX_DEPTH:
                self.truncated = True
                continue
            children = [(name, child) for name, child in _entries(_state(module), "_modules")
                        if child is not None and issubclass(type(child), torch.nn.Module)]
            for name, child in reversed(children):
                child_path = f"{path}.{_plain_text(name)}" if path else _plain_text(name)
                stack.append((child_path, child, depth + 1))

    def _describe(self, path, module):
        state = _state(module)
        kind = _ALLOWED.get(type(module))
        record = {"path": path, "class": kind or "custom:" + _class_name(type(module))}
        parameters = _entries(state, "_parameters")
        if kind is not None and kind not in CONTAINERS:
            self.leaves.add(id(module))
            config = {}
            for key in MODULE_SETTINGS[kind]:
                value = state.get(key, _MISSING)
                if value is _MISSING and key == "bias":
                    value = any(name == "bias" and item is not None for name, item in parameters)
                if value is not _MISSING:
                    config[key] = _setting(value)
            record["config"] = config
        elif kind is None:
            bases = [_ALLOWED[cls] for cls in _TYPE_MRO.__get__(type(module))[1:] if cls in _ALLOWED]
            if bases:
                record["base"] = bases[0]
        record["params"] = self._tensors(path, parameters)
        record["buffers"] = self._tensors(path, _entries(state, "_buffers"))
        record["training"] = state.get("training") is True
        if "forward" in state:
            record["forward_replaced"] = True  # model.forward = ... on the instance
        hooks = sum(len(table) for key in ("_forward_hooks", "_forward_pre_hooks")
                    for table in [state.get(key)] if issubclass(type(table), dict))
        if hooks:
            record["hooks"] = hooks
        return record

    def _tensors(self, path, items):
        described = {}
        for name, tensor in items:
            name = _plain_text(name)
            if tensor is None or not _is_tensor(tensor):
                continue
            full = f"{path}.{name}" if path else name
            self.keep.append(tensor)
            first = self.tensors.get(id(tensor))
            if first is not None:
                described[name] = {"same_as": first}
                continue
            self.tensors[id(tensor)] = full
            described[name] = _tensor_facts(tensor)
        return described


# ------------------------------------------------------------------------------ forward as data


def _make_tracer(walk):
    import torch.fx

    class Tracer(torch.fx.Tracer):
        """fx tracing that names modules and tensors from the walk, not from the student's methods."""

        def __init__(self):
            super().__init__(autowrap_modules=(math,))
            self.constants = {}

        def is_leaf_module(self, module, qualified_name):
            return id(module) in walk.leaves

        def path_of_module(self, module):
            path = walk.paths.get(id(module))
            if path is None:
                raise NameError("a module called in forward is not part of the model")
            return path

        def getattr(self, attr, attr_val, parameter_proxy_cache):
            if _is_tensor(attr_val):
                path = walk.tensors.get(id(attr_val))
                if path is not None:
                    if path not in parameter_proxy_cache:
                        parameter_proxy_cache[path] = self.create_proxy("get_attr", path, (), {})
                    return parameter_proxy_cache[path]
            return attr_val

        def create_arg(self, a):
            if _is_tensor(a):
                path = walk.tensors.get(id(a))
                if path is None:
                    path = self._constant(a)
                return self.create_node("get_attr", path, (), {})
            return super().create_arg(a)

        def _constant(self, tensor):
            name = f"__constant{len(self.constants)}"
            facts = _tensor_facts(tensor)
            with torch._C.DisableTorchFunctionSubclass():
                try:
                    if type(tensor) is torch.Tensor and tensor.numel() <= MAX_CONSTANT_VALUES:
                        facts["values"] = plain(tensor.detach().reshape(-1).tolist())
                except Exception:
                    pass
            self.constants[name] = facts
            walk.keep.append(tensor)
            return name

    return Tracer()


def _argument(value, depth=0):
    import torch.fx

    if type(value) is torch.fx.Node:
        return {"node": _plain_text(value.name)}
    if depth >= MAX_NEST:
        return {"unsupported": "nesting"}
    if type(value) in (list, tuple):
        items = [_argument(item, depth + 1) for item in value[:MAX_ITEMS]]
        return items if type(value) is list else {"tuple": items}
    if type(value) is dict:
        return {"dict": {_plain_text(k) if type(k) is str else "?": _argument(v, depth + 1)
                         for k, v in list(value.items())[:MAX_ITEMS]}}
    if type(value) is slice:
        return {"slice": [_argument(value.start, depth + 1), _argument(value.stop, depth + 1),
                          _argument(value.step, depth + 1)]}
    return plain(value, depth)


def _function_label(function):
    for kind in (types.FunctionType, types.BuiltinFunctionType):
        if type(function) is kind:
            try:
                return _plain_text(kind.__dict__["__qualname__"].__get__(function))[:80]
            except Exception:
                break
    return _class_name(type(function))


def _target(node):
    if node.op == "call_function":
        name = _FUNCTION_NAMES.get(id(node.target))
        return name if name is not None else "unlisted:" + _function_label(node.target)
    return _plain_text(node.target) if type(node.target) is str else "?"


def _graph(module, walk):
    tracer = _make_tracer(walk)
    graph = tracer.trace(module)
    nodes = []
    for node in graph.nodes:
        if len(nodes) >= MAX_NODES:
            raise ValueError(f"forward has more than {MAX_NODES} operations")
        nodes.append({
            "name": _plain_text(node.name),
            "op": _plain_text(node.op),
            "target": _target(node),
            "args": [_argument(arg) for arg in node.args[:MAX_ITEMS]],
            "kwargs": {_plain_text(k): _argument(v) for k, v in list(node.kwargs.items())[:MAX_ITEMS]},
        })
    return {"nodes": nodes, "constants": tracer.constants}


def is_module(value):
    """Whether ``value`` is an ``nn.Module`` instance (by its real type, not what it says it is)."""
    return issubclass(type(value), torch.nn.Module)


def tree(module):
    """The module tree alone (no tracing): what :func:`export` lists under ``modules``."""
    return _Walk(module).records


def forward_identity(module):
    """Which ``forward`` runs: the class's function (its code object) or one set on the instance."""
    own = _state(module).get("forward")
    function = own if own is not None else _TYPE_DICT_FORWARD(type(module))
    code = getattr(function, "__code__", None) if type(function) is types.FunctionType else None
    return [_class_name(type(module)), id(function), id(code) if code is not None else None]


def _TYPE_DICT_FORWARD(cls):
    for klass in _TYPE_MRO.__get__(cls):
        found = type.__dict__["__dict__"].__get__(klass).get("forward")
        if found is not None:
            return found
    return None


def export(module):
    """Describe ``module`` (an ``nn.Module``) as JSON-able data: its module tree and its forward.

    Never raises for anything the module does; what could not be read is said in the data.
    """
    if not issubclass(type(module), torch.nn.Module):
        raise TypeError("export() takes an nn.Module instance")
    walk = _Walk(module)
    data = {"format": FORMAT, "version": VERSION, "class": _class_name(type(module)),
            "modules": walk.records, "graph": None}
    if walk.truncated:
        data["truncated"] = True
        data["graph_error"] = "the module tree is too large or too deep to export whole"
        return data
    if "forward" in _state(module):
        data["graph_error"] = "forward was replaced on the instance; the class's forward is not what runs"
        return data
    try:
        data["graph"] = _graph(module, walk)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a student's forward can raise anything, SystemExit included
        data["graph_error"] = (_class_name(type(exc)) + ": " + _message(exc))[:500]
    return data


def _message(exc):
    try:
        args = BaseException.__getattribute__(exc, "args")
        first = args[0] if type(args) is tuple and args else ""
        return _plain_text(first) if issubclass(type(first), str) else ""
    except Exception:
        return ""


def find_modules(namespace):
    """``(variable, module)`` for every ``nn.Module`` instance in a namespace, as the Keras harness
    finds models: top-level variables (not ``_private``), and items of lists, tuples and dicts.

    Only exact ``dict``/``list``/``tuple`` containers are opened (a subclass could run code).
    """
    found = []
    try:
        items = list(dict.items(namespace))
    except Exception:
        return found
    for name, value in items:
        if type(name) is not str or name.startswith("_"):
            continue
        kind = type(value)
        if issubclass(kind, torch.nn.Module):
            found.append((name, value))
        elif kind in (list, tuple):
            for index, item in enumerate(value[:MAX_VARIABLES]):
                if issubclass(type(item), torch.nn.Module):
                    found.append((f"{name}[{index}]", item))
        elif kind is dict:
            for key, item in list(dict.items(value))[:MAX_VARIABLES]:
                if issubclass(type(item), torch.nn.Module) and type(key) in (str, int):
                    found.append((f"{name}[{key!r}]", item))
    return found
