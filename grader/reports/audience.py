"""What a student may see of a result: hidden checks keep their score, never their expectations.

A rubric check with ``hidden: true`` counts towards the grade like any other. A student-facing
report (``grader check``'s output, every report.html) shows that the check exists, whether it
passed and what it was worth, but not its title, message, expected/found values or fix. A
model with a hidden check also loses its layer-by-layer table and "what differs" list in the
student's view, since those would show the hidden expectations; its visible checks keep their
own messages. Results for instructors (``grade``'s results.json) keep everything.

Example:
    >>> from grader.grading.results import CheckResult, GradedSubmission
    >>> result = GradedSubmission("hw", "HW", "en", "ana", "graded", 0.0, 1.0, checks=[
    ...     CheckResult("c7", "1", "Dropout 0.3", "fail", 0.0, 1.0, "rate 0.5 instead of 0.3", hidden=True)])
    >>> view = student_view(result)
    >>> view.checks[0].title, view.checks[0].message, view.audience
    ('Hidden check 1', 'Hidden check: its expectations are not shown.', 'student')
"""

from __future__ import annotations

import copy

from grader.grading.results import GradedSubmission
from grader.i18n import text


def student_view(result: GradedSubmission) -> GradedSubmission:
    """A copy of ``result`` with every hidden check's expectations removed."""
    view = copy.deepcopy(result)
    lang = view.language or "en"
    hidden_models = set()
    number = 0
    for check in view.checks:
        if not check.hidden:
            continue
        number += 1
        hidden_models.add(check.model)
        check.id, check.title = f"hidden-{number}", text("check.hidden.title", lang, number=number)
        check.message, check.expected, check.found, check.hint = text("check.hidden", lang), None, None, ""
    for model in view.models:
        if model.id in hidden_models:
            model.rows, model.findings, model.reference_total = [], [], None
    view.audience = "student"
    return view


def hidden_count(result: GradedSubmission) -> int:
    return sum(1 for check in result.checks if check.hidden)
