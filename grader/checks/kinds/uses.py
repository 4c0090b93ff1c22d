"""``uses``: the code calls the functions or modules the activity is about, read without running it.

For work that is not a model the grader can rebuild (an SVM on HOG features with scikit-learn
and scikit-image): the check says whether, and where, the code calls each one. A call is known by
the name it resolves to through the file's imports (:mod:`grader.checks.static`), so
``from sklearn import svm; svm.SVC()`` uses ``sklearn.svm``. It says the attempt is there, not that
it is right; pair it with a ``reported_value`` to show the result the code reported.

Example (a rubric check)::

    - {id: a12-uses, kind: uses, calls: [skimage.feature.hog, sklearn.svm], title: "Extrae HOG y entrena una SVM"}
"""

from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome
from grader.checks.kinds.no_input import where
from grader.checks.static import calls, matches
from grader.i18n import msg


@dataclass(frozen=True)
class UsesOptions:
    calls: tuple

    NAMES = ("calls",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "UsesOptions":
        wanted = raw.get("calls")
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(wanted, list) or not wanted or not all(
                isinstance(w, str) and all(part.isidentifier() for part in w.split(".")) for w in wanted):
            raise ValueError(f"'calls' must list dotted names such as sklearn.svm or skimage.feature.hog, "
                             f"got {raw.get('calls')!r}")
        return cls(tuple(wanted))


def run(spec, context) -> Outcome:
    made = calls(context.code)
    found, missing = [], []
    for wanted in spec.settings.calls:
        first = next((c for c in made if matches(c.name, wanted)), None)
        if first is None:
            missing.append(wanted)
        else:
            found.append(msg("uses.found", call=wanted, where=where(first.file, first.cell, first.line)))
    if not missing:
        return Outcome(True, msg("uses.pass", found=found), list(spec.settings.calls), list(spec.settings.calls))
    return Outcome(False, msg("uses.fail", missing=", ".join(missing)), list(spec.settings.calls),
                   [w for w in spec.settings.calls if w not in missing], hint=msg("uses.hint", missing=missing[0]))


KIND = CheckKind(name="uses", run=run, title=lambda options: msg("title.uses", calls=", ".join(options.calls)),
                 options=UsesOptions, about="submission", reference_checkable=False)
