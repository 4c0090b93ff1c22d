"""PyTorch models without trust: exported inside the sandbox, validated, rebuilt and described outside.

The export runs as in the student's process (``grader_inside.torch``); what crosses is JSON text;
the trusted side (``grader.frameworks.torch``) validates it, rebuilds it from allowlisted classes on
the meta device and describes every step. Skipped where torch is not installed (the ``[torch]`` extra).
"""

import importlib.util
import json
import random
import resource
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from grader.cards.card import UnreadableModel  # noqa: E402
from grader.checks.align import align  # noqa: E402
from grader.checks.diff import findings  # noqa: E402
from grader.frameworks import framework  # noqa: E402
from grader.frameworks.torch import allowlist  # noqa: E402
from grader.frameworks.torch.describe import describe  # noqa: E402
from grader.frameworks.torch.rebuild import FAILED, rebuild, run  # noqa: E402
from grader.frameworks.torch.validate import load, validate  # noqa: E402
from grader.i18n import render  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def _inside(inside):
    """``grader_inside`` importable, as in the sandbox."""


def _export():
    from grader_inside.torch import export

    return export


def export(model):
    return _export().export(model)


def find_modules(namespace):
    return _export().find_modules(namespace)

ROOT = Path(__file__).resolve().parent.parent
CIFAR_INPUT = [32, 3, 32, 32]
CIFAR_TOTAL = 4_210_090
AE_TOTAL = 224_601


ADAPTER = framework("torch")


def card_from(model, input_shape):
    """The grader's canonical card of ``model`` on inputs shaped ``input_shape`` (no batch axis)."""
    text = json.dumps(export(model))
    return ADAPTER.canonical(ADAPTER.card_from_export(text, name="model", input_shape=input_shape))


def first_difference(student, reference, input_shape=CIFAR_INPUT[1:]):
    """What the report says about ``student`` against ``reference`` (both nn.Modules): its findings, rendered."""
    ref, stu = card_from(reference, input_shape), card_from(student, input_shape)
    pairs = align(ref.layers, stu.layers, ADAPTER.families)
    found = [(f["layer"], f["attributes"], render(f["message"], "en")) for f in findings(ref, stu, pairs, ADAPTER)]
    if not found and (ref.total_params, ref.output_shapes) != (stu.total_params, stu.output_shapes):
        found.append(("totals", [], f"{stu.total_params} vs {ref.total_params}"))
    return found or None


def load_reference(file_name):
    """A reference file of Tema 06, imported by path as the grader imports references."""
    path = ROOT / "reference" / "tema06" / file_name
    spec = importlib.util.spec_from_file_location(f"tema06_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def torch_count(model):
    return sum(p.numel() for p in nn.Module.parameters(model))


def card_of(model, shape=CIFAR_INPUT):
    """What the grader does: export in the student's process, JSON across, describe outside."""
    return describe(load(json.dumps(export(model))), shape)


from standins.torch_models import CIFAR10Model, CIFARFunctional, CIFARSequential  # noqa: E402


# ------------------------------------------------------------------------------ the format


def test_export_is_plain_json_and_round_trips():
    data = export(CIFAR10Model())
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert data["graph"]["nodes"][0]["op"] == "placeholder"
    classes = [m["class"] for m in data["modules"]]
    assert classes[0] == "custom:CIFAR10Model" and classes[1:4] == ["Conv2d", "ReLU", "Dropout"]
    conv1 = data["modules"][1]
    assert conv1["config"]["kernel_size"] == [3, 3] and conv1["config"]["padding"] == [1, 1]


def test_card_of_the_handout_cnn():
    card = card_of(CIFAR10Model())
    assert card["total_params"] == card["trainable_params"] == CIFAR_TOTAL == torch_count(CIFAR10Model())
    layers = {layer["name"]: layer for layer in card["layers"]}
    assert layers["pool2"]["output_shape"] == [32, 32, 16, 16]
    assert layers["flat"]["output_shape"] == [32, 8192]
    assert layers["fc3"]["params"] == 8192 * 512 + 512
    assert layers["fc4"]["inbound"] == ["drop3"] and layers["conv1"]["inbound"] == ["input"]
    assert card["output_shape"] == [32, 10] and card["traced"] and not card["notes"]
    assert sum(layer["params"] for layer in card["layers"]) == card["total_params"]


def test_wrong_layer_is_named_with_the_shape_it_breaks():
    card = card_of(CIFAR10Model(fc3_out=256))
    layers = {layer["name"]: layer for layer in card["layers"]}
    assert layers["fc3"]["config"]["out_features"] == 256 and layers["fc3"]["output_shape"] == [32, 256]
    assert "256" in layers["fc4"]["error"] and layers["fc4"]["output_shape"] is None
    assert card["total_params"] == torch_count(CIFAR10Model(fc3_out=256))


def test_functional_ops_and_residual_sums_are_entries():
    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(8, 8)
            self.b = nn.Linear(8, 8)

        def forward(self, x):
            return F.relu(self.b(F.relu(self.a(x))) + x)

    card = card_of(Residual(), [4, 8])
    kinds = [(layer["name"], layer["kind"], layer["inbound"]) for layer in card["layers"]]
    assert kinds == [("a", "Linear", ["input"]), ("relu", "torch.nn.functional.relu", ["a"]),
                     ("b", "Linear", ["relu"]), ("add", "operator.add", ["b", "input"]),
                     ("relu_1", "torch.nn.functional.relu", ["add"])]


def test_a_billion_parameters_are_described_without_memory():
    with torch.device("meta"):  # the student's side would need 4 GB; the description does not
        model = nn.Sequential(nn.Linear(100_000, 10_000), nn.ReLU(), nn.Linear(10_000, 1))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    card = card_of(model, [2, 100_000])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert card["total_params"] == 100_000 * 10_000 + 10_000 + 10_001
    assert grown_mb < 200


def test_module_called_twice_counts_once_and_shared_modules_count_once():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            self.again = self.fc  # the same module under a second name

        def forward(self, x):
            return self.fc(self.fc(x))

    card = card_of(Twice(), [2, 4])
    assert [layer["name"] for layer in card["layers"]] == ["fc", "fc@2"]
    assert card["total_params"] == 20 == torch_count(Twice())


def test_tied_weights_count_once():
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(6, 3, bias=False)
            self.dec = nn.Linear(3, 6, bias=False)
            self.dec.weight = self.enc.weight  # same Parameter; shapes [3, 6] match only transposed
            self.out = nn.Linear(6, 3, bias=False)
            self.out.weight = self.enc.weight

        def forward(self, x):
            return self.out(self.enc(x) @ self.enc.weight)

    model = Tied()
    card = card_of(model, [2, 6])
    assert card["total_params"] == torch_count(model) == 18


def test_module_that_contains_itself():
    model = nn.Sequential(nn.Linear(3, 3))
    model.add_module("loop", model)
    data = load(json.dumps(export(model)))
    built, notes = rebuild(data)
    assert [note["id"] for note in notes] == ["torch.note.cycle"]
    assert sum(p.numel() for p in built.root.parameters()) == 12


# ------------------------------------------------------------------------------ untraceable, skipped


def test_data_dependent_forward_gives_the_tree_and_the_reason():
    class Branchy(CIFAR10Model):
        def forward(self, x):
            if x.sum() > 0:  # data-dependent control flow: fx cannot follow it
                return super().forward(x)
            return self.fc4(torch.zeros(x.shape[0], 512))

    data = export(Branchy())
    assert data["graph"] is None and "control flow" in data["graph_error"]
    card = describe(data, CIFAR_INPUT)
    assert not card["traced"] and "control flow" in card["trace_error"]
    assert card["total_params"] == CIFAR_TOTAL
    assert all(layer["output_shape"] is None and layer["called"] is None for layer in card["layers"])
    assert [note["id"] for note in card["notes"]] == ["torch.note.not_traced"]


def test_untraced_sequential_still_gets_shapes_from_torch_own_order():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    data = export(model)
    data["graph"], data["graph_error"] = None, "pretend"
    card = describe(data, [5, 4])
    assert [layer["output_shape"] for layer in card["layers"]] == [[5, 3], [5, 3], [5, 2]]


def test_forward_that_skips_a_module_it_defines():
    class Skips(CIFAR10Model):
        def forward(self, x):
            x = self.act1(self.conv1(x))  # drop1 defined, never used
            x = self.pool2(self.act2(self.conv2(x)))
            x = self.drop3(self.act3(self.fc3(self.flat(x))))
            return self.fc4(x)

    card = card_of(Skips())
    unused = [layer for layer in card["layers"] if layer["called"] is False]
    assert [layer["name"] for layer in unused] == ["drop1"]
    graded = card_from(Skips(), CIFAR_INPUT[1:])
    assert "drop1" not in [layer.name for layer in graded.layers] and graded.total_params == CIFAR_TOTAL
    assert [render(note, "en") for note in graded.notes] == [
        "`drop1` (Dropout(0.3)) is defined in `__init__` but `forward()` never calls it, so it does nothing. "
        "Call it in `forward()` where the reference has it."]
    assert first_difference(Skips(), CIFAR10Model()) == [
        ("drop1", ["missing"], "Your model has no layer for `drop1` (Dropout(0.3)).")]


# ------------------------------------------------------------------------------ equivalences


@pytest.mark.parametrize("variant", [
    CIFARSequential, CIFARFunctional,
    lambda: CIFARFunctional(flatten="view"), lambda: CIFARFunctional(flatten="reshape"),
], ids=["sequential", "F.relu+torch.flatten", "view", "reshape"])
def test_equivalent_spellings_compare_equal(variant):
    assert first_difference(variant(), CIFAR10Model()) is None


def test_autoencoder_as_attributes_equals_the_handout_sequential():
    class AEAttributes(nn.Module):
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

    handout = load_reference("autoencoder.py").autoencoder()
    assert card_of(handout, [32, 784])["total_params"] == AE_TOTAL
    assert first_difference(AEAttributes(), handout, [784]) is None


@pytest.mark.parametrize("mutant, layer, attributes", [
    (lambda: CIFAR10Model(fc3_out=256), "fc3", ["out_features", "output_shape", "params"]),
    (lambda: CIFAR10Model(drop1=0.5), "drop1", ["p"]),
    (lambda: CIFAR10Model(kernel=5), "conv1", ["kernel_size", "padding", "params"]),
], ids=["fc3-256", "dropout", "kernel"])
def test_mutations_are_found_at_their_layer(mutant, layer, attributes):
    found = first_difference(mutant(), CIFAR10Model())
    assert found[0][:2] == (layer, attributes), found


def test_canonical_form_folds_spellings_and_keeps_names():
    layers = card_from(CIFARFunctional(flatten="view"), CIFAR_INPUT[1:]).layers
    assert [layer.kind for layer in layers] == [
        "Conv2d", "ReLU", "Dropout", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU",
        "Dropout", "Linear"]
    assert layers[5].config["kernel_size"] == [2, 2] and layers[5].config["stride"] == [2, 2]
    assert layers[6].inbound == [layers[5].name] and layers[6].output_shape == [None, 8192]
    assert [layer.describe() for layer in layers][:2] == ["Conv2d(3, 32, kernel_size=3, padding=1)", "ReLU()"]


# ------------------------------------------------------------------------------ hostile modules

CALLED = []


class Lies(CIFAR10Model):
    """Every way a module can talk about itself lies."""

    def __repr__(self):
        CALLED.append("__repr__")
        return "CIFAR10Model(tiny)"

    def extra_repr(self):
        CALLED.append("extra_repr")
        return "params=10"

    def parameters(self, recurse=True):
        CALLED.append("parameters")
        return iter([nn.Parameter(torch.zeros(10))])

    def named_parameters(self, *args, **kwargs):
        CALLED.append("named_parameters")
        return iter([("w", nn.Parameter(torch.zeros(10)))])

    def named_modules(self, *args, **kwargs):
        CALLED.append("named_modules")
        return iter([("", self)])

    def children(self):
        CALLED.append("children")
        return iter([])


def test_lying_repr_parameters_and_named_modules_change_nothing():
    CALLED.clear()
    model = Lies()
    card = card_of(model)
    assert card["total_params"] == CIFAR_TOTAL and card["traced"]
    assert first_difference(Lies(), CIFAR10Model()) is None
    # fx itself asks named_modules() once (and gets a lie we do not use); nothing else was asked
    assert set(CALLED) <= {"named_modules"}, CALLED


def test_named_modules_that_raises_leaves_the_tree():
    class Raises(CIFAR10Model):
        def named_modules(self, *args, **kwargs):
            raise RuntimeError("nope")

    card = card_of(Raises())
    assert card["total_params"] == CIFAR_TOTAL
    assert not card["traced"] and "nope" in card["trace_error"]


def test_getattr_and_getattribute_overrides():
    class Hides(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(10, 5)

        locked = False

        def __getattribute__(self, name):
            if type(self).locked and name in ("_modules", "_parameters", "_buffers", "__dict__", "__class__"):
                raise AttributeError(name)
            return super().__getattribute__(name)

    class Invents(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(10, 5)

        def __getattr__(self, name):  # every attribute is a brand-new module
            return nn.Linear(1, 1)

    model = Hides()
    Hides.locked = True  # from here on the module hides its insides from attribute access
    hides = card_of(model, [2, 10])
    assert hides["total_params"] == 55 and not hides["traced"]
    invents = card_of(Invents(), [2, 10])
    assert invents["total_params"] == 55


def test_class_that_claims_to_be_linear_is_custom():
    class Pretends(nn.Module):
        __class__ = property(lambda self: nn.Linear)  # isinstance(x, nn.Linear) says True

        def __init__(self):
            super().__init__()
            self.in_features, self.out_features = 8192, 512

        def forward(self, x):
            return x

    class MyLinear(nn.Linear):  # a subclass may compute anything: it is custom, its base is said
        def forward(self, x):
            return x

    assert isinstance(Pretends(), nn.Linear)
    data = export(nn.Sequential(Pretends(), MyLinear(4, 4)))
    assert data["modules"][1]["class"] == "custom:Pretends" and "config" not in data["modules"][1]
    assert data["modules"][2]["class"] == "custom:MyLinear"
    assert data["modules"][2]["base"] == "Linear"
    card = describe(data, [2, 4])
    assert card["total_params"] == 20  # MyLinear's own weight and bias, from the exported shapes


def test_attributes_changed_after_construction_are_reported():
    model = CIFAR10Model(fc3_out=256)
    model.fc3.out_features = 512  # what a repr-reading grader would believe
    card = card_of(model)
    assert [(note["id"], note["fields"]["name"], note["fields"]["found"]) for note in card["notes"]] == [
        ("torch.note.changed_after", "weight", "[256, 8192]"), ("torch.note.changed_after", "bias", "[256]")]
    graded = card_from(model, CIFAR_INPUT[1:])  # the settings are graded, and the report says why
    assert graded.layer("fc3").config["out_features"] == 512
    assert "an attribute was changed after the layer was built" in render(graded.notes[0], "en")


def test_instance_forward_and_hooks_are_reported():
    model = CIFAR10Model()
    model.forward = lambda x: x
    data = export(model)
    assert data["graph"] is None and "replaced" in data["graph_error"]
    model = CIFAR10Model()
    model.fc3.register_forward_hook(lambda module, args, output: output * 0)
    card = card_of(model)
    assert [note["id"] for note in card["notes"]] == ["torch.note.hooks"]


def test_forward_that_reads_files(tmp_path):
    secret = tmp_path / "reference.py"
    secret.write_text("SECRET-REFERENCE")

    class Reads(CIFAR10Model):
        path = str(secret)

        def forward(self, x):
            self.note = open(self.path).read()  # an attribute the export never reads
            return super().forward(x)

    text = json.dumps(export(Reads()))
    assert "SECRET" not in text
    assert describe(load(text), CIFAR_INPUT)["total_params"] == CIFAR_TOTAL

    class Blocked(CIFAR10Model):
        def forward(self, x):
            open(str(tmp_path / "not-there" / "reference.py")).read()  # what the sandbox does
            return super().forward(x)

    card = card_of(Blocked())
    assert not card["traced"] and "FileNotFoundError" in card["trace_error"]
    assert card["total_params"] == CIFAR_TOTAL


def test_tensor_subclasses_and_lying_numbers():
    class Shrinks(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if getattr(func, "__name__", "") in ("shape", "size", "numel"):
                return torch.Size([1]) if func.__name__ != "numel" else 1
            return super().__torch_function__(func, types, args, kwargs or {})

    class LyingInt(int):
        def __repr__(self):
            return "512"

        __str__ = __repr__

        def __int__(self):
            return 512

        def __index__(self):
            return 512

    model = nn.Sequential(nn.Linear(10, 5))
    model[0].weight = nn.Parameter(torch.randn(5, 10).as_subclass(Shrinks))
    model[0].in_features = LyingInt(10)
    data = export(model)
    assert data["modules"][1]["params"]["weight"]["shape"] == [5, 10]
    assert data["modules"][1]["config"]["in_features"] == 10
    assert describe(data, [2, 10])["total_params"] == 55

    model[0].in_features = torch.tensor(10)  # a tensor where a number belongs
    data = export(model)
    assert data["modules"][1]["config"]["in_features"] == {"unsupported": "Tensor"}
    with pytest.raises(UnreadableModel, match="in_features"):
        describe(data, [2, 10])


def test_graph_calling_something_unlisted_is_dropped_with_the_reason():
    data = export(CIFAR10Model())
    node = next(n for n in data["graph"]["nodes"] if n["op"] == "call_module")
    node.update(op="call_function", target="builtins.eval", args=["__import__('os')"])
    card = describe(data, CIFAR_INPUT)
    assert not card["traced"] and "builtins.eval" in card["trace_error"]
    assert card["total_params"] == CIFAR_TOTAL


# ------------------------------------------------------------------------------ garbage in


def _valid():
    return export(CIFAR10Model())


@pytest.mark.parametrize("text", [
    b"", b"\xff\xfe", b"[]", b"null", b'"x"', b"{}", b"[" * 100_000 + b"]" * 100_000,
    b'{"format": "grader-torch-export", "version": 1, "modules": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    b"1" * 5000, b" " * 20_000_001,
])
def test_garbage_text_is_unreadable(text):
    with pytest.raises(UnreadableModel):
        load(text)


@pytest.mark.parametrize("change", [
    lambda d: d.update(version=2),
    lambda d: d.update(modules=[]),
    lambda d: d.update(modules={"": 1}),
    lambda d: d["modules"][1].update(**{"class": "os.system"}),
    lambda d: d["modules"][1].update(**{"class": "Conv3d"}),
    lambda d: d["modules"][1]["config"].update(in_channels="3"),
    lambda d: d["modules"][1]["config"].update(in_channels=2**40),
    lambda d: d["modules"][1]["config"].update(in_channels=-3),
    lambda d: d["modules"][1]["config"].update(in_channels=True),
    lambda d: d["modules"][1]["config"].update(kernel_size=[3, 3, 3, 3]),
    lambda d: d["modules"][1]["config"].update(groups=5),  # torch refuses: 3 channels in 5 groups
    lambda d: d["modules"][1]["config"].update(padding_mode="evil"),
    lambda d: d["modules"][1]["config"].update(command="rm -rf /"),
    lambda d: d["modules"][3]["config"].update(p=float("nan")),
    lambda d: d["modules"][1].update(path="nope.conv1"),
    lambda d: d["modules"][1].update(path="a..b"),
    lambda d: d["modules"].append(dict(d["modules"][1])),
    lambda d: d["modules"][1]["params"].update(weight={"shape": "big"}),
    lambda d: d["modules"][1]["params"].update(weight={"shape": [10**12]}),
    lambda d: d["modules"][1].update(params=[1, 2]),
    lambda d: d["modules"].insert(0, {"path": "x", "class": "ReLU", "config": {}}),
    lambda d: d.update(truncated=True),
    lambda d: d["modules"].extend({"path": "x" + ".y" * i, "class": "custom:Deep"} for i in range(allowlist.MAX_DEPTH + 2)),
])
def test_malformed_exports_are_unreadable(change):
    data = _valid()
    change(data)
    with pytest.raises(UnreadableModel):
        describe(data, CIFAR_INPUT)


@pytest.mark.parametrize("change", [
    lambda g: g["nodes"].reverse(),
    lambda g: g["nodes"][1]["args"].append({"node": "output"}),
    lambda g: g["nodes"][1].update(target="conv9"),
    lambda g: g["nodes"][1].update(op="call_method", target="__class__"),
    lambda g: g["nodes"][1].update(op="get_attr", target="os.environ"),
    lambda g: g["nodes"].append(dict(g["nodes"][1])),
    lambda g: g["nodes"].pop(),
    lambda g: g["nodes"][1]["args"].append({"unsupported": "Evil"}),
    lambda g: g["nodes"][1]["args"].append({"node": "x", "extra": 1}),
    lambda g: g.update(nodes=[{"name": f"n{i}", "op": "placeholder", "target": "x"} for i in range(10_001)]),
    lambda g: g["constants"].update(c={"shape": [2**40]}),
])
def test_malformed_graphs_fall_back_to_the_tree(change):
    data = _valid()
    change(data["graph"])
    card = describe(data, CIFAR_INPUT)
    assert not card["traced"] and card["trace_error"].startswith("the forward graph was not used")
    assert card["total_params"] == CIFAR_TOTAL


def test_graph_arithmetic_on_numbers_stays_small():
    class Power(nn.Module):
        def forward(self, x):
            return x.view(x.size(0) ** 2, -1)

    data = export(Power())
    size = next(n for n in data["graph"]["nodes"] if n["target"] == "size")
    power = next(n for n in data["graph"]["nodes"] if n["target"] == "operator.pow")
    power["args"][1] = 10**9  # 32 ** 1e9 would never finish
    card = describe(data, [32, 4])
    assert size and "power" in next(layer for layer in card["layers"] if layer.get("error"))["error"]


def test_random_corruptions_never_crash():
    rng = random.Random(16)
    base = json.dumps(_valid())
    junk = [None, -1, 0, 2**70, 1e308, "x" * 300, [], {}, [[[]]], {"node": "x"}, {"tuple": [1]},
            {"dtype": "float32"}, {"slice": [None, None, None]}, True, "custom:X", "Linear"]
    for _ in range(300):
        data = json.loads(base)
        for _ in range(rng.randint(1, 4)):
            holder, key = _random_slot(data, rng)
            holder[key] = rng.choice(junk)
        try:
            describe(data, CIFAR_INPUT)
        except UnreadableModel:
            pass


def _random_slot(data, rng):
    holder, key = data, rng.choice(list(data))
    while isinstance(holder[key], (dict, list)) and holder[key] and rng.random() < 0.8:
        holder = holder[key]
        key = rng.choice(list(holder)) if isinstance(holder, dict) else rng.randrange(len(holder))
    return holder, key


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_deep_and_wide_trees_are_cut_inside_and_refused_outside():
    deep = nn.Linear(2, 2)
    for _ in range(allowlist.MAX_DEPTH + 10):
        deep = nn.Sequential(deep)
    data = export(deep)
    assert data["truncated"] and data["graph"] is None
    with pytest.raises(UnreadableModel, match="too large or too deep"):
        describe(data, [1, 2])
    wide = nn.ModuleList(nn.ReLU() for _ in range(6000))
    assert export(wide)["truncated"]


# ------------------------------------------------------------------------------ running the rebuilt model


def test_rebuilt_model_runs_on_cpu_and_matches_the_count():
    data = load(json.dumps(export(CIFARFunctional())))
    model, _ = rebuild(data, device="cpu")
    assert torch_count(model) == CIFAR_TOTAL
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)


def test_off_meta_factories_and_constants_are_bounded():
    class Adds(nn.Module):
        def forward(self, x):
            return x + torch.ones(1, 4)  # a constant: fx records it as a tensor attribute

    data = export(Adds())
    assert data["graph"]["constants"]["__constant0"]["values"] == [1.0, 1.0, 1.0, 1.0]
    model, _ = rebuild(load(json.dumps(data)), device="cpu")
    assert model(torch.zeros(2, 4)).sum().item() == 8.0
    huge = json.loads(json.dumps(data))
    huge["graph"]["constants"]["__constant0"].update(shape=[2**30, 4], values=None)
    with pytest.raises(UnreadableModel, match="too large"):
        rebuild(load(json.dumps(huge)), device="cpu")
    assert describe(huge, [1, 4])["output_shape"] == [2**30, 4]  # on meta it costs nothing
    # a factory call written into the graph: made on meta when describing, refused on the CPU
    nodes = data["graph"]["nodes"]
    nodes.insert(-1, {"name": "z", "op": "call_function", "target": "torch.zeros",
                      "args": [4096, 4096, 4096], "kwargs": {"device": {"device": "cuda"}}})
    nodes[-1]["args"] = [{"node": "z"}]
    assert describe(data, [1, 4])["output_shape"] == [4096, 4096, 4096]
    model, _ = rebuild(load(json.dumps(data)), device="cpu")
    with pytest.raises(ValueError, match="off the meta device"):
        model(torch.zeros(1, 4))


def test_failed_steps_are_marked_not_raised_when_watched():
    data = load(json.dumps(export(CIFAR10Model(fc3_out=256))))
    model, _ = rebuild(data)
    seen = []
    with torch.device("meta"):
        out = run(model, (torch.empty(CIFAR_INPUT),), lambda node, value, error, args: seen.append(error))
    assert out is FAILED and any(seen)


# ------------------------------------------------------------------------------ finding models


def test_find_modules_in_a_namespace():
    class HostileDict(dict):
        def items(self):
            raise AssertionError("opened")

    model = CIFAR10Model()
    namespace = {
        "model": model, "models": [nn.Linear(1, 1), 3], "by_name": {"ae": nn.ReLU()},
        "_private": nn.ReLU(), "CIFAR10Model": CIFAR10Model, "odd": HostileDict(x=nn.ReLU()),
        "torch": torch, 7: nn.ReLU(),
    }
    found = [name for name, _ in find_modules(namespace)]
    assert found == ["model", "models[0]", "by_name['ae']"]


def test_validate_output_cannot_be_forged_from_json():
    data = _valid()
    checked = validate(data)
    assert describe(checked, CIFAR_INPUT)["total_params"] == CIFAR_TOTAL
    forged = dict(checked)  # the same content in a plain dict, as JSON would give it: validated anew
    with pytest.raises(UnreadableModel):
        describe(forged, CIFAR_INPUT)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


# ------------------------------------------------------------------------------ the two halves agree


def test_the_exporter_and_the_grader_list_the_same_classes_and_functions():
    inside = _export()
    for name in ("MODULE_SETTINGS", "CONTAINERS", "FUNCTIONS", "METHODS", "GETATTR_NAMES", "FORMAT", "VERSION",
                 "MAX_MODULES", "MAX_NODES", "MAX_DEPTH", "MAX_TEXT", "MAX_ITEMS", "MAX_NEST"):
        assert getattr(inside, name) == getattr(allowlist, name), name


@pytest.mark.parametrize("make, shape", [
    (CIFARFunctional, [4, 3, 32, 32]), (CIFARSequential, [4, 3, 32, 32]),
    (lambda: load_reference("autoencoder.py").autoencoder(), [4, 784]),
], ids=["functional", "sequential", "autoencoder"])
def test_the_training_worker_builds_what_the_grader_rebuilt(make, shape):
    """The worker's builder (inside) and the grader's rebuild (outside) are two copies: same weights, same outputs."""
    from grader.frameworks.torch.training import prepare
    from grader_inside.torch.model import build

    text = json.dumps(export(make()))
    plan, _ = prepare(text, shape[1:])
    torch.manual_seed(0)
    trained = build(json.loads(plan))
    torch.manual_seed(0)
    rebuilt, _ = rebuild(load(text), device="cpu")
    x = torch.rand(shape, generator=torch.Generator().manual_seed(1))
    trained.eval(), rebuilt.eval()
    assert torch_count(trained) == torch_count(rebuilt)
    assert torch.equal(trained(x), rebuilt(x))


# ------------------------------------------------------------------------------ the capture module


def test_capture_finds_exports_and_fingerprints_modules():
    from grader_inside.torch import capture

    model = CIFAR10Model()
    assert [name for name, _ in capture.models_in({"model": model, "x": 1})] == ["model"]
    before = capture.fingerprint(model)
    assert capture.fingerprint(model) == before
    model.fc3 = nn.Linear(8192, 256)  # a new layer on the same object: exported again
    assert capture.fingerprint(model) != before
    record = capture.describe(model)
    assert record["class"] == "CIFAR10Model" and json.loads(record["architecture"])["format"] == "grader-torch-export"


def test_a_reference_says_its_input_shape():
    from grader_inside.torch import capture

    reference = load_reference("cifar10.py")
    record = capture.export(reference.cifar10_model(), vars(reference))
    assert json.loads(record["architecture"])["input_shape"] == CIFAR_INPUT
    assert capture.export(reference.cifar10_model(), {})[0] == "no_input_shape"
    assert capture.export("not a model", vars(reference)) == ("not_a_model", "str")
    card = ADAPTER.card_from_export(record["architecture"], name="cnn", source="reference")
    assert card.total_params == CIFAR_TOTAL and card.input_shapes == [[None, 3, 32, 32]]
    assert card.output_shapes == [[None, 10]]


# ------------------------------------------------------------------------------ what the report says


@pytest.mark.parametrize("layer, line", [
    ("conv2", "nn.Conv2d(32, 32, kernel_size=3, padding=1)"),
    ("fc3", "nn.Linear(8192, 512)"),
    ("drop1", "nn.Dropout(0.3)"),
    ("pool2", "nn.MaxPool2d(kernel_size=2)"),
    ("flat", "nn.Flatten()"),
    ("act1", "nn.ReLU()"),
])
def test_fix_lines_are_current_pytorch(layer, line):
    card = card_from(CIFAR10Model(), CIFAR_INPUT[1:])
    assert ADAPTER.fix_line(card.layer(layer), None) == line


def test_untraced_models_are_graded_on_their_tree_and_say_what_was_not_checked():
    class Branchy(CIFAR10Model):
        def forward(self, x):
            if x.sum() > 0:
                return super().forward(x)
            return x

    card = card_from(Branchy(), CIFAR_INPUT[1:])
    assert card.total_params == CIFAR_TOTAL and card.opaque_layers
    assert "could not follow" in render(card.opaque_reason, "en")
    assert [layer.kind for layer in card.layers][:3] == ["Conv2d", "ReLU", "Dropout"]
    assert first_difference(Branchy(), CIFAR10Model())[0][0] != "conv1"  # same modules: no layer differs


def test_a_shape_property_on_a_tensor_subclass_is_not_asked():
    class Big(torch.Tensor):
        @property
        def shape(self):
            return torch.Size([512, 8192])

    model = nn.Sequential(nn.Linear(10, 5))
    model[0].weight = nn.Parameter(torch.randn(5, 10).as_subclass(Big))
    assert model[0].weight.shape == (512, 8192)  # what the student's process says
    facts = export(model)["modules"][1]["params"]["weight"]
    assert facts["shape"] == [5, 10] and facts["subclass"] == "Big"
