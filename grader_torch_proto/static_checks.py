"""Reading a PyTorch submission's code for what no model card shows (trusted side, ``ast`` only).

The Tema 06 handout builds its ``testloader`` from ``trainset``: the accuracy it prints per
epoch is measured on the training images. :func:`loader_datasets` finds which data set each
``DataLoader`` is built from, and :func:`evaluated_on_training_data` names the loaders whose name
says "test"/"val" but whose data set is a training one (by name: ``train`` in it, or the data set
another loader named "train..." uses).

Example:
    >>> code = '''
    ... trainloader = torch.utils.data.DataLoader(trainset, batch_size=32)
    ... testloader = torch.utils.data.DataLoader(trainset, batch_size=32)'''
    >>> evaluated_on_training_data(code)
    [{'loader': 'testloader', 'dataset': 'trainset', 'line': 3}]
"""

from __future__ import annotations

import ast

_EVALUATION = ("test", "val", "eval")


def loader_datasets(source: str) -> dict[str, tuple[str, int]]:
    """``{loader variable: (data set variable, line)}`` for ``X = [...]DataLoader(Y, ...)``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        call = node.value
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
        if name != "DataLoader":
            continue
        dataset = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg == "dataset"), None)
        if not isinstance(dataset, ast.Name):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                found[target.id] = (dataset.id, node.lineno)
    return found


def evaluated_on_training_data(source: str) -> list[dict]:
    """Loaders named for evaluation that read a training data set."""
    loaders = loader_datasets(source)
    training = {dataset for name, (dataset, _) in loaders.items() if "train" in name.lower()}
    findings = []
    for name, (dataset, line) in loaders.items():
        if any(word in name.lower() for word in _EVALUATION) and \
                ("train" in dataset.lower() or dataset in training):
            findings.append({"loader": name, "dataset": dataset, "line": line})
    return findings
