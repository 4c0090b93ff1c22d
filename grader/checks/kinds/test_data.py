"""``test_data``: the code measures its model on test data, not on the data it trains on.

Read from the code, nothing run: each framework's ``read_code`` names the evaluation loaders and
those built from a training set (the Tema 06 handout builds ``testloader`` from ``trainset``, so
the accuracy it prints each epoch is on the training images). The check fails with each such line
and the line that builds the loader from the test set, and fails when the code evaluates on no
loader at all (so that empty code earns nothing).

Example (a rubric check)::

    - {id: a2-test-data, kind: test_data, title: "testloader uses the test set"}
"""

from grader.checks.kind import CheckKind, Outcome
from grader.i18n import msg

PROBLEMS = ("torch.code.test_on_train",)    # an evaluation loader built from a training set
EVALUATIONS = ("torch.code.evaluation",)   # an evaluation loader built from other data


def run(spec, context) -> Outcome:
    ids = [f.get("message", {}).get("id") for f in context.code_findings]
    found = [f for f, found_id in zip(context.code_findings, ids) if found_id in PROBLEMS]
    if not found:
        if not any(found_id in EVALUATIONS for found_id in ids):
            return Outcome(False, msg("test_data.none"), 0, None, hint=msg("test_data.none.hint"))
        return Outcome(True, msg("test_data.pass"), 0, 0)
    problems = [msg("test_data.where" if f.get("cell") else "test_data.where.script", file=f.get("file", ""),
                    cell=f.get("cell", 0), line=f.get("line", 0), message=f["message"]) for f in found]
    hints = [f["fix"] for f in found if f.get("fix")]
    return Outcome(False, problems, 0, len(found), hint="\n".join(hints))


KIND = CheckKind(name="test_data", run=run, title=lambda options: msg("title.test_data"), about="submission",
                 reference_checkable=False)
