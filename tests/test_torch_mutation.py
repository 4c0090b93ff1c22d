"""Mutation test for PyTorch: every wrong variant of the Tema 06 references loses points, and its report says where.

Mutants are made from the reference modules themselves (``reference/tema06``): one module of the
autoencoder or of the CIFAR-10 CNN is changed (a size, a kernel, a stride, a padding, a rate, an
activation, a pooling), removed or added, and the model goes through the same path as a real
submission: exported as in the student's process (``grader_inside.torch``), carried as JSON in a
:class:`Capture`, then cards, checks and grade. Nothing runs in a subprocess.

The "submission" holds both models, built correctly, with one of them replaced by the mutant; the
correct set must score full marks, so any point lost is the mutation's. Equivalent rewrites
(``nn.Sequential`` vs attributes, ``F.relu`` vs ``nn.ReLU()``, ``torch.flatten``/``view`` vs
``nn.Flatten``, ``F.max_pool2d`` vs ``nn.MaxPool2d``, a kernel as one int) must lose nothing.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from grader.execution.result import Capture, ExecutionResult  # noqa: E402
from grader.grading.grade import score_execution  # noqa: E402
from standins.torch_models import CIFAR10Model, CIFARFunctional, CIFARSequential  # noqa: E402

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
ORDER = ("ae", "cnn")


def _reference(file_name: str, function: str) -> nn.Module:
    path = ROOT / "reference" / "tema06" / file_name
    spec = importlib.util.spec_from_file_location(f"mutation_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)()


def _json(model: nn.Module) -> str:
    from grader_inside.torch.export import export

    return json.dumps(export(model))


class Set:
    """The correct pair of models, to replace one at a time."""

    def __init__(self):
        self.models = {"ae": _reference("autoencoder.py", "autoencoder"), "cnn": _reference("cifar10.py", "cifar10_model")}
        self.json = {m: _json(self.models[m]) for m in ORDER}
        self.rebuilt: dict = {}

    def execution(self, replaced: dict[str, str] | None = None) -> ExecutionResult:
        captures = [Capture(file="mutant.ipynb", variable="model", object_id=order + 1, where=f"cell {order + 1}",
                            model_class=model_id, built=True, order=order, framework="torch",
                            architecture=(replaced or {}).get(model_id, self.json[model_id]))
                    for order, model_id in enumerate(ORDER)]
        return ExecutionResult(status="ok", captures=captures)


def _grade(rubric, references, models: Set, replaced=None) -> dict:
    return score_execution(models.execution(replaced), rubric, references, "mutant", lang="en",
                           rebuilt=models.rebuilt).to_json()


# ------------------------------------------------------------------------------- mutants


def _sequential_mutant(ae: nn.Module, part: str, index: int, replacement) -> nn.Module:
    """The autoencoder with ``ae.<part>[index]`` replaced (a module), removed (None) or followed (a tuple)."""
    mutant = copy.deepcopy(ae)
    layers = list(getattr(mutant, part))
    if replacement is None:
        del layers[index]
    elif isinstance(replacement, tuple):
        layers[index + 1:index + 1] = list(replacement)
    else:
        layers[index] = replacement
    setattr(mutant, part, nn.Sequential(*layers))
    return mutant


def _attribute_mutant(cnn: nn.Module, name: str, replacement) -> nn.Module:
    mutant = copy.deepcopy(cnn)
    setattr(mutant, name, replacement)
    return mutant


def _mutants(models: Set) -> list[dict]:
    """Each mutant: model id, what changed, its JSON, and what the report must name (layer, words)."""
    out = []

    def add(model_id, what, model, layer, words):
        out.append({"model": model_id, "what": what, "json": _json(model), "layer": layer, "words": words})

    ae, cnn = models.models["ae"], models.models["cnn"]
    # the autoencoder: sizes, activations, missing and extra layers
    for part, index, size in (("encoder", 0, 100), ("encoder", 2, 32), ("encoder", 4, 40), ("encoder", 6, 20),
                              ("encoder", 8, 16), ("decoder", 0, 20), ("decoder", 4, 100), ("decoder", 8, 700)):
        old = getattr(ae, part)[index]
        add("ae", f"{part}.{index} out_features {size}",
            _sequential_mutant(ae, part, index, nn.Linear(old.in_features, size)), f"{part}.{index}", ["out_features"])
    for part, index, activation in (("encoder", 1, nn.Sigmoid()), ("encoder", 5, nn.Tanh()),
                                    ("decoder", 3, nn.Sigmoid()), ("decoder", 9, nn.ReLU())):
        add("ae", f"{part}.{index} {type(activation).__name__}", _sequential_mutant(ae, part, index, activation),
            f"{part}.{index}", ["where the reference has"])
    for part, index in (("encoder", 3), ("decoder", 9)):
        add("ae", f"without {part}.{index}", _sequential_mutant(ae, part, index, None), f"{part}.{index}",
            ["no layer for"])
    add("ae", "ReLU after the code", _sequential_mutant(ae, "encoder", 8, (nn.ReLU(),)), "encoder.9", ["extra"])
    # the CNN: every setting of the convolutions, the pooling, the dropouts, the dense layers
    for name in ("conv1", "conv2"):
        old = getattr(cnn, name)
        for what, conv, words in (
                ("out_channels 64", nn.Conv2d(old.in_channels, 64, 3, padding=1), ["out_channels"]),
                ("kernel 5", nn.Conv2d(old.in_channels, 32, 5, padding=1), ["kernel_size"]),
                ("stride 2", nn.Conv2d(old.in_channels, 32, 3, stride=2, padding=1), ["stride"]),
                ("padding 0", nn.Conv2d(old.in_channels, 32, 3), ["padding"]),
                ("no bias", nn.Conv2d(old.in_channels, 32, 3, padding=1, bias=False), ["bias"])):
            add("cnn", f"{name} {what}", _attribute_mutant(cnn, name, conv), name, words)
    for name, activation in (("act1", nn.Tanh()), ("act2", nn.Sigmoid()), ("act3", nn.LeakyReLU())):
        add("cnn", f"{name} {type(activation).__name__}", _attribute_mutant(cnn, name, activation), name,
            ["where the reference has"])
    add("cnn", "pool2 kernel 4", _attribute_mutant(cnn, "pool2", nn.MaxPool2d(4)), "pool2", ["kernel_size"])
    add("cnn", "pool2 average", _attribute_mutant(cnn, "pool2", nn.AvgPool2d(2)), "pool2", ["where the reference has"])
    add("cnn", "drop1 0.5", _attribute_mutant(cnn, "drop1", nn.Dropout(0.5)), "drop1", [" p "])
    add("cnn", "drop3 0.2", _attribute_mutant(cnn, "drop3", nn.Dropout(0.2)), "drop3", [" p "])
    add("cnn", "fc3 256", _attribute_mutant(cnn, "fc3", nn.Linear(8192, 256)), "fc3", ["out_features"])
    add("cnn", "fc4 100 classes", _attribute_mutant(cnn, "fc4", nn.Linear(512, 100)), "fc4", ["out_features"])
    add("cnn", "fc3 without bias", _attribute_mutant(cnn, "fc3", nn.Linear(8192, 512, bias=False)), "fc3", ["bias"])
    for name in ("drop1", "act2", "drop3"):
        add("cnn", f"without {name}", _attribute_mutant(cnn, name, nn.Identity()), name, ["no layer for"])
    add("cnn", "extra Dropout after conv2",
        _attribute_mutant(cnn, "conv2", nn.Sequential(cnn.conv2, nn.Dropout(0.2))), "conv2.1", ["extra"])
    add("cnn", "extra Linear before fc4",
        _attribute_mutant(cnn, "fc4", nn.Sequential(nn.Linear(512, 512), nn.Linear(512, 10))), "fc4.0", ["extra"])
    add("cnn", "forward skips drop1", _Skips(), "drop1", ["no layer for"])
    return out


class _Skips(CIFAR10Model):
    def forward(self, x):
        x = self.act1(self.conv1(x))
        x = self.pool2(self.act2(self.conv2(x)))
        return self.fc4(self.drop3(self.act3(self.fc3(self.flat(x)))))


class _AEAttributes(nn.Module):
    """The autoencoder with one attribute per layer, ``F.relu`` and ``torch.sigmoid``."""

    def __init__(self):
        super().__init__()
        sizes = [784, 128, 64, 36, 18, 9, 18, 36, 64, 128, 784]
        for i in range(10):
            setattr(self, f"fc{i}", nn.Linear(sizes[i], sizes[i + 1]))

    def forward(self, x):
        for i in range(10):
            x = getattr(self, f"fc{i}")(x)
            x = torch.sigmoid(x) if i == 9 else (x if i == 4 else F.relu(x))
        return x


class _CNNFunctionalPool(CIFAR10Model):
    """``F.max_pool2d``, ``F.dropout(x, p, self.training)``, ``x.view(-1, 8192)``, kernel as one int."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 32, kernel_size=(3, 3), padding=(1, 1))

    def forward(self, x):
        x = F.dropout(F.relu(self.conv1(x)), 0.3, self.training)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.drop3(F.relu(self.fc3(x.view(-1, 8192))))
        return self.fc4(x)


def _equivalents(models: Set) -> list[tuple[str, str, str]]:
    ae = models.models["ae"]
    flat = nn.Sequential(*ae.encoder, *ae.decoder)
    return [
        ("cnn", "nn.Sequential blocks instead of attributes", _json(CIFARSequential())),
        ("cnn", "F.relu and torch.flatten instead of nn.ReLU() and nn.Flatten", _json(CIFARFunctional())),
        ("cnn", "x.view(x.size(0), -1)", _json(CIFARFunctional(flatten="view"))),
        ("cnn", "x.reshape(-1, 8192)", _json(CIFARFunctional(flatten="reshape"))),
        ("cnn", "F.max_pool2d, F.dropout, kernel as one int", _json(_CNNFunctionalPool())),
        ("ae", "attributes with F.relu and torch.sigmoid instead of nn.Sequential", _json(_AEAttributes())),
        ("ae", "one nn.Sequential", _json(flat)),
        ("ae", "nn.ReLU(inplace=True)", _json(nn.Sequential(*(nn.ReLU(inplace=True) if isinstance(m, nn.ReLU) else m
                                                              for m in flat)))),
    ]


# --------------------------------------------------------------------------------- tests


def _texts(result: dict, model_id: str) -> list[str]:
    lines = [c["message"] for c in result["checks"] if c["status"] != "pass" and c["model"] == model_id]
    for model in result["models"]:
        if model["id"] == model_id:
            lines += [f["message"] for f in model["findings"]]
    return lines


def _localized(mutant: dict, texts: list[str]) -> bool:
    return any(f"`{mutant['layer']}`" in text and any(word in text for word in mutant["words"]) for text in texts)


@pytest.fixture(scope="module")
def structural_rubric():
    """The shipped rubric without its train and code checks: mutants are graded on architecture here."""
    from grader.grading.rubric import load_rubric

    rubric = load_rubric(ROOT / "rubrics" / "tema06.yaml")
    activities = [dataclasses.replace(a, checks=[c for c in a.checks if c.kind not in ("train", "test_data")])
                  for a in rubric.activities]
    return dataclasses.replace(rubric, activities=activities)


@pytest.fixture(scope="module")
def references(structural_rubric):
    from grader.expectations.reference import reference_cards

    return reference_cards(structural_rubric)


@pytest.fixture(scope="module")
def models(inside):
    return Set()


@pytest.fixture(scope="module")
def baseline(structural_rubric, references, models):
    result = _grade(structural_rubric, references, models)
    assert [(c["id"], c["message"]) for c in result["checks"] if c["status"] != "pass"] == []
    return result


def test_every_mutant_loses_points_and_its_report_names_the_layer_and_attribute(structural_rubric, references,
                                                                                 models, baseline):
    mutants = _mutants(models)
    undetected, unlocalized = [], []
    for mutant in mutants:
        result = _grade(structural_rubric, references, models, {mutant["model"]: mutant["json"]})
        if result["score"] >= baseline["score"]:
            undetected.append(mutant["what"])
        texts = _texts(result, mutant["model"])
        if not _localized(mutant, texts):
            unlocalized.append((mutant["what"], mutant["layer"], texts[:3]))
    localization = 1 - len(unlocalized) / len(mutants)
    print(f"\nmutation test (PyTorch): {len(mutants)} mutants of the Tema 06 references; "
          f"detection {100 * (1 - len(undetected) / len(mutants)):.1f}% ({len(mutants) - len(undetected)}/"
          f"{len(mutants)}), localization {100 * localization:.1f}% ({len(mutants) - len(unlocalized)}/{len(mutants)})")
    for item in unlocalized:
        print("  not localized:", item)
    assert undetected == []
    assert localization >= 0.95, unlocalized


def test_equivalent_rewrites_lose_no_points(structural_rubric, references, models, baseline):
    rewrites = _equivalents(models)
    losing = []
    for model_id, description, architecture in rewrites:
        result = _grade(structural_rubric, references, models, {model_id: architecture})
        if result["score"] < baseline["score"]:
            losing.append((model_id, description, [c["message"] for c in result["checks"] if c["status"] != "pass"]))
    print(f"\nequivalent rewrites (PyTorch): {len(rewrites)}, losing points: {len(losing)}")
    assert losing == []
