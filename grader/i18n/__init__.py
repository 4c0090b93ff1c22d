"""Messages in Spanish and English: checks produce message ids with fields, rendering picks the language.

A message is plain data, ``{"id": "layers.missing", "fields": {...}}``, so it survives
results.json and can be rendered later in another language. Field values may themselves be
messages, or lists of messages (joined with "; "). The texts live in
:mod:`grader.i18n.catalogue`; a rubric may override any of them per language.

Example:
    >>> m = msg("fix.remove", layer="dropout_1")
    >>> render(m, "en"), render(m, "es")
    ('remove `dropout_1`', 'quita `dropout_1`')
"""

from __future__ import annotations

import string
from typing import Any

import functools

from grader.i18n.catalogue import MESSAGES as CATALOGUE

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@functools.lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Every message: the catalogue's, and those of installed extensions (entry-point group
    ``grader.messages``: a module with ``MESSAGES``, ids of its own, both languages)."""
    from grader.plugins import plugin_modules

    found = dict(CATALOGUE)
    for module in plugin_modules("grader.messages"):
        for message_id, texts in getattr(module, "MESSAGES", {}).items():
            if message_id in found:
                raise ValueError(f"{module.__name__} declares the message {message_id!r}, which grader already has")
            if set(texts) != set(LANGUAGES):
                raise ValueError(f"{module.__name__}: message {message_id!r} needs both languages ({', '.join(LANGUAGES)})")
            found[message_id] = texts
    return found


def msg(message_id: str, **fields: Any) -> dict[str, Any]:
    """A message to render later; ``message_id`` must be in the catalogue."""
    if message_id not in messages():
        raise KeyError(f"unknown message id {message_id!r}")
    return {"id": message_id, "fields": fields}


def is_msg(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"id", "fields"} and isinstance(value.get("id"), str)


def render(value: Any, lang: str = DEFAULT_LANGUAGE, overrides: dict | None = None) -> str:
    """Text for a message (or plain string, or list of them) in ``lang``.

    ``overrides`` maps a message id to ``{lang: template}`` (a rubric's own wording).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(render(item, lang, overrides) for item in value)
    if _localized(value):
        return pick(value, lang)  # a rubric author's own text per language
    if not is_msg(value):
        return str(value)
    texts = (overrides or {}).get(value["id"]) or {}
    known = messages()
    template = texts.get(lang) or known.get(value["id"], {}).get(lang)
    if template is None:
        template = known.get(value["id"], {}).get(DEFAULT_LANGUAGE, value["id"])
    fields = {k: render(v, lang, overrides) if (is_msg(v) or isinstance(v, list) or _localized(v)) else v
              for k, v in value["fields"].items()}
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):  # a rubric override naming a field that is not there
        return known[value["id"]][lang].format(**fields)


def _localized(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def text(message_id: str, lang: str = DEFAULT_LANGUAGE, **fields: Any) -> str:
    """Render a catalogue message at once."""
    return render(msg(message_id, **fields), lang)


def pick(value: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """A rubric text that may be given per language (``{es: ..., en: ...}``) in ``lang``.

    >>> pick({"es": "Entrada", "en": "Input"}, "en"), pick("Entrada", "en")
    ('Input', 'Entrada')
    """
    if isinstance(value, dict):
        return str(value.get(lang) or value.get(DEFAULT_LANGUAGE) or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def fields_of(template: str) -> set[str]:
    """The names of the ``{fields}`` a template uses."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported; use one of: {', '.join(LANGUAGES)}")
    return lang
