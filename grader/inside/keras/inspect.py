"""Questions about the student's objects that only its own process can answer: runs INSIDE the sandbox.

After the student's code has run, the harness asks each question the run's manifest lists
(``"inspect"``) of the student's namespace and writes one ``{"event": "inspected", ...}`` record per
question into the capture file. The answers are the student's process's own (untrusted): the
check that reads them compares them with what the grader rebuilt, and says where a number comes
from.

``ensemble``: the members (a list of models in ``members``) predict on the first ``rows`` examples
of ``inputs``; the mean of their predictions is compared with the student's own average
(``average``), and the members' objects are reported so the grader can check each one.
"""

import sys

MAX_ROWS = 512


def ask(question, namespace):
    """The record that answers one question (a dict from the manifest) about ``namespace``."""
    record = {"event": "inspected", "check": str(question.get("id", ""))[:200], "question": question.get("kind")}
    try:
        if question.get("kind") == "ensemble":
            record.update(_ensemble(question, namespace))
        else:
            record["error"] = "unknown question"
    except Exception as exc:  # noqa: BLE001 - the student's objects can be anything
        record["error"] = (type(exc).__name__ + ": " + str(exc))[:300]
    return record


def _ensemble(question, namespace):
    import numpy as np

    keras = sys.modules.get("keras")
    found = {}
    for role in ("members", "average", "inputs"):
        name = question.get(role)
        if name not in namespace:
            return {"missing": role, "name": str(name)[:100]}
        found[role] = namespace[name]
    members = found["members"]
    if not isinstance(members, (list, tuple)) or keras is None or \
            not all(isinstance(m, keras.Model) for m in members):
        return {"not_models": True, "type": type(members).__name__}
    rows = max(1, min(int(question.get("rows") or 256), MAX_ROWS))
    inputs = found["inputs"][:rows]
    predictions = [np.asarray(member.predict(inputs, verbose=0)) for member in members]
    mean = np.mean(predictions, axis=0)
    average = np.asarray(found["average"])
    if average.shape[1:] != mean.shape[1:] or len(average) < len(mean):
        return {"members": [id(m) for m in members], "count": len(members), "shape": list(average.shape)[:4],
                "expected_shape": [len(found["inputs"]), *mean.shape[1:]][:4]}
    difference = float(np.max(np.abs(average[:rows].astype("float64") - mean.astype("float64"))))
    return {"members": [id(m) for m in members], "count": len(members), "rows": int(len(mean)),
            "max_difference": difference}
