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
    ``target``: "labels", or "inputs" to reconstruct the inputs (autoencoders: with ``noise``, the
    inputs as they were before it, as a denoising autoencoder trains; "clean" says so explicitly).
    ``standardize``: subtract the training inputs' mean and divide by their deviation, per feature.
    ``noise``: Gaussian noise added to the inputs only (after scaling), then clipped:
    ``{gaussian: 0.5, clip: [0, 1], seed: 0}`` (noise of deviation 0.5, as ``x + 0.5 * normal()``), or
    ``{loc: 0.5, scale: 0.1, clip: [0, 1]}`` (``normal(loc, scale)``), as the course writes it.
    ``permute``: ``{seed: 0}``, one fixed permutation of each example's values (pixels), the same for
    every example of both splits.
    ``num_words``, ``vectorize`` (counts or multi_hot) and ``maxlen`` (padded and cut as
    ``keras.utils.pad_sequences`` does): for sequences of word ids (imdb).
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
    standardize: bool = False
    noise: dict | None = None
    permute: dict | None = None
    num_words: int | None = None
    vectorize: str | None = None
    maxlen: int | None = None
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
        if self.target not in ("labels", "inputs", "clean"):
            raise ValueError(f"data 'target' must be labels, inputs or clean, got {self.target!r}")
        for name in ("normalize", "standardize"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"data '{name}' must be true or false, got {getattr(self, name)!r}")
        self._check_noise()
        if self.target == "clean" and self.noise is None:
            raise ValueError("data 'target: clean' needs 'noise' (the clean inputs are the targets of noisy ones)")
        if self.permute is not None and (not isinstance(self.permute, dict) or set(self.permute) - {"seed"}
                                         or not _whole(self.permute.get("seed", 0), 0)):
            raise ValueError(f"data 'permute' must be {{seed: N}} (a whole number >= 0), got {self.permute!r}")
        for name in ("num_words", "vectorize", "maxlen"):
            if getattr(self, name) is not None and not source.sequences:
                raise ValueError(f"data '{name}' applies to sequences of word ids (imdb), not to {self.name!r}")
        for name in ("num_words", "maxlen"):
            if getattr(self, name) is not None and not _whole(getattr(self, name), 1):
                raise ValueError(f"data '{name}' must be a whole number >= 1, got {getattr(self, name)!r}")
        if self.vectorize not in (None, "counts", "multi_hot"):
            raise ValueError(f"data 'vectorize' must be counts or multi_hot, got {self.vectorize!r}")
        if self.vectorize and not self.num_words:
            raise ValueError("data 'vectorize' needs 'num_words' (the length of each vector)")
        if self.vectorize and self.maxlen:
            raise ValueError("data takes 'vectorize' (one vector per review) or 'maxlen' (a padded sequence), not both")
        if self.options and not source.options:
            raise ValueError(f"data 'options' only applies to generated data sets, not to {self.name!r}")
        unknown = sorted(set(self.options) - set(source.options))
        if unknown:
            raise ValueError(f"unknown option {unknown[0]!r} of data {self.name!r}; use: {', '.join(source.options)}")

    def _check_noise(self) -> None:
        """``noise``: ``gaussian`` (a deviation) or ``scale`` (and ``loc``); ``clip`` and ``seed`` optional."""
        if self.noise is None:
            return
        noise = self.noise
        if (not isinstance(noise, dict) or set(noise) - {"gaussian", "loc", "scale", "clip", "seed"}
                or ("gaussian" in noise) == ("scale" in noise) or ("gaussian" in noise and "loc" in noise)):
            raise ValueError(f"data 'noise' must be {{gaussian: 0.5, clip: [0, 1], seed: 0}} or "
                             f"{{loc: 0.5, scale: 0.1, clip: [0, 1], seed: 0}}, got {noise!r}")
        for key in ("gaussian", "scale", "loc"):
            value = noise.get(key, 0.0 if key == "loc" else None)
            if key not in noise:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (key != "loc" and value <= 0):
                raise ValueError(f"data 'noise.{key}' must be a number{' above 0' if key != 'loc' else ''} "
                                 f"(the noise's {'mean' if key == 'loc' else 'deviation'}), got {value!r}")
        clip = noise.get("clip")
        if clip is not None and not (isinstance(clip, list) and len(clip) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in clip) and clip[0] < clip[1]):
            raise ValueError(f"data 'noise.clip' must be [low, high] with low < high, got {clip!r}")
        if not _whole(noise.get("seed", 0), 0):
            raise ValueError(f"data 'noise.seed' must be a whole number >= 0, got {noise.get('seed')!r}")

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


def _whole(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low
