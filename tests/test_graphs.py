"""Graph models: cards of graphs and nested models, the canonical form, connections, and the check kinds
that read them (connections, nested, base_model, trains, saved_model, ensemble).

Models are built here, in the test's process, as small stand-ins of the UNLP clase 9 ones (a residual
block, a frozen base under a head, a GAN); their exports go through the path of a submission's:
captures -> cards -> checks -> a graded result. Expected values come from the reference models built
alongside, never typed in.
"""

from __future__ import annotations

import json
import textwrap

import keras
import pytest
from keras import layers

from grader.cards.card import LayerCard, ModelCard
from grader.checks.align import align
from grader.checks.diff import findings
from grader.execution.result import Capture, ExecutionResult
from grader.frameworks import framework
from grader.frameworks.keras.outline import outline_from_json
from grader.frameworks.keras.rebuild import card_from_json
from grader.grading.grade import score_execution
from grader.grading.rubric import load_rubric
from grader.i18n import render

KERAS = framework("keras")


def _card(model: keras.Model, name: str | None = None) -> ModelCard:
    return card_from_json(model.to_json(), name=name or model.name)


def _canonical(model: keras.Model) -> ModelCard:
    return KERAS.canonical(_card(model))


def _block(skip: str = "input", merge: str = "add", shortcut_first: bool = False, name: str = "block",
           extra_dropout: bool = False) -> keras.Model:
    """A small residual block: 1x1, 3x3 (same), 1x1, then the input added back, then ReLU."""
    inputs = keras.Input((8, 8, 16), name=f"{name}_in")
    if shortcut_first:
        shortcut = layers.Conv2D(16, 1, name=f"{name}_proj")(inputs)
    x = layers.Conv2D(4, 1, activation="relu", name=f"{name}_reduce")(inputs)
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name=f"{name}_conv")(x)
    x = layers.Conv2D(16, 1, name=f"{name}_expand")(x)
    if extra_dropout:
        x = layers.Dropout(0.1, name=f"{name}_drop")(x)
    if not shortcut_first:
        shortcut = {"input": inputs, "branch": x, "proj": None}[skip]
        if shortcut is None:
            shortcut = layers.Conv2D(16, 1, name=f"{name}_proj")(inputs)
    if merge == "add":
        x = layers.Add(name=f"{name}_add")([x, shortcut])
    elif merge == "plus":
        x = shortcut + x
    else:
        x = layers.Concatenate(name=f"{name}_cat")([shortcut, x])
    return keras.Model(inputs, layers.Activation("relu", name=f"{name}_out")(x), name=name)


def _base(trainable: bool = False, name: str = "base") -> keras.Model:
    inputs = keras.Input((8, 8, 3), name=f"{name}_in")
    x = layers.Conv2D(8, 3, padding="same", name=f"{name}_conv")(inputs)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    x = layers.ReLU(name=f"{name}_relu")(x)
    model = keras.Model(inputs, x, name=name)
    model.trainable = trainable
    return model


def _flat_transfer(frozen: bool = True) -> keras.Model:
    base = _base(trainable=True)
    for layer in base.layers:
        layer.trainable = not frozen
    x = layers.GlobalAveragePooling2D(name="gap")(base.output)
    x = layers.Dense(4, activation="relu", name="fc1")(x)
    return keras.Model(base.input, layers.Dense(3, activation="softmax", name="predictions")(x), name="transfer")


def _gan(frozen: bool = True):
    z = keras.Input((5,), name="ruido")
    g = keras.Model(z, layers.Dense(6, activation="sigmoid", name="g_out")(layers.Dense(4, name="g_dense")(z)),
                    name="generadora")
    i = keras.Input((6,), name="imagen")
    d = keras.Model(i, layers.Dense(1, activation="sigmoid", name="d_out")(layers.Dense(3, name="d_dense")(i)),
                    name="discriminadora")
    d.compile(loss="binary_crossentropy", optimizer="adam")
    d.trainable = not frozen
    x = keras.Input((5,), name="x")
    gan = keras.Model(x, d(g(x)), name="GAN")
    gan.compile(loss="binary_crossentropy", optimizer="adam")
    return g, d, gan


# ------------------------------------------------------------------------------------ cards


def test_x_plus_y_is_an_add_of_the_card_and_equals_add():
    plus, add = _canonical(_block(merge="plus")), _canonical(_block())
    assert [layer.kind for layer in plus.layers] == [layer.kind for layer in add.layers] == \
        ["Conv2D", "Conv2D", "Conv2D", "Add", "Activation"]
    merge = plus.layers[3]
    assert sorted(merge.inbound) == sorted(["block_in", "block_expand"]) and plus.input_names == ["block_in"]
    assert findings(add, plus, align(add.layers, plus.layers, KERAS.families), KERAS) == []


def test_a_shared_layer_is_one_layer_called_twice():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    card = _card(keras.Model([a, b], layers.Concatenate(name="cat")([shared(a), shared(b)])))
    layer = card.layer("shared")
    assert layer.calls == 2 and layer.inbound == ["a", "b"] and layer.params == 15
    assert card.layer("cat").inbound == ["shared", "shared"]


def test_a_nested_model_has_an_inner_card_and_the_canonical_form_opens_it():
    base = _base(trainable=False)
    model = keras.Sequential([keras.Input((8, 8, 3)), base, layers.GlobalAveragePooling2D(name="gap"),
                              layers.Dense(3, name="out")])
    card = _card(model)
    nested = card.layers[0]
    assert nested.kind == "Functional" and nested.inner is not None
    assert [layer.name for layer in nested.inner.layers] == ["base_conv", "base_bn", "base_relu"]
    assert (nested.params, nested.trainable_params) == (base.count_params(), 0)
    opened = KERAS.canonical(card)
    assert [layer.name for layer in opened.layers] == ["base_conv", "base_bn", "base_relu", "gap", "out"]
    assert opened.layer("base_conv").inbound == card.input_names and opened.layer("gap").inbound == ["base_relu"]
    part = opened.part("base")
    assert part.layers == ["base_conv", "base_bn", "base_relu"] and part.frozen
    assert opened.total_params == model.count_params()
    assert opened.trainable_params == sum(int(w.numpy().size) for w in model.trainable_weights)


def test_cards_round_trip_with_their_nested_cards_and_old_cards_still_read():
    card = _card(_gan()[2])
    assert ModelCard.from_config(json.loads(json.dumps(card.get_config()))) == card
    opened = KERAS.canonical(card)
    assert ModelCard.from_config(opened.get_config()) == opened
    old = {"name": "m", "layers": [{"name": "d", "kind": "Dense", "config": {"units": 1}, "output_shape": [None, 1],
                                    "params": 5, "trainable_params": 5, "non_trainable_params": 0,
                                    "inbound": [], "folded": [], "trainable": True}],
           "model_class": "Sequential", "input_shapes": [[None, 4]], "output_shapes": [[None, 1]], "total_params": 5,
           "trainable_params": 5, "non_trainable_params": 0, "compile": None, "source": "", "notes": [],
           "input_from_reference": False, "opaque_layers": []}
    assert ModelCard.from_config(old).layers[0].calls == 1


def test_a_frozen_nested_model_trains_nothing_whatever_its_layers_say():
    g, d, gan = _gan(frozen=True)
    card = KERAS.canonical(_card(gan))
    assert card.part("discriminadora").trainable_params == 0
    assert card.part("generadora").trainable_params == g.count_params()
    assert (card.trainable_params, card.non_trainable_params) == (g.count_params(), d.count_params())


def test_the_outline_opens_nested_models_like_the_rebuilt_card():
    for model in (_gan()[2], keras.Sequential([keras.Input((8, 8, 3)), _base(), layers.Flatten(name="f")]),
                  _block(merge="plus")):
        rebuilt, outlined = _canonical(model), KERAS.canonical(outline_from_json(model.to_json(), "m"))
        assert [(l.name, l.kind, l.trainable) for l in rebuilt.layers] == \
            [(l.name, l.kind, l.trainable) for l in outlined.layers]
        assert [p.name for p in rebuilt.parts] == [p.name for p in outlined.parts]


def test_the_order_of_branches_in_the_code_is_not_the_order_of_the_card():
    first, last = _canonical(_block(skip="proj")), _canonical(_block(shortcut_first=True))
    assert [l.name for l in first.layers] == [l.name for l in last.layers]
    pairs = align(first.layers, last.layers, KERAS.families)
    assert all(i is not None and j is not None for i, j in pairs)


def test_padding_same_on_a_pointwise_convolution_is_no_padding():
    inputs = keras.Input((8, 8, 3))
    same = _canonical(keras.Model(inputs, layers.Conv2D(4, 1, padding="same")(inputs)))
    valid = _canonical(keras.Model(inputs, layers.Conv2D(4, 1)(inputs)))
    three = _canonical(keras.Model(inputs, layers.Conv2D(4, 3, padding="same")(inputs)))
    assert same.layers[0].config == valid.layers[0].config and three.layers[0].config["padding"] == "same"


# ------------------------------------------------------------------------------- the diff


def _findings(reference: keras.Model, student: keras.Model) -> list[dict]:
    ref, stu = _canonical(reference), _canonical(student)
    return findings(ref, stu, align(ref.layers, stu.layers, KERAS.families), KERAS)


def test_a_skip_connection_from_the_wrong_layer_is_one_sentence_naming_both_sides():
    found = _findings(_block(), _block(skip="branch", name="stu"))
    assert len(found) == 1 and found[0]["attributes"] == ["inputs"] and found[0]["layer"] == "stu_add"
    text = render(found[0]["message"], "en")
    assert text == ("Your layer `stu_add` (Add) sums `stu_expand` and `stu_expand`; the reference's `block_add` sums "
                    "`block_expand` (Conv2D(16, 1x1)) and the input `block_in`, which in your model are `stu_expand` "
                    "and the input `stu_in`.")
    assert render(found[0]["fix"], "es") == "dale a `stu_add` como entradas `stu_expand` y la entrada `stu_in`"


def test_branches_concatenated_in_the_other_order_are_one_sentence_about_the_order():
    def model(swap, name):
        a, b = keras.Input((4,), name=f"{name}_a"), keras.Input((6,), name=f"{name}_b")
        da, db = layers.Dense(5, name=f"{name}_da")(a), layers.Dense(3, name=f"{name}_db")(b)
        merged = layers.Concatenate(name=f"{name}_cat")([db, da] if swap else [da, db])
        return keras.Model([a, b], layers.Dense(1, name=f"{name}_out")(merged))

    found = _findings(model(False, "r"), model(True, "s"))
    assert [(f["layer"], f["attributes"]) for f in found] == [("s_cat", ["inputs"])]
    assert render(found[0]["message"], "en") == (
        "Your layer `s_cat` (Concatenate) concatenates `s_db` and `s_da`; the reference's `r_cat` concatenates "
        "`r_da` (Dense(5)) and `r_db` (Dense(3)), which in your model are `s_da` and `s_db`.")
    assert _findings(model(True, "r"), model(True, "s")) == []


def test_a_layer_added_on_the_way_is_named_once_and_the_skip_is_still_right():
    found = _findings(_block(), _block(extra_dropout=True, name="stu"))
    assert [(f["layer"], f["attributes"]) for f in found] == [("stu_drop", ["extra"])]


def test_a_base_that_trains_is_one_finding_per_nested_model_or_stretch_of_layers():
    nested = keras.Sequential([keras.Input((8, 8, 3)), _base(trainable=True, name="mine"),
                               layers.GlobalAveragePooling2D(), layers.Dense(4, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    found = _findings(_flat_transfer(frozen=True), nested)
    trains = sum(int(w.numpy().size) for w in nested.layers[0].trainable_weights)  # kernel, bias, BN's gamma and beta
    assert [f["attributes"] for f in found] == [["trainable"]]
    assert render(found[0]["message"], "en") == (f"Your nested model `mine` (Functional) trains {trains} of its "
                                                 "parameters; in the reference it is frozen.")
    assert render(found[0]["fix"], "en") == "`mine.trainable = False` before compiling the model that contains it"
    flat = _findings(_flat_transfer(frozen=True), _flat_transfer(frozen=False))
    assert [f["attributes"] for f in flat] == [["trainable"]]
    assert render(flat[0]["message"], "en").startswith(f"Your 2 layer(s) from `base_conv` to `base_bn` train their "
                                                       f"{trains} parameters")


# --------------------------------------------------------------------------- the check kinds


REFERENCE_PY = "def unused():\n    raise NotImplementedError\n"
RUBRIC = """
schema: 1
assignment: graphs
language: en
reference: reference
models:
  block: {build: m.py:unused, variable: block}
  base: {build: m.py:unused, variable: base_model}
  transfer: {build: m.py:unused, variable: model}
  generadora: {build: m.py:unused, variable: generadora}
  discriminadora: {build: m.py:unused, variable: discriminadora}
  gan: {build: m.py:unused, variable: GAN}
activities:
  - id: "1"
    checks:
      - {id: skip, kind: connections, model: block, at: block_add}
      - {id: merges, kind: connections, model: block}
  - id: "2"
    checks:
      - {id: base, kind: base_model, model: transfer, base: base}
  - id: "3"
    checks:
      - {id: parts, kind: nested, model: gan, parts: [generadora, discriminadora], same_objects: true}
      - {id: trains, kind: trains, model: gan, parts: [generadora, discriminadora]}
      - {id: d-trains, kind: trains, model: discriminadora}
  - id: "4"
    checks:
      - {id: saved, kind: saved_model, model: block, formats: [h5, keras]}
      - {id: ensemble, kind: ensemble, model: block, members: models, average: average, inputs: x_test}
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graphs")
    (folder / "reference").mkdir()
    (folder / "reference" / "m.py").write_text(REFERENCE_PY)
    (folder / "rubric.yaml").write_text(RUBRIC)
    rubric = load_rubric(folder / "rubric.yaml")
    g, d, gan = _gan(frozen=True)
    base = _base(trainable=True)
    for layer in base.layers:
        layer.trainable = False
    references = {"block": _block(), "base": base, "transfer": _flat_transfer(frozen=True), "generadora": g,
                  "discriminadora": _gan(frozen=False)[1], "gan": gan}
    cards = {}
    for model_id, model in references.items():
        card = _card(model, model_id)
        card.compile = {"loss": "binary_crossentropy", "optimizer": "Adam"} if model_id in ("gan",) else None
        cards[model_id] = card
    return rubric, cards


def _capture(variable, model, order, object_id, nested=()):
    return Capture(file="nb.ipynb", variable=variable, object_id=object_id, where=f"cell {order}",
                   model_class=type(model).__name__, built=True, order=order, architecture=model.to_json(),
                   nested=list(nested))


def _submission(block=None, transfer=None, gan_frozen=True, copies=False, events=()):
    g, d, gan = _gan(frozen=gan_frozen)
    nested = [{"name": "generadora", "object": 40 if copies else 4}, {"name": "discriminadora", "object": 5}]
    captures = [_capture("block", block or _block(name="mine"), 1, 1),
                _capture("base_model", _base(), 2, 2),
                _capture("model", transfer or _flat_transfer(frozen=True), 3, 3),
                _capture("generadora", g, 4, 4), _capture("discriminadora", d, 5, 5),
                _capture("GAN", gan, 6, 6, nested)]
    return ExecutionResult(status="ok", captures=captures, events=list(events))


def _grade(course, execution) -> dict:
    rubric, cards = course
    result = score_execution(execution, rubric, cards, "ana", lang="en").to_json()
    return {c["id"]: c for c in result["checks"]}


def test_connections_check_passes_on_equivalent_graphs_and_names_a_misplaced_skip(course):
    checks = _grade(course, _submission(block=_block(merge="plus", name="mine")))
    assert checks["skip"]["status"] == "pass" and checks["merges"]["status"] == "pass"
    checks = _grade(course, _submission(block=_block(skip="branch", name="mine")))
    assert checks["skip"]["status"] == "fail" and "`mine_add` (Add) sums `mine_expand` and `mine_expand`" in \
        checks["skip"]["message"]
    assert checks["skip"]["hint"] == "give `mine_add` `mine_expand` and the input `mine_in` as its inputs"


def test_base_model_check_finds_the_base_nested_or_flat(course):
    assert _grade(course, _submission())["base"]["status"] == "pass"  # flat, frozen layer by layer
    nested = keras.Sequential([keras.Input((8, 8, 3)), _base(trainable=False), layers.GlobalAveragePooling2D(),
                               layers.Dense(4, activation="relu"), layers.Dense(3, activation="softmax")])
    check = _grade(course, _submission(transfer=nested))["base"]
    assert check["status"] == "pass" and check["message"].startswith("Your base is the nested model `base`")
    unfrozen = _flat_transfer(frozen=False)
    trains = sum(int(w.numpy().size) for name in ("base_conv", "base_bn")
                 for w in unfrozen.get_layer(name).trainable_weights)
    check = _grade(course, _submission(transfer=unfrozen))["base"]
    assert check["status"] == "fail"
    assert f"It is not frozen: {trains} of its {_base().count_params()} parameters train" in check["message"]


def test_nested_check_wants_the_very_models_of_the_variables(course):
    assert _grade(course, _submission())["parts"]["status"] == "pass"
    check = _grade(course, _submission(copies=True))["parts"]
    assert check["status"] == "fail" and "is not the model in your variable `generadora`" in check["message"]


def _train(object_id, builds, gan_d_trainable, call="train_on_batch"):
    return {"event": "train", "file": "nb.ipynb", "where": "cell 7", "line": 3, "object": object_id, "call": call,
            "builds": builds, "trainable": 30, "total": 37,
            "parts": [{"name": "generadora", "object": 4, "trainable": 30, "total": 30},
                      {"name": "discriminadora", "object": 5, "trainable": 4 if gan_d_trainable else 0, "total": 4}]}


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_trains_check_reads_the_state_when_the_training_function_was_built(course):
    frozen = [_train(6, True, False), _train(6, False, False)]
    checks = _grade(course, _submission(events=frozen))
    assert checks["trains"]["status"] == "pass"
    # Unfrozen after the first call: Keras keeps training what it traced, so that is what counts.
    checks = _grade(course, _submission(events=[_train(6, True, False), _train(6, False, True)]))
    assert checks["trains"]["status"] == "pass"
    checks = _grade(course, _submission(events=[_train(6, True, True)]))
    assert checks["trains"]["status"] == "fail"
    assert "`discriminadora` should have been frozen" in checks["trains"]["message"]
    # Never trained: judged on the last state, and said so.
    checks = _grade(course, _submission(gan_frozen=False))
    assert checks["trains"]["status"] == "fail" and "never trained `GAN`" in checks["trains"]["message"]
    d_frozen = {"event": "train", "file": "nb.ipynb", "where": "cell 7", "object": 5, "call": "train_on_batch",
                "builds": True, "trainable": 0, "total": 4, "parts": []}
    check = _grade(course, _submission(events=[d_frozen]))["d-trains"]
    assert check["status"] == "fail" and "`discriminadora` should have trained" in check["message"]


def _saved(kind, path, model, **extra):
    return {"event": kind, "file": "nb.ipynb", "where": "cell 9", "line": 1, "object": 1, "path": path,
            "format": path.rsplit(".", 1)[-1] if "." in path else "none", "error": None,
            "architecture": model.to_json() if model is not None else None, "compile": None, **extra}


def test_saved_model_check_follows_the_file_from_save_to_load(course):
    block = _block(name="mine")
    check = _grade(course, _submission(events=[_saved("save", "m.h5", block), _saved("load", "m.h5", block)]))["saved"]
    assert check["status"] == "pass" and check["message"].startswith("Saved to `m.h5` (h5, nb.ipynb, cell 9)")
    error = ("ValueError: File format not supported: filepath=m. Keras 3 only supports V3 `.keras` files")
    check = _grade(course, _submission(events=[_saved("save", "m.h5", block),
                                               _saved("load", "m", None, error=error)]))["saved"]
    assert check["status"] == "fail" and "loading `m` (nb.ipynb, cell 9) failed" in check["message"]
    assert check["hint"] == "load the same file, extension included: `load_model('m.h5')`"


def test_ensemble_check_reads_the_answer_of_the_students_process(course):
    answer = {"event": "inspected", "file": "nb.ipynb", "where": "", "check": "ensemble", "question": "ensemble",
              "members": [1, 1], "count": 2, "rows": 8, "max_difference": 0.0}
    assert _grade(course, _submission(events=[answer]))["ensemble"]["status"] == "pass"
    check = _grade(course, _submission(events=[{**answer, "max_difference": 0.25}]))["ensemble"]
    assert check["status"] == "fail" and "differs by up to 0.25" in check["message"]
    check = _grade(course, _submission(events=[{**answer, "members": [1], "count": 1}]))["ensemble"]
    assert check["status"] == "fail" and "holds 1 model(s)" in check["message"]


# --------------------------------------------------------------------- settings on request


def test_optimizer_settings_and_schedules_compare_as_settings():
    from grader.checks import check_kind
    from grader.checks.kind import CheckContext
    from grader.checks.matching import Match

    reference = ModelCard("ref", layers=[LayerCard("d", "Dense")], compile={
        "optimizer": "SGD", "optimizer_config": {"learning_rate": 0.01, "momentum": 0.9, "nesterov": False},
        "learning_rate_schedule": None})
    student = ModelCard("model", layers=[LayerCard("d", "Dense")], compile={
        "optimizer": "SGD", "optimizer_config": {"learning_rate": 0.009999999776482582, "momentum": 0.0,
                                                 "nesterov": False},
        "learning_rate_schedule": {"class": "ExponentialDecay", "config": {"decay_rate": 0.9}}})
    kind = check_kind("compile")
    spec = type("Spec", (), {"settings": kind.parse({"settings": ["optimizer_config", "learning_rate_schedule"]})})
    match = Match("m", reference=reference, card=student, how="variable")
    outcome = kind.run(spec, match, CheckContext(matches={"m": match}, execution=ExecutionResult()))
    assert not outcome.passed
    assert render(outcome.message, "en") == ("the optimizer has momentum 0.0 instead of 0.9; learning_rate_schedule "
                                             "should be none (a fixed learning rate), yours is ExponentialDecay(decay_rate=0.9).")


def test_initializers_are_compared_only_when_a_check_names_them():
    from grader.checks.align import differing_settings

    he = _card(keras.Sequential([keras.Input((4,)), layers.Dense(2, kernel_initializer="he_uniform")])).layers[0]
    he_object = _card(keras.Sequential([keras.Input((4,)), layers.Dense(
        2, kernel_initializer=keras.initializers.HeUniform(seed=3))])).layers[0]
    default = _card(keras.Sequential([keras.Input((4,)), layers.Dense(2)])).layers[0]
    assert differing_settings(he, default) == []
    assert differing_settings(he, default, ["kernel_initializer", "bias_initializer"]) == ["kernel_initializer"]
    assert differing_settings(he, he_object, ["kernel_initializer"]) == []
    assert KERAS.fix_line(he, default) == "Dense(2, kernel_initializer='he_uniform')"


# ----------------------------------------------------------------------------- likely fixes


def _hint(ename, evalue, code="", source=""):
    from grader.execution.diagnostics import explain_text

    return explain_text(ename, evalue, code, "en") if not source else \
        " ".join(render(m, "en") for m in __import__("grader.execution.diagnostics", fromlist=["explain"]).explain(
            ename, evalue, code, source=source))


SLIDES_LOOP = textwrap.dedent('''\
    def ResNet50(input_shape,classes):
        input = Input(shape=input_shape)
        x = Conv2D(64,(7,7),strides=(2,2),padding="same",activation="relu")(input)
        for i,(block_n,reduction) in enumerate(zip(blocks,reductions)):
            expansion=reduction*2
            x = Conv2D(expansion,(3,3),strides=(2,2),padding="same",activation="relu")(x)
            for j in range(block_n):
                x = residual_bottleneck(x,reduction,expansion)
            x = GlobalAveragePooling2D(name="gap")(x)
            x = Dense(classes,activation="softmax")(x)
        return Model(inputs=[input],outputs=[x])
    model = ResNet50((32,32,3), 10)''')

SLIDES_RESIDUAL = textwrap.dedent('''\
    def residual_bottleneck(x,n_reduction,n_expansion):
        x_mod=x
        x_mod = Conv2D(n_reduction,(1,1),activation="relu")(x_mod)
        x_mod = Conv2D(n_reduction,(3,3),activation="relu")(x_mod)
        x_mod = Conv2D(n_expansion,(1,1),activation=None)(x_mod)
        new_x = Add()([x, x_mod])
        return Activation("relu")(new_x)
    modelo_residual = Model(inputs=input, outputs=residual_bottleneck(input,64,256))''')


def test_the_slides_head_inside_the_loop_is_explained_with_its_lines():
    text = _hint("ValueError", "Input 0 with name 'None' of layer 'conv2d_17' is incompatible with the layer: "
                 "expected min_ndim=4, found ndim=2. Full shape received: (None, 10)", "", SLIDES_LOOP)
    assert text == ("`GlobalAveragePooling2D` (line 9) and `Dense` (line 10) are inside the `for` loop of line 4, so "
                    "they run on every pass: after the first one the tensor is already flat (None, 10), and the "
                    "convolution of the next pass cannot take it. Move them out of the loop (one indentation level "
                    "less), so that they run once, after it.")


def test_the_slides_unpadded_3x3_convolution_is_explained_with_its_fix():
    text = _hint("ValueError", "Inputs have incompatible shapes. Received shapes (32, 32, 256) and (30, 30, 256)",
                 "", SLIDES_RESIDUAL)
    assert "one branch is 2 pixels smaller in height and width" in text
    assert text.endswith('Add `padding="same"` to it: `x_mod = Conv2D(n_reduction,(3,3),activation="relu")(x_mod)` '
                         "on line 4.")
    assert "`strides=2`" in _hint("ValueError", "Inputs have incompatible shapes. Received shapes (16, 16, 64) and "
                                  "(8, 8, 64)")
    assert "256 channels" in _hint("ValueError", "Inputs have incompatible shapes. Received shapes (8, 8, 64) and "
                                   "(8, 8, 256)")


def test_files_without_their_extension_are_explained():
    assert _hint("ValueError", "File format not supported: filepath=modelo0. Keras 3 only supports V3 `.keras` "
                 "files, legacy H5 format files (`.h5` extension).").startswith(
        "Keras 3 loads a model only from a `.keras` or `.h5` file, and `modelo0` has no extension")
    assert 'save_weights("pesos.weights.h5")' in _hint("ValueError", "The filename must end in `.weights.h5`. "
                                                       "Received: filepath=pesos.h5")
    assert "straight quotes" in _hint("SyntaxError", "invalid character '“' (U+201C)")
    assert "tuple(x.shape[1:])" in _hint("AttributeError", "module 'keras.backend' has no attribute 'int_shape'")


def test_noisy_inputs_and_clean_targets_for_a_denoising_autoencoder():
    import numpy as np

    from grader.data.load import load_dataset
    from grader.data.spec import DataSpec

    spec = DataSpec.from_config({"name": "blobs", "features": 6, "target": "inputs",
                                 "noise": {"loc": 0.5, "scale": 0.1, "clip": [0.0, 1.0]}})
    clean = load_dataset(DataSpec.from_config({"name": "blobs", "features": 6, "target": "inputs"}), input_shape=(6,))
    noisy = load_dataset(spec, input_shape=(6,))
    x, y = noisy.splits["train"]
    assert np.array_equal(y, clean.splits["train"][1]) and x.min() >= 0.0 and x.max() <= 1.0
    assert not np.array_equal(x, np.clip(y, 0, 1))
    with pytest.raises(ValueError, match="noise.scale"):
        DataSpec.from_config({"name": "blobs", "target": "inputs", "noise": {"scale": 0}})


def test_validate_leaves_out_what_a_reference_script_cannot_show(tmp_path, monkeypatch):
    """``grader validate`` grades a script that builds each reference: it cannot save, train or average."""
    from pathlib import Path

    from grader.grading.validate import RubricReport, _on_reference, _without_data

    rubric = load_rubric(Path(__file__).resolve().parent.parent / "rubrics" / "unlp_clase9.yaml")
    specs = [spec for activity in rubric.activities for spec in activity.checks]
    assert [spec.id for spec in specs if not _on_reference(rubric, spec)] == [
        "sl-roundtrip", "en-average", "ae-nested", "d-trains", "gan-parts", "gan-trains"]
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # an empty Keras cache: no MNIST to train on
    report = RubricReport(rubric.path)
    assert _without_data(rubric, report) == {"ae-train", "dn-train"}
    assert any("mnist" in note and "--download" in note for note in report.notes)
