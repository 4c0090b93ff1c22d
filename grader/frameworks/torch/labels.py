"""How a PyTorch layer is written: the label a report shows and the line of current PyTorch that builds it.

Arguments are written the way PyTorch's documentation and the course write them: the sizes
positionally (``nn.Linear(8192, 512)``, ``nn.Conv2d(3, 32, ...)``, ``nn.Dropout(0.3)``), the rest
by keyword, and only where they differ from PyTorch's defaults (a square kernel as one number).

Example:
    >>> from grader.cards.card import LayerCard
    >>> conv = LayerCard("conv2", "Conv2d", {"in_channels": 32, "out_channels": 32, "kernel_size": [3, 3],
    ...                  "stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1, "bias": True,
    ...                  "padding_mode": "zeros"})
    >>> code(conv)
    'nn.Conv2d(32, 32, kernel_size=3, padding=1)'
    >>> label(LayerCard("fc3", "Linear", {"in_features": 8192, "out_features": 512, "bias": True}))
    'Linear(8192, 512)'
"""

from __future__ import annotations

from typing import Any

from grader.cards.card import LayerCard

# Settings written positionally, in order, per class.
POSITIONAL = {
    "Linear": ("in_features", "out_features"), "Bilinear": ("in1_features", "in2_features", "out_features"),
    "Conv1d": ("in_channels", "out_channels"), "Conv2d": ("in_channels", "out_channels"),
    "ConvTranspose2d": ("in_channels", "out_channels"),
    "Dropout": ("p",), "Dropout1d": ("p",), "Dropout2d": ("p",),
    "BatchNorm1d": ("num_features",), "BatchNorm2d": ("num_features",), "LayerNorm": ("normalized_shape",),
    "Embedding": ("num_embeddings", "embedding_dim"),
    "RNN": ("input_size", "hidden_size"), "LSTM": ("input_size", "hidden_size"), "GRU": ("input_size", "hidden_size"),
    "AdaptiveAvgPool1d": ("output_size",), "AdaptiveAvgPool2d": ("output_size",), "AdaptiveMaxPool2d": ("output_size",),
    "LeakyReLU": ("negative_slope",), "ELU": ("alpha",),
}
_CONV = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True, "padding_mode": "zeros",
         "output_padding": 0}
_RNN = {"num_layers": 1, "bias": True, "batch_first": False, "dropout": 0.0, "bidirectional": False,
        "proj_size": 0, "nonlinearity": "tanh"}
_NORM = {"eps": 1e-05, "momentum": 0.1, "affine": True, "track_running_stats": True, "elementwise_affine": True,
         "bias": True}
# PyTorch's defaults: a setting equal to its default is left out of the line.
DEFAULTS = {
    "Linear": {"bias": True}, "Bilinear": {"bias": True},
    "Conv1d": _CONV, "Conv2d": _CONV, "ConvTranspose2d": _CONV,
    "MaxPool1d": {"padding": 0, "dilation": 1, "return_indices": False, "ceil_mode": False},
    "MaxPool2d": {"padding": 0, "dilation": 1, "return_indices": False, "ceil_mode": False},
    "AvgPool1d": {"padding": 0, "ceil_mode": False, "count_include_pad": True},
    "AvgPool2d": {"padding": 0, "ceil_mode": False, "count_include_pad": True, "divisor_override": None},
    "AdaptiveMaxPool2d": {"return_indices": False},
    "BatchNorm1d": _NORM, "BatchNorm2d": _NORM, "LayerNorm": _NORM,
    "Dropout": {"p": 0.5, "inplace": False}, "Dropout1d": {"p": 0.5, "inplace": False},
    "Dropout2d": {"p": 0.5, "inplace": False},
    "ReLU": {"inplace": False}, "ReLU6": {"inplace": False}, "SiLU": {"inplace": False},
    "LeakyReLU": {"negative_slope": 0.01, "inplace": False}, "ELU": {"alpha": 1.0, "inplace": False},
    "GELU": {"approximate": "none"}, "Flatten": {"start_dim": 1, "end_dim": -1},
    "Embedding": {"padding_idx": None, "max_norm": None, "norm_type": 2.0, "scale_grad_by_freq": False,
                  "sparse": False},
    "RNN": _RNN, "LSTM": _RNN, "GRU": _RNN,
    "Upsample": {"size": None, "scale_factor": None, "mode": "nearest", "align_corners": None,
                 "recompute_scale_factor": None},
}
# The canonical kinds that are operations rather than modules, as PyTorch code writes them.
OPERATIONS = {"Add": "x + y", "Concatenate": "torch.cat([...], dim={dim})", "AddConstant": "x + c"}


def label(layer: LayerCard) -> str:
    """How the report names the layer: ``Conv2d(3, 32, kernel_size=3, padding=1)``, ``ReLU()``."""
    if layer.kind in OPERATIONS:
        return _operation(layer)
    kind = layer.kind
    if kind.startswith("torch.nn.functional."):
        kind = "F." + kind.rpartition(".")[2]
    elif kind.startswith("custom:"):
        return kind.partition(":")[2] + "(…)"
    return f"{kind}({_arguments(layer)})"


def code(layer: LayerCard) -> str:
    """The line of current PyTorch that builds ``layer``: ``nn.Linear(8192, 512)``."""
    if layer.kind in OPERATIONS:
        return _operation(layer)
    if layer.kind.startswith(("torch.", "Tensor.", "operator.", "builtins.", "math.", "custom:")):
        return label(layer)
    return f"nn.{label(layer)}"


def _operation(layer: LayerCard) -> str:
    return OPERATIONS[layer.kind].format(dim=layer.config.get("dim", 1))


def _arguments(layer: LayerCard) -> str:
    config = dict(layer.config)
    defaults = DEFAULTS.get(layer.kind, {})
    if layer.kind.startswith(("MaxPool", "AvgPool")) and config.get("stride") in (None, config.get("kernel_size")):
        config.pop("stride", None)  # PyTorch's default stride is the kernel
    parts = [_value(config.pop(key)) for key in POSITIONAL.get(layer.kind, ()) if key in config]
    for key, value in config.items():
        if key in ("args", "training") or (key in defaults and _same(value, defaults[key])):
            continue
        parts.append(f"{key}={_value(value)}")
    return ", ".join(parts)


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, list) and not isinstance(default, list):
        return all(v == default for v in value)
    return value == default


def _value(value: Any) -> str:
    if isinstance(value, list):
        if value and all(v == value[0] for v in value) and all(isinstance(v, int) for v in value):
            return str(value[0])  # kernel_size=(3, 3) is written kernel_size=3
        return "(" + ", ".join(_value(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, str):
        return repr(value)
    return str(value)
