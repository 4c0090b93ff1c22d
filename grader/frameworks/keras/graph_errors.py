"""Likely fixes for the errors Keras raises while a functional graph is being built, read with the cell's code.

Course slides carry mistakes that students copy (``shared/course-material``, UNLP clase 9); under
Keras 3 each stops the cell with an error that names Keras's internals, not the line to change.
Each rule reads the error and, when it has it, the source of the failing cell (parsed with
``ast``, never run) to say what the model became, which line, and the fix:

* a layer created but not applied (``x = Conv2D(...)`` without ``(x)``): Keras says
  ``All `outputs` values must be KerasTensors. Received: outputs=<Conv2D ..., built=False>``;
* a flattening layer inside the loop that stacks blocks (``GlobalAveragePooling2D`` and ``Dense``
  indented into the ``for``): ``expected min_ndim=4, found ndim=2. Full shape received: (None, 10)``;
* a residual branch that shrinks the map (a 3x3 convolution without ``padding="same"``):
  ``Inputs have incompatible shapes. Received shapes (32, 32, 256) and (30, 30, 256)``; and its
  cousins, a branch with other channels or another stride;
* a model file loaded without its extension (``load_model("modelo0")``; saving without one is an
  old-API pattern) and a weights file not ending in ``.weights.h5``.

Example:
    >>> from grader.i18n import render
    >>> source = '''def bottleneck(x):
    ...     x = Conv2D(64, (1, 1), activation="relu")
    ...     return x
    ... m = Model(inputs=i, outputs=bottleneck(i))'''
    >>> hint = explain("ValueError", "All `outputs` values must be KerasTensors. Received: outputs=<Conv2D "
    ...                "name=conv2d_2, built=False>", "m = Model(inputs=i, outputs=bottleneck(i))", source)
    >>> print(render(hint[0], "en"))
    `bottleneck` returns a `Conv2D` layer, not a tensor: on line 2 (`x = Conv2D(64, (1, 1), activation="relu")`) the layer is created but never applied to `x`. Apply it to its input: `x = Conv2D(...)(x)`.
"""

from __future__ import annotations

import ast
import re

from grader.i18n import msg

FLATTENING = ("GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D",
              "Flatten", "Dense")
SPATIAL = ("Conv1D", "Conv2D", "Conv3D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose", "MaxPooling2D",
           "AveragePooling2D", "MaxPooling1D", "AveragePooling1D", "BatchNormalization", "ZeroPadding2D")


def explain(ename: str, evalue: str, code: str = "", source: str = "") -> list:
    """The likely fix as messages, or ``[]`` when no rule knows this error."""
    for rule in (_not_applied, _flat_in_loop, _shapes_to_merge, _load_extension, _weights_name, _int_shape):
        hint = rule(ename, evalue, code, source)
        if hint:
            return hint
    return []


def _tree(source: str):
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _and(items: list):
    """Messages joined with commas and a final "and"."""
    if len(items) == 1:
        return items[0]
    head = items[0]
    for item in items[1:-1]:
        head = msg("graph.comma", first=head, rest=item)
    return msg("graph.and", first=head, last=items[-1])


def _lines(numbers: list[int]):
    if len(numbers) == 1:
        return msg("hint.graph.line", number=numbers[0])
    return msg("hint.graph.lines", numbers=_and([str(n) for n in numbers]))


def _line(source: str, number: int) -> str:
    lines = source.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def _called_name(node) -> str:
    """``Conv2D`` for ``Conv2D(...)``, ``layers.Conv2D(...)`` and ``keras.layers.Conv2D(...)``."""
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


# ----------------------------------------------------------------------- a layer not applied


def _not_applied(ename: str, evalue: str, code: str, source: str) -> list:
    found = re.search(r"(?:All `outputs` values must be KerasTensors|Only input tensors may be passed as positional "
                      r"arguments).*?<(\w+) name=[\w.]+, built=False>", evalue, re.DOTALL)
    if not found:
        return []
    layer = found.group(1)
    tree = _tree(source) if source else None
    lines, function = [], ""
    if tree is not None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _called_name(node.value) == layer:
                lines.append(node.lineno)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(node.lineno <= n <= (node.end_lineno or n) for n in lines):
                function = node.name
                break
    if not lines:
        return [msg("hint.graph.not_applied.plain", layer=layer)]
    example = _line(source, sorted(lines)[0])
    key = "hint.graph.not_applied.function" if function else "hint.graph.not_applied"
    return [msg(key, function=function, layer=layer, lines=_lines(sorted(lines)), code=example)]


# ------------------------------------------------------------------- flattening inside a loop


def _flat_in_loop(ename: str, evalue: str, code: str, source: str) -> list:
    found = re.search(r"expected min_ndim=(\d+), found ndim=(\d+)\. Full shape received: (\([^)]*\))", evalue)
    if not found or int(found.group(2)) >= int(found.group(1)):
        return []
    shape = found.group(3)
    tree = _tree(source) if source else None
    for loop in (node for node in ast.walk(tree) if isinstance(node, ast.For)) if tree is not None else ():
        flattening, spatial = [], []
        for node in ast.walk(loop):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                inner = node.value.func if isinstance(node.value.func, ast.Call) else node.value
                name = _called_name(inner)
                if name in FLATTENING:
                    flattening.append((node.lineno, name))
                elif name in SPATIAL:
                    spatial.append(node.lineno)
        if flattening and spatial and min(spatial) < max(n for n, _ in flattening):
            layers = _and([msg("hint.graph.layer_at", layer=name, line=line) for line, name in sorted(flattening)])
            return [msg("hint.graph.flat_in_loop", layers=layers, loop=loop.lineno, shape=shape)]
    return [msg("hint.graph.flat_input", shape=shape)]


# ----------------------------------------------------------------- tensors that cannot be merged


def _shapes_to_merge(ename: str, evalue: str, code: str, source: str) -> list:
    found = re.search(r"Inputs have incompatible shapes\. Received shapes \(([\d, ]+)\) and \(([\d, ]+)\)", evalue)
    if not found:
        return []
    first = [int(v) for v in found.group(1).replace(" ", "").split(",") if v]
    second = [int(v) for v in found.group(2).replace(" ", "").split(",") if v]
    shapes = msg("graph.and", first=f"({found.group(1)})", last=f"({found.group(2)})")
    if len(first) != len(second) or len(first) < 2:
        return []
    spatial_a, spatial_b, channels_a, channels_b = first[:-1], second[:-1], first[-1], second[-1]
    if spatial_a == spatial_b and channels_a != channels_b:
        return [msg("hint.graph.merge_channels", shapes=shapes, a=channels_a, b=channels_b)]
    differences = {a - b for a, b in zip(spatial_a, spatial_b)}
    if len(differences) == 1 and channels_a == channels_b:
        shrink = abs(differences.pop())
        if shrink == 0:
            return []
        ratios = {max(a, b) / max(1, min(a, b)) for a, b in zip(spatial_a, spatial_b)}
        kernel = shrink + 1
        lines = _unpadded_convolutions(source, kernel) if source else []
        if lines:
            where = _and([msg("hint.graph.code_at", code=_line(source, n), line=n) for n in lines[:3]])
            return [msg("hint.graph.merge_shrinks.line", shapes=shapes, shrink=shrink, kernel=kernel, where=where)]
        if len(ratios) == 1 and float(ratios.pop()).is_integer() and shrink > 2:
            return [msg("hint.graph.merge_stride", shapes=shapes)]
        return [msg("hint.graph.merge_shrinks", shapes=shapes, shrink=shrink, kernel=kernel)]
    return [msg("hint.graph.merge_other", shapes=shapes)]


def _unpadded_convolutions(source: str, kernel: int) -> list[int]:
    """Lines with a convolution of kernel ``kernel`` x ``kernel`` and no ``padding="same"``."""
    tree = _tree(source)
    lines = []
    for node in ast.walk(tree) if tree is not None else ():
        if not isinstance(node, ast.Call) or not _called_name(node).startswith("Conv"):
            continue
        size = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "kernel_size"),
                                                             None)
        sizes = _ints(size)
        padding = next((k.value for k in node.keywords if k.arg == "padding"), None)
        same = isinstance(padding, ast.Constant) and padding.value == "same"
        if sizes and set(sizes) == {kernel} and not same:
            lines.append(node.lineno)
    return sorted(set(lines))


def _ints(node) -> list[int]:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, int)]
        return values if len(values) == len(node.elts) else []
    return []


# ----------------------------------------------------------------------- saving and loading


def _load_extension(ename: str, evalue: str, code: str, source: str) -> list:
    found = re.search(r"File format not supported: filepath=(.*?)\. Keras 3 only supports", evalue)
    if not found:
        return []
    path = found.group(1)
    if path.endswith((".keras", ".h5")):
        return []
    return [msg("hint.graph.load_extension", path=path)]


def _weights_name(ename: str, evalue: str, code: str, source: str) -> list:
    found = re.search(r"The filename must end in `\.weights\.h5`\. Received: filepath=(\S+)", evalue)
    if not found:
        return []
    path = found.group(1).rstrip(".")
    stem = re.sub(r"(\.weights)?\.(h5|hdf5|keras)$", "", path)
    return [msg("hint.graph.weights_name", path=path, stem=stem)]


def _int_shape(ename: str, evalue: str, code: str, source: str) -> list:
    if "has no attribute 'int_shape'" not in evalue:
        return []
    return [msg("hint.graph.int_shape")]
