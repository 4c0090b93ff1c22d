"""An example check kind: the student's model has at most ``at_most`` layers (``docs/extending.md``).

A module that exposes ``KIND`` is a check kind; ``MESSAGES`` gives its sentences in both languages.
In grader's own tree this module would be ``grader/checks/kinds/max_layers.py`` and its messages
would join a part of ``grader/i18n/catalogue/``; from another package it is declared under the entry-point
groups ``grader.check_kinds`` and ``grader.messages``.
"""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg


@dataclass(frozen=True)
class MaxLayersOptions:
    at_most: int

    NAMES = ("at_most",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "MaxLayersOptions":
        value = raw.get("at_most")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"'at_most' must be a whole number >= 1, got {value!r}")
        return cls(at_most=value)


def run(spec, match, context) -> Outcome:
    count, limit = len(match.card.layers), spec.settings.at_most
    if count <= limit:
        return Outcome(True, msg("max_layers.pass", count=count, limit=limit), limit, count)
    return Outcome(False, msg("max_layers.fail", count=count, limit=limit), limit, count)


KIND = CheckKind(name="max_layers", run=run, options=MaxLayersOptions,
                 title=lambda options: msg("max_layers.title", limit=options.at_most))

MESSAGES = {
    "max_layers.title": {"en": "At most {limit} layers", "es": "Como mucho {limit} capas"},
    "max_layers.pass": {"en": "Your model has {count} layers (at most {limit}).",
                        "es": "Tu modelo tiene {count} capas (como mucho {limit})."},
    "max_layers.fail": {"en": "Your model has {count} layers; the activity allows at most {limit}.",
                        "es": "Tu modelo tiene {count} capas; la actividad permite como mucho {limit}."},
}
