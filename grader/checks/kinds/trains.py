"""``trains``: which weights the model trains, where it matters: when the student's code trains it.

Keras 3 builds a model's training function at its first ``fit``/``train_on_batch`` after
``compile`` and keeps it: what is trainable at that call is what trains, whatever the flags say
later. The watcher in the student's process records the trainable weights at each training call,
per nested model (:mod:`grader_inside.keras.watch`); this check compares, at every call that built
the training function, each of ``parts`` (rubric models nested in this one) with the reference:
trained or frozen. Without ``parts``, the model as a whole (it trains at all). A model never
trained is judged on its last state, and the message says so.

The GAN of the slides: at ``GAN.train_on_batch`` the discriminator must be frozen and the
generator trainable; a loop that ends with "unfreeze the discriminator" leaves the final state
trainable, which is why the last state alone would mislead.

Example (a rubric check)::

    - {id: gan-trains, kind: trains, model: gan, parts: [generadora, discriminadora]}
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.checks.parts import find_part
from grader.frameworks import framework
from grader.i18n import msg


@dataclass(frozen=True)
class TrainsOptions:
    parts: tuple = ()

    NAMES = ("parts",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "TrainsOptions":
        parts = raw.get("parts", [])
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise ValueError(f"'parts' must be a list of the rubric's model ids (nested in this model), got {parts!r}")
        return cls(parts=tuple(parts))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    reference, card = match.reference, match.card
    unknown = [p for p in spec.settings.parts if p not in context.matches]
    if unknown:
        return Outcome(False, msg("nested.unknown_part", part=unknown[0]), error=True)
    # What trains in the reference (as compiled): each part, or the whole model.
    units = []  # (label, expected trains?, student part name or None)
    for model_id in spec.settings.parts:
        other = context.matches[model_id].reference
        ref_part, _ = find_part(reference, other, adapter.families)
        stu_part, score = find_part(card, other, adapter.families)
        expected = (ref_part.trainable_params if ref_part else other.trainable_params) > 0
        units.append((model_id, expected, stu_part.name if stu_part is not None and score >= 0.9 else None))
    if not spec.settings.parts:
        units.append(("", reference.trainable_params > 0, None))
    missing = [label for label, _, name in units if label and name is None]
    if missing:
        return Outcome(False, msg("trains.no_part", parts=", ".join(f"`{m}`" for m in missing), model=card.name),
                       error=False)
    expected = {label or card.name: trains for label, trains, _ in units}
    calls = [e for e in context.execution.events if e.get("event") == "train" and card.object_id
             and e.get("object") == card.object_id]
    built = [e for e in calls if e.get("builds")] or calls
    if not built:
        found = {label or card.name: _final(card, name) for label, _, name in units}
        state = msg("trains.never", model=card.name)
        return _outcome(expected, found, state, card, units)
    for event in built:
        found = {label or card.name: _at_call(event, name) for label, _, name in units}
        if found != expected:
            where = msg("trains.at", model=card.name, call=event.get("call", "fit"),
                        where=f"{event.get('file')}, {event.get('where')}")
            return _outcome(expected, found, where, card, units)
    where = msg("trains.at.all", model=card.name, call=built[0].get("call", "fit"),
                where=f"{built[0].get('file')}, {built[0].get('where')}")
    return _outcome(expected, found, where, card, units)


def _final(card, part_name) -> bool:
    if part_name is None:
        return card.trainable_params > 0
    return card.part(part_name).trainable_params > 0


def _at_call(event: dict, part_name) -> bool:
    if part_name is None:
        return int(event.get("trainable") or 0) > 0
    for part in event.get("parts") or []:
        if part.get("name") == part_name:
            return int(part.get("trainable") or 0) > 0
    return False


def _outcome(expected: dict, found: dict, when, card, units) -> Outcome:
    wrong = []
    for label, trains in expected.items():
        if found.get(label) == trains:
            continue
        wrong.append(msg("trains.should_freeze" if found.get(label) else "trains.should_train", part=label))
    states = [msg("trains.state.trains" if found.get(label) else "trains.state.frozen", part=label) for label in found]
    from grader.checks.graph import joined, sentences

    if not wrong:
        return Outcome(True, msg("trains.pass", when=when, states=joined(states)), expected, found)
    hint = msg("fix.freeze_part") if any(w["id"] == "trains.should_freeze" for w in wrong) else msg("fix.unfreeze")
    return Outcome(False, sentences([msg("trains.fail", when=when, states=joined(states)), *wrong]), expected, found,
                   hint=hint)


def title(options: TrainsOptions):
    return msg("title.trains")


KIND = CheckKind(name="trains", run=run, title=title, options=TrainsOptions, reference_checkable=False)
