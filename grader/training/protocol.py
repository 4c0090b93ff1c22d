"""How a model is trained for a training check: the part of a ``train`` check that one run covers.

Two checks with the same protocol (say, train RMSE and test RMSE) share one training run.

Example:
    >>> protocol = Protocol.from_config({"data": "airline", "loss": "mse", "epochs": 150, "batch_size": 5})
    >>> protocol.optimizer, protocol.seed
    ('adam', 0)
    >>> Protocol.from_config(protocol.get_config()) == protocol
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.data.spec import DataSpec

PROTOCOL_KEYS = ("data", "loss", "optimizer", "epochs", "batch_size", "seed", "time_budget")
MAX_EPOCHS = 10_000


@dataclass(frozen=True)
class Protocol:
    """``optimizer`` is a Keras name (``"adam"``) or ``{name: adam, learning_rate: 0.01}``; ``loss`` a Keras
    loss name or ``{name: categorical_crossentropy, from_logits: true}``.

    ``time_budget`` (seconds) stops training early when it runs out; the report says so.
    """

    data: DataSpec
    loss: Any = "mean_squared_error"
    optimizer: Any = "adam"
    epochs: int = 10
    batch_size: int = 32
    seed: int = 0
    time_budget: float = 300.0

    def __post_init__(self) -> None:
        for name, low, high in (("epochs", 1, MAX_EPOCHS), ("batch_size", 1, 1_000_000), ("seed", 0, 2**31 - 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"'{name}' must be a whole number from {low} to {high}, got {value!r}")
        loss_name = self.loss.get("name") if isinstance(self.loss, dict) else self.loss
        if not isinstance(loss_name, str) or not loss_name or (isinstance(self.loss, dict) and not all(
                isinstance(k, str) and (v is None or isinstance(v, (bool, int, float, str)))
                for k, v in self.loss.items())):
            raise ValueError(f"'loss' must be a Keras loss name such as mean_squared_error, or "
                             f"{{name: categorical_crossentropy, from_logits: true}}, got {self.loss!r}")
        name = self.optimizer.get("name") if isinstance(self.optimizer, dict) else self.optimizer
        if not isinstance(name, str) or not name:
            raise ValueError(f"'optimizer' must be a name (adam) or {{name: adam, learning_rate: 0.001}}, "
                             f"got {self.optimizer!r}")
        if isinstance(self.time_budget, bool) or not isinstance(self.time_budget, (int, float)) \
                or self.time_budget <= 0:
            raise ValueError(f"'time_budget' must be a number of seconds > 0, got {self.time_budget!r}")

    @property
    def loss_name(self) -> str:
        """The loss's name without its arguments: ``categorical_crossentropy``."""
        return str(self.loss.get("name")) if isinstance(self.loss, dict) else self.loss

    @property
    def from_logits(self) -> bool:
        """Whether the loss reads the model's outputs as logits (then a one-unit output's 0 is the boundary)."""
        return isinstance(self.loss, dict) and bool(self.loss.get("from_logits"))

    def loss_config(self) -> Any:
        """The loss for the training worker: a name, or ``{"name": ..., **arguments}``."""
        return dict(self.loss) if isinstance(self.loss, dict) else self.loss

    def optimizer_config(self) -> dict[str, Any]:
        """``{"name": ..., **arguments}`` for the training worker."""
        if isinstance(self.optimizer, dict):
            return dict(self.optimizer)
        return {"name": self.optimizer}

    def get_config(self) -> dict[str, Any]:
        return {"data": self.data.get_config(), "loss": self.loss, "optimizer": self.optimizer,
                "epochs": self.epochs, "batch_size": self.batch_size, "seed": self.seed,
                "time_budget": self.time_budget}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Protocol":
        config = dict(config)
        if "data" not in config:
            raise ValueError("a train check needs 'data' (airline, mnist, blobs, file, ...)")
        config["data"] = DataSpec.from_config(config["data"])
        unknown = sorted(set(config) - set(PROTOCOL_KEYS))
        if unknown:
            raise ValueError(f"unknown training setting {unknown[0]!r}; use: {', '.join(PROTOCOL_KEYS)}")
        if isinstance(config.get("time_budget"), int):
            config["time_budget"] = float(config["time_budget"])
        return cls(**config)
