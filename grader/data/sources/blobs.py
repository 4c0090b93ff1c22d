"""Data sets generated from a seed, for tests and for rubrics that need no real data.

``blobs``: Gaussian clusters, one per class, in ``features`` dimensions; the same
arguments give the same arrays on every machine.

Example:
    >>> (x, y), _ = blobs(samples=60, classes=3, features=2, seed=0)
    >>> x.shape, sorted(set(y.tolist()))
    ((48, 2), [0, 1, 2])
"""

from __future__ import annotations

import numpy as np

from grader.data.source import DataSource, Located


def blobs(*, samples: int = 600, classes: int = 3, features: int = 8, spread: float = 1.0, seed: int = 0,
          test_fraction: float = 0.2):
    """``(x_train, y_train), (x_test, y_test)``: class ``k`` is centred on a random point at distance ~4."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, features))
    centres *= 4.0 / np.linalg.norm(centres, axis=1, keepdims=True)
    labels = np.arange(samples) % classes
    rng.shuffle(labels)
    x = centres[labels] + rng.normal(scale=spread, size=(samples, features))
    cut = samples - int(round(samples * test_fraction))
    x, labels = x.astype("float32"), labels.astype("int64")
    return (x[:cut], labels[:cut]), (x[cut:], labels[cut:])


def _load(spec, base, resources, input_shape=None):
    try:
        return blobs(**spec.options)
    except TypeError as exc:
        raise ValueError(f"data 'blobs' options: {exc}") from None


SOURCES = (DataSource("blobs", load=_load, locate=lambda spec, base, resources: Located("generated from a seed", False),
                      options=("samples", "classes", "features", "spread", "seed", "test_fraction"),
                      help="Gaussian clusters generated from a seed (tests, rubrics without real data)"),)
