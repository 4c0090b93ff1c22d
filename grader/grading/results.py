"""A graded submission as typed data; JSON only at the file boundary (results.json, schema 1).

:class:`GradedSubmission` is what grading produces and what the batch, the CLI and every
exporter consume. ``to_json()`` writes the results.json document (the schema readers know:
fields may be added, none removed); ``from_json()`` reads one back, keeping any field it does not
know in ``extra`` so that a round trip loses nothing.

Example:
    >>> check = CheckResult("a1", "1", "Input", "pass", 1.0, 1.0, "ok")
    >>> result = GradedSubmission(assignment="hw", title="HW", language="en", submission="ana", status="graded",
    ...                           score=1.0, max_score=1.0, checks=[check])
    >>> GradedSubmission.from_json(result.to_json()) == result
    True
    >>> result.to_json()["checks"][0]["status"], result.passed
    ('pass', True)
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = 1

SubmissionStatus = Literal["graded", "error"]  # error: it could not be graded at all
ExecutionStatus = Literal["ok", "error", "timeout", "memory", "killed"]
# error: could not be evaluated; info: shown, never scored (a value the student's code reported)
CheckStatus = Literal["pass", "fail", "error", "skipped", "info"]
ActivityStatus = Literal["pass", "partial", "fail"]
RowStatus = Literal["same", "differs", "missing", "extra"]

EXECUTION_STATUSES: tuple[str, ...] = ExecutionStatus.__args__  # from best to worst
CHECK_STATUSES: tuple[str, ...] = CheckStatus.__args__


@dataclass
class CheckResult:
    """One check's outcome: status, points, the message for the student, expected and found values."""

    id: str
    activity: str
    title: str
    status: CheckStatus
    points: float
    max_points: float
    message: str
    expected: Any = None
    found: Any = None
    model: str | None = None
    hint: str = ""
    hidden: bool = False  # students see that it exists and its score, never its expectations
    kind: str = ""  # the check kind (grader.checks), which decides how reports show expected and found
    trust: str = ""  # "reported": it reads a value the student's own process wrote (not recomputed by the grader)

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "CheckResult":
        return cls(**_known(cls, config))


@dataclass
class ActivityResult:
    id: str
    title: str
    points: float
    max_points: float
    status: ActivityStatus


@dataclass
class LayerView:
    """One layer as a report shows it."""

    name: str
    kind: str
    describe: str
    output_shape: Any = None
    params: int | None = None


@dataclass
class RowDiff:
    """One aligned pair of the layer table: the reference's layer, the student's, and what differs."""

    status: RowStatus
    differs: list[str] = field(default_factory=list)
    reference: LayerView | None = None
    student: LayerView | None = None


@dataclass
class Finding:
    """One difference of a model, rendered: its sentence, the code that fixes it, where, what."""

    message: str
    fix: str = ""
    layer: str = ""
    attributes: list[str] = field(default_factory=list)


@dataclass
class ModelComparison:
    """A rubric model against the student's: which variable was graded, its notes, table and findings."""

    id: str
    title: str
    variable: str = ""
    found: str | None = None
    notes: list[str] = field(default_factory=list)
    reference_total: int | None = None
    student_total: int | None = None
    rows: list[RowDiff] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Execution:
    """How the submission ran (the ``execution`` block of results.json)."""

    status: ExecutionStatus = "ok"
    message: str = ""
    duration_s: float = 0.0
    cells: list[dict] = field(default_factory=list)  # the cells that did not end cleanly (CellOutcome configs)
    sandbox: dict | None = None  # {"level", "description"}
    limits: dict | None = None
    output: str = ""
    output_cut_bytes: int = 0
    translations: list[dict] = field(default_factory=list)
    fit_cap: dict | None = None
    capped_fits: list[dict] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    fit_cap_message: str = ""
    written: list[dict] = field(default_factory=list)  # files the code created or changed (observed by the sandbox)
    unobserved: list[str] = field(default_factory=list)  # files of the submission whose writes could not be listed
    reported_values: list[dict] = field(default_factory=list)  # values the code computed, as its process reported them
    notices: list[str] = field(default_factory=list)  # what the grader changed to run the code (weights)
    course_files: list[str] = field(default_factory=list)  # which copy of a course file ran; offline data missing


@dataclass
class Legacy:
    enabled: bool = False
    translations: list[dict] = field(default_factory=list)


@dataclass
class GradedSubmission:
    """Everything the grader says about one submission."""

    assignment: str
    title: str
    language: str
    submission: str
    status: SubmissionStatus
    score: float
    max_score: float
    execution: Execution = field(default_factory=Execution)
    activities: list[ActivityResult] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    models: list[ModelComparison] = field(default_factory=list)
    old_api: list[dict] = field(default_factory=list)
    legacy: Legacy = field(default_factory=Legacy)
    grader_version: str = ""
    graded_at: str = ""
    rubric: str = ""
    path: str = ""  # the submission as it was given (a file or a folder), for annotations on its lines
    audience: str = "instructor"  # "student": hidden checks' expectations removed (grader.reports.audience)
    # Graded with a student pack: the checks (and their points) only the instructor grades.
    graded_by_instructor: dict | None = None
    cache_key: str | None = None  # set by the batch: the content key this result was made from
    extra: dict[str, Any] = field(default_factory=dict)  # fields of a results.json this version does not know

    @property
    def passed(self) -> bool:
        """Every check passed."""
        return self.status == "graded" and all(check.status in ("pass", "info") for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The results.json document."""
        data = {"schema": SCHEMA, **asdict(self)}
        extra = data.pop("extra")
        if data["cache_key"] is None:
            data.pop("cache_key")
        return {**extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GradedSubmission":
        """Read a results.json document (raises ``TypeError``/``KeyError``/``ValueError`` when it is not one)."""
        if not isinstance(data, dict):
            raise TypeError("a results.json document is a JSON object")
        known = {f.name for f in dataclasses.fields(cls)} | {"schema"}
        fields = {k: v for k, v in data.items() if k in known and k != "schema"}
        for name, default in (("assignment", ""), ("submission", ""), ("status", "graded"), ("score", 0.0),
                              ("max_score", 0.0), ("language", "en")):
            fields.setdefault(name, default)
        fields.setdefault("title", fields["assignment"])
        fields["execution"] = Execution(**_known(Execution, data.get("execution") or {}))
        fields["activities"] = [ActivityResult(**_known(ActivityResult, a)) for a in data.get("activities", [])]
        fields["checks"] = [CheckResult.from_config(c) for c in data.get("checks", [])]
        fields["models"] = [_model(m) for m in data.get("models", [])]
        fields["legacy"] = Legacy(**_known(Legacy, data.get("legacy") or {}))
        fields["extra"] = {k: v for k, v in data.items() if k not in known}
        return cls(**fields)


def _model(data: dict) -> ModelComparison:
    model = ModelComparison(**_known(ModelComparison, data))
    model.rows = [RowDiff(status=r.get("status", "same"), differs=list(r.get("differs") or []),
                          reference=LayerView(**_known(LayerView, r["reference"])) if r.get("reference") else None,
                          student=LayerView(**_known(LayerView, r["student"])) if r.get("student") else None)
                  for r in data.get("rows", [])]
    model.findings = [Finding(**_known(Finding, f)) for f in data.get("findings", [])]
    return model


def _known(cls, data: dict) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}
