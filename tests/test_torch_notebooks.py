"""The Tema 06 example submissions, run cell by cell on stand-in data with the training cap.

Not the grader's sandboxed runner (that is the lead's seam to come): the notebooks' code cells run
in this process, in a temporary folder holding ``./data`` stand-ins, the way the harness would run
them (a failing cell does not stop the next; models are found and exported after every cell).
What comes out is then described on the trusted side and compared with the references.

Needs torch and a torchvision that imports; skipped otherwise.
"""

import ast
import importlib.util
import json
import os
from pathlib import Path

import pytest

try:
    import torch
    import torchvision
except Exception as exc:
    pytest.skip(f"torch and torchvision are not usable here: {type(exc).__name__}: {exc}",
                allow_module_level=True)

nbformat = pytest.importorskip("nbformat")

from grader_torch_proto import training_cap  # noqa: E402
from grader_torch_proto.canonical import canonical_layers, first_difference  # noqa: E402
from grader_torch_proto.inside import export, find_modules  # noqa: E402
from grader_torch_proto.static_checks import evaluated_on_training_data  # noqa: E402
from grader_torch_proto.trusted import describe, load  # noqa: E402
from standins.torchvision_data import accept_standin_checksums, write_cifar10, write_mnist  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "submissions" / "tema06"
SHAPES = {"AE": [32, 784], "CIFAR10Model": [32, 3, 32, 32]}


def reference_card(file_name, function):
    path = ROOT / "reference" / "tema06" / file_name
    spec = importlib.util.spec_from_file_location(f"tema06_ref_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return describe(load(json.dumps(export(getattr(module, function)()))), module.INPUT_SHAPE)


@pytest.fixture(scope="module")
def references():
    return {"AE": reference_card("autoencoder.py", "autoencoder"),
            "CIFAR10Model": reference_card("cifar10.py", "cifar10_model")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Each notebook run once: its cell outcomes, the cap's log, the last card per model class."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    results = {}
    for path in sorted(SUBMISSIONS.glob("*.ipynb")):
        folder = tmp_path_factory.mktemp(path.stem)
        write_mnist(folder / "data", train=256, test=64)
        checksums = write_cifar10(folder / "data", per_batch=64, test=64)
        results[path.stem] = _run(path, folder, checksums)
    return results


def _run(path, folder, checksums):
    notebook = nbformat.read(str(path), as_version=4)
    cap = training_cap.install({"epochs": 2, "batches": 3})
    namespace = {"__name__": "__main__"}
    outcomes, exports, seen = [], {}, set()
    cwd = os.getcwd()
    os.chdir(folder)
    torch.manual_seed(0)
    try:
        with accept_standin_checksums(torchvision.datasets.CIFAR10, checksums):
            for number, cell in enumerate(notebook.cells, start=1):
                if cell.cell_type != "code":
                    continue
                try:
                    tree = training_cap.cap_epoch_loops(ast.parse(cell.source))
                    exec(compile(tree, f"cell {number}", "exec"), namespace)
                    outcomes.append((number, "ok", ""))
                except Exception as exc:
                    outcomes.append((number, "error", f"{type(exc).__name__}: {exc}"))
                for variable, module in find_modules(namespace):
                    if (variable, id(module)) not in seen:
                        seen.add((variable, id(module)))
                        data = json.loads(json.dumps(export(module)))  # across the channel as text
                        exports[data["class"]] = data
    finally:
        os.chdir(cwd)
        training_cap.uninstall()
    cards = {name: describe(load(json.dumps(data)), SHAPES[name]) for name, data in exports.items()
             if name in SHAPES}
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return {"outcomes": outcomes, "cards": cards, "cap": cap.records, "source": source}


def _errors(result):
    return [message for _, status, message in result["outcomes"] if status == "error"]


def test_correct_notebook_matches_both_references(graded, references):
    result = graded["correct"]
    assert _errors(result) == []
    for name in ("AE", "CIFAR10Model"):
        assert first_difference(result["cards"][name], references[name]) is None, name
    # the handout's loops ran 2 epochs of 3 batches (and the evaluation loop 3 batches per epoch)
    epochs = [r for r in result["cap"] if r["cap"] == "epochs"]
    assert [(r["ran"], r["asked"]) for r in epochs] == [(2, 20), (2, 20)]
    assert all(r["ran"] == 3 for r in result["cap"] if r["cap"] == "batches")
    assert evaluated_on_training_data(result["source"]) == []


def test_partial_notebook(graded, references):
    result = graded["partial"]
    assert _errors(result) == []
    assert first_difference(result["cards"]["AE"], references["AE"]) is None
    cnn = result["cards"]["CIFAR10Model"]
    assert cnn["output_shape"] == [32, 32, 16, 16]
    assert cnn["total_params"] == 896 + 9248
    assert len(canonical_layers(cnn)) == 6 < len(canonical_layers(references["CIFAR10Model"]))


def test_wrong_layer_notebook(graded, references):
    result = graded["wrong_layer"]
    assert any("256" in message and "512" in message for message in _errors(result))  # its own training fails
    cnn = result["cards"]["CIFAR10Model"]
    index, found, expected = first_difference(cnn, references["CIFAR10Model"])
    assert index == 7 and found[0] == expected[0] == "Linear"
    fc3 = next(layer for layer in cnn["layers"] if layer["name"] == "fc3")
    fc4 = next(layer for layer in cnn["layers"] if layer["name"] == "fc4")
    assert fc3["config"]["out_features"] == 256 and "256" in fc4["error"]


def test_forward_that_skips_a_module(graded, references):
    result = graded["forward_skips_dropout"]
    assert _errors(result) == []
    cnn = result["cards"]["CIFAR10Model"]
    assert cnn["total_params"] == references["CIFAR10Model"]["total_params"]  # same modules...
    assert [layer["name"] for layer in cnn["layers"] if layer["called"] is False] == ["drop1"]
    assert first_difference(cnn, references["CIFAR10Model"]) is not None  # ...not the same model


def test_test_loader_built_from_the_training_set(graded, references):
    result = graded["test_on_trainset"]
    assert _errors(result) == []
    assert first_difference(result["cards"]["CIFAR10Model"], references["CIFAR10Model"]) is None
    source = result["source"]
    line = source.count("\n", 0, source.index("testloader =")) + 1
    assert evaluated_on_training_data(source) == [{"loader": "testloader", "dataset": "trainset", "line": line}]
