"""Turn an untrusted PyTorch export into a model card, in the grader's own process.

The student's process exports the module tree and the forward graph as JSON
(``grader_inside.torch.capture``). Here the text is validated, the model rebuilt from allowlisted
classes on the meta device and run on the reference's input shape (:mod:`describe`), and the
result becomes a :class:`ModelCard` like any framework's: one layer per step of ``forward``, with
its settings, output shape and parameters. Whatever the student's code did to ``__repr__``,
``parameters()`` or ``named_modules()`` cannot reach these numbers.

Shapes keep the batch axis as ``None`` (as Keras cards do): every model is described on a batch
of :data:`BATCH` (the reference on its own ``INPUT_SHAPE``), and an output whose first size is that
batch is shown as ``[None, ...]``. Modules that ``forward`` never calls are not layers (they
compute nothing) but their parameters count, as torch counts them, and a note names them. A model
whose ``forward`` could not be followed is read from its module tree: its layers and settings
are graded, and checks that need shapes or counts say that they could not be checked.

Example:
    >>> import json
    >>> data = {"format": "grader-torch-export", "version": 1, "class": "Sequential", "modules": [
    ...     {"path": "", "class": "Sequential"},
    ...     {"path": "0", "class": "Linear", "config": {"in_features": 784, "out_features": 10, "bias": True}}],
    ...     "input_shape": [32, 784]}
    >>> card = card_from_export(json.dumps(data), name="model")
    >>> card.total_params, card.input_shapes, [(l.label, l.output_shape) for l in card.layers]
    (7850, [[None, 784]], [('Linear(784, 10)', [None, 10])])
"""

from __future__ import annotations

from typing import Any

from grader.cards.card import LayerCard, ModelCard, UnreadableModel
from grader.frameworks.torch.validate import load
from grader.i18n import msg

BATCH = 32  # the batch a student's model is described on (a reference uses its INPUT_SHAPE's)


def card_from_export(architecture: str, name: str, *, source: str = "", input_shape: Any = None,
                     compile_settings: dict | None = None) -> ModelCard:
    """Validate, rebuild and describe ``architecture``; raises :class:`UnreadableModel`.

    ``input_shape`` (without the batch axis) is the reference's; a reference's own export carries
    its ``INPUT_SHAPE`` and is described on that.
    """
    from grader.frameworks.torch.describe import describe
    from grader.frameworks.torch.labels import label

    data = load(architecture)
    if input_shape is not None:
        shape = [BATCH, *[int(size) for size in input_shape]]
    elif data["input_shape"] is not None:
        shape = list(data["input_shape"])
    else:
        raise UnreadableModel("there is no input shape to describe it with (a reference sets INPUT_SHAPE)")
    batch = shape[0]
    described = describe(data, shape)
    notes = list(described["notes"])
    layers = []
    for entry in described["layers"]:
        if entry["called"] is False:
            continue  # named by a note; its parameters are in the totals
        if entry.get("error"):
            notes.append(msg("torch.note.step_failed", layer=entry["name"], error=entry["error"][:300].rstrip(". ")))
        layer = LayerCard(
            name=entry["name"], kind=entry["kind"], config=dict(entry["config"]),
            output_shape=_batchless(entry["output_shape"], batch), params=int(entry["params"]),
            trainable_params=int(entry["trainable_params"]),
            non_trainable_params=int(entry["params"]) - int(entry["trainable_params"]),
            inbound=list(entry["inbound"]),
        )
        layer.label = label(layer)
        layers.append(layer)
    for entry in described["layers"]:
        if entry["called"] is False and described["traced"]:
            probe = LayerCard(entry["name"], entry["kind"], dict(entry["config"]))
            params = int(entry["params"])
            notes.append(msg("torch.note.not_called", layer=entry["name"], describe=label(probe), params=f"{params:,}")
                         if params else msg("torch.note.not_called.free", layer=entry["name"], describe=label(probe)))
    card = ModelCard(
        name=name, layers=layers, model_class=described["model_class"],
        input_shapes=[_batchless(shape, batch)],
        output_shapes=[_batchless(described.get("output_shape"), batch)] if described["traced"] else [],
        total_params=int(described["total_params"]), trainable_params=int(described["trainable_params"]),
        non_trainable_params=int(described["non_trainable_params"]), compile=compile_settings, source=source,
        notes=notes,
    )
    if not described["traced"] and not _sequential_shapes(layers):
        card.opaque_layers = [layer.name for layer in layers] or ["forward"]
        card.opaque_reason = msg("torch.check.not_traced", reason=described["trace_error"] or "")
    return card


def _sequential_shapes(layers: list[LayerCard]) -> bool:
    """Whether torch's own ``nn.Sequential`` order gave every layer its shape (a model that is one)."""
    return bool(layers) and all(layer.output_shape is not None for layer in layers)


def _batchless(shape: Any, batch: int) -> Any:
    """``[32, 10]`` -> ``[None, 10]`` when 32 is the batch; a tuple output's shapes one by one."""
    if not isinstance(shape, list) or not shape:
        return shape
    if any(isinstance(item, list) for item in shape):
        return [_batchless(item, batch) for item in shape]
    return [None, *shape[1:]] if shape[0] == batch else list(shape)
