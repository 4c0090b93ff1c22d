"""Canonical form of a PyTorch card, so that equivalent ways of writing a model compare equal.

A course's model can be written with ``nn.Sequential`` or with one attribute per layer, with
``nn.ReLU()`` modules or ``F.relu`` calls in ``forward``, with ``nn.Flatten()``, ``torch.flatten``
or ``x.view(x.size(0), -1)``. A layer-by-layer comparison must not penalise any of these, so the
canonical form:

  * maps each functional spelling to its module kind (``torch.nn.functional.relu``,
    ``torch.relu`` and ``Tensor.relu`` are ``ReLU``; ``torch.nn.functional.max_pool2d`` is
    ``MaxPool2d`` with its stride defaulting to the kernel; ``operator.add`` of two tensors is
    ``Add``) and normalises settings (``kernel_size=2`` is ``[2, 2]``; ``dim=-1`` is the last
    dim; PyTorch's defaults filled in; ``inplace`` dropped);
  * decides "flatten" by shapes: any step that turns ``[N, ...]`` into ``[N, prod(...)]`` is
    ``Flatten`` (``nn.Flatten()``, ``torch.flatten(x, 1)``, ``x.view(-1, 8192)``, ``x.reshape``);
  * drops what computes nothing (``nn.Identity``, ``.contiguous()``, ``.to(device)``, ``.float()``,
    ``Dropout(0)``): whoever reads it reads its input.

Names stay (the report names the student's layers as they wrote them); the diff aligns kinds and
settings, never names, so ``encoder.0`` and ``fc1`` are both "the first Linear".

Example:
    >>> from grader.cards.card import LayerCard, ModelCard
    >>> card = ModelCard("m", layers=[
    ...     LayerCard("fc", "Linear", {"in_features": 4, "out_features": 2, "bias": True}, [None, 2], inbound=["input"]),
    ...     LayerCard("relu", "torch.nn.functional.relu", {"inplace": False}, [None, 2], inbound=["fc"])],
    ...     input_shapes=[[None, 4]])
    >>> [(layer.kind, layer.describe()) for layer in canonical(card).layers]
    [('Linear', 'Linear(4, 2)'), ('ReLU', 'ReLU()')]
"""

from __future__ import annotations

import copy
import math
from typing import Any

from grader.cards.card import LayerCard, ModelCard
from grader.frameworks.torch.labels import label

_SAME_KIND = {
    "ReLU": ("ReLU", "torch.relu", "torch.nn.functional.relu", "Tensor.relu"),
    "Sigmoid": ("Sigmoid", "torch.sigmoid", "torch.nn.functional.sigmoid", "Tensor.sigmoid"),
    "Tanh": ("Tanh", "torch.tanh", "torch.nn.functional.tanh", "Tensor.tanh"),
    "GELU": ("GELU", "torch.nn.functional.gelu"),
    "SiLU": ("SiLU", "torch.nn.functional.silu"),
    "ELU": ("ELU", "torch.nn.functional.elu"),
    "ReLU6": ("ReLU6", "torch.nn.functional.relu6"),
    "LeakyReLU": ("LeakyReLU", "torch.nn.functional.leaky_relu"),
    "Softmax": ("Softmax", "torch.softmax", "torch.nn.functional.softmax", "Tensor.softmax"),
    "LogSoftmax": ("LogSoftmax", "torch.log_softmax", "torch.nn.functional.log_softmax",
                   "Tensor.log_softmax"),
    "Dropout": ("Dropout", "torch.nn.functional.dropout"),
    "Dropout2d": ("Dropout2d", "torch.nn.functional.dropout2d"),
    "MaxPool2d": ("MaxPool2d", "torch.nn.functional.max_pool2d"),
    "AvgPool2d": ("AvgPool2d", "torch.nn.functional.avg_pool2d"),
    "AdaptiveAvgPool2d": ("AdaptiveAvgPool2d", "torch.nn.functional.adaptive_avg_pool2d"),
    "Add": ("operator.add", "torch.add", "Tensor.add"),
    "Concatenate": ("torch.cat", "torch.concat"),
}
KIND_OF = {spelling: kind for kind, spellings in _SAME_KIND.items() for spelling in spellings}
RESHAPES = ("Flatten", "torch.flatten", "Tensor.flatten", "Tensor.view", "Tensor.reshape", "torch.reshape")
COMPUTES_NOTHING = ("Identity", "Tensor.contiguous", "Tensor.to", "Tensor.float", "Tensor.cpu",
                    "Tensor.cuda", "Tensor.detach", "Tensor.clone")
# Settings that do not change what a layer computes.
IGNORED = ("inplace", "training", "return_indices")
DEFAULTS = {
    "LeakyReLU": {"negative_slope": 0.01},
    "Dropout": {"p": 0.5}, "Dropout2d": {"p": 0.5},
    "ELU": {"alpha": 1.0}, "GELU": {"approximate": "none"},
    "MaxPool2d": {"padding": 0, "dilation": 1, "ceil_mode": False},
    "AvgPool2d": {"padding": 0, "ceil_mode": False, "count_include_pad": True, "divisor_override": None},
}
_PAIRS = ("kernel_size", "stride", "padding", "dilation", "output_size")


def canonical(card: ModelCard) -> ModelCard:
    """A copy of ``card`` with equivalent spellings made equal (see the module's description)."""
    result = copy.deepcopy(card)
    shapes: dict[str, Any] = {"input": card.input_shapes[0] if card.input_shapes else None}
    for layer in card.layers:
        shapes[layer.name] = layer.output_shape
    passes: dict[str, list[str]] = {}  # a dropped layer -> what its readers read instead
    kept: list[LayerCard] = []
    for layer in result.layers:
        inbound = [name for parent in layer.inbound for name in passes.get(parent, [parent])]
        kind, config = _canonical_kind(layer, [shapes.get(name) for name in layer.inbound])
        if kind is None:
            passes[layer.name] = inbound
            continue
        layer.kind, layer.config, layer.inbound = kind, config, list(dict.fromkeys(inbound))
        layer.label = label(layer)
        kept.append(layer)
    result.layers = kept
    return result


def _canonical_kind(layer: LayerCard, inputs: list) -> tuple[str | None, dict]:
    kind = layer.kind
    config = {k: v for k, v in (layer.config or {}).items() if k not in IGNORED}
    if kind in COMPUTES_NOTHING:
        return None, {}
    if kind == "Dropout" and config.get("p") == 0:
        return None, {}
    if kind in RESHAPES:
        return _reshape(layer, inputs[0] if inputs else None, config)
    if kind in KIND_OF:
        kind = KIND_OF[kind]
        config.pop("args", None)
        if kind == "Add":
            tensors = len(layer.inbound)
            return ("Add", {}) if tensors == 2 else ("AddConstant", {})
        if kind == "Concatenate":
            return kind, {"dim": _dim(config.get("dim", 0), layer.output_shape)}
    config = {**DEFAULTS.get(kind, {}), **config}
    if kind in ("Softmax", "LogSoftmax"):
        config["dim"] = _dim(config.get("dim"), layer.output_shape)
    if kind in ("MaxPool2d", "AvgPool2d") and config.get("stride") in (None, []):
        config["stride"] = config.get("kernel_size")
    for key in _PAIRS:
        if key in config and isinstance(config[key], int):
            config[key] = [config[key], config[key]] if kind.endswith("2d") else [config[key]]
        elif key in config and isinstance(config[key], tuple):
            config[key] = list(config[key])
    return kind, config


def _dim(dim: Any, shape: Any) -> Any:
    if isinstance(dim, int) and dim < 0 and isinstance(shape, list):
        return dim + len(shape)
    return dim


def _reshape(layer: LayerCard, before: Any, config: dict) -> tuple[str, dict]:
    after = layer.output_shape
    if _flat(before) and _flat(after, rank=2) and after[0] == before[0] and \
            after[1] == math.prod(before[1:]) and len(before) > 2:
        return "Flatten", {}
    if _flat(after):
        return "Reshape", {"shape": after[1:]}
    if layer.kind == "Flatten":  # no shapes (forward not traced): nn.Flatten's own settings
        start, end = config.get("start_dim", 1), config.get("end_dim", -1)
        return ("Flatten", {}) if (start, end) == (1, -1) else ("Flatten", {"start_dim": start, "end_dim": end})
    return "Reshape", {"args": config.get("args")}


def _flat(shape: Any, rank: int | None = None) -> bool:
    """A single tensor's shape (the batch axis may be ``None``), of ``rank`` dimensions if given."""
    return isinstance(shape, list) and bool(shape) and (shape[0] is None or isinstance(shape[0], int)) and \
        all(isinstance(s, int) for s in shape[1:]) and (rank is None or len(shape) == rank)
