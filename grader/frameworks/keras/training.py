"""What train checks need to know about a Keras export (the training itself runs in the sandbox).

Example:
    >>> arch = ('{"class_name": "Sequential", "config": {"name": "mine", "layers": [{"class_name": "Dense", '
    ...         '"config": {"name": "out", "units": 1}}]}, "compile_config": {"loss": "mse"}}')
    >>> "compile_config" in without_compile(arch)
    False
    >>> cache_form(arch) == cache_form(arch.replace("mine", "other").replace('"out"', '"dense_7"'))
    True
"""

from __future__ import annotations

import json
from typing import Any

from grader.frameworks.keras.rebuild import built_architecture


def prepare(architecture: str, input_shape: Any) -> tuple[str, tuple]:
    """The architecture the worker trains: rebuilt here, Keras classes only (see ``built_architecture``)."""
    return built_architecture(architecture, input_shape)


def without_compile(architecture: str) -> str:
    """The architecture without the student's compile settings (its optimizer's name included)."""
    try:
        config = json.loads(architecture)
    except ValueError:
        return architecture
    if isinstance(config, dict) and "compile_config" in config:
        config.pop("compile_config")
        return json.dumps(config)
    return architecture


def cache_form(architecture: str) -> str:
    """The architecture with every layer (and the model) renamed by position: names never change numbers."""
    try:
        config = json.loads(architecture)
    except ValueError:
        return architecture
    names = {}
    for index, layer in enumerate(config.get("config", {}).get("layers", []) if isinstance(config, dict) else []):
        if isinstance(layer, dict):
            for name in (layer.get("name"), (layer.get("config") or {}).get("name")):
                if isinstance(name, str):
                    names.setdefault(name, f"layer_{index}")
    if isinstance(config, dict) and isinstance(config.get("config"), dict):
        model_name = config["config"].get("name")
        if isinstance(model_name, str):
            names.setdefault(model_name, "model")
    return json.dumps(_renamed(config, names), sort_keys=True)


def _renamed(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, names) for k, v in value.items()}
    return value
