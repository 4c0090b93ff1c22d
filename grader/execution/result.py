"""What running a submission produced: per-cell outcomes and the exported models."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# From best to worst; a submission's status is the worst of its files'.
STATUS_ORDER = ("ok", "error", "timeout", "memory", "killed")


@dataclass
class CellOutcome:
    """One cell (notebook) or one ``# %%`` section (script) and how it ended.

    ``status`` is ``ok``, ``error``, ``timeout`` or ``died``; ``hint`` is the likely fix.
    """

    file: str
    cell: int
    status: str = "ok"
    ename: str = ""
    evalue: str = ""
    line: int | None = None
    code: str = ""
    hint: str = ""
    duration_s: float = 0.0
    source: str = ""  # the cell's code (a script's whole text), for likely fixes that read more than the line

    @property
    def where(self) -> str:
        place = f"{self.file}, cell {self.cell}" if self.cell else self.file
        return f"{place}, line {self.line}" if self.line else place

    def get_config(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "CellOutcome":
        return cls(**config)


@dataclass
class Capture:
    """One model as the student's process exported it (architecture only, untrusted)."""

    file: str
    variable: str
    object_id: int
    where: str
    model_class: str
    built: bool
    order: int
    architecture: str | None = None
    error: str | None = None
    compile: dict | None = None
    framework: str = "keras"  # whose model it is (grader.frameworks)
    application: dict | None = None  # the keras.applications call that built it (untrusted, for messages)
    nested: list[dict] = field(default_factory=list)  # models used as its layers: {"name", "object", "application"}


@dataclass
class ExecutionResult:
    status: str = "ok"
    message: str = ""
    duration_s: float = 0.0
    cells: list[CellOutcome] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    output_tail: str = ""
    output_cut: int = 0          # bytes of output the grader did not keep
    sandbox: str = ""            # the isolation it ran under, in words
    sandbox_level: str = ""      # "bwrap", "process" or "none"
    limits: Any = None           # grader.sandbox.limits.Limits
    translations: list[dict] = field(default_factory=list)  # legacy mode: {"old", "new", "file", "line"}
    fit_cap: Any = None          # grader.execution.fit_cap.FitCap the run was under; None: as written
    capped_fits: list[dict] = field(default_factory=list)  # see grader.execution.capped_fits
    left_out: list = field(default_factory=list)  # messages: files of the submission not copied in, and why
    fit_calls: list[dict] = field(default_factory=list)  # every fit() the hook saw, capped or not (reported)
    values: list[dict] = field(default_factory=list)  # values of the rubric's variables, as the code left them
    written: list[dict] = field(default_factory=list)  # files the runs created or changed, observed after them
    unobserved: list[str] = field(default_factory=list)  # files of the submission whose writes could not be listed
    # What the code did with its models, as the student's process reported it (untrusted information):
    # {"event": "train" | "save" | "load" | "save_weights" | "load_weights" | "substituted", "file", ...}.
    events: list[dict] = field(default_factory=list)
    notices: list = field(default_factory=list)  # messages: what the grader changed to run the code (weights)
    course_files: list = field(default_factory=list)  # messages: which copy of a course file ran; offline data missing

    def to_json(self) -> dict[str, Any]:
        """The ``execution`` block of results.json."""
        return {
            "status": self.status,
            "message": self.message,
            "duration_s": round(self.duration_s, 3),
            "cells": [{k: v for k, v in c.get_config().items() if k != "source"} for c in self.cells
                      if c.status != "ok"],
            "sandbox": {"level": self.sandbox_level, "description": self.sandbox},
            "limits": self.limits.get_config() if self.limits is not None else None,
            "output": self.output_tail,
            "output_cut_bytes": self.output_cut,
            "translations": list(self.translations),
            "fit_cap": self.fit_cap.get_config() if self.fit_cap is not None else None,
            "capped_fits": list(self.capped_fits),
            "left_out": list(self.left_out),
            "written": list(self.written),
            "unobserved": list(self.unobserved),
            "reported_values": list(self.values),
            "notices": list(self.notices),
            "course_files": list(self.course_files),
        }
