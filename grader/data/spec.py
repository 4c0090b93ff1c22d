"""Which data set a training check uses, and how to prepare it: the rubric's ``data:`` value.

Example:
    >>> DataSpec.from_config("airline").name
    'airline'
    >>> DataSpec.from_config({"name": "mnist", "train_samples": 2000}).get_config()["train_samples"]
    2000
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from grader.data import data_source


@dataclass(frozen=True)
class DataSpec:
    """``name``: airline, a Keras data set (mnist, fashion_mnist, cifar10, cifar100), blobs, or file.

    ``file``: the airline CSV or an ``.npz`` with x_train, y_train, x_test, y_test (relative to
    the rubric; by default the airline CSV is taken from the rubric's resources).
    ``history``: airline window length (default: from the model's input shape).
    ``train_samples``/``test_samples``: keep only the first N examples (brief training).
    ``normalize``: divide 8-bit images by 255. ``one_hot``: "auto" follows the loss.
    ``target``: "labels", or "inputs" to reconstruct the inputs (autoencoders).
    ``noise``: ``{loc, scale, clip, seed}``: Gaussian noise added to the inputs only, then clipped to
    ``clip`` (``[low, high]``), as a denoising autoencoder trains: noisy inputs, clean targets.
    ``options``: arguments of a generated data set (samples, classes, features, seed).
    """

    name: str
    file: str | None = None
    history: int | None = None
    train_samples: int | None = None
    test_samples: int | None = None
    normalize: bool = True
    one_hot: Any = "auto"
    target: str = "labels"
    noise: dict | None = None
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        source = data_source(self.name)  # ValueError naming the data sets there are
        if source.needs_file and not self.file:
            raise ValueError("data 'file' needs 'file: something.npz' (x_train, y_train, x_test, y_test)")
        for name in ("history", "train_samples", "test_samples"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(f"data '{name}' must be a whole number >= 1, got {value!r}")
        if self.one_hot not in ("auto", True, False):
            raise ValueError(f"data 'one_hot' must be auto, true or false, got {self.one_hot!r}")
        if self.target not in ("labels", "inputs"):
            raise ValueError(f"data 'target' must be labels or inputs, got {self.target!r}")
        if not isinstance(self.normalize, bool):
            raise ValueError(f"data 'normalize' must be true or false, got {self.normalize!r}")
        if self.noise is not None:
            _check_noise(self.noise)
        if self.options and not source.options:
            raise ValueError(f"data 'options' only applies to generated data sets, not to {self.name!r}")
        unknown = sorted(set(self.options) - set(source.options))
        if unknown:
            raise ValueError(f"unknown option {unknown[0]!r} of data {self.name!r}; use: {', '.join(source.options)}")

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: Any) -> "DataSpec":
        """A name (``"airline"``) or a mapping with the fields above; generated options may sit at the top."""
        if isinstance(config, str):
            return cls(name=config)
        if not isinstance(config, dict) or "name" not in config and "file" not in config:
            raise ValueError(f"data must be a data set name or a mapping with 'name', got {config!r}")
        config = dict(config)
        config.setdefault("name", "file")
        known = {f.name for f in fields(cls)}
        options = dict(config.pop("options", {}) or {})
        if data_source(config["name"]).options:
            options.update({k: config.pop(k) for k in list(config) if k not in known})
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} in data; use one of: {', '.join(sorted(known))}")
        return cls(**config, options=options)


def _check_noise(noise: Any) -> None:
    """``noise: {loc: 0.5, scale: 0.1, clip: [0.0, 1.0], seed: 0}``: scale > 0, the rest optional."""
    if not isinstance(noise, dict) or not set(noise) <= {"loc", "scale", "clip", "seed"} or "scale" not in noise:
        raise ValueError(f"data 'noise' must be a mapping with 'scale' (and optionally loc, clip, seed), got {noise!r}")
    for key in ("loc", "scale"):
        value = noise.get(key, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"data 'noise.{key}' must be a number, got {value!r}")
    if noise["scale"] <= 0:
        raise ValueError(f"data 'noise.scale' must be above 0, got {noise['scale']!r}")
    clip = noise.get("clip")
    if clip is not None and (not isinstance(clip, list) or len(clip) != 2 or
                             not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in clip)
                             or clip[0] >= clip[1]):
        raise ValueError(f"data 'noise.clip' must be [low, high] with low < high, got {clip!r}")
    seed = noise.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"data 'noise.seed' must be a whole number, got {seed!r}")
