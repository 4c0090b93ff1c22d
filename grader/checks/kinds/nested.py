"""``nested``: the model is built from nested models like the rubric's ``parts``, in order; with
``same_objects: true`` they are the very models the student keeps in those variables.

``GAN = Model(x, discriminadora(generadora(x)))`` nests ``generadora`` and ``discriminadora``;
``autoencoder = Model(x, decoder(encoder(x)))`` nests ``encoder`` and ``decoder``. A part is found
whether it is frozen or not. ``same_objects`` catches a GAN built from fresh copies of its parts:
its generator is then not the one the training loop uses to make images.

Example (a rubric check)::

    - {id: parts, kind: nested, model: gan, parts: [generadora, discriminadora], same_objects: true}
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.checks.parts import SAME, find_part, top_parts
from grader.frameworks import framework
from grader.i18n import msg


@dataclass(frozen=True)
class NestedOptions:
    parts: tuple = ()
    same_objects: bool = False

    NAMES = ("parts", "same_objects")

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "NestedOptions":
        parts = raw.get("parts")
        if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
            raise ValueError(f"'parts' must be a list of the rubric's model ids (the nested models, in order), "
                             f"got {parts!r}")
        same = raw.get("same_objects", False)
        if not isinstance(same, bool):
            raise ValueError(f"'same_objects' must be true or false, got {same!r}")
        return cls(parts=tuple(parts), same_objects=same)


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    card = match.card
    wanted = [p for p in spec.settings.parts]
    unknown = [p for p in wanted if p not in context.matches]
    if unknown:
        return Outcome(False, msg("nested.unknown_part", part=unknown[0]), error=True)
    expected = [msg("nested.part", part=p, title=context.matches[p].title or p) for p in wanted]
    parts = top_parts(card)
    if not parts:
        return Outcome(False, msg("nested.flat", model=card.name, parts=_listed(expected)), wanted, [],
                       hint=msg("fix.nest", parts=", ".join(f"`{p}`" for p in wanted)))
    problems, found, used = [], [], set()
    for model_id in wanted:
        other = context.matches[model_id]
        part, score = find_part(card, other.reference, adapter.families, exclude=used)
        if part is None or score < SAME:
            problems.append(msg("nested.missing", part=model_id, title=other.title or model_id,
                                found=", ".join(f"`{p.name}`" for p in parts) or "-"))
            continue
        used.add(part.name)
        found.append(part.name)
        if spec.settings.same_objects:
            problem = _same_object(part, other)
            if problem:
                problems.append(problem)
    order = [p.name for p in parts if p.name in used]
    if not problems and order != found:
        problems.append(msg("nested.order", found=" -> ".join(f"`{n}`" for n in order),
                            expected=" -> ".join(f"`{n}`" for n in found)))
    if problems:
        return Outcome(False, _sentences(problems), wanted, [p.name for p in parts],
                       hint=msg("fix.nest", parts=", ".join(f"`{p}`" for p in wanted)))
    message = msg("nested.pass.same" if spec.settings.same_objects else "nested.pass",
                  parts=" -> ".join(f"`{n}`" for n in found))
    return Outcome(True, message, wanted, found)


def _same_object(part, other) -> object:
    """A problem when the nested model is not the object graded for the other rubric model (None: it is)."""
    graded = other.capture
    if graded is None or not part.object_id or not graded.object_id:
        return None  # nothing to compare with: the part's own checks say what is missing
    if part.object_id == graded.object_id:
        return None
    return msg("nested.copy", part=part.name, variable=graded.variable)


def _listed(items: list):
    from grader.checks.graph import joined

    return joined(items)


def _sentences(items: list):
    from grader.checks.graph import sentences

    return sentences(items)


def title(options: NestedOptions):
    return msg("title.nested", parts=" -> ".join(options.parts))


KIND = CheckKind(name="nested", run=run, title=title, options=NestedOptions,
                 reference_checkable=lambda options: not options.same_objects)
