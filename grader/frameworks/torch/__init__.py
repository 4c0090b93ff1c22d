"""The PyTorch adapter: reading exports without trust, canonical forms, fixes, training, code reading.

Its in-sandbox half is ``grader_inside.torch`` (finding and exporting ``nn.Module`` instances, the
cap on students' own training loops, torchvision's offline data, the training worker). Importing
this package does not import torch: the modules that need it (rebuilding, describing) load when a
PyTorch model is read, so grading a Keras course never imports torch. ``requires`` says what must be
installed; without it a PyTorch rubric stops with one line naming the install command.

Example:
    >>> from grader.frameworks import framework
    >>> torch = framework("torch")
    >>> torch.title, torch.install
    ('PyTorch', 'pip install -e ".[torch]"')
"""

from __future__ import annotations

from grader.frameworks.base import Framework, Training
from grader.frameworks.torch import code, diagnostics, training
from grader.frameworks.torch.canonical import canonical
from grader.frameworks.torch.labels import code as layer_code
from grader.frameworks.torch.outline import outline_from_json
from grader.i18n import msg

# Settings the layers check compares; a rubric's ``settings:`` may name these.
KEY_SETTINGS = (
    "in_features", "out_features", "in_channels", "out_channels", "kernel_size", "stride", "padding",
    "dilation", "groups", "bias", "p", "negative_slope", "alpha", "dim", "num_features", "eps", "momentum",
    "affine", "normalized_shape", "input_size", "hidden_size", "num_layers", "batch_first", "bidirectional",
    "dropout", "num_embeddings", "embedding_dim", "output_size", "ceil_mode", "approximate", "scale_factor",
    "mode", "padding_mode", "output_padding",
)

FAMILIES = (
    frozenset({"Conv1d", "Conv2d", "ConvTranspose2d"}),
    frozenset({"MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"}),
    frozenset({"AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d"}),
    frozenset({"RNN", "LSTM", "GRU"}),
    frozenset({"BatchNorm1d", "BatchNorm2d", "LayerNorm"}),
    frozenset({"Add", "AddConstant", "Concatenate"}),
    frozenset({"ReLU", "ReLU6", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"}),
    frozenset({"Dropout", "Dropout1d", "Dropout2d"}),
    frozenset({"Flatten", "Reshape"}),
)


def card_from_export(architecture, name, **settings):
    from grader.frameworks.torch.card import card_from_export as read

    return read(architecture, name, **settings)


def fix_line(ref, stu):
    """The line of PyTorch that builds the reference layer, or "remove" for a layer only the student has."""
    if ref is None:
        return msg("fix.remove", layer=stu.name) if stu is not None else ""
    return layer_code(ref)


def input_fix(shape: list) -> str:
    """What the model must take: a batch shaped like the reference's input (PyTorch models declare none).

    >>> input_fix([3, 32, 32])
    'model(torch.zeros(1, 3, 32, 32))'
    """
    return f"model(torch.zeros(1, {', '.join(str(size) for size in shape)}))"


def compile_value(setting: str, value):
    """PyTorch models are not compiled; a loss or optimizer is compared by its class name."""
    return None if value is None else str(value)


def compile_call(model: str, reference: dict) -> str:
    return ""


ADAPTER = Framework(
    name="torch",
    title="PyTorch",
    distribution="torch",
    install='pip install -e ".[torch]"',
    requires=("torch",),
    card_from_export=card_from_export,
    outline=outline_from_json,
    canonical=canonical,
    fix_line=fix_line,
    input_fix=input_fix,
    compile_value=compile_value,
    compile_call=compile_call,
    key_settings=KEY_SETTINGS,
    families=FAMILIES,
    training=Training(prepare=training.prepare, without_compile=training.without_compile,
                      cache_form=training.cache_form, check=training.check),
    explain=diagnostics.explain,
    read_code=code.read_code,
    features=frozenset({"fit_cap"}),
)
