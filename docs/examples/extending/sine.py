"""An example data source: windows of a noisy sine wave (``data: {name: sine, samples: 400}``).

A module that exposes ``SOURCES`` adds data sets a train check may name (``docs/extending.md``).
"""

import numpy as np

from grader.data.source import DataSource, Located


def _load(spec, base, resources, input_shape=None):
    options = {"samples": 400, "window": 8, "seed": 0, **spec.options}
    rng = np.random.default_rng(options["seed"])
    t = np.arange(options["samples"] + options["window"], dtype="float32")
    series = np.sin(t / 6) + rng.normal(scale=0.05, size=t.shape).astype("float32")
    x = np.stack([series[i:i + options["window"]] for i in range(options["samples"])])
    y = series[options["window"]:options["window"] + options["samples"]]
    cut = int(0.8 * options["samples"])
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


SOURCES = (DataSource("sine", load=_load, options=("samples", "window", "seed"),
                      locate=lambda spec, base, resources: Located("generated from a seed", False),
                      help="windows of a noisy sine wave, generated from a seed"),)
