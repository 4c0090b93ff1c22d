"""Model cards: the plain-data description of a model that everything downstream reads.

A card is what the grader knows about one model: its layers (kind, key settings, output
shape, parameter counts, which layers feed it), its input shape, totals and compile
settings. Cards are built in the grader's own process from an exported architecture
(never from numbers the student's process reports) and round-trip through plain dicts.

A model is a graph: each layer lists the layers (or model inputs) that feed it, in the order
of the call (``inbound``), and how many times the model calls it (``calls``: a shared layer).
A model used as a layer of another (a pre-trained base, a GAN's parts) is a layer whose
``inner`` card describes it; the canonical form (the framework's) opens it into the outer card
and keeps it as a :class:`~grader.cards.part.PartCard`. Fields are only ever added, with
defaults, so a card written by an older grader still reads.

Example:
    >>> card = ModelCard(name="m", layers=[LayerCard(name="d", kind="Dense",
    ...     config={"units": 1}, output_shape=[None, 1], params=5, trainable_params=5)])
    >>> ModelCard.from_config(card.get_config()) == card
    True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from grader.cards.part import PartCard

class UnreadableModel(ValueError):
    """An exported model cannot be described; the message says why in plain words."""




@dataclass
class LayerCard:
    """One layer: what it is, how it is set up, what it outputs and what it costs."""

    name: str
    kind: str
    config: dict[str, Any] = field(default_factory=dict)
    output_shape: Any = None
    params: int = 0
    trainable_params: int = 0
    non_trainable_params: int = 0
    inbound: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)  # Activation layers merged into this one
    trainable: bool = True
    label: str = ""  # how the framework writes the layer (its adapter sets it); describe() says it
    trainable: bool = True  # whether its weights train (its own flag and every enclosing model's)
    calls: int = 1  # how many times the model calls it: more than 1 is a shared layer
    # Settings compared only when a check asks for them by name (initializers: class and config).
    initializers: dict[str, Any] = field(default_factory=dict)
    inner: "ModelCard | None" = None  # a nested model: its own card
    part: str = ""  # in a canonical card: the nested model (PartCard) this layer was opened from
    redacted: bool = False  # only hidden checks examine it: settings, shape and counts removed (grader.expectations.visible)

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "LayerCard":
        config = dict(config)
        if isinstance(config.get("inner"), dict):
            config["inner"] = ModelCard.from_config(config["inner"])
        return cls(**config)

    def describe(self) -> str:
        """A short human description, e.g. ``Conv2D(96, 11x11, strides 4, relu)``, or the adapter's label."""
        if self.label:
            return self.label
        c = self.config
        parts: list[str] = []
        for key in ("filters", "units", "rate"):
            if key in c:
                parts.append(str(c[key]))
        if "kernel_size" in c:
            parts.append("x".join(str(k) for k in c["kernel_size"]))
        if "pool_size" in c:
            parts.append("x".join(str(k) for k in c["pool_size"]))
        if c.get("strides") and any(s != 1 for s in c["strides"]):
            parts.append("strides " + "x".join(str(s) for s in c["strides"]))
        if c.get("padding") and not isinstance(c["padding"], str):
            parts.append(f"padding {_padding(c['padding'])}")
        elif c.get("padding") == "same":
            parts.append("same")
        if c.get("activation") not in (None, "linear"):
            parts.append(str(c["activation"]))
        return f"{self.kind}({', '.join(parts)})"


@dataclass
class ModelCard:
    """A whole model as plain data.

    ``source`` says where it came from (``"cell 4"``, ``"line 12"``, ``"reference"``);
    ``notes`` collect what the grader had to do to read it (for example, building an
    unbuilt model from the reference's input shape).
    """

    name: str
    layers: list[LayerCard] = field(default_factory=list)
    model_class: str = "Sequential"
    input_shapes: list[Any] = field(default_factory=list)
    output_shapes: list[Any] = field(default_factory=list)
    total_params: int = 0
    trainable_params: int = 0
    non_trainable_params: int = 0
    compile: dict[str, Any] | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)
    input_from_reference: bool = False  # built by the grader because it had no input shape
    # Layers whose code is the student's own (a custom Layer class): the grader does not run it,
    # so this card has their kind and connections but no shapes or parameter counts.
    opaque_layers: list[str] = field(default_factory=list)
    # Why the checks that need shapes or counts cannot be graded (a message; default: own layer classes).
    opaque_reason: Any = None
    input_names: list[str] = field(default_factory=list)  # what ``inbound`` calls the model's inputs
    outputs: list[str] = field(default_factory=list)  # the layers whose outputs are the model's
    parts: list[PartCard] = field(default_factory=list)  # nested models opened into a canonical card
    application: dict | None = None  # the keras.applications call that built this model, if one did
    object_id: int = 0  # the object in the student's process it was exported from (0: unknown)
    variable: str = ""  # a nested model's: the student's variable that holds the same object, when one does
    # Parameter counts through a layer, kept when the layers they sum over were redacted.
    through_totals: dict[str, dict[str, int]] = field(default_factory=dict)

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "ModelCard":
        config = dict(config)
        config["layers"] = [LayerCard.from_config(layer) for layer in config.get("layers", [])]
        config["parts"] = [PartCard.from_config(part) for part in config.get("parts", [])]
        return cls(**config)

    def annotate(self, *, application: dict | None = None, nested: list[dict] = (), object_id: int = 0) -> None:
        """Say which application call built the model and its nested models, and which objects they were
        (what the student's process reported: ``nested`` entries ``{"name": "outer/inner", "object",
        "application"}``)."""
        self.application = application or self.application
        self.object_id = object_id or self.object_id
        for entry in nested:
            card: ModelCard | None = self
            for name in str(entry.get("name", "")).split("/"):
                layer = next((item for item in card.layers if item.name == name), None) if card else None
                card = layer.inner if layer is not None else None
            if card is not None:
                card.application = entry.get("application") or card.application
                card.object_id = int(entry.get("object") or 0) or card.object_id
                card.variable = str(entry.get("variable") or "") or card.variable

    def part(self, name: str) -> PartCard:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    def layer(self, name: str) -> LayerCard:
        for layer in self.layers:
            if layer.name == name or name in layer.folded:
                return layer
        raise KeyError(name)

    def index(self, name: str) -> int:
        for i, layer in enumerate(self.layers):
            if layer.name == name or name in layer.folded:
                return i
        raise KeyError(name)

    def ancestors(self, index: int) -> list[int]:
        """Indices of the layer at ``index`` and every layer it depends on, in order."""
        by_name = {layer.name: i for i, layer in enumerate(self.layers)}
        seen = {index}
        stack = [index]
        while stack:
            for parent in self.layers[stack.pop()].inbound:
                j = by_name.get(parent)
                if j is not None and j not in seen:
                    seen.add(j)
                    stack.append(j)
        return sorted(seen)

    def params_through(self, index: int) -> dict[str, int]:
        """Parameters of the sub-model that ends at layer ``index``."""
        if self.layers[index].name in self.through_totals:
            return dict(self.through_totals[self.layers[index].name])
        chosen = [self.layers[i] for i in self.ancestors(index)]
        return {
            "total": sum(layer.params for layer in chosen),
            "trainable": sum(layer.trainable_params for layer in chosen),
            "non_trainable": sum(layer.non_trainable_params for layer in chosen),
        }


def _padding(padding) -> str:
    """``[[2, 2], [2, 2]]`` -> ``2``; uneven padding is shown as given."""
    flat = [p for pair in padding for p in (pair if isinstance(pair, list) else [pair])]
    return str(flat[0]) if len(set(flat)) == 1 else str(padding)
