"""``compile``: the model was compiled as the reference was (``settings``: loss, optimizer, metrics,
optimizer_config, learning_rate_schedule).

``optimizer_config`` compares the optimizer's hyper-parameters (learning rate, momentum, betas, ...)
within float32 precision, one by one ("momentum 0.0 instead of 0.9"); ``learning_rate_schedule``
compares a ``LearningRateSchedule`` given as the learning rate (its class and settings), or none.
"""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.frameworks import framework
from grader.i18n import msg

SETTINGS = ("loss", "optimizer", "metrics", "optimizer_config", "learning_rate_schedule")


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
    wrong = []
    for s in settings:
        if expected[s] == found[s]:
            continue
        if isinstance(expected[s], dict) and isinstance(found[s], dict):  # hyper-parameters, one by one
            details = [msg("setting.differs", setting=k, found=found[s].get(k, "-"), expected=value)
                       for k, value in expected[s].items() if found[s].get(k) != value]
            wrong.append(msg("compile.optimizer_config", details=details))
        else:
            shown = [msg("compile.no_schedule") if value is None and s == "learning_rate_schedule" else value
                     for value in (expected[s], found[s])]
            wrong.append(msg("compile.wrong", setting=s, expected=shown[0], found=shown[1]))
    return Outcome(False, msg("compile.fail", wrong=wrong), expected, found, hint=hint)


KIND = CheckKind(name="compile", run=run, title=lambda options: msg("title.compile"), options=CompileOptions)
