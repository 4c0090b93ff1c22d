"""``base_model``: the model is built on the rubric's ``base`` (a pre-trained application, say), nested or
written flat, and the base is as the reference's: the same network, input, frozen or not, counts.

The base is found inside the student's model: a nested model like the base's reference
(``Sequential([base_model, ...])``, ``base_model(inputs)``), or, in a flat model (the slides'
``Model(inputs=base_model.input, outputs=...)``), the run of layers aligned with the base's. It is
then graded as one unit. ``compare`` picks what must match:

* ``application``: the same network as the reference's base (layer by layer); the report names the
  ``keras.applications`` call that built it, with its arguments, when the code used one;
* ``input_shape``: the base's input;
* ``trainable``: frozen or not as the base is in this model's reference (how many of its parameters train:
  none for transfer learning, all but BatchNormalization's statistics for fine-tuning);
* ``params``: its parameter count.

Example (a rubric check)::

    - {id: base, kind: base_model, model: transfer, base: mobilenet, compare: [application, input_shape, trainable]}
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.checks.parts import SAME, alike, counterpart_layers, find_part, freeze_fix, part_card, sub_card
from grader.formatting import format_count, format_shape
from grader.frameworks import framework
from grader.i18n import msg

COMPARE = ("application", "input_shape", "trainable", "params")


@dataclass(frozen=True)
class BaseModelOptions:
    base: str = ""
    compare: tuple = COMPARE

    NAMES = ("base", "compare")

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "BaseModelOptions":
        base = raw.get("base")
        if not isinstance(base, str) or not base:
            raise ValueError(f"'base' must name the rubric model that is the base (its reference), got {base!r}")
        compare = raw.get("compare", list(COMPARE))
        compare = [compare] if isinstance(compare, str) else compare
        if not isinstance(compare, list) or not compare or not set(compare) <= set(COMPARE):
            raise ValueError(f"'compare' must be one or more of {', '.join(COMPARE)}, got {raw.get('compare')!r}")
        return cls(base=base, compare=tuple(compare))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    options = spec.settings
    if options.base not in context.matches:
        return Outcome(False, msg("nested.unknown_part", part=options.base), error=True)
    base_reference = context.matches[options.base].reference
    card = match.card
    part, score = find_part(card, base_reference, adapter.families)
    if part is not None and score >= 0.9:
        found, application, name = part_card(card, part), part.application, part.name
    else:
        indices = counterpart_layers(card, base_reference, adapter.families)
        found, application, name = sub_card(card, indices, card.name), None, None
        application = _application_of_flat(match, context)
    same_network = alike(base_reference, found, adapter.families) >= SAME
    described = _describe(application or base_reference.application, base_reference)
    in_reference = _base_in(match.reference, base_reference, adapter)  # frozen or not as this model's reference has it
    expected = {"application": _name(base_reference.application, base_reference), "input_shape": _shape(base_reference),
                "trainable": in_reference.trainable_params, "params": base_reference.total_params}
    seen = {"application": _name(application, found) if same_network else f"{len(found.layers)} layers",
            "input_shape": _shape(found), "trainable": found.trainable_params, "params": found.total_params}
    problems = []
    for key in options.compare:
        if key == "application" and not same_network:
            problems.append(msg("base.not_application", expected=described, layers=len(found.layers),
                                ref_layers=len(base_reference.layers)))
        elif key == "input_shape" and seen["input_shape"] != expected["input_shape"]:
            problems.append(msg("base.input", expected=expected["input_shape"], found=seen["input_shape"]))
        elif key == "trainable" and (found.trainable_params > 0) != (in_reference.trainable_params > 0):
            problems.append(msg("base.trains" if found.trainable_params else "base.frozen",
                                trainable=format_count(found.trainable_params), total=format_count(found.total_params)))
        elif key == "params" and found.total_params != base_reference.total_params:
            problems.append(msg("base.params", expected=format_count(base_reference.total_params),
                                found=format_count(found.total_params)))
    where = msg("base.nested", part=name) if name else msg("base.flat", layers=len(found.layers))
    state = msg("base.state.frozen" if found.trainable_params == 0 else "base.state.trains",
                trainable=format_count(found.trainable_params), total=format_count(found.total_params))
    substituted = (application or {}).get("substituted")
    notes = [msg("base.substituted", file=substituted)] if substituted else []
    shown_expected = {k: expected[k] for k in options.compare}
    shown_found = {k: seen[k] for k in options.compare}
    if problems:
        trains = any(p["id"] == "base.trains" for p in problems)
        hint = freeze_fix(card, name or "", trains) if trains or any(p["id"] == "base.frozen" for p in problems) \
            else ""
        return Outcome(False, _sentences([msg("base.fail", where=where), *problems, *notes]), shown_expected,
                       shown_found, hint=hint)
    return Outcome(True, _sentences([msg("base.pass", where=where, application=_describe(application, found),
                                         state=state), *notes]), shown_expected, shown_found)


def _base_in(card, base_reference, adapter):
    """The base as ``card`` (a model's reference) has it: a nested part, or its run of layers."""
    part, score = find_part(card, base_reference, adapter.families)
    if part is not None and score >= 0.9:
        return part_card(card, part)
    return sub_card(card, counterpart_layers(card, base_reference, adapter.families), card.name)


def _application_of_flat(match, context):
    """The application call behind a flat model (``Model(inputs=base_model.input, ...)``): the last one recorded
    before the graded model (``base_model`` is captured too; information for the message only)."""
    graded = match.capture
    if graded is None:
        return None
    before = [c for c in context.execution.captures if c.application and c.order <= graded.order]
    return before[-1].application if before else None


def _name(application: dict | None, card) -> str:
    return str(application.get("name")) if application and application.get("name") else f"{len(card.layers)} layers"


def _describe(application: dict | None, card) -> object:
    if not application:
        return msg("base.network", layers=len(card.layers), params=format_count(card.total_params))
    arguments = []
    for key in ("include_top", "weights", "alpha", "pooling"):
        if key in application and application[key] is not None:
            arguments.append(f"{key}={application[key]!r}")
    if application.get("input_shape"):
        arguments.insert(0, f"input_shape={tuple(application['input_shape'])}")
    return f"{application.get('name', '?')}({', '.join(arguments)})"


def _shape(card) -> str:
    return format_shape(card.input_shapes[0]) if card.input_shapes else "?"


def _sentences(items: list):
    from grader.checks.graph import sentences

    return sentences(items)


def title(options: BaseModelOptions):
    return msg("title.base_model", base=options.base)


KIND = CheckKind(name="base_model", run=run, title=title, options=BaseModelOptions, measures=True)
