"""Choose which of a student's models to grade against each reference model.

A student's process may leave many models behind: the same variable reassigned per activity
(``modelRNN`` is a SimpleRNN, then SimpleRNN + Dense, then an LSTM), variants in other
variables, copies. Every distinct model object is a candidate. The grader prefers the
variable the rubric names and, among its candidates, the one closest to the reference; when
the named variable is missing or holds nothing like the reference, it takes the closest model
found anywhere and says so. Models are compared in canonical form: a nested model is opened
(``Sequential([base_model, ...])`` is as close to a flat reference as the flat model), and
whether each layer trains counts (a frozen base and the same base fine-tuned are two models).

A model exactly like *another* rubric model's reference (layer by layer, trained or frozen)
belongs to that model: it is never
taken as "the closest" to this one, and a model in the named variable that is exactly another
reference and hardly like this one is not graded as this one either (the slides' ``bottleneck``
that builds no model must not be graded with the residual block in its place).

Example:
    >>> matches = match_models(rubric, execution.captures, reference_cards)  # doctest: +SKIP
    >>> matches["rnn"].found                                                 # doctest: +SKIP
    'modelRNN (correct.ipynb, cell 12)'
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from grader.cards.card import ModelCard, UnreadableModel
from grader.checks.align import align, similarity
from grader.checks.parts import alike as structure_alike
from grader.execution.result import Capture
from grader.frameworks import Framework, framework
from grader.i18n import msg

if TYPE_CHECKING:  # annotations only: the rubric is read, never imported here
    from grader.grading.rubric import ModelSpec, Rubric

NAMED_BONUS = 0.2
EXACT_BONUS = 0.3  # a model exactly like the reference wins over a near miss in the named variable
MIN_SIMILARITY = 0.35
# A candidate exactly like *another* rubric model's reference belongs to that model: when
# modelRNN holds SimpleRNN(5), then SimpleRNN(4), a wrong SimpleRNN(8) is the base model, not
# the exact SimpleRNN(4) of the next activity.
CLAIMED_PENALTY = 0.5
# ... and it is this model's only when it is named and at least this like it.
CLAIMED_MIN_SIMILARITY = 0.6


@dataclass
class Match:
    """The student's model chosen for one reference model, ready for checks."""

    model_id: str
    reference: ModelCard  # canonical
    framework: str = "keras"  # the rubric model's (grader.frameworks)
    title: Any = ""  # text, or {lang: text}
    variables: list[str] = field(default_factory=list)
    card: ModelCard | None = None  # canonical student card, None when nothing usable was found
    capture: Capture | None = None
    how: str = "missing"  # "variable", "closest" or "missing"
    problem: Any = ""  # why the chosen model could not be read (a message), if it could not
    # Why Keras cannot build the chosen model (its layers do not fit together: a stride that shrinks a
    # feature map below a kernel). Its card is then the outline: kinds and settings, no shapes or counts.
    unbuildable: Any = ""
    notes: list[Any] = field(default_factory=list)  # messages (grader.i18n)
    pairs: list[tuple[int | None, int | None]] = field(default_factory=list)

    @property
    def found(self) -> dict | None:
        """Which model, and which of its states, was graded: ``modelRNN (hw.py, line 12)`` as a message."""
        if self.capture is None:
            return None
        return state_message(self.capture)

    def student_index(self, reference_index: int) -> int | None:
        """The student's layer aligned with reference layer ``reference_index``."""
        for i, j in self.pairs:
            if i == reference_index:
                return j
        return None


def where_message(where: str) -> Any:
    """A capture's place as the sandbox wrote it (``cell 3``, ``line 12``, ``end``) as a message.

    >>> from grader.i18n import render
    >>> render(where_message("line 12"), "es"), render(where_message("cell 3"), "en")
    ('línea 12', 'cell 3')
    """
    kind, _, number = where.partition(" ")
    if kind in ("cell", "line") and number.isdigit():
        return msg(f"model.where.{kind}", number=int(number))
    if where == "end":
        return msg("model.where.end")
    return where


def state_message(capture: Capture) -> dict:
    """``modelRNN (hw.py, line 12)``: a variable and the state it was in, in any language."""
    return msg("model.state", variable=capture.variable, file=capture.file, where=where_message(capture.where))


def candidates(captures: list[Capture]) -> list[Capture]:
    """Every state each model passed through, per variable that held it (a state repeated as it was
    is kept once, at its last occurrence): ``modelRNN`` as a SimpleRNN alone after line 12 and as
    SimpleRNN + Dense after line 14 are two candidates, so an activity about the first is graded
    even though the student went on to add a layer."""
    latest: dict[tuple, Capture] = {}
    for capture in captures:
        state = (capture.architecture, repr(sorted((capture.compile or {}).items())), capture.error)
        key = (capture.file, capture.object_id, capture.variable, state)
        latest.pop(key, None)
        latest[key] = capture
    return sorted(latest.values(), key=lambda c: c.order)


def match_models(rubric: Rubric, captures: list[Capture], references: dict[str, ModelCard], *,
                 rebuilt: dict | None = None) -> dict[str, Match]:
    """The student's model to grade for each rubric model.

    ``rebuilt`` may be shared between calls: it maps an architecture (and input shape) to its
    rebuilt card, so the same model is rebuilt once.
    """
    pool = candidates(captures)
    adapters = {spec.framework: framework(spec.framework) for spec in rubric.models.values()}
    outlines = {id(c): _outline(c, adapters.get(c.framework)) for c in pool}
    rebuilt = {} if rebuilt is None else rebuilt
    canonical_refs = {model_id: adapters[spec.framework].canonical(references[model_id])
                      for model_id, spec in rubric.models.items()}

    def alike(model_id: str, capture: Capture) -> bool:
        # The same network, whether its layers train or not: a GAN whose discriminator is not frozen is still the
        # GAN (not the closest model to an encoder), and a base fine-tuned is still the transfer model's network.
        adapter = adapters[rubric.models[model_id].framework]
        outline = outlines[id(capture)]
        return bool(outline) and capture.framework == adapter.name and \
            same_kinds(canonical_refs[model_id], outline) and \
            structure_alike(canonical_refs[model_id], outline, adapter.families) > 0.999

    exact: dict[int, set[str]] = {id(c): {m for m in canonical_refs if alike(m, c) and not rubric.models[m].example}
                                  for c in pool}
    variables = {c.object_id: c.variable for c in pool}
    matches = {
        model_id: _match_one(spec, canonical_refs[model_id], in_files(pool, spec.files), outlines, rebuilt, exact,
                             adapters[spec.framework], variables)
        for model_id, spec in rubric.models.items() if not spec.example
    }
    for model_id, spec in rubric.models.items():  # examples last: never a model graded as another one
        if spec.example:
            taken = {(m.capture.file, m.capture.object_id) for m in matches.values() if m.capture is not None}
            others = [c for c in in_files(pool, spec.files) if (c.file, c.object_id) not in taken]
            matches[model_id] = _match_example(spec, canonical_refs[model_id], others, rebuilt,
                                               adapters[spec.framework], variables)
    return {model_id: matches[model_id] for model_id in rubric.models}


def _named(capture: Capture, spec: ModelSpec) -> bool:
    """Whether the capture is in a variable the rubric names; ``models[0]`` is in ``models``."""
    return capture.variable in spec.variables or capture.variable.split("[", 1)[0] in spec.variables


def in_files(pool: list[Capture], patterns: list[str]) -> list[Capture]:
    """The candidates built in the files ``patterns`` name (file names or globs); all when none.

    >>> [c.file for c in in_files([Capture("ej01.ipynb", "m", 1, "", "", True, 0),
    ...                            Capture("ej02.ipynb", "m", 2, "", "", True, 1)], ["ej02*"])]
    ['ej02.ipynb']
    """
    if not patterns:
        return pool
    return [c for c in pool if any(fnmatch.fnmatchcase(c.file, p) or fnmatch.fnmatchcase(c.file.rsplit("/", 1)[-1], p)
                                   for p in patterns)]


def _match_example(spec: ModelSpec, reference: ModelCard, pool: list[Capture], rebuilt: dict,
                   adapter: Framework, variables: dict[int, str] | None = None) -> Match:
    """A model whose reference is only an example: the named variable (its latest model), else the latest
    model with the example's input and output shapes that no other rubric model was given, said so."""
    match = Match(model_id=spec.id, reference=reference, framework=adapter.name, title=spec.title,
                  variables=list(spec.variables))
    pool = [c for c in pool if c.framework == adapter.name]
    named = [c for c in pool if _named(c, spec)]
    chosen = named[-1] if named else None
    if chosen is None:
        for capture in reversed(pool):
            if capture.architecture is None:
                continue
            card = _rebuild(capture, reference, rebuilt, adapter, variables or {})
            if isinstance(card, ModelCard) and _interface(card) == _interface(reference):
                chosen = capture
                break
        if chosen is not None and spec.variables:
            wanted = " or ".join(f"`{v}`" for v in spec.variables)
            match.notes.append(msg("note.example.interface", variable=chosen.variable,
                                   where=f"{chosen.file}, {chosen.where}", wanted=wanted))
    if chosen is None:
        return match
    return _finish(match, chosen, "variable" if chosen in named else "closest", reference, rebuilt, adapter,
                   variables)


def _interface(card: ModelCard) -> tuple:
    """Input and output shapes without the batch axis: what a model that is one answer among many must keep."""
    return ([list(s[1:]) for s in card.input_shapes], [list(s[1:]) if s else s for s in card.output_shapes])


def _outline(capture: Capture, adapter: Framework | None) -> ModelCard | None:
    if not capture.architecture or adapter is None:
        return None
    outline = adapter.outline(capture.architecture, capture.variable)
    return adapter.canonical(outline) if outline else None


def _match_one(spec: ModelSpec, reference: ModelCard, pool: list[Capture],
               outlines: dict[int, ModelCard | None], rebuilt: dict, exact: dict[int, set[str]],
               adapter: Framework, variables: dict[int, str] | None = None) -> Match:
    match = Match(model_id=spec.id, reference=reference, framework=adapter.name, title=spec.title,
                  variables=list(spec.variables))
    scored = []
    for capture in pool:
        if capture.framework != adapter.name:
            continue
        outline = outlines[id(capture)]
        named = _named(capture, spec)
        if not named and (not outline or similarity_bound(reference, outline) < MIN_SIMILARITY):
            continue
        score = similarity(reference, outline, adapter.families) if outline else 0.0
        claimed = bool(exact[id(capture)] - {spec.id}) and spec.id not in exact[id(capture)]
        if claimed and (not named or score < CLAIMED_MIN_SIMILARITY):
            continue
        if named or score >= MIN_SIMILARITY:
            bonus = NAMED_BONUS * named + EXACT_BONUS * (score > 0.999) - CLAIMED_PENALTY * claimed
            scored.append((score + bonus, capture.order, capture))
    if not scored:
        return match
    _, _, chosen = max(scored, key=lambda item: (item[0], item[1]))
    named = _named(chosen, spec)
    if not named and spec.variables:
        wanted = " or ".join(f"`{v}`" for v in spec.variables)
        present = any(_named(c, spec) for c in pool)
        match.notes.append(msg("note.closest.different" if present else "note.closest.not_found",
                               variable=chosen.variable, where=msg("model.state.place", file=chosen.file,
                                                                   where=where_message(chosen.where)),
                               wanted=wanted))
    later = [c for c in pool if (c.file, c.object_id, c.variable) == (chosen.file, chosen.object_id, chosen.variable)
             and c.order > chosen.order]
    if later:
        match.notes.append(msg("note.state.earlier", variable=chosen.variable, where=where_message(chosen.where),
                               later=where_message(later[-1].where)))
    return _finish(match, chosen, "variable" if named or not spec.variables else "closest", reference, rebuilt, adapter,
                   variables)


def _finish(match: Match, chosen: Capture, how: str, reference: ModelCard, rebuilt: dict, adapter: Framework,
            variables: dict[int, str] | None = None) -> Match:
    """``match`` with ``chosen`` rebuilt and aligned with the reference (or the problem that stopped it)."""
    match.capture, match.how = chosen, how
    if chosen.architecture is None:
        match.problem = msg("problem.not_exported", variable=chosen.variable, reason=chosen.error or "?")
        return match
    card = _rebuild(chosen, reference, rebuilt, adapter, variables or {})
    if isinstance(card, UnreadableModel):
        outline = _outline_of_unbuildable(chosen, card, adapter)
        if outline is None:
            match.problem = msg("problem.unreadable", variable=chosen.variable, reason=str(card))
            return match
        match.unbuildable = str(card)
        match.notes.append(msg("note.unbuildable", variable=chosen.variable, reason=str(card)))
        card = outline
    match.card = adapter.canonical(card)
    match.notes.extend(card.notes)
    match.pairs = align(reference.layers, match.card.layers, adapter.families)
    return match


def _outline_of_unbuildable(capture: Capture, problem: UnreadableModel, adapter: Framework) -> ModelCard | None:
    """The outline of a model of the framework's own layers that the framework refused to build (the
    layers' settings do not fit together), so that checks of kinds and settings still name the layer
    at fault; None for a model that could not be read for any other reason."""
    if not str(problem).startswith(REBUILD_FAILED) or adapter.outline is None:
        return None
    outline = adapter.outline(capture.architecture, capture.variable)
    if outline is None or not outline.layers:
        return None
    outline.source, outline.compile = f"{capture.file}, {capture.where}", capture.compile
    outline.opaque_layers = [layer.name for layer in outline.layers]  # no shapes or counts for any of them
    return outline


REBUILD_FAILED = "Keras could not rebuild it"  # grader.frameworks.keras.rebuild: the layers do not fit together


def _rebuild(capture: Capture, reference: ModelCard, rebuilt: dict, adapter: Framework,
             variables: dict[int, str] | None = None) -> ModelCard | UnreadableModel:
    input_shape = reference.input_shapes[0][1:] if reference.input_shapes else None
    key = hashlib.sha256(f"{adapter.name}|{capture.architecture}|{input_shape}".encode()).hexdigest()
    if key not in rebuilt:
        try:
            rebuilt[key] = adapter.card_from_export(
                capture.architecture, name=capture.variable, source=f"{capture.file}, {capture.where}",
                input_shape=input_shape, compile_settings=capture.compile,
            )
        except UnreadableModel as exc:
            rebuilt[key] = exc
    result = rebuilt[key]
    if isinstance(result, ModelCard):
        result = ModelCard.from_config(result.get_config())
        result.name, result.source = capture.variable, f"{capture.file}, {capture.where}"
        result.compile = capture.compile
        nested = [{**entry, "variable": (variables or {}).get(entry.get("object"), "")} for entry in capture.nested]
        result.annotate(application=capture.application, nested=nested, object_id=capture.object_id)
    return result


def same_kinds(reference: ModelCard, student: ModelCard) -> bool:
    """Whether two canonical cards have the same layer kinds, as many of each (a condition of "exactly alike")."""
    return Counter(layer.kind for layer in reference.layers) == Counter(layer.kind for layer in student.layers)


def similarity_bound(reference: ModelCard, student: ModelCard) -> float:
    """An upper bound of :func:`similarity`, from the kinds alone (cheap: no alignment)."""
    if not reference.layers or not student.layers:
        return 0.0
    ref, stu = Counter(layer.kind for layer in reference.layers), Counter(layer.kind for layer in student.layers)
    common = sum(min(count, stu.get(kind, 0)) for kind, count in ref.items())
    # a layer of another kind of the same family pairs too (at most 0.35): count it as a full pair, to stay an upper bound
    left = min(sum(ref.values()) - common, sum(stu.values()) - common)
    return 0.85 * (common + left) / max(len(reference.layers), len(student.layers)) + 0.15
