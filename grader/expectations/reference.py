"""Expectations derived from the reference solutions, cached until the reference changes.

For every model a rubric names, the grader runs the instructor's reference function
(``reference/<assignment>/<file>.py:<function>``), describes the model it returns as a card,
and keeps that card on disk. The cache key covers the reference folder's Python files, the
function, and the Keras and grader versions, so editing the reference invalidates it.

Example:
    >>> cards = reference_cards(load_rubric("rubrics/actividad2.yaml"))  # doctest: +SKIP
    >>> cards["alexnet"].total_params                                     # doctest: +SKIP
    62379752
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import sys
from pathlib import Path

from grader import __version__
from grader.cards.card import ModelCard
from grader.cards.rebuild import card_from_model
from grader.errors import InputError
from grader.grading.rubric import ModelSpec, Rubric

CARD_FORMAT = 1


def keras_version() -> str:
    """The installed Keras's version, read without importing Keras (seconds saved per ``grader check``)."""
    try:
        return importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        import keras

        return keras.__version__


def cache_dir() -> Path:
    """Where derived expectations live: ``$GRADER_CACHE_DIR`` or ``~/.cache/grader``."""
    configured = os.environ.get("GRADER_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "grader"


def write_cache(path: Path, text: str) -> None:
    """Store ``text`` at ``path`` in the cache atomically (readers see all of it or nothing).
    A cache that cannot be written only costs time, so that is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


def reference_cards(rubric: Rubric, *, use_cache: bool = True) -> dict[str, ModelCard]:
    """The reference card of every model in ``rubric``, keyed by model id."""
    return {model_id: reference_card(rubric, spec, use_cache=use_cache)
            for model_id, spec in rubric.models.items()}


def reference_card(rubric: Rubric, spec: ModelSpec, *, use_cache: bool = True) -> ModelCard:
    key = _cache_key(rubric.reference, spec)
    path = cache_dir() / "expectations" / f"{key}.json"
    if use_cache and path.is_file():
        try:
            return ModelCard.from_config(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError, KeyError):
            pass  # a corrupt cache entry is rebuilt below
    card = build_reference(rubric, spec)
    write_cache(path, json.dumps(card.get_config()))
    return card


def reference_architecture(rubric: Rubric, spec: ModelSpec, *, use_cache: bool = True) -> str:
    """The reference model exported as JSON (what training checks train), cached like its card."""
    path = cache_dir() / "expectations" / f"{_cache_key(rubric.reference, spec)}.architecture.json"
    if use_cache and path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
    architecture = _reference_model(rubric, spec).to_json()
    write_cache(path, architecture)
    return architecture


def build_reference(rubric: Rubric, spec: ModelSpec) -> ModelCard:
    """Run the reference function and describe its model (no cache)."""
    model = _reference_model(rubric, spec)
    from grader.execution.harness import compile_settings

    card = card_from_model(model, name=spec.id, source="reference")
    card.compile = compile_settings(model)
    return card


def _reference_model(rubric: Rubric, spec: ModelSpec):
    file_name, _, function_name = spec.build.partition(":")
    file_path = rubric.reference / file_name
    module = _import(file_path)
    function = getattr(module, function_name, None)
    if not callable(function):
        raise InputError(file_path, f"there is no function {function_name}() for model {spec.id!r}",
                         f"define {function_name}() or fix 'build' in {rubric.path.name}")
    try:
        model = function()
    except Exception as exc:
        raise InputError(file_path, f"{function_name}() raised {type(exc).__name__}: {exc}",
                         "fix the reference solution; the grader derives every expectation from it") from None
    import keras

    if not isinstance(model, keras.Model):
        raise InputError(file_path, f"{function_name}() returned {type(model).__name__}, not a Keras model",
                         "return the model from the reference function")
    if not model.built:
        raise InputError(file_path, f"{function_name}() returned a model without an input shape",
                         "start the reference model with keras.Input(shape=...)")
    return model


def _import(file_path: Path):
    name = f"grader_reference_{hashlib.sha1(str(file_path).encode()).hexdigest()[:12]}"
    spec = importlib.util.spec_from_file_location(name, file_path)
    if spec is None or spec.loader is None:
        raise InputError(file_path, "cannot be imported", "check that it is a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(file_path.parent))
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise InputError(file_path, f"importing it raised {type(exc).__name__}: {exc}",
                         "fix the reference solution") from None
    finally:
        sys.path.remove(str(file_path.parent))
    return module


def _cache_key(reference: Path, spec: ModelSpec) -> str:
    digest = hashlib.sha256()
    for path in sorted(reference.rglob("*.py")):
        digest.update(str(path.relative_to(reference)).encode())
        digest.update(path.read_bytes())
    digest.update(f"{spec.build}|{keras_version()}|{__version__}|{CARD_FORMAT}".encode())
    return digest.hexdigest()[:32]
