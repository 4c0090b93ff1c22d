"""``saved_model``: a model like the reference was saved (``model.save``, ``keras.saving.save_model``) in one
of ``formats`` and loaded back (``load_model``) as the same model: the same layers and settings, the
same compile settings.

The watcher in the student's process records each save and load: the file's name and format, the
error if there was one, and the architecture saved or loaded (:mod:`grader_inside.keras.watch`);
the grader compares the architectures itself. A model loaded back is also graded like any other
(it is one more candidate for the rubric's models). Keras 3 saves only ``.keras`` and ``.h5``
files: ``model.save("modelo0")`` raises, and ``load_model("modelo0")`` too, even when
``modelo0.h5`` exists; the message says which call failed and how to name the file.

Example (a rubric check)::

    - {id: roundtrip, kind: saved_model, model: cnn, formats: [h5, keras]}
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.checks.parts import SAME
from grader.checks.align import similarity
from grader.frameworks import framework
from grader.i18n import msg

FORMATS = ("keras", "h5")


@dataclass(frozen=True)
class SavedModelOptions:
    formats: tuple = FORMATS

    NAMES = ("formats",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "SavedModelOptions":
        formats = raw.get("formats", list(FORMATS))
        formats = [formats] if isinstance(formats, str) else formats
        if not isinstance(formats, list) or not formats or not set(formats) <= set(FORMATS):
            raise ValueError(f"'formats' must be one or more of {', '.join(FORMATS)}, got {raw.get('formats')!r}")
        return cls(formats=tuple(formats))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    events = [e for e in context.execution.events if e.get("event") in ("save", "load")]
    reference = match.reference
    cards: dict[int, object] = {}

    def card_of(index: int):
        if index not in cards:
            event = events[index]
            outline = adapter.outline(event["architecture"], "saved") if event.get("architecture") else None
            cards[index] = adapter.canonical(outline) if outline else None
        return cards[index]

    wanted = ", ".join(f".{f}" for f in spec.settings.formats)
    saves = [i for i, e in enumerate(events) if e["event"] == "save"]
    failed = [events[i] for i in saves if events[i].get("error")]
    like = [i for i in saves if not events[i].get("error") and card_of(i) is not None
            and similarity(reference, card_of(i), adapter.families) >= SAME]
    in_format = [i for i in like if events[i].get("format") in spec.settings.formats]
    expected = {"formats": list(spec.settings.formats)}
    if not in_format:
        if failed:
            event = failed[0]
            return Outcome(False, msg("saved.save_failed", path=event.get("path"), where=_where(event),
                                      error=event.get("error")), expected, None, hint=msg("fix.save", formats=wanted))
        if like:
            event = events[like[0]]
            return Outcome(False, msg("saved.other_format", path=event.get("path"), format=event.get("format"),
                                      formats=wanted), expected, event.get("format"), hint=msg("fix.save", formats=wanted))
        return Outcome(False, msg("saved.none", formats=wanted), expected, None, hint=msg("fix.save", formats=wanted))
    problems = []
    for i in in_format:
        saved = events[i]
        loads = [k for k in range(i + 1, len(events)) if events[k]["event"] == "load"
                 and events[k].get("path") == saved.get("path")]
        if not loads:
            failed_loads = [e for e in events[i + 1:] if e["event"] == "load" and e.get("error")]
            problems.append(msg("saved.load_failed", path=failed_loads[0].get("path"), where=_where(failed_loads[0]),
                                error=failed_loads[0].get("error"), saved=saved.get("path"))
                            if failed_loads else msg("saved.not_loaded", path=saved.get("path")))
            continue
        loaded = loads[0]
        difference = _difference(card_of(i), card_of(loaded), saved.get("compile"), events[loaded].get("compile"),
                                 adapter)
        if difference is None:
            return Outcome(True, msg("saved.pass", path=saved.get("path"), format=saved.get("format"),
                                     saved_at=_where(saved), loaded_at=_where(events[loaded])),
                           expected, saved.get("format"))
        problems.append(msg("saved.differs", path=saved.get("path"), difference=difference))
    from grader.checks.graph import sentences

    return Outcome(False, sentences(problems[:3]), expected, None,
                   hint=msg("fix.load", path=events[in_format[0]].get("path")))


def _difference(saved, loaded, saved_compile, loaded_compile, adapter):
    """What differs between a saved model and the one loaded back (a message), or None."""
    if saved is None or loaded is None:
        return msg("saved.unreadable")
    if [(l.kind, l.config, l.trainable) for l in saved.layers] != [(l.kind, l.config, l.trainable) for l in loaded.layers]:
        return msg("saved.other_layers", saved=len(saved.layers), loaded=len(loaded.layers))
    for setting in ("loss", "optimizer", "metrics"):
        before = adapter.compile_value(setting, (saved_compile or {}).get(setting))
        after = adapter.compile_value(setting, (loaded_compile or {}).get(setting))
        if before != after:
            return msg("saved.other_compile", setting=setting, saved=before, loaded=after)
    return None


def _where(event: dict) -> str:
    return f"{event.get('file')}, {event.get('where')}"


def title(options: SavedModelOptions):
    return msg("title.saved_model")


KIND = CheckKind(name="saved_model", run=run, title=title, options=SavedModelOptions, reference_checkable=False)
