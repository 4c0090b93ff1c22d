"""Choose which of a student's models to grade against each reference model.

A student's process may leave many models behind: the same variable reassigned per activity
(``modelRNN`` is a SimpleRNN, then SimpleRNN + Dense, then an LSTM), variants in other
variables, copies. Every distinct model object is a candidate. The grader prefers the
variable the rubric names and, among its candidates, the one closest to the reference; when
the named variable is missing or holds nothing like the reference, it takes the closest model
found anywhere and says so.

Example:
    >>> matches = match_models(rubric, execution.captures, reference_cards)  # doctest: +SKIP
    >>> matches["rnn"].found                                                 # doctest: +SKIP
    'modelRNN (correct.ipynb, cell 12)'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from grader.cards.card import ModelCard, UnreadableModel
from grader.checks.align import align, similarity
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
        adapter = adapters[rubric.models[model_id].framework]
        outline = outlines[id(capture)]
        return bool(outline) and capture.framework == adapter.name and \
            similarity(canonical_refs[model_id], outline, adapter.families) > 0.999

    exact: dict[int, set[str]] = {id(c): {m for m in canonical_refs if alike(m, c)} for c in pool}
    return {
        model_id: _match_one(spec, canonical_refs[model_id], pool, outlines, rebuilt, exact,
                             adapters[spec.framework])
        for model_id, spec in rubric.models.items()
    }


def _outline(capture: Capture, adapter: Framework | None) -> ModelCard | None:
    if not capture.architecture or adapter is None:
        return None
    outline = adapter.outline(capture.architecture, capture.variable)
    return adapter.canonical(outline) if outline else None


def _match_one(spec: ModelSpec, reference: ModelCard, pool: list[Capture],
               outlines: dict[int, ModelCard | None], rebuilt: dict, exact: dict[int, set[str]],
               adapter: Framework) -> Match:
    match = Match(model_id=spec.id, reference=reference, framework=adapter.name, title=spec.title,
                  variables=list(spec.variables))
    scored = []
    for capture in pool:
        if capture.framework != adapter.name:
            continue
        outline = outlines[id(capture)]
        named = capture.variable in spec.variables
        score = similarity(reference, outline, adapter.families) if outline else 0.0
        if named or score >= MIN_SIMILARITY:
            claimed = bool(exact[id(capture)] - {spec.id}) and spec.id not in exact[id(capture)]
            bonus = NAMED_BONUS * named + EXACT_BONUS * (score > 0.999) - CLAIMED_PENALTY * claimed
            scored.append((score + bonus, capture.order, capture))
    if not scored:
        return match
    _, _, chosen = max(scored, key=lambda item: (item[0], item[1]))
    match.capture = chosen
    named = chosen.variable in spec.variables
    match.how = "variable" if named or not spec.variables else "closest"
    if not named and spec.variables:
        wanted = " or ".join(f"`{v}`" for v in spec.variables)
        present = any(c.variable in spec.variables for c in pool)
        match.notes.append(msg("note.closest.different" if present else "note.closest.not_found",
                               variable=chosen.variable, where=msg("model.state.place", file=chosen.file,
                                                                   where=where_message(chosen.where)),
                               wanted=wanted))
    later = [c for c in pool if (c.file, c.object_id, c.variable) == (chosen.file, chosen.object_id, chosen.variable)
             and c.order > chosen.order]
    if later:
        match.notes.append(msg("note.state.earlier", variable=chosen.variable, where=where_message(chosen.where),
                               later=where_message(later[-1].where)))
    if chosen.architecture is None:
        match.problem = msg("problem.not_exported", variable=chosen.variable, reason=chosen.error or "?")
        return match
    card = _rebuild(chosen, reference, rebuilt, adapter)
    if isinstance(card, UnreadableModel):
        match.problem = msg("problem.unreadable", variable=chosen.variable, reason=str(card))
        return match
    match.card = adapter.canonical(card)
    match.notes.extend(card.notes)
    match.pairs = align(reference.layers, match.card.layers, adapter.families)
    return match


def _rebuild(capture: Capture, reference: ModelCard, rebuilt: dict, adapter: Framework) -> ModelCard | UnreadableModel:
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
    return result
