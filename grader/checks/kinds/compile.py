"""``compile``: the model was compiled as the reference was (``settings``: loss, optimizer, metrics,
optimizer_config, learning_rate_schedule, and arguments of the loss or optimizer such as
``loss.from_logits`` or ``optimizer.learning_rate``).

``optimizer_config`` compares the optimizer's hyper-parameters (learning rate, momentum, betas, ...)
within float32 precision, one by one ("momentum 0.0 instead of 0.9"); ``learning_rate_schedule``
compares a ``LearningRateSchedule`` given as the learning rate (its class and settings), or none.

Example:
    >>> CompileOptions.parse({"settings": ["loss", "loss.from_logits", "optimizer.learning_rate"]}).settings
    ('loss', 'loss.from_logits', 'optimizer.learning_rate')
"""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.frameworks import framework
from grader.i18n import msg

SETTINGS = ("loss", "optimizer", "metrics", "optimizer_config", "learning_rate_schedule")
ARGUMENTS_OF = ("loss", "optimizer")  # whose arguments a rubric may compare: loss.from_logits, ...


@dataclass(frozen=True)
class CompileOptions:
    settings: tuple = ("loss",)

    NAMES = ("settings",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "CompileOptions":
        settings = raw.get("settings", ["loss"])
        allowed = f"{', '.join(SETTINGS)}, or an argument such as loss.from_logits or optimizer.learning_rate"
        if not isinstance(settings, list) or not settings:
            raise ValueError(f"'settings' must be a list of {allowed}, got {settings!r}")
        for setting in settings:
            part, dot, argument = str(setting).partition(".")
            if not (setting in SETTINGS or (dot and part in ARGUMENTS_OF and argument.isidentifier())):
                raise ValueError(f"unknown compile setting {setting!r}; use {allowed}")
        return cls(settings=tuple(settings))


def run(spec, match, context) -> Outcome:
    adapter = framework(match.framework)
    settings = spec.settings.settings
    reference = _normalized(adapter, match.reference.compile or {}, match.reference)
    student = match.card.compile
    expected = {s: _value(adapter, s, reference) for s in settings}
    hint = adapter.compile_call(match.card.name, reference)
    if not student:
        return Outcome(False, msg("compile.not_compiled", model=match.card.name), expected, None, hint=hint)
    student = _normalized(adapter, student, match.card)
    found = {s: _value(adapter, s, student) for s in settings}
    if expected == found:
        return Outcome(True, msg("compile.pass", settings=", ".join(f"{k}={_shown(v)}" for k, v in found.items())),
                       expected, found)
    wrong = []
    for s in settings:
        if expected[s] == found[s]:
            continue
        if isinstance(expected[s], dict) and isinstance(found[s], dict):  # hyper-parameters, one by one
            details = [msg("setting.differs", setting=k, found=found[s].get(k, "-"), expected=value)
                       for k, value in expected[s].items() if found[s].get(k) != value]
            wrong.append(msg("compile.optimizer_config", details=details))
        elif s == "learning_rate_schedule":
            shown = [msg("compile.no_schedule") if value is None else value for value in (expected[s], found[s])]
            wrong.append(msg("compile.wrong", setting=s, expected=shown[0], found=shown[1]))
        else:
            wrong.append(_wrong(s, expected[s], found[s]))
    return Outcome(False, msg("compile.fail", wrong=wrong), expected, found, hint=hint)


def _normalized(adapter, settings: dict, card) -> dict:
    if adapter.normalize_compile is None:
        return settings
    return adapter.normalize_compile(settings, card.output_shapes[0] if card.output_shapes else None) or settings


def _value(adapter, setting: str, settings: dict):
    return adapter.compile_value(setting, settings if "." in setting else settings.get(setting))


def _wrong(setting: str, expected, found):
    if setting == "optimizer.learning_rate":
        return msg("compile.learning_rate", expected=_shown(expected), found=_shown(found))
    if "." in setting:
        return msg("compile.argument", setting=setting, expected=_shown(expected), found=_shown(found))
    return msg("compile.wrong", setting=setting, expected=_shown(expected), found=_shown(found))


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


KIND = CheckKind(name="compile", run=run, title=lambda options: msg("title.compile"), options=CompileOptions)
