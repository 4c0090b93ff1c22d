"""Errors the user can act on: each names the file, what is wrong, and the fix."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A file the grader reads (submission, rubric, reference) is unusable.

    ``str(error)`` is one line: ``PATH: what is wrong. Fix: what to do.``
    """

    def __init__(self, path: str | Path | None, problem: str, fix: str = "") -> None:
        self.path = str(path) if path is not None else ""
        self.problem = problem
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.path}: {self.problem}" if self.path else self.problem
        if self.fix:
            text += f". Fix: {self.fix}"
        return text
