"""Expectations derived from the reference solutions, cached until the reference changes.

For every model a rubric names, the grader runs the instructor's reference function
(``reference/<assignment>/<file>.py:<function>``) in the sandbox, rebuilds the architecture it
exports (as it does a student's), describes it as a card, and keeps that card on disk. The cache key covers the reference folder's Python files, the
function, and the Keras and grader versions, so editing the reference invalidates it.

Example:
    >>> cards = reference_cards(load_rubric("rubrics/actividad2.yaml"))  # doctest: +SKIP
    >>> cards["alexnet"].total_params                                     # doctest: +SKIP
    62379752
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from grader import __version__
from grader.cache import cache_dir, write_cache
from grader.cards.card import ModelCard, UnreadableModel
from grader.errors import InputError
from grader.frameworks import FrameworkUnavailable, framework
from grader.sandbox.readback import plain_application, plain_compile, read_jsonl, read_nested
from grader.sandbox.levels import Sandbox
from grader.grading.rubric import ModelSpec, Rubric

CARD_FORMAT = 4  # 4: graph cards with regularizers and loss/optimizer arguments; 2: built in the sandbox
MAX_RESULT = 50_000_000


def reference_cards(rubric: Rubric, *, use_cache: bool = True, sandbox: Sandbox | None = None) -> dict[str, ModelCard]:
    """The reference card of every model in ``rubric``, keyed by model id.

    Models missing from the cache are built together, in one sandboxed run.
    """
    entries = _entries(rubric, list(rubric.models.values()), use_cache=use_cache, sandbox=sandbox)
    return {model_id: ModelCard.from_config(entry["card"]) for model_id, entry in entries.items()}


def reference_card(rubric: Rubric, spec: ModelSpec, *, use_cache: bool = True,
                   sandbox: Sandbox | None = None) -> ModelCard:
    entry = _entries(rubric, [spec], use_cache=use_cache, sandbox=sandbox)[spec.id]
    return ModelCard.from_config(entry["card"])


def reference_architecture(rubric: Rubric, spec: ModelSpec, *, use_cache: bool = True,
                           sandbox: Sandbox | None = None) -> str:
    """The reference model's exported architecture (what training checks train), cached with its card."""
    return _entries(rubric, [spec], use_cache=use_cache, sandbox=sandbox)[spec.id]["architecture"]


def build_reference(rubric: Rubric, spec: ModelSpec, *, sandbox: Sandbox | None = None) -> ModelCard:
    """Build the reference in the sandbox and describe its model (no cache)."""
    return ModelCard.from_config(_build(rubric, [spec], sandbox)[spec.id]["card"])


def _entries(rubric: Rubric, specs: list[ModelSpec], *, use_cache: bool, sandbox: Sandbox | None) -> dict[str, dict]:
    for name in dict.fromkeys(spec.framework for spec in specs):
        framework(name)  # not installed: one line that names the install command, before anything runs
    found, missing = {}, []
    for spec in specs:
        entry = _load(_cache_path(rubric, spec)) if use_cache else None
        if entry is None:
            missing.append(spec)
        else:
            found[spec.id] = entry
    if missing:
        built = _build(rubric, missing, sandbox)
        for spec in missing:
            write_cache(_cache_path(rubric, spec), json.dumps(built[spec.id]))
        found.update(built)
    return found


def _cache_path(rubric: Rubric, spec: ModelSpec) -> Path:
    return cache_dir() / "expectations" / f"{_cache_key(rubric.reference, spec)}.json"


def _load(path: Path) -> dict | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        ModelCard.from_config(entry["card"])  # a corrupt entry is rebuilt
        if entry.get("format") != CARD_FORMAT or not isinstance(entry.get("architecture"), str):
            return None
        return entry
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _build(rubric: Rubric, specs: list[ModelSpec], sandbox: Sandbox | None) -> dict[str, dict]:
    """Run the reference functions in the sandbox and rebuild what they export, as for a student."""
    from grader.sandbox.manifest import manifest
    from grader.sandbox.run import run_program

    models = [{"id": spec.id, "file": spec.build.partition(":")[0], "function": spec.build.partition(":")[2],
               "framework": spec.framework} for spec in specs]
    program = manifest("reference", models=models, result="references.jsonl")
    with run_program(program, results=["references.jsonl"], limits=rubric.limits, sandbox=sandbox,
                     folder=rubric.reference) as run:
        records = {record.get("id"): record for record in read_jsonl(run.results["references.jsonl"], MAX_RESULT)}
        ended, output = run.ended, run.output
    entries = {}
    for spec in specs:
        record = records.get(spec.id)
        file_path = rubric.reference / spec.build.partition(":")[0]
        if record is None:
            last = (output.strip().splitlines() or [""])[-1][:300]
            raise InputError(rubric.reference, f"building the reference models did not finish ({ended.status}"
                             + (f": {last}" if last else "") + ")",
                             "run the reference file with python to see the error, or raise the rubric's limits")
        if record.get("problem"):
            raise _problem(rubric, spec, file_path, record)
        adapter = framework(spec.framework)
        try:
            card = adapter.card_from_export(str(record.get("architecture")), name=spec.id, source="reference",
                                            compile_settings=plain_compile(record.get("compile")))
        except UnreadableModel as exc:
            raise InputError(file_path, f"the model of {spec.build} cannot be described: {exc}",
                             f"build the reference from {adapter.title}'s own layers") from None
        card.annotate(application=plain_application(record.get("application")),
                      nested=read_nested(record.get("nested")))
        entries[spec.id] = {"format": CARD_FORMAT, "card": card.get_config(), "architecture": record["architecture"]}
    return entries


def _problem(rubric: Rubric, spec: ModelSpec, file_path: Path, record: dict) -> InputError:
    function = spec.build.partition(":")[2]
    detail = str(record.get("detail", ""))[:500]
    line = f" at line {record['trace']}" if isinstance(record.get("trace"), int) else ""
    problems = {
        "import": (f"importing it raised {detail}{line}", "fix the reference solution"),
        "no_function": (f"there is no function {function}() for model {spec.id!r}",
                        f"define {function}() or fix 'build' in {rubric.path.name}"),
        "raised": (f"{function}() raised {detail}{line}",
                   "fix the reference solution; the grader derives every expectation from it"),
        "not_a_model": (f"{function}() returned {detail}, not a model of the rubric's framework ({spec.framework})",
                        "return the model from the reference function"),
        "not_built": (f"{function}() returned a model without an input shape",
                      "start the reference model with keras.Input(shape=...)"),
        "no_input_shape": (f"{file_path.name} does not say what input its models take", detail),
    }
    problem, fix = problems.get(record["problem"], (f"the reference could not be built ({detail})",
                                                    "fix the reference solution"))
    return InputError(file_path, problem, fix)


def _cache_key(reference: Path, spec: ModelSpec) -> str:
    digest = hashlib.sha256()
    for path in sorted(reference.rglob("*.py")):
        digest.update(str(path.relative_to(reference)).encode())
        digest.update(path.read_bytes())
    try:
        version = framework(spec.framework).version()
    except FrameworkUnavailable:
        version = "missing"
    digest.update(f"{spec.build}|{spec.framework}={version}|{__version__}|{CARD_FORMAT}".encode())
    return digest.hexdigest()[:32]
