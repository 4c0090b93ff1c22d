"""Reading a PyTorch submission's code for what no model card shows (trusted side, ``ast`` only).

The Tema 06 handout builds its ``testloader`` from ``trainset``, so the accuracy it prints each
epoch is measured on the training images. :func:`loader_datasets` finds which data set each
``DataLoader`` is built from; :func:`evaluated_on_training_data` names the loaders whose name says
test/validation but whose data set is a training one: named ``train...``, built with
``train=True``, or the data set of a loader named ``train...``. Nothing runs: the code is parsed.

Example:
    >>> code = '''
    ... trainloader = torch.utils.data.DataLoader(trainset, batch_size=32)
    ... testloader = torch.utils.data.DataLoader(trainset, batch_size=32)'''
    >>> evaluated_on_training_data(code)
    [{'loader': 'testloader', 'dataset': 'trainset', 'line': 3}]
    >>> [(f["message"]["id"], f["cell"], f["line"], f["fix"]) for f in read_code([(9, code)], file="hw.ipynb")]
    [('torch.code.test_on_train', 9, 3, 'testloader = torch.utils.data.DataLoader(testset, batch_size=32)')]
"""

from __future__ import annotations

import ast

from grader.i18n import msg

_EVALUATION = ("test", "val", "eval")


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _name(call: ast.Call) -> str | None:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)


def training_sets(source: str) -> set[str]:
    """Variables assigned a data set built with ``train=True`` (``datasets.CIFAR10(..., train=True)``)."""
    tree = _parse(source)
    found = set()
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for keyword in node.value.keywords:
                if keyword.arg == "train" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True:
                    found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return found


def loader_datasets(source: str) -> dict[str, tuple[str, int]]:
    """``{loader variable: (data set variable, line)}`` for ``X = [...]DataLoader(Y, ...)``."""
    tree = _parse(source)
    found = {}
    for node in ast.walk(tree) if tree is not None else ():
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        call = node.value
        if _name(call) != "DataLoader":
            continue
        dataset = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg == "dataset"), None)
        if not isinstance(dataset, ast.Name):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                found[target.id] = (dataset.id, node.lineno)
    return found


def evaluation_loaders(source: str) -> list[dict]:
    """Loaders named for evaluation (test/val/eval), each with whether it reads a training data set."""
    loaders = loader_datasets(source)
    training = {dataset for name, (dataset, _) in loaders.items() if "train" in name.lower()} | training_sets(source)
    return [{"loader": name, "dataset": dataset, "line": line,
             "training": "train" in dataset.lower() or dataset in training}
            for name, (dataset, line) in loaders.items() if any(word in name.lower() for word in _EVALUATION)]


def evaluated_on_training_data(source: str) -> list[dict]:
    """Loaders named for evaluation that read a training data set."""
    return [{k: v for k, v in found.items() if k != "training"} for found in evaluation_loaders(source)
            if found["training"]]


def read_code(cells: list[tuple[int, str]], *, file: str = "") -> list[dict]:
    """Findings about how the code uses its data, for a file's code cells ``[(cell, source)]``.

    The cells are read together (a loader in one cell may use a data set of another). Each finding
    is ``{"message", "fix", "file", "cell", "line", "code"}``: ``torch.code.test_on_train`` (a
    problem, with the line that fixes it) or ``torch.code.evaluation`` (an evaluation loader that
    reads other data: what a submission should have).
    """
    joined, starts = [], []
    line = 1
    for cell, source in cells:
        starts.append((line, cell))
        joined.append(source)
        line += source.count("\n") + 1
    source = "\n".join(joined)
    lines = source.splitlines()
    findings = []
    for found in evaluation_loaders(source):
        start, cell = max((s for s in starts if s[0] <= found["line"]), default=(1, 0))
        code = lines[found["line"] - 1].strip() if 0 < found["line"] <= len(lines) else ""
        where = {"file": file, "cell": cell, "line": found["line"] - start + 1, "code": code[:300]}
        if not found["training"]:
            findings.append({"message": msg("torch.code.evaluation", loader=found["loader"], dataset=found["dataset"]),
                             "fix": "", **where})
            continue
        test_set = found["dataset"].lower().replace("train", "test") if "train" in found["dataset"].lower() else "testset"
        findings.append({
            "message": msg("torch.code.test_on_train", loader=found["loader"], dataset=found["dataset"]),
            "fix": code.replace(found["dataset"], test_set, 1) if found["dataset"] in code else "", **where,
        })
    return findings
