"""The rubric: which models an assignment asks for, and which checks each activity scores.

A rubric is a YAML file (format in ``docs/rubric.md``). It is validated when loaded, and
every problem is reported as one line naming the file, the line and the fix. Expected values
never appear in a rubric: checks name points of a reference model (a layer name) and the
grader derives shapes and counts from the reference.

Example:
    >>> rubric = load_rubric("rubrics/actividad2.yaml")          # doctest: +SKIP
    >>> rubric.assignment, [a.id for a in rubric.activities][:3]  # doctest: +SKIP
    ('actividad2', ['1', '2', '3'])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from grader.errors import InputError
from grader.frameworks import names as framework_names
from grader.i18n import LANGUAGES
from grader.execution.fit_cap import FitCap, parse_fit_cap
from grader.grading.environment import CourseEnvironment
from grader.sandbox.limits import Limits

EXPECT_KEYS = ("expect_total", "expect_trainable", "expect_non_trainable")


@dataclass
class ModelSpec:
    """A model the assignment asks for: how to build the reference, where to find the student's."""

    id: str
    build: str  # "file.py:function", relative to the rubric's reference folder
    title: Any = ""  # text, or {lang: text}
    variables: list[str] = field(default_factory=list)
    framework: str = "keras"
    files: list[str] = field(default_factory=list)  # file names (globs) of a folder submission it is built in
    # The reference is one valid answer among many (the handout fixes only the interface): no check may
    # compare its layers, and the student's model is found by variable or by interface, never by structure.
    example: bool = False
    # The handout's own figures ("total", "trainable", "non_trainable"): grader validate fails when the
    # reference disagrees.
    expect: dict[str, int] = field(default_factory=dict)


@dataclass
class CheckSpec:
    id: str
    kind: str
    title: Any = ""  # text, or {lang: text}
    model: str | None = None
    points: float = 1.0
    options: dict[str, Any] = field(default_factory=dict)  # as the rubric wrote them
    hidden: bool = False  # students see that it exists and its score, never its expectations
    private: str = ""  # the instructor's note: never in a student pack or a report
    settings: Any = None  # the options parsed by the check's kind (grader.checks), once, when loading


@dataclass
class Activity:
    id: str
    title: Any = ""  # text, or {lang: text}
    checks: list[CheckSpec] = field(default_factory=list)
    private: str = ""  # the instructor's note: never in a student pack or a report


@dataclass
class Rubric:
    path: Path
    assignment: str
    title: Any  # text, or {lang: text}
    reference: Path
    language: str = "en"  # default language of the grader's messages and reports
    legacy_keras: bool = False  # run old Keras 1/2 code through the translation layer
    messages: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {lang: text} overrides
    resources: list[Path] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    fit_cap: FitCap | None = field(default_factory=FitCap)  # None: the student's fit() runs as written
    models: dict[str, ModelSpec] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)
    environment: CourseEnvironment | None = None  # what the course's code imports (grader.grading.environment)
    replaced: tuple[str, ...] = ()  # names of the resources whose copy in a submission is replaced by the course's
    offline: dict[str, list[str]] = field(default_factory=dict)  # provider -> entries the code fetches (grader.data.offline)
    private: str = ""  # the instructor's note: never in a student pack or a report

    @property
    def max_score(self) -> float:
        return sum(c.points for a in self.activities for c in a.checks)

    def get_config(self) -> dict[str, Any]:
        """Plain data for the rubric (paths as given relative to the rubric file; check options as the
        rubric wrote them: their parsed settings are derived again by :meth:`from_config`)."""
        config = asdict(self)
        base = self.path.parent
        config["path"] = str(self.path)
        config["reference"] = _relative(self.reference, base)
        config["resources"] = [_relative(r, base) for r in self.resources]
        config["limits"] = self.limits.get_config()
        config["fit_cap"] = self.fit_cap.get_config() if self.fit_cap is not None else "off"
        for activity in config["activities"]:
            for check in activity["checks"]:
                check.pop("settings", None)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Rubric":
        """The rubric :meth:`get_config` describes (paths relative to ``config["path"]``'s folder).

        >>> rubric = load_rubric("rubrics/actividad2.yaml")                     # doctest: +SKIP
        >>> Rubric.from_config(rubric.get_config()) == rubric                  # doctest: +SKIP
        True
        """
        from grader.checks import check_kind

        config = dict(config)
        path = Path(config.pop("path"))
        base = path.parent
        models = {model_id: ModelSpec(**spec) for model_id, spec in config.pop("models").items()}
        activities = []
        for activity in config.pop("activities"):
            checks = []
            for check in activity["checks"]:
                kind = check_kind(check["kind"])
                adapter = _adapter(models[check["model"]].framework) if check.get("model") in models else None
                checks.append(CheckSpec(**check, settings=kind.parse(dict(check.get("options") or {}), adapter)))
            activities.append(Activity(id=activity["id"], title=activity.get("title", ""), checks=checks,
                                       private=activity.get("private", "")))
        fit_cap = config.pop("fit_cap", None)
        environment = config.pop("environment", None)
        if environment is not None:
            environment = CourseEnvironment(modules=tuple(environment["modules"]), source=environment.get("source", ""),
                                            requirements=dict(environment.get("requirements") or {}))
        return cls(path=path, reference=(base / config.pop("reference")).resolve(),
                   environment=environment, replaced=tuple(config.pop("replaced", ())),
                   resources=[(base / r).resolve() for r in config.pop("resources", [])],
                   limits=Limits.from_config(config.pop("limits", {})),
                   fit_cap=None if fit_cap in (None, "off") else FitCap.from_config(fit_cap),
                   models=models, activities=activities, **config)


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        import os
        return os.path.relpath(path, base)


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping, for error messages."""


class _Mapping(dict):
    line: int = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate the rubric at ``path``; raise :class:`InputError` on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "no such rubric", "check the path given to --rubric") from None
    except UnicodeDecodeError:
        raise InputError(path, "the rubric is not UTF-8 text", "save it as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"{where}invalid YAML ({problem})", "fix the YAML syntax") from None
    return _Parser(path).rubric(data)


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: Any, problem: str, fix: str = "") -> None:
        line = getattr(node, "line", 0)
        raise InputError(self.path, f"line {line}: {problem}" if line else problem, fix)

    def mapping(self, node: Any, what: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(node, dict):
            self.fail(node, f"{what} must be a mapping (key: value), got {type(node).__name__}")
        unknown = sorted(set(node) - allowed)
        if unknown:
            self.fail(node, f"unknown key {unknown[0]!r} in {what}",
                      f"use one of: {', '.join(sorted(allowed))}")
        missing = sorted(required - set(node))
        if missing:
            self.fail(node, f"{what} is missing the key {missing[0]!r}", f"add '{missing[0]}: ...'")
        return node

    def text(self, node: Any, value: Any, what: str) -> str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value).strip() == "":
            self.fail(node, f"{what} must be a non-empty text, got {value!r}")
        return str(value)

    def number(self, node: Any, value: Any, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self.fail(node, f"{what} must be a number >= 0, got {value!r}")
        return float(value)

    def rubric(self, data: Any) -> Rubric:
        top = self.mapping(data, "the rubric", {"schema", "assignment", "title", "language", "reference",
                                                "resources", "limits", "models", "activities",
                                                "legacy_keras", "messages", "fit_cap", "environment", "offline",
                                                "private"},
                           {"assignment", "reference", "models", "activities"})
        if top.get("schema", 1) != 1:
            self.fail(top, f"schema {top.get('schema')!r} is not supported", "use 'schema: 1'")
        base = self.path.parent
        language = top.get("language", "en")
        if language not in LANGUAGES:
            self.fail(top, f"language {language!r} is not supported", f"use one of: {', '.join(LANGUAGES)}")
        reference = (base / self.text(top, top["reference"], "'reference'")).resolve()
        if not reference.is_dir():
            self.fail(top, f"the reference folder {reference} does not exist",
                      "point 'reference' at the folder with the reference solutions, relative to the rubric")
        resources, replaced = [], []
        for item in top.get("resources") or []:
            resource, replace = self.resource(top, item, base)
            resources.append(resource)
            if replace:
                replaced.append(resource.name)
        rubric = Rubric(
            path=self.path, assignment=self.text(top, top["assignment"], "'assignment'"),
            title=self.localized(top, top.get("title"), "'title'") or str(top["assignment"]), reference=reference,
            language=language, resources=resources, limits=self.limits(top.get("limits")),
            legacy_keras=self.flag(top, top.get("legacy_keras", False), "legacy_keras"),
            messages=self.messages(top.get("messages")),
            fit_cap=self.fit_cap(top, top.get("fit_cap", FitCap())),
            environment=self.environment(top, top.get("environment")),
            replaced=tuple(replaced),
            offline=self.offline(top.get("offline")),
            private=self.private(top),
        )
        models = top["models"]
        self.mapping(models, "'models'", set(models) if isinstance(models, dict) else set())
        for model_id, spec in models.items():
            rubric.models[str(model_id)] = self.model(str(model_id), spec, reference)
        activities = top["activities"]
        if not isinstance(activities, list) or not activities:
            self.fail(top, "'activities' must be a non-empty list", "list the activities with '- id: ...'")
        seen_checks: set[str] = set()
        for node in activities:
            activity = self.activity(node, rubric, seen_checks)
            if any(a.id == activity.id for a in rubric.activities):
                self.fail(node, f"activity id {activity.id!r} is used twice", "give each activity its own id")
            rubric.activities.append(activity)
        return rubric

    def private(self, node: Any) -> str:
        """The instructor's own note (``private:``): any text, kept out of packs and reports."""
        value = node.get("private", "")
        return "" if value in (None, "") else self.text(node, value, "'private'")

    def flag(self, node: Any, value: Any, what: str) -> bool:
        if not isinstance(value, bool):
            self.fail(node, f"'{what}' must be true or false, got {value!r}")
        return value

    def localized(self, node: Any, value: Any, what: str) -> Any:
        """A text, or the same text per language: ``{es: ..., en: ...}``."""
        if value is None or value == "":
            return ""
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(LANGUAGES))
            if unknown or not value:
                self.fail(value if hasattr(value, "line") else node,
                          f"{what} per language takes the keys {', '.join(LANGUAGES)}, got {unknown or 'none'}",
                          "write e.g. {es: 'Entrada', en: 'Input'}")
            return {lang: self.text(value, text, f"{what} ({lang})") for lang, text in value.items()}
        return self.text(node, value, what)

    def messages(self, node: Any) -> dict[str, dict[str, str]]:
        """The rubric's own wording for grader messages: ``{message_id: {lang: template}}``."""
        from grader.i18n import fields_of
        from grader.i18n import messages as catalogue

        MESSAGES = catalogue()

        if node is None:
            return {}
        node = self.mapping(node, "'messages'", set(node) if isinstance(node, dict) else set())
        result = {}
        for message_id, texts in node.items():
            if message_id not in MESSAGES:
                close = sorted(m for m in MESSAGES if m.split(".")[0] == str(message_id).split(".")[0])
                self.fail(node, f"unknown message id {message_id!r} in 'messages'",
                          f"use one of: {', '.join(close or sorted(MESSAGES)[:12])}")
            texts = self.localized(node, texts, f"messages.{message_id}")
            texts = texts if isinstance(texts, dict) else {lang: texts for lang in LANGUAGES}
            allowed = fields_of(MESSAGES[message_id]["en"])
            for lang, template in texts.items():
                try:
                    used = fields_of(template)
                except ValueError as exc:
                    self.fail(node, f"messages.{message_id} ({lang}) is not a valid template ({exc})",
                              "write fields as {name} and double literal braces: {{ }}")
                if used - allowed:
                    self.fail(node, f"messages.{message_id} ({lang}) uses the field {sorted(used - allowed)[0]!r}",
                              f"the fields of this message are: {', '.join(sorted(allowed)) or 'none'}")
            result[str(message_id)] = texts
        return result

    def fit_cap(self, top: Any, value: Any) -> FitCap | None:
        """``fit_cap: {epochs: 2, batches: 10}``, ``fit_cap: off``, or ``true`` for the defaults."""
        if value is True:
            return FitCap()
        try:
            return parse_fit_cap(value)
        except (TypeError, ValueError) as exc:
            self.fail(value if hasattr(value, "line") else top, str(exc),
                      "write e.g. 'fit_cap: {epochs: 2, batches: 10}', or 'fit_cap: off' to run fit() as written")

    def resource(self, top: Any, item: Any, base: Path) -> tuple[Path, bool]:
        """A resource: a path (a student's file of the same name is kept), or ``{path: ..., student_copy:
        keep | replace}`` to say which copy runs when a submission ships its own."""
        node, replace = top, False
        if isinstance(item, dict):
            node = self.mapping(item, "a resource", {"path", "student_copy"}, {"path"})
            policy = node.get("student_copy", "keep")
            if policy not in ("keep", "replace"):
                self.fail(node, f"'student_copy' must be keep or replace, got {policy!r}",
                          "keep: a student's own copy runs; replace: the course's copy runs instead")
            item, replace = node["path"], policy == "replace"
        resource = (base / self.text(node, item, "each resource")).resolve()
        if not resource.exists():
            self.fail(node, f"the resource {resource} does not exist", "fix the path, relative to the rubric")
        return resource, replace

    def offline(self, node: Any) -> dict[str, list[str]]:
        """``offline: {keras_datasets: [mnist], keras_weights: [mobilenet_1_0_224_tf_no_top.h5]}``."""
        from grader.data.offline import offline_providers

        if node is None:
            return {}
        providers = offline_providers()
        node = self.mapping(node, "'offline'", set(providers))
        result = {}
        for name, entries in node.items():
            if not isinstance(entries, list) or not entries or not all(isinstance(e, str) for e in entries):
                self.fail(node, f"offline.{name} must be a non-empty list of names, got {entries!r}",
                          f"e.g. '{name}: [...]'; {providers[name].help}")
            for entry in entries:
                problem = providers[name].check(entry)
                if problem:
                    self.fail(node, problem, "see docs/rubric.md, section 'offline'")
            result[str(name)] = list(dict.fromkeys(entries))
        return result

    def environment(self, top: Any, value: Any) -> CourseEnvironment | None:
        """``environment: [numpy, sklearn]`` (module names), or ``environment: requirements.txt`` (relative to
        the rubric). Whether it is installed is checked by ``grader validate``, not here."""
        if value is None:
            return None
        if isinstance(value, list):
            if not value or not all(isinstance(m, str) and all(p.isidentifier() for p in m.split(".")) for m in value):
                self.fail(top, f"'environment' must list module names as code imports them, got {value!r}",
                          "write e.g. 'environment: [numpy, pandas, sklearn]', or name a requirements file")
            return CourseEnvironment.from_modules(list(value))
        written = self.text(top, value, "'environment'")
        path = (self.path.parent / written).resolve()
        if not path.is_file():
            self.fail(top, f"the requirements file {path} does not exist",
                      "fix the path (relative to the rubric), or list the modules: 'environment: [numpy, sklearn]'")
        return CourseEnvironment.from_requirements(path, written)

    def limits(self, node: Any) -> Limits:
        if node is None:
            return Limits()
        node = self.mapping(node, "'limits'", set(Limits().get_config()))
        try:
            return Limits.from_config(dict(node))
        except ValueError as exc:
            self.fail(node, str(exc), "sizes look like 512M or 4G, times are seconds, gpu_fraction is a share "
                                      "such as 0.25 (see docs/rubric.md)")

    def model(self, model_id: str, node: Any, reference: Path) -> ModelSpec:
        node = self.mapping(node, f"model {model_id!r}", {"build", "title", "variable", "framework", "file",
                                                          "example", *EXPECT_KEYS}, {"build"})
        build = self.text(node, node["build"], f"models.{model_id}.build")
        file_name, _, function = build.partition(":")
        if not function or not file_name.endswith(".py"):
            self.fail(node, f"models.{model_id}.build must look like 'file.py:function', got {build!r}")
        if not (reference / file_name).is_file():
            self.fail(node, f"models.{model_id}.build names {file_name}, which is not in {reference}",
                      "add the reference file or fix the name")
        variables = node.get("variable", [])
        variables = [variables] if isinstance(variables, str) else variables
        if not isinstance(variables, list) or not all(isinstance(v, str) and v.isidentifier() for v in variables):
            self.fail(node, f"models.{model_id}.variable must be a Python variable name or a list of them")
        framework = node.get("framework", "keras")
        if framework not in framework_names():
            self.fail(node, f"framework {framework!r} is not supported", f"use one of: {', '.join(framework_names())}")
        files = node.get("file", [])
        files = [files] if isinstance(files, str) else files
        if not isinstance(files, list) or not all(isinstance(f, str) and f.strip() and "/" not in f for f in files):
            self.fail(node, f"models.{model_id}.file must be a file name (a glob such as ej01*.ipynb) or a list of "
                      f"them, got {node.get('file')!r}", "write e.g. 'file: ej01.ipynb'")
        expect = {}
        for key in EXPECT_KEYS:
            if key in node:
                value = node[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    self.fail(node, f"models.{model_id}.{key} must be a whole number (the handout's figure), "
                              f"got {value!r}", "write it as the handout prints it, without separators: 58796")
                expect[key.removeprefix("expect_")] = value
        return ModelSpec(id=model_id, build=build, title=self.localized(node, node.get("title"), "title") or model_id,
                         variables=list(variables), framework=framework, files=list(files),
                         example=self.flag(node, node.get("example", False), f"models.{model_id}.example"),
                         expect=expect)

    def activity(self, node: Any, rubric: Rubric, seen: set[str]) -> Activity:
        node = self.mapping(node, "an activity", {"id", "title", "checks", "private"}, {"id", "checks"})
        activity = Activity(id=self.text(node, node["id"], "activity id"),
                            title=self.localized(node, node.get("title"), "title"), private=self.private(node))
        checks = node["checks"]
        if not isinstance(checks, list) or not checks:
            self.fail(node, f"activity {activity.id} needs a non-empty list of checks")
        for number, check_node in enumerate(checks, start=1):
            check = self.check(check_node, activity, number, rubric)
            if check.id in seen:
                self.fail(check_node, f"check id {check.id!r} is used twice", "give each check its own id")
            seen.add(check.id)
            activity.checks.append(check)
        return activity

    def check(self, node: Any, activity: Activity, number: int, rubric: Rubric) -> CheckSpec:
        from grader.checks import check_kinds

        every = check_kinds()
        if not isinstance(node, dict) or "kind" not in node:
            self.fail(node if isinstance(node, dict) else None,
                      f"check {number} of activity {activity.id} needs a 'kind'", f"use one of: {', '.join(every)}")
        kind = every.get(node["kind"])
        if kind is None:
            self.fail(node, f"unknown check kind {node['kind']!r}", f"use one of: {', '.join(every)}")
        allowed = {"id", "kind", "title", "model", "points", "hidden", "private"} | set(kind.options.NAMES)
        self.mapping(node, f"check {number} of activity {activity.id}", allowed)
        model = node.get("model")
        if kind.about == "submission" and model is not None:
            self.fail(node, f"a {kind.name} check is about the whole submission and takes no 'model'",
                      "remove 'model' from this check")
        adapter = None
        if kind.about == "model":
            if model is None:
                self.fail(node, f"a {kind.name} check needs 'model'", f"use one of: {', '.join(rubric.models)}")
            if str(model) not in rubric.models:
                self.fail(node, f"unknown model {model!r}", f"use one of: {', '.join(rubric.models)}")
            adapter = _adapter(rubric.models[str(model)].framework)
        options = {k: node[k] for k in kind.options.NAMES if k in node}
        try:
            settings = kind.parse(options, adapter)
        except ValueError as exc:
            self.fail(node, str(exc), f"see docs/rubric.md, section '{kind.name}'")
        for other in getattr(settings, "models_named", lambda: ())():
            if other not in rubric.models:
                self.fail(node, f"the check compares with the model {other!r}, which the rubric does not define",
                          f"use one of: {', '.join(rubric.models)}")
            if other == model:
                self.fail(node, f"the check compares model {other!r} with itself", "name another model of the rubric")
        if model is not None and rubric.models[str(model)].example and (
                kind.name in ("layers", "params") or (kind.name == "output_shape" and node.get("at"))):
            self.fail(node, f"model {model!r} is an example (one valid answer among many): a {kind.name} check "
                      + ("of one of its inner layers " if kind.name == "output_shape" else "")
                      + "would grade the example's own design",
                      "check its input and output shapes, compile settings and training instead, or set "
                      "'example: false' if the handout fixes the architecture")
        points = self.number(node, node.get("points", getattr(settings, "default_points", 1)), "points")
        if points and getattr(settings, "scores", True) is False:
            self.fail(node, f"a {kind.name} check reads a value the student's code computed, which the grader cannot "
                      "trust: it scores only when the rubric opts in", "add 'scores: true', or give it 'points: 0'")
        return CheckSpec(
            id=str(node.get("id") or f"a{activity.id}-{number}-{kind.name}"),
            kind=kind.name, title=self.localized(node, node.get("title"), "title"),
            model=str(model) if model is not None else None,
            points=points, options=options,
            hidden=self.flag(node, node.get("hidden", False), "hidden"), private=self.private(node),
            settings=settings,
        )


def _adapter(name: str):
    """The framework's adapter, or None when it is not installed (its checks' options are then checked
    without its vocabulary; grading says how to install it)."""
    from grader.frameworks import FrameworkUnavailable, framework

    try:
        return framework(name)
    except FrameworkUnavailable:
        return None
