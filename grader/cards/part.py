"""A nested model as one unit of the model that uses it: a pre-trained base, a GAN's generator, an encoder.

A model used as a layer of another (``Sequential([base_model, ...])``, ``GAN(x) = d(g(x))``) is
described twice: its layers are opened into the outer card, so that checks and the diff read
one graph whichever way the student wrote it, and the unit itself is kept as a part: which
layers are its own, its input and output, its counts, whether it trains, which application
built it and, for a student's model, which object it was in the student's process.

Example:
    >>> part = PartCard(name="encoder", kind="Functional", layers=["enc_1", "latent"], params=10,
    ...                 trainable_params=10, input_shapes=[[None, 4]], output_shapes=[[None, 2]])
    >>> PartCard.from_config(part.get_config()) == part, part.frozen
    (True, False)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PartCard:
    """One nested model: ``name`` as the outer model names the layer that holds it."""

    name: str
    kind: str = "Functional"  # Functional or Sequential
    layers: list[str] = field(default_factory=list)  # its layers, as named in the outer (canonical) card
    input_shapes: list[Any] = field(default_factory=list)
    output_shapes: list[Any] = field(default_factory=list)
    params: int = 0
    trainable_params: int = 0
    non_trainable_params: int = 0
    trainable: bool = True  # the container's own flag (Keras does not derive it from its layers)
    application: dict | None = None  # {"name": "MobileNet", "weights": ..., ...} when keras.applications built it
    model_name: str = ""  # the nested model's own name (``mobilenet_1.00_224``)
    calls: int = 1  # times the outer model calls it (a shared part)
    object_id: int = 0  # the object in the student's process (0: unknown), for "the same model" checks
    variable: str = ""  # the student's variable that holds that object, when one does (``base_model``)
    parent: str = ""  # the part that holds this one, for a model nested two levels deep

    @property
    def frozen(self) -> bool:
        """No weight of the part trains (what ``part.trainable = False`` does)."""
        return self.params > 0 and self.trainable_params == 0

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "PartCard":
        return cls(**config)
