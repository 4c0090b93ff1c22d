"""``layers``: a stretch of the reference (``from``..``to``) has counterparts of the same kind and
settings in the student's model, with no extra layer inside it (``settings`` restricts what is compared,
and may name settings compared only on request: ``kernel_initializer``, ``bias_initializer``, and
``trainable`` for layers with weights)."""

from dataclasses import dataclass

from grader.checks.align import differing_settings
from grader.checks.diff import setting_details
from grader.checks.kind import CheckKind, Outcome
from grader.checks.where import layer_name
from grader.frameworks import framework
from grader.i18n import msg


@dataclass(frozen=True)
class LayersOptions:
    start: str | None = None  # "from" in the rubric
    end: str | None = None    # "to"
    settings: tuple | None = None
    kinds: tuple | None = None  # only layers of these kinds (missing, extra or compared) are this check's

    NAMES = ("from", "to", "settings", "kinds")

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "LayersOptions":
        settings = raw.get("settings")
        if settings is not None:
            allowed = (*adapter.key_settings, *adapter.requested_settings, "trainable") if adapter is not None else ()
            if not isinstance(settings, list) or not all(isinstance(s, str) for s in settings):
                raise ValueError("'settings' must be a list of layer settings such as filters, kernel_size, strides; "
                                 f"use names from: {', '.join(allowed)}")
            unknown = [s for s in settings if allowed and s not in allowed]
            if unknown:
                raise ValueError(f"unknown layer setting {unknown[0]!r}; use names from: {', '.join(allowed)}")
            settings = tuple(settings)
        kinds = raw.get("kinds")
        if kinds is not None:
            if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k.isidentifier() for k in kinds):
                raise ValueError(f"'kinds' must be a list of layer classes such as [Dense, Conv2D], got {kinds!r}")
            kinds = tuple(kinds)
        return cls(start=layer_name(raw, "from"), end=layer_name(raw, "to"), settings=settings, kinds=kinds)


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    options = spec.settings
    ref_layers = match.reference.layers
    start = match.reference.index(options.start) if options.start else 0
    end = match.reference.index(options.end) if options.end else len(ref_layers) - 1
    only = list(options.settings) if options.settings else None
    kinds = set(options.kinds) if options.kinds else None
    problems, hints, expected, found, student_span = [], [], [], [], []
    for i in range(start, end + 1):
        ref = ref_layers[i]
        expected.append(ref.describe())
        if kinds and ref.kind not in kinds:
            continue  # another kind of layer: not this check's
        j = match.student_index(i)
        if j is None:
            problems.append(msg("layers.missing", ref=ref.name, describe=ref.describe()))
            hints.append(adapter.fix_line(ref, None))
            continue
        stu = match.card.layers[j]
        student_span.append(j)
        found.append(stu.describe())
        if stu.kind != ref.kind:
            problems.append(msg("layers.kind", ref=ref.name, describe=ref.describe(), layer=stu.name,
                                layer_describe=stu.describe()))
            hints.append(adapter.fix_line(ref, stu))
            continue
        wrong = differing_settings(ref, stu, only)
        if wrong:
            problems.append(msg("layers.settings", layer=stu.name, kind=stu.kind,
                                details=setting_details(ref, stu, wrong)))
            hints.append(adapter.fix_line(ref, stu))
    if student_span:
        # Extra layers inside the stretch, chained between the previous reference layer's
        # counterpart and the stretch, or trailing the model when the stretch ends it, belong here.
        before = [match.student_index(i) for i in range(start - 1, -1, -1)]
        lower = next((j for j in before if j is not None), None)
        leading = _leading_extras(match, min(student_span), lower) if lower is not None else set()
        upper = max(student_span) if end < len(ref_layers) - 1 else len(match.card.layers)
        for i, j in match.pairs:
            if i is None and j is not None and j not in student_span and \
                    (min(student_span) < j < upper or j in leading):
                extra = match.card.layers[j]
                if kinds and extra.kind not in kinds:
                    continue
                problems.append(msg("layers.extra", layer=extra.name, describe=extra.describe()))
                hints.append(adapter.fix_line(None, extra))
    if not problems:
        listed = ", ".join(expected)
        message = msg("layers.pass.one", layers=listed) if len(expected) == 1 else \
            msg("layers.pass.many", count=len(expected), layers=listed)
        return Outcome(True, message, expected, found)
    return Outcome(False, msg("layers.fail", problems=problems), expected, found, hint=[h for h in hints if h])


def _leading_extras(match, first: int, lower: int) -> set[int]:
    """Extra student layers on a chain from layer ``lower`` into layer ``first`` (nothing else between)."""
    layers = match.card.layers
    by_name = {layer.name: k for k, layer in enumerate(layers)}
    extras = {j for i, j in match.pairs if i is None and j is not None}
    found: set[int] = set()
    stack = [(first, ())]
    while stack:
        k, path = stack.pop()
        for parent in layers[k].inbound:
            p = by_name.get(parent)
            if p == lower:
                found.update(path)
            elif p in extras and p not in path:
                stack.append((p, (*path, p)))
    return found


def title(options: LayersOptions):
    return msg("title.layers", start=options.start or "1", end=options.end or "…")


KIND = CheckKind(name="layers", run=run, title=title, options=LayersOptions)
