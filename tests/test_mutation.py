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
    assert losing == []
