"""What a student may see of a result: hidden checks keep their score, never their expectations.

A rubric check with ``hidden: true`` counts towards the grade like any other. A student-facing
report (``grader check``'s output, every report.html) shows that the check exists, whether it
passed and what it was worth, but not its title, message, expected/found values or fix. A
model with a hidden check also loses its layer-by-layer table and "what differs" list in the
student's view, since those would show the hidden expectations; its visible checks keep their
own messages. Results for instructors (``grade``'s results.json) keep everything.

Example:
    >>> view = student_view({"language": "en", "checks": [{"id": "c7", "hidden": True,
    ...     "title": "Dropout 0.3", "message": "rate 0.5 instead of 0.3", "status": "fail"}]})
    >>> view["checks"][0]["title"], view["checks"][0]["message"]
    ('Hidden check 1', 'Hidden check: its expectations are not shown.')
"""

from __future__ import annotations

import copy
from typing import Any

from grader.i18n import text


def student_view(result: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``result`` with every hidden check's expectations removed."""
    view = copy.deepcopy(result)
    lang = view.get("language") or "en"
    checks = view.get("checks") or []
    hidden_models = set()
    number = 0
    for check in checks:
        if not check.get("hidden"):
            continue
        number += 1
        hidden_models.add(check.get("model"))
        check.update(id=f"hidden-{number}", title=text("check.hidden.title", lang, number=number),
                     message=text("check.hidden", lang), expected=None, found=None, hint="")
    for model in view.get("models") or []:
        if model.get("id") in hidden_models:
            model.update(rows=[], findings=[], reference_total=None)
    view["audience"] = "student"
    return view


def hidden_count(result: dict[str, Any]) -> int:
    return sum(1 for check in result.get("checks") or [] if check.get("hidden"))
