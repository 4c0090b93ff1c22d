"""Finds PyTorch models in the student's namespace and exports each as plain data.

Runs inside the student's process, with the same four functions as the Keras capture
(``models_in``, ``fingerprint``, ``describe``, ``export``). It never imports torch: a namespace is
only searched once the student's code has imported it, and the exporter
(:mod:`grader_inside.torch.export`) is loaded then. Only the module tree and the forward graph
leave, as JSON text; shapes and counts are recomputed on the trusted side.

Example:
    >>> import torch
    >>> namespace = {"model": torch.nn.Sequential(torch.nn.Linear(4, 2)), "n": 3}
    >>> [(name, type(value).__name__) for name, value in models_in(namespace)]
    [('model', 'Sequential')]
    >>> record = describe(namespace["model"])
    >>> record["class"], '"format": "grader-torch-export"' in record["architecture"]
    ('Sequential', True)
"""

import hashlib
import json
import sys

MAX_INPUT_RANK = 8


def _exporter():
    """The exporter, once torch is loaded (None before: nothing to find)."""
    if "torch" not in sys.modules:
        return None
    from grader_inside.torch import export

    return export


def models_in(namespace):
    """``(variable, module)`` for every ``nn.Module`` instance in ``namespace``, in lists, tuples and dicts too."""
    exporter = _exporter()
    if exporter is None:
        return
    yield from exporter.find_modules(namespace)


def fingerprint(model):
    """What makes a new state of the same module object worth exporting again: its tree (classes,
    settings, parameter shapes) and which ``forward`` runs. None when it is not a module."""
    exporter = _exporter()
    if exporter is None:
        return None
    walk = exporter.tree(model)
    forward = exporter.forward_identity(model)
    return hashlib.sha256(json.dumps([walk, forward], sort_keys=True, default=str).encode()).hexdigest()


def describe(model):
    """The record for one module: its class and its export as JSON text (the architecture)."""
    exporter = _exporter()
    data = exporter.export(model)
    return {"class": data["class"], "built": True, "architecture": json.dumps(data), "compile": None}


def export(obj, namespace=None):
    """A reference function's result: its record, or ``(problem, detail)`` when it is not usable.

    The reference's module (``namespace``) says what input its model takes: ``INPUT_SHAPE``, batch
    axis first (``[32, 3, 32, 32]``); the grader describes every model of the assignment on it.
    """
    exporter = _exporter()
    if exporter is None or not exporter.is_module(obj):
        return ("not_a_model", type(obj).__name__)
    shape = (namespace or {}).get("INPUT_SHAPE")
    if not _shape(shape):
        return ("no_input_shape", "set INPUT_SHAPE = [batch, ...] in the reference file, the shape of one "
                                  "batch the model takes (e.g. [32, 3, 32, 32])")
    data = exporter.export(obj)
    data["input_shape"] = [int(size) for size in shape]
    return {"class": data["class"], "built": True, "architecture": json.dumps(data), "compile": None}


def _shape(value):
    return isinstance(value, (list, tuple)) and 1 <= len(value) <= MAX_INPUT_RANK and \
        all(type(size) is int and size > 0 for size in value)
