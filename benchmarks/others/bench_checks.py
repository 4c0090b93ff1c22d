"""The checks that the nbgrader and otter-grader tests of ``benchmarks/bench_others.py`` run.

This module is copied beside every notebook that nbgrader or otter-grader executes (as a support
file of the assignment) and imported by their generated tests, at the end of the notebook, in the
notebook's own kernel. Each test passes one *spec* that ``bench_others.py`` derived from the
rubric and from the reference models built with Keras; the expected numbers live in the spec
(so in the generated test), never here:

    check(globals(), {"id": "a2-params", "kind": "params", "variable": ["modelAlexNet"],
                      "kinds": ["Conv2D", ...], "point": ["MaxPooling2D", 2],
                      "expected": {"total": 651008}})

What a check sees is what an instructor's hidden test can see: the notebook's top-level
variables once every cell has run. A model that the notebook reassigned (``modelRNN`` holds a
SimpleRNN, then SimpleRNN + Dense) is only seen in its last state.

How the student's model is found (kept as close as a plain test can be to grader's matching):
the rubric's variable first, then every other top-level Keras model that has at least one layer
of each kind (class) the reference has. The check passes when one of them satisfies it.

How a point of the reference is found in the student's model: the reference layer named in the
rubric (``through: block2_pool``, ``at: block1_bn``) is "the k-th layer of its class" (the second
MaxPooling2D); the student's layer is the k-th layer of that class in ``model.layers``. Counts
"through" a point add up that layer and every layer listed before it (grader counts the layer's
ancestors in the graph: the same thing in a Sequential model). A point of ``None`` is the whole
model (params) or its output (output_shape).

Raises ``AssertionError`` with what was expected and what each candidate had.
"""

from __future__ import annotations

from typing import Any


def check(namespace: dict[str, Any], spec: dict[str, Any]) -> None:
    """Run one check of ``spec`` on the Keras models in ``namespace`` (the notebook's globals)."""
    measure = MEASURES[spec["kind"]]
    found = {}
    for name, model in candidates(namespace, spec["variable"], spec["kinds"]):
        value = measure(model, spec.get("point"), spec["expected"])
        if value == spec["expected"]:
            return
        found[name] = value
    if not found:
        raise AssertionError(f"{spec['id']}: no Keras model in {spec['variable']} nor one like the reference")
    raise AssertionError(f"{spec['id']}: expected {spec['expected']}, found {found}")


def candidates(namespace: dict[str, Any], variables: list[str], kinds: list[str]) -> list[tuple[str, Any]]:
    """The models to try: those in the rubric's variables, then other models with the reference's layer kinds."""
    import keras

    models = [(name, namespace[name]) for name in variables if isinstance(namespace.get(name), keras.Model)]
    for name, value in list(namespace.items()):
        if name in variables or name.startswith("_") or not isinstance(value, keras.Model):
            continue
        present = {type(layer).__name__ for layer in value.layers}
        if set(kinds) <= present:
            models.append((name, value))
    return models


def layer_at(model: Any, point: list | None) -> int | None:
    """Index in ``model.layers`` of the ``ordinal``-th layer of class ``kind`` (``point = [kind, ordinal]``)."""
    if point is None:
        return len(model.layers) - 1
    kind, ordinal = point
    seen = 0
    for index, layer in enumerate(model.layers):
        if type(layer).__name__ == kind:
            seen += 1
            if seen == ordinal:
                return index
    return None


def _size(weights: list) -> int:
    total = 0
    for weight in weights:
        count = 1
        for dim in weight.shape:
            count *= int(dim)
        total += count
    return total


def params(model: Any, point: list | None, expected: dict[str, int]) -> dict[str, int] | None:
    """The counts named in ``expected`` (total, trainable, non_trainable) through ``point``."""
    index = layer_at(model, point)
    if index is None:
        return None
    layers = model.layers[: index + 1]
    counts = {
        "total": sum(_size(layer.weights) for layer in layers),
        "trainable": sum(_size(layer.trainable_weights) for layer in layers),
        "non_trainable": sum(_size(layer.non_trainable_weights) for layer in layers),
    }
    return {name: counts[name] for name in expected}


def output_shape(model: Any, point: list | None, expected: list) -> list | None:
    """The output shape of the layer at ``point`` (the model's output for ``None``), as a list."""
    index = layer_at(model, point)
    if index is None:
        return None
    try:
        return list(model.layers[index].output.shape)
    except (AttributeError, ValueError):  # a layer never called on a tensor has no output
        return None


def input_shape(model: Any, point: list | None, expected: list) -> list | None:
    try:
        return list(model.input_shape)
    except (AttributeError, ValueError):
        return None


MEASURES = {"params": params, "output_shape": output_shape, "input_shape": input_shape}
