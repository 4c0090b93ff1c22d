"""``compile``: the model was compiled as the reference was (``settings``: loss, optimizer, metrics)."""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.frameworks import framework
from grader.i18n import msg

SETTINGS = ("loss", "optimizer", "metrics")


@dataclass(frozen=True)
class CompileOptions:
    settings: tuple = ("loss",)

    NAMES = ("settings",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "CompileOptions":
        settings = raw.get("settings", ["loss"])
        if not isinstance(settings, list) or not settings or not set(settings) <= set(SETTINGS):
            raise ValueError(f"'settings' must be a list of {', '.join(SETTINGS)}, got {settings!r}")
        return cls(settings=tuple(settings))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    settings = spec.settings.settings
    reference = match.reference.compile or {}
    student = match.card.compile
    expected = {s: adapter.compile_value(s, reference.get(s)) for s in settings}
    hint = adapter.compile_call(match.card.name, reference)
    if not student:
        return Outcome(False, msg("compile.not_compiled", model=match.card.name), expected, None, hint=hint)
    found = {s: adapter.compile_value(s, student.get(s)) for s in settings}
    if expected == found:
        return Outcome(True, msg("compile.pass", settings=", ".join(f"{k}={v}" for k, v in found.items())),
                       expected, found)
    wrong = [msg("compile.wrong", setting=s, expected=expected[s], found=found[s])
             for s in settings if expected[s] != found[s]]
    return Outcome(False, msg("compile.fail", wrong=wrong), expected, found, hint=hint)


KIND = CheckKind(name="compile", run=run, title=lambda options: msg("title.compile"), options=CompileOptions)
