"""Mutation test: every wrong variant of the Actividad 2 references loses points, and its report says where.

Mutants are made from the reference models themselves (``reference/actividad2``): each
reference layer is serialized as Keras would export it, one thing is changed (filters, kernel,
strides, padding, activation, units, pool size, a missing, extra or swapped layer, the input
shape), layers get student-like names, and the model goes through the same path as a real
submission: an :class:`ExecutionResult` holding a :class:`Capture` of ``model.to_json()`` ->
cards -> checks -> grade. Nothing runs in a subprocess, so ~60 variants take well under a
minute.

The "submission" holds every model the rubric asks for, built correctly, with one of them
replaced by the mutant; the correct set must score full marks, so any point lost is the
mutation's. Equivalent rewrites (a separate Activation layer, ReLU()/Softmax(), Sequential
vs functional, input_shape= vs keras.Input, kernel given as one int) must lose nothing.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import keras
import pytest

from grader.execution.result import Capture, ExecutionResult
from grader.grading.grade import score_execution

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent

ORDER = ("alexnet", "rnn_base", "rnn_4_units", "rnn_dense", "lstm_dense")
VARIABLES = {"alexnet": "modelAlexNet"}


# ------------------------------------------------------------------------------ building


def _import(path):
    """The course's reference module, imported in the test's own process (trusted code, built to mutate)."""
    spec = importlib.util.spec_from_file_location(f"mutation_reference_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def _reference_models(rubric) -> dict[str, keras.Model]:
    models = {}
    for model_id in ORDER:
        file_name, _, function = rubric.models[model_id].build.partition(":")
        models[model_id] = getattr(_import(rubric.reference / file_name), function)()
    return models


def _layers(model: keras.Model) -> list[dict]:
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        config = json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
        config.pop("build_config", None)
        layers.append(config)
    return layers


def _layer(kind: str, **config) -> dict:
    return {"module": "keras.layers", "class_name": kind, "config": {"name": "new", **config},
            "registered_name": None}


def _sequential(shape, layers: list[dict], prefix: str) -> str:
    """A Sequential model's architecture JSON, layers renamed the way a student's would be."""
    layers = copy.deepcopy(layers)
    for i, layer in enumerate(layers):
        layer["config"]["name"] = f"{prefix}{i}"
    input_layer = {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                   "config": {"batch_shape": [None, *shape], "dtype": "float32", "name": f"{prefix}in"}}
    return json.dumps({"module": "keras", "class_name": "Sequential", "registered_name": None,
                       "config": {"name": prefix, "trainable": True, "layers": [input_layer, *layers]}})


class Set:
    """The correct set of models (architecture JSON per rubric model), to mutate one at a time."""

    def __init__(self, rubric, references):
        self.models = _reference_models(rubric)
        self.shapes = {m: list(self.models[m].inputs[0].shape[1:]) for m in ORDER}
        self.layers = {m: _layers(self.models[m]) for m in ORDER}
        self.compile = {m: references[m].compile for m in ORDER}
        self.json = {m: _sequential(self.shapes[m], self.layers[m], f"{m}_") for m in ORDER}
        self.rebuilt: dict = {}  # the unchanged models are rebuilt once for all mutants

    def execution(self, replaced: dict[str, str] | None = None) -> ExecutionResult:
        captures = []
        for order, model_id in enumerate(ORDER):
            architecture = (replaced or {}).get(model_id, self.json[model_id])
            captures.append(Capture(file="mutant.py", variable=VARIABLES.get(model_id, "modelRNN"),
                                    object_id=order + 1, where=f"line {order + 1}", model_class="Sequential",
                                    built=True, order=order, architecture=architecture,
                                    compile=self.compile[model_id]))
        return ExecutionResult(status="ok", captures=captures)


def _grade(rubric, references, models: Set, replaced=None) -> dict:
    return score_execution(models.execution(replaced), rubric, references, "mutant", lang="en",
                           rebuilt=models.rebuilt).to_json()


# ------------------------------------------------------------------------------- mutants


def _checks_input(rubric, model_id: str) -> bool:
    return any(c.kind == "input_shape" and c.model == model_id for a in rubric.activities for c in a.checks)


def _mutants(models: Set, rubric) -> list[dict]:
    """Each mutant: model id, architecture, and what the report must name (layer, attribute words)."""
    out = []

    def add(model_id, description, layers, layer, words, shape=None):
        prefix = f"{model_id}_m{len(out)}_"
        architecture = _sequential(shape or models.shapes[model_id], layers, prefix)
        name = layer if isinstance(layer, str) else f"{prefix}{layer}"
        # An input shape the rubric never checks (and that changes no count) cannot cost points.
        graded = shape is None or _checks_input(rubric, model_id)
        out.append({"model": model_id, "what": description, "json": architecture, "layer": name, "words": words,
                    "graded": graded})

    def setting(model_id, index, key, value):
        layers = copy.deepcopy(models.layers[model_id])
        layers[index]["config"][key] = value
        ref = models.layers[model_id][index]["config"]["name"]
        add(model_id, f"{ref}.{key}={value}", layers, index, [key])

    alex = models.layers["alexnet"]
    index = {layer["config"]["name"]: i for i, layer in enumerate(alex)}
    for block, filters in ((1, 64), (2, 192), (3, 256), (4, 256), (5, 384)):
        conv = index[f"block{block}_conv"]
        setting("alexnet", conv, "filters", filters)
        setting("alexnet", conv, "kernel_size", [7, 7] if block < 3 else [5, 5])
        setting("alexnet", conv, "strides", [2, 2])
        setting("alexnet", conv, "padding", "same")
        setting("alexnet", conv, "activation", "tanh")
    setting("alexnet", index["block1_pad"], "padding", [[1, 1], [1, 1]])
    setting("alexnet", index["block3_pad"], "padding", [[2, 2], [2, 2]])
    for pool in ("block1_pool", "block2_pool", "block5_pool"):
        setting("alexnet", index[pool], "pool_size", [2, 2])
    setting("alexnet", index["block1_pool"], "strides", [3, 3])
    setting("alexnet", index["fc6"], "units", 2048)
    setting("alexnet", index["fc7"], "units", 1024)
    setting("alexnet", index["fc6"], "activation", "sigmoid")
    setting("alexnet", index["predictions"], "activation", "sigmoid")
    setting("alexnet", index["predictions"], "units", 100)
    setting("alexnet", index["drop6"], "rate", 0.3)
    for missing in ("block1_bn", "block3_conv", "block2_pool", "drop6", "fc7"):
        layers = [layer for layer in alex if layer["config"]["name"] != missing]
        add("alexnet", f"without {missing}", layers, missing, ["no layer for"])
    for after, extra in (("block1_pool", _layer("Dropout", rate=0.25)),
                         ("fc6", _layer("Dense", units=4096, activation="relu")),
                         ("block3_conv", _layer("BatchNormalization"))):
        layers = copy.deepcopy(alex)
        layers.insert(index[after] + 1, extra)
        add("alexnet", f"extra {extra['class_name']} after {after}", layers, index[after] + 1, ["extra"])
    for first, second in (("block1_bn", "block1_pool"), ("drop6", "fc7")):
        layers = copy.deepcopy(alex)
        i, j = index[first], index[second]
        layers[i], layers[j] = layers[j], layers[i]
        add("alexnet", f"{first} and {second} swapped", layers, i, ["extra", "no layer for", "where the reference has"])
    add("alexnet", "input 227x227x3", alex, "input", ["input shape"], shape=[227, 227, 3])

    for model_id in ("rnn_base", "rnn_dense", "lstm_dense"):
        rnn = 0
        setting(model_id, rnn, "units", 8)
        setting(model_id, rnn, "activation", "relu")
        setting(model_id, rnn, "return_sequences", True)
        add(model_id, "input of 3 months", models.layers[model_id], "input", ["input shape"], shape=[3, 1])
    setting("rnn_dense", 1, "units", 2)
    setting("rnn_dense", 1, "activation", "relu")
    add("rnn_dense", "without Dense", models.layers["rnn_dense"][:1], "output", ["no layer for"])
    add("rnn_dense", "extra Dense", [*models.layers["rnn_dense"][:1], _layer("Dense", units=5),
                                     models.layers["rnn_dense"][1]], 1, ["extra"])
    add("lstm_dense", "Dense before LSTM", list(reversed(models.layers["lstm_dense"])), 0,
        ["extra", "no layer for", "where the reference has"])
    return out


def _equivalents(models: Set) -> list[tuple[str, str, str]]:
    """Other ways of writing the same models: (model id, description, architecture)."""
    out = [(m, "functional, as the reference wrote it", models.models[m].to_json()) for m in ORDER]
    alex = copy.deepcopy(models.layers["alexnet"])
    split = []
    for layer in alex:
        activation = layer["config"].get("activation")
        if layer["class_name"] in ("Conv2D", "Dense") and activation not in (None, "linear"):
            layer["config"]["activation"] = "linear"
            split += [layer, _layer("ReLU") if activation == "relu" else
                      _layer("Softmax") if activation == "softmax" else _layer("Activation", activation=activation)]
        else:
            split.append(layer)
        if layer["class_name"] == "Conv2D" and layer["config"]["kernel_size"][0] == layer["config"]["kernel_size"][1]:
            layer["config"]["kernel_size"] = layer["config"]["kernel_size"][0]
    out.append(("alexnet", "ReLU()/Softmax() layers instead of fused activations, kernel as one int",
                _sequential(models.shapes["alexnet"], split, "eq_")))
    separate = copy.deepcopy(models.layers["alexnet"])
    for layer in separate:
        if layer["class_name"] == "Conv2D":
            layer["config"]["activation"] = None
    with_activation = []
    for layer in separate:
        with_activation.append(layer)
        if layer["class_name"] == "Conv2D":
            with_activation.append(_layer("Activation", activation="relu"))
    out.append(("alexnet", "Activation('relu') layers after each conv",
                _sequential(models.shapes["alexnet"], with_activation, "act_")))
    for model_id, layers in (("rnn_dense", [keras.layers.SimpleRNN(5, input_shape=(4, 1)), keras.layers.Dense(1)]),
                             ("lstm_dense", [keras.layers.LSTM(5, input_shape=(4, 1)), keras.layers.Dense(1)])):
        out.append((model_id, "input_shape= instead of keras.Input", keras.Sequential(layers).to_json()))
    return out


# --------------------------------------------------------------------------------- tests


def _texts(result: dict, model_id: str) -> list[str]:
    lines = [c["message"] for c in result["checks"] if c["status"] != "pass" and c["model"] == model_id]
    for model in result["models"]:
        if model["id"] == model_id:
            lines += [f["message"] for f in model["findings"]]
    return lines


def _localized(mutant: dict, texts: list[str]) -> bool:
    layer = "input" if mutant["layer"] == "input" else f"`{mutant['layer']}`"
    return any((layer in text or mutant["layer"] == "input") and any(w in text for w in mutant["words"])
               for text in texts)


@pytest.fixture(scope="module")
def structural_rubric(rubric):
    """The shipped rubric without its train checks: mutants are graded on architecture here
    (training every mutant would take an hour; train checks have their own tests)."""
    import dataclasses

    activities = [dataclasses.replace(a, checks=[c for c in a.checks if c.kind != "train"]) for a in rubric.activities]
    return dataclasses.replace(rubric, activities=activities)


@pytest.fixture(scope="module")
def models(structural_rubric, references):
    return Set(structural_rubric, references)


@pytest.fixture(scope="module")
def baseline(structural_rubric, references, models):
    result = _grade(structural_rubric, references, models)
    assert [(c["id"], c["message"]) for c in result["checks"] if c["status"] != "pass"] == []
    return result


def test_every_mutant_loses_points_and_its_report_names_the_layer_and_attribute(structural_rubric, references,
                                                                                 models, baseline):
    everything = _mutants(models, structural_rubric)
    mutants = [m for m in everything if m["graded"]]
    outside = [m for m in everything if not m["graded"]]
    undetected, unlocalized = [], []
    for mutant in everything:
        result = _grade(structural_rubric, references, models, {mutant["model"]: mutant["json"]})
        if result["score"] >= baseline["score"] and mutant["graded"]:
            undetected.append(mutant["what"])
        texts = _texts(result, mutant["model"])
        if not _localized(mutant, texts):
            unlocalized.append((mutant["what"], mutant["layer"], texts[:3]))
    detection = 1 - len(undetected) / len(mutants)
    localization = 1 - len(unlocalized) / len(everything)
    print(f"\nmutation test: {len(mutants)} mutants of the Actividad 2 references; "
          f"detection {100 * detection:.1f}% ({len(mutants) - len(undetected)}/{len(mutants)}), "
          f"localization {100 * localization:.1f}% ({len(everything) - len(unlocalized)}/{len(everything)}, "
          f"counting {len(outside)} input-shape mutant(s) of models the rubric has no input check for: "
          f"{', '.join(m['model'] for m in outside)})")
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
    print(f"\nequivalent rewrites: {len(rewrites)}, losing points: {len(losing)}")
    assert losing == []


# ======================================================================= the course packs (issue 14)
#
# The same test over the references of rubrics/balseiro_p2.yaml and rubrics/ugr_p3.yaml, with mutants
# made generically from what each rubric grades: every setting a `layers` check compares (on a layer
# it covers) is changed once, every covered layer of a Sequential reference is left out, followed by
# an extra Dropout, and swapped with its neighbour, and the input shape changes where an
# `input_shape` check looks. Models that are one answer among many (`example: true`) have no layers
# to mutate. Functional references get the setting mutants (on their own graph, layers renamed).

COURSES = ("balseiro_p2", "ugr_p3")
STRUCTURAL_KINDS = {"model_found", "input_shape", "output_shape", "params", "layers", "compile"}
_NOT_MUTATED = {"axis", "dilation_rate", "groups", "cropping", "size", "target_shape", "merge_mode", "max_value",
                "negative_slope", "go_backwards", "recurrent_activation", "depth_multiplier", "return_sequences"}


def _course_structure(rubric):
    """The rubric's architecture checks only (training, rules and reported values have tests of their own)."""
    import dataclasses

    activities = [dataclasses.replace(a, checks=[c for c in a.checks if c.kind in STRUCTURAL_KINDS])
                  for a in rubric.activities]
    return dataclasses.replace(rubric, activities=[a for a in activities if a.checks])


@pytest.fixture(scope="module", params=COURSES)
def course(request):
    from grader.expectations.reference import reference_cards
    from grader.grading.rubric import load_rubric

    rubric = _course_structure(load_rubric(ROOT / "rubrics" / f"{request.param}.yaml"))
    references = reference_cards(rubric)
    models = CourseSet(rubric, references)
    baseline = score_execution(models.execution(), rubric, references, "reference", lang="en",
                               rebuilt=models.rebuilt).to_json()
    assert [(c["id"], c["message"]) for c in baseline["checks"] if c["status"] != "pass"] == []
    return request.param, rubric, references, models, baseline


class CourseSet:
    """Every graded model of a course rubric built from its reference, as a student would hand it in."""

    def __init__(self, rubric, references):
        from grader.frameworks.keras.canonical import canonical

        self.rubric, self.rebuilt = rubric, {}
        self.compiled = {model_id: card.compile for model_id, card in references.items()}
        graded = {c.model for a in rubric.activities for c in a.checks if c.model}
        self.ids = [m for m in rubric.models if m in graded]  # examples too: built, never mutated
        self.mutable = [m for m in self.ids if not rubric.models[m].example]
        self.models, self.cards, self.json, self.layers, self.shapes = {}, {}, {}, {}, {}
        for model_id in self.ids:
            file_name, _, function = rubric.models[model_id].build.partition(":")
            model = getattr(_import(rubric.reference / file_name), function)()
            self.models[model_id], self.cards[model_id] = model, canonical(references[model_id])
            self.shapes[model_id] = list(model.inputs[0].shape[1:])
            self.layers[model_id] = _layers(model)
            self.json[model_id] = self.architecture(model_id)

    def sequential(self, model_id) -> bool:
        return type(self.models[model_id]).__name__ == "Sequential"

    def architecture(self, model_id, layers=None, shape=None, prefix=None) -> str:
        """The model as a student's would export it: layers renamed; mutated ``layers`` if given."""
        prefix = prefix or f"{model_id}_"
        if self.sequential(model_id):
            return _sequential(shape or self.shapes[model_id], layers or self.layers[model_id], prefix)
        config = json.loads(self.models[model_id].to_json())
        if layers is not None:  # functional: settings changed in place, the graph kept
            by_name = {layer["config"]["name"]: layer for layer in layers}
            for item in config["config"]["layers"]:
                if item["config"]["name"] in by_name:
                    item["config"] = by_name[item["config"]["name"]]["config"]
        text = json.dumps(config)
        for layer in self.models[model_id].layers:
            text = text.replace(f'"{layer.name}"', f'"{prefix}{layer.name}"')
        return text

    def student_name(self, model_id, index, prefix) -> str:
        name = self.layers[model_id][index]["config"]["name"]
        return f"{prefix}{index}" if self.sequential(model_id) else f"{prefix}{name}"

    def execution(self, replaced=None) -> ExecutionResult:
        captures = []
        for order, model_id in enumerate(self.ids):
            spec = self.rubric.models[model_id]
            captures.append(Capture(
                file=spec.files[0] if spec.files else "mutant.ipynb",
                variable=spec.variables[0] if spec.variables else f"model_{model_id}", object_id=order + 1,
                where=f"cell {order + 1}", model_class="Sequential", built=True, order=order,
                architecture=(replaced or {}).get(model_id, self.json[model_id]),
                compile=self.compiled.get(model_id)))
        return ExecutionResult(status="ok", captures=captures)


def _covered(rubric, model_id, card) -> dict[int, set | None]:
    """Canonical layer index -> the settings some `layers` check compares there (None: all of them)."""
    covered: dict[int, set | None] = {}
    for activity in rubric.activities:
        for check in activity.checks:
            if check.kind != "layers" or check.model != model_id:
                continue
            start = card.index(check.settings.start) if check.settings.start else 0
            end = card.index(check.settings.end) if check.settings.end else len(card.layers) - 1
            for i in range(start, end + 1):
                if check.settings.kinds and card.layers[i].kind not in check.settings.kinds:
                    continue
                if check.settings.settings is None or covered.get(i, set()) is None:
                    covered[i] = None
                else:
                    covered[i] = covered.get(i, set()) | set(check.settings.settings)
    return covered


def _changed(key, value):
    """Another value for a setting, one a student could write by mistake (None: not mutated here)."""
    if key in _NOT_MUTATED:
        return None
    if key in ("filters", "units", "output_dim", "input_dim") and isinstance(value, int):
        return value * 2 if value > 1 else value + 1
    if key in ("kernel_size", "pool_size") and isinstance(value, list):
        return [v + 2 for v in value]
    if key == "strides" and isinstance(value, list):
        return [1] * len(value) if any(v != 1 for v in value) else [2] * len(value)
    if key == "padding" and value in ("same", "valid"):
        return "valid" if value == "same" else "same"
    if key == "activation" and isinstance(value, str):
        return {"relu": "tanh", "linear": "relu"}.get(value, "relu")
    if key == "rate" and isinstance(value, (int, float)):
        return round(value + 0.2 if value <= 0.6 else value - 0.3, 2)
    if key == "use_bias" and isinstance(value, bool):
        return not value
    if key == "kernel_regularizer":
        if isinstance(value, dict) and value.get("class_name") == "L2":
            return {**value, "config": {"l2": value["config"]["l2"] * 10}}
        return {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01}, "registered_name": None}
    return None


def _course_mutants(models: CourseSet, rubric) -> list[dict]:
    out = []
    for model_id in models.mutable:
        card, raw = models.cards[model_id], models.layers[model_id]
        covered = _covered(rubric, model_id, card)

        def add(description, layers, names, words, shape=None):
            prefix = f"{model_id}_m{len(out)}_"
            out.append({"model": model_id, "what": description, "words": words,
                        "json": models.architecture(model_id, layers, shape, prefix),
                        "layer": {n if n in ("input",) or n.startswith("ref:") else f"{prefix}{n}" for n in names}})

        for i, layer in enumerate(raw):
            name = layer["config"]["name"]
            index = card.index(name)
            if index not in covered:
                continue
            folded_into = card.layers[index].name if card.layers[index].name != name else None
            compared = covered[index]
            for key, value in layer["config"].items():
                setting = "activation" if folded_into else key
                if compared is not None and setting not in compared:
                    continue
                if folded_into is None and key not in card.layers[index].config and key != "kernel_regularizer":
                    continue
                if key.endswith("_regularizer") and value is None and compared is None:
                    continue  # a student's regularizer where the reference has none: compared only when listed
                if key == "activation" and folded_into is None and card.layers[index].folded:
                    continue  # its activation is the separate layer's that follows (mutated there)
                new = _changed(key, value)
                if new is None or new == value:
                    continue
                layers = copy.deepcopy(raw)
                layers[i]["config"][key] = new
                names = {_local(models, model_id, i, raw)}
                if folded_into:
                    names.add(_local(models, model_id, i - 1, raw))
                add(f"{name}.{key}={new}", layers, names, [setting])
            if not models.sequential(model_id):
                continue
            if (layer["class_name"] != "Activation" or folded_into is None) and len(raw) > 1:
                layers = [item for j, item in enumerate(raw) if j != i]
                add(f"without {name}", layers, {f"ref:{name}", f"ref:{card.layers[index].name}"},
                    ["no layer for", "activation"])
            nxt = i + 1
            if nxt == len(raw) or card.index(raw[nxt]["config"]["name"]) in covered:
                layers = copy.deepcopy(raw)
                layers.insert(nxt, _layer("Dropout", rate=0.25))
                add(f"extra Dropout after {name}", layers, {str(nxt)}, ["extra"])
            if nxt < len(raw) and card.index(raw[nxt]["config"]["name"]) in covered and \
                    "Activation" not in (layer["class_name"], raw[nxt]["class_name"]) and \
                    layer["class_name"] != raw[nxt]["class_name"]:
                layers = copy.deepcopy(raw)
                layers[i], layers[nxt] = layers[nxt], layers[i]
                add(f"{name} and {raw[nxt]['config']['name']} swapped", layers, {str(i), str(nxt)},
                    ["extra", "no layer for", "where the reference has"])
        if _checks_input(rubric, model_id) and models.sequential(model_id):
            shape = list(models.shapes[model_id])
            shape[0] = shape[0] + 4
            add("input shape", raw, {"input"}, ["input shape"], shape=shape)
    return out


def _local(models, model_id, index, raw) -> str:
    """A mutant layer's name as `add` prefixes it: its position (Sequential) or its own name (functional)."""
    return str(index) if models.sequential(model_id) else raw[index]["config"]["name"]


def _course_localized(mutant: dict, texts: list[str]) -> bool:
    names = {"input"} if "input" in mutant["layer"] else \
        {n[4:] if n.startswith("ref:") else n for n in mutant["layer"]}
    return any((("input" in names) or any(f"`{n}`" in text for n in names)) and any(w in text for w in mutant["words"])
               for text in texts)


def test_every_course_mutant_loses_points_and_its_report_names_the_layer_and_attribute(course):
    name, rubric, references, models, baseline = course
    mutants = _course_mutants(models, rubric)
    undetected, unlocalized = [], []
    for mutant in mutants:
        result = score_execution(models.execution({mutant["model"]: mutant["json"]}), rubric, references, "mutant",
                                 lang="en", rebuilt=models.rebuilt).to_json()
        if result["score"] >= baseline["score"]:
            undetected.append((mutant["model"], mutant["what"]))
        texts = _texts(result, mutant["model"])
        if not _course_localized(mutant, texts):
            unlocalized.append((mutant["model"], mutant["what"], texts[:2]))
    localization = 1 - len(unlocalized) / len(mutants)
    print(f"\nmutation test ({name}): {len(mutants)} mutants of {len(models.mutable)} reference models; detection "
          f"{100 * (1 - len(undetected) / len(mutants)):.1f}% ({len(mutants) - len(undetected)}/{len(mutants)}), "
          f"localization {100 * localization:.1f}% ({len(mutants) - len(unlocalized)}/{len(mutants)})")
    for item in unlocalized:
        print("  not localized:", item)
    for item in undetected:
        print("  undetected:", item)
# =============================================================================== graph models
#
# The same measure on the graph models of UNLP clase 9 (reference/unlp_clase9): residual blocks,
# the slides' ResNet, transfer learning on a nested or flat MobileNet, and the GAN. Mutants change
# the graph (a skip connection removed, moved, or taken from the wrong layer; Add replaced by
# Concatenate; the base or the discriminator not frozen; a head layer missing); equivalents write
# the same graph another way (x + y, layers.add, operands swapped, a nested base, a Sequential GAN,
# padding="same" on a 1x1 convolution). Architectures are edited as Keras exports them (JSON), and
# graded as a submission's captures are.

GRAPH_MODELS = {  # rubric model -> the variable the captured model is in
    "bottleneck": "modelo_bottleneck", "residual": "modelo_residual", "resnet": "resnet",
    "base_mobilenet": "base_model", "transferencia": "model", "finetuning": "model",
    "generadora": "generadora", "discriminadora": "discriminadora", "gan": "GAN",
}
GRAPH_ACTIVITIES = ("1", "2", "3", "6", "7", "12")
# Checks about what the code did (trained, saved, averaged) need a run, not an architecture.
RUN_KINDS = ("runs", "keras_api", "train", "saved_model", "ensemble", "trains")


@pytest.fixture(scope="module")
def graph_rubric():
    import dataclasses
    from pathlib import Path

    from grader.grading.rubric import load_rubric

    rubric = load_rubric(Path(__file__).resolve().parent.parent / "rubrics" / "unlp_clase9.yaml")
    activities = [dataclasses.replace(a, checks=[c for c in a.checks if c.kind not in RUN_KINDS])
                  for a in rubric.activities if a.id in GRAPH_ACTIVITIES]
    models = {m: spec for m, spec in rubric.models.items() if m in GRAPH_MODELS}
    return dataclasses.replace(rubric, activities=activities, models=models)


@pytest.fixture(scope="module")
def graph_references(graph_rubric):
    from grader.expectations.reference import reference_cards

    return reference_cards(graph_rubric)


def _config(model: keras.Model) -> dict:
    return json.loads(model.to_json())


def _entries(config: dict) -> dict[str, dict]:
    return {layer["config"]["name"]: layer for layer in config["config"]["layers"]}


def _tensors(value):
    """Every ``__keras_tensor__`` in an inbound node, in order."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            yield value
        else:
            for item in value.values():
                yield from _tensors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _tensors(item)


def _rename(config: dict, prefix: str) -> dict:
    """Student-like names for the outer model's layers (nested models keep theirs, as Keras names them)."""
    config = copy.deepcopy(config)
    names = {}
    for i, layer in enumerate(config["config"]["layers"]):
        layer.pop("build_config", None)  # built from what feeds it: an edited graph may feed it something else
        old = layer["config"]["name"]
        if layer["class_name"] in ("Functional", "Sequential"):
            continue
        names[old] = f"{prefix}{i}"
        layer["config"]["name"] = names[old]
        if "name" in layer:
            layer["name"] = names[old]
    for layer in config["config"]["layers"]:
        for tensor in _tensors(layer.get("inbound_nodes", [])):
            history = tensor["config"]["keras_history"]
            history[0] = names.get(history[0], history[0])
    for key in ("input_layers", "output_layers"):
        value = config["config"].get(key)
        items = [value] if value and isinstance(value[0], str) else value or []
        for item in items:
            item[0] = names.get(item[0], item[0])
    return config


def _rewire(config: dict, layer: str, operand: int, source: str) -> dict:
    """``layer`` takes ``source`` as its ``operand``-th input."""
    config = copy.deepcopy(config)
    tensors = list(_tensors(_entries(config)[layer]["inbound_nodes"]))
    tensors[operand]["config"]["keras_history"][0] = source
    return config


def _without_merge(config: dict, merge: str, keep: int) -> dict:
    """The merge ``merge`` removed; what read it reads its ``keep``-th input instead."""
    config = copy.deepcopy(config)
    entries = _entries(config)
    kept = list(_tensors(entries[merge]["inbound_nodes"]))[keep]["config"]["keras_history"][0]
    config["config"]["layers"] = [layer for layer in config["config"]["layers"] if layer["config"]["name"] != merge]
    for layer in config["config"]["layers"]:
        for tensor in _tensors(layer.get("inbound_nodes", [])):
            if tensor["config"]["keras_history"][0] == merge:
                tensor["config"]["keras_history"][0] = kept
    return config


def _retyped(config: dict, layer: str, class_name: str, **settings) -> dict:
    config = copy.deepcopy(config)
    entry = _entries(config)[layer]
    entry["class_name"] = class_name
    entry["config"].update(settings)
    return config


def _swapped(config: dict, kind: str = "Add") -> dict:
    """Every merge of ``kind`` with its operands the other way round."""
    config = copy.deepcopy(config)
    for layer in config["config"]["layers"]:
        if layer["class_name"] == kind:
            node = layer["inbound_nodes"][0]
            node["args"][0] = list(reversed(node["args"][0]))
    return config


def _as_plus(config: dict) -> dict:
    """Every ``Add()([x, y])`` written ``x + y`` (the operation ``keras.ops.add``, not a layer)."""
    config = copy.deepcopy(config)
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "Add" and layer.get("module") == "keras.layers":
            operands = layer["inbound_nodes"][0]["args"][0]
            name = layer["config"]["name"]
            layer.clear()
            layer.update({"module": "keras.src.ops.numpy", "class_name": "Add", "config": {"name": name},
                          "registered_name": "Add", "name": name,
                          "inbound_nodes": [{"args": operands, "kwargs": {}}]})
    return config


def _trainable(config: dict, trainable: bool, *, names: set[str] | None = None) -> dict:
    """Set ``trainable`` on the layers named (all, by default), nested models and their layers included."""
    config = copy.deepcopy(config)

    def walk(layers, inside):
        for layer in layers:
            settings = layer["config"]
            if names is None or inside or settings.get("name") in names:
                settings["trainable"] = trainable
            if isinstance(settings.get("layers"), list):
                walk(settings["layers"], inside or names is None or settings.get("name") in names)

    walk(config["config"]["layers"], False)
    return config


class GraphSet:
    """The correct graph models as Keras exports them, to mutate one at a time."""

    def __init__(self, rubric, references):
        build = {}
        for model_id in GRAPH_MODELS:
            file_name, _, function = rubric.models[model_id].build.partition(":")
            build[model_id] = getattr(_import(rubric.reference / file_name), function)
        self.build = build
        self.configs = {m: _config(build[m]()) for m in GRAPH_MODELS}
        self.compile = {m: references[m].compile for m in GRAPH_MODELS}
        self.objects = {m: i + 1 for i, m in enumerate(GRAPH_MODELS)}
        self.rebuilt: dict = {}

    def json(self, model_id: str, config: dict | None = None) -> str:
        return json.dumps(_rename(config or self.configs[model_id], f"{model_id}_"))

    def execution(self, replaced: dict[str, str] | None = None) -> ExecutionResult:
        captures = []
        for order, model_id in enumerate(GRAPH_MODELS):
            nested = [{"name": name, "object": self.objects[name], "application": None}
                      for name in ("generadora", "discriminadora")] if model_id == "gan" else []
            captures.append(Capture(file="mutant.ipynb", variable=GRAPH_MODELS[model_id],
                                    object_id=self.objects[model_id], where=f"cell {order + 1}",
                                    model_class="Functional", built=True, order=order,
                                    architecture=(replaced or {}).get(model_id) or self.json(model_id),
                                    compile=self.compile[model_id], nested=nested))
        return ExecutionResult(status="ok", captures=captures)


def _graph_grade(rubric, references, models: GraphSet, replaced=None) -> dict:
    return score_execution(models.execution(replaced), rubric, references, "mutant", lang="en",
                           rebuilt=models.rebuilt).to_json()


def _graph_mutants(models: GraphSet) -> list[dict]:
    """Each mutant: model id, architecture, and what its report must name (a layer, and words)."""
    c = models.configs
    out = []

    def add(model_id, what, config, layer, words):
        out.append({"model": model_id, "what": what, "json": models.json(model_id, config), "layer": layer,
                    "words": words, "graded": True})

    def student(model_id, name):  # the student's name for a reference layer (see _rename)
        return student_in(c[model_id], name, model_id)

    def student_in(config, name, model_id="residual"):
        names = [layer["config"]["name"] for layer in config["config"]["layers"]]
        return f"{model_id}_{names.index(name)}"

    add("residual", "skip connection removed", _without_merge(c["residual"], "r_add", 1), "r_add", ["no layer for"])
    add("residual", "skip taken from the branch itself", _rewire(c["residual"], "r_add", 0, "r_expand"),
        student("residual", "r_add"), ["sums"])
    add("residual", "Add replaced by Concatenate", _retyped(c["residual"], "r_add", "Concatenate", axis=-1),
        student("residual", "r_add"), ["where the reference has"])
    relu_first = _config(_residual_variant(relu_before_sum=True))
    add("residual", "ReLU before the sum instead of after it", relu_first, "r_relu", ["no layer for"])
    projected = _config(_residual_variant(projection=True))
    add("residual", "a 1x1 projection on the shortcut", projected, student_in(projected, "proj"), ["extra"])
    add("resnet", "skip moved to the stage's first convolution", _rewire(c["resnet"], "s2b2_add", 0, "s2_down"),
        student("resnet", "s2b2_add"), ["sums"])
    add("resnet", "skip taken before the ReLU", _rewire(c["resnet"], "s4b2_add", 0, "s4b1_add"),
        student("resnet", "s4b2_add"), ["sums"])
    add("resnet", "skip connection removed in a block", _without_merge(c["resnet"], "s3b4_add", 1), "s3b4_add",
        ["no layer for"])
    add("resnet", "Add replaced by Concatenate", _retyped(c["resnet"], "s1b3_add", "Concatenate", axis=-1),
        student("resnet", "s1b3_add"), ["where the reference has"])
    add("bottleneck", "3x3 convolution without padding='same'", _retyped(c["bottleneck"], "b_conv3x3", "Conv2D",
                                                                          padding="valid"),
        student("bottleneck", "b_conv3x3"), ["padding"])
    base = {layer["config"]["name"] for layer in c["base_mobilenet"]["config"]["layers"]}
    # Transfer learning and fine-tuning are one network in one variable (`model`), frozen or not: a mutant that
    # freezes one like the other makes two identical candidates, and either may be graded (the same layers).
    either = [student("transferencia", "conv1"), student("finetuning", "conv1")]
    add("transferencia", "base not frozen (flat model)", _trainable(c["transferencia"], True, names=base),
        either, ["train"])
    nested = _config(_nested_transfer(trainable=True))
    add("transferencia", "base not frozen (nested model)", nested,
        [nested["config"]["layers"][1]["config"]["name"], *either], ["train"])
    head = _without_merge_chain(c["transferencia"], "fc1")
    add("transferencia", "head layer missing", head, "fc1", ["no layer for"])
    add("transferencia", "head Dense of 64", _retyped(c["transferencia"], "fc1", "Dense", units=64),
        student("transferencia", "fc1"), ["units"])
    add("finetuning", "base frozen where it should train", _trainable(c["finetuning"], False, names=base),
        either, ["frozen"])
    add("gan", "discriminator not frozen", _trainable(c["gan"], True, names={"discriminadora"}), "discriminadora",
        ["train"])
    return out


def _without_merge_chain(config: dict, layer: str) -> dict:
    """A one-input layer removed from a chain: what read it reads its input."""
    return _without_merge(config, layer, 0)


def _residual_variant(relu_before_sum: bool = False, projection: bool = False) -> keras.Model:
    """The residual block of ``reference/unlp_clase9/resnet.py``, with one change."""
    from keras import layers

    inputs = keras.Input((32, 32, 256), name="entrada")
    x = layers.Conv2D(64, (1, 1), activation="relu", name="r_reduce")(inputs)
    x = layers.Conv2D(64, (3, 3), padding="same", activation="relu", name="r_conv3x3")(x)
    x = layers.Conv2D(256, (1, 1), activation="relu" if relu_before_sum else None, name="r_expand")(x)
    shortcut = layers.Conv2D(256, (1, 1), name="proj")(inputs) if projection else inputs
    x = layers.Add(name="r_add")([shortcut, x])
    return keras.Model(inputs, x if relu_before_sum else layers.Activation("relu", name="r_relu")(x))


def _nested_transfer(trainable: bool, functional: bool = False) -> keras.Model:
    """The transfer model as Keras's guide writes it: the base as one layer, frozen with ``base.trainable``."""
    from keras import layers

    base = keras.applications.MobileNet(input_shape=(32, 32, 3), weights=None, include_top=False)
    base.trainable = trainable
    head = [layers.GlobalAveragePooling2D(), layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")]
    if functional:
        inputs = keras.Input((32, 32, 3))
        x = base(inputs, training=False)
        for layer in head:
            x = layer(x)
        return keras.Model(inputs, x)
    return keras.Sequential([keras.Input((32, 32, 3)), base, *head])


def _graph_equivalents(models: GraphSet) -> list[tuple[str, str, str]]:
    c = models.configs
    out = [("residual", "x + y instead of Add()", models.json("residual", _as_plus(c["residual"]))),
           ("residual", "Add operands the other way round", models.json("residual", _swapped(c["residual"]))),
           ("resnet", "x + y in every block", models.json("resnet", _as_plus(c["resnet"]))),
           ("resnet", "every Add's operands the other way round", models.json("resnet", _swapped(c["resnet"]))),
           ("residual", "padding='same' on the 1x1 convolutions",
            models.json("residual", _retyped(_retyped(c["residual"], "r_reduce", "Conv2D", padding="same"),
                                             "r_expand", "Conv2D", padding="same"))),
           ("transferencia", "base nested in a Sequential, base_model.trainable = False",
            json.dumps(_config(_nested_transfer(trainable=False)))),
           ("transferencia", "base nested, called with training=False",
            json.dumps(_config(_nested_transfer(trainable=False, functional=True))))]
    generator = keras.models.model_from_json(json.dumps(c["generadora"]))
    discriminator = keras.models.model_from_json(json.dumps(c["discriminadora"]))
    discriminator.trainable = False
    sequential = keras.Sequential([keras.Input((100,)), generator, discriminator], name="GAN")
    out.append(("gan", "Sequential([generadora, discriminadora])", sequential.to_json()))
    return out


@pytest.fixture(scope="module")
def graph_models(graph_rubric, graph_references):
    return GraphSet(graph_rubric, graph_references)


@pytest.fixture(scope="module")
def graph_baseline(graph_rubric, graph_references, graph_models):
    result = _graph_grade(graph_rubric, graph_references, graph_models)
    assert [(c["id"], c["message"]) for c in result["checks"] if c["status"] != "pass"] == []
    return result


def test_every_graph_mutant_loses_points_and_its_report_names_the_layer(graph_rubric, graph_references,
                                                                        graph_models, graph_baseline):
    mutants = _graph_mutants(graph_models)
    undetected, unlocalized = [], []
    for mutant in mutants:
        result = _graph_grade(graph_rubric, graph_references, graph_models, {mutant["model"]: mutant["json"]})
        if result["score"] >= graph_baseline["score"]:
            undetected.append(mutant["what"])
        texts = _texts(result, mutant["model"])
        layers = mutant["layer"] if isinstance(mutant["layer"], list) else [mutant["layer"]]
        if not any(_localized({**mutant, "layer": layer}, texts) for layer in layers):
            unlocalized.append((mutant["what"], mutant["layer"], texts[:4]))
    detection = 1 - len(undetected) / len(mutants)
    localization = 1 - len(unlocalized) / len(mutants)
    print(f"\ngraph mutation test: {len(mutants)} mutants of the UNLP clase 9 references; detection "
          f"{100 * detection:.1f}% ({len(mutants) - len(undetected)}/{len(mutants)}), localization "
          f"{100 * localization:.1f}% ({len(mutants) - len(unlocalized)}/{len(mutants)})")
    for item in unlocalized:
        print("  not localized:", item)
    assert undetected == []
    assert localization >= 0.95, unlocalized


def _course_equivalents(models: CourseSet) -> list[tuple[str, str, str, dict | None]]:
    """(model id, description, architecture, compile settings or None) for rewrites that must lose nothing."""
    import keras

    from grader.inside.keras.capture import compile_settings
    from grader.sandbox.readback import plain_compile

    out = []
    for model_id in models.mutable:
        model = models.models[model_id]
        out.append((model_id, "the reference's own export (names, Sequential or functional)", model.to_json(), None))
        if models.sequential(model_id):
            split = []
            for layer in copy.deepcopy(models.layers[model_id]):
                activation = layer["config"].get("activation")
                if layer["class_name"] in ("Conv1D", "Conv2D", "Dense") and activation not in (None, "linear"):
                    layer["config"]["activation"] = "linear"
                    split += [layer, _layer("ReLU") if activation == "relu" else
                              _layer("Softmax") if activation == "softmax" else
                              _layer("Activation", activation=activation)]
                else:
                    split.append(layer)
            if len(split) > len(models.layers[model_id]):
                out.append((model_id, "separate activation layers", models.architecture(model_id, split), None))
        regularized = copy.deepcopy(models.layers[model_id])
        changed = False
        for layer in regularized:
            l2 = (layer["config"].get("kernel_regularizer") or {}).get("config", {}).get("l2")
            if l2:
                layer["config"]["kernel_regularizer"] = {"module": "keras.regularizers", "class_name": "L1L2",
                                                         "config": {"l1": 0.0, "l2": l2}, "registered_name": None}
                changed = True
        if changed:
            out.append((model_id, "L1L2(l1=0, l2=x) for L2(x)", models.architecture(model_id, regularized), None))
        if getattr(model, "compiled", False):  # the same compile written with names instead of objects
            clone = keras.models.clone_model(model)
            loss = model.loss
            loss_config = loss.get_config() if hasattr(loss, "get_config") else {}
            as_name = loss if isinstance(loss, str) else \
                loss_config.get("name") if not loss_config.get("from_logits") and not loss_config.get("label_smoothing") \
                else loss
            optimizer = type(model.optimizer)(learning_rate=float(model.optimizer.learning_rate))
            metrics = ["accuracy" if type(m).__name__ in ("BinaryAccuracy", "CategoricalAccuracy") else m
                       for m in model.get_compile_config().get("metrics") or []]
            metrics = [m if isinstance(m, str) else keras.metrics.get(m["class_name"]) if isinstance(m, dict) else m
                       for m in metrics]
            clone.compile(loss=as_name, optimizer=optimizer, metrics=metrics)
            out.append((model_id, "compiled with names ('accuracy', 'mean_squared_error') for the objects",
                        models.json[model_id], plain_compile(compile_settings(clone))))
    return out


def test_equivalent_rewrites_of_the_course_models_lose_no_points(course):
    name, rubric, references, models, baseline = course
    rewrites = _course_equivalents(models)
    losing = []
    for model_id, description, architecture, compiled in rewrites:
        saved = dict(models.compiled)
        models.compiled = {**saved, **({model_id: compiled} if compiled else {})}
        try:
            result = score_execution(models.execution({model_id: architecture}), rubric, references, "rewrite",
                                     lang="en", rebuilt=models.rebuilt).to_json()
        finally:
            models.compiled = saved
        if result["score"] < baseline["score"]:
            losing.append((model_id, description, [c["message"] for c in result["checks"] if c["status"] != "pass"]))
    print(f"\nequivalent rewrites ({name}): {len(rewrites)}, losing points: {len(losing)}")
def test_equivalent_graphs_lose_no_points(graph_rubric, graph_references, graph_models, graph_baseline):
    rewrites = _graph_equivalents(graph_models)
    losing = []
    for model_id, description, architecture in rewrites:
        result = _graph_grade(graph_rubric, graph_references, graph_models, {model_id: architecture})
        if result["score"] < graph_baseline["score"]:
            losing.append((model_id, description, [c["message"] for c in result["checks"] if c["status"] != "pass"]))
    print(f"\nequivalent graphs: {len(rewrites)}, losing points: {len(losing)}")
    assert losing == []
