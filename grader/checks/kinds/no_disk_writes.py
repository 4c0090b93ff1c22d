"""``no_disk_writes``: the submission writes nothing to disk (a course rule: "No escribir nada en el disco").

Every file of the submission runs in a fresh copy of its folder; once the student's code has
ended, the sandbox lists what is left and the grader compares it with what was copied in
(:mod:`grader.execution.written`): a saved model, a figure saved with ``savefig``, arrays saved
with ``np.save``, a folder made for results, a course file overwritten. What Python, Jupyter,
Matplotlib and Keras keep for themselves is not the student's doing and is left out; ``ignore``
lists more (globs on the paths the report shows: ``datos/*``, ``~/.keras/*``, ``/tmp/*``).

Example (a rubric check)::

    - {id: rules-no-writes, kind: no_disk_writes, ignore: ["~/.keras/*"], title: "No escribe nada en el disco"}
"""

import fnmatch
from dataclasses import dataclass

from grader.checks.kind import CheckKind, Outcome, nothing_built
from grader.checks.kinds.no_input import more
from grader.i18n import msg

MAX_SHOWN = 8


@dataclass(frozen=True)
class NoWritesOptions:
    ignore: tuple = ()

    NAMES = ("ignore",)

    @classmethod
    def parse(cls, raw: dict, adapter=None) -> "NoWritesOptions":
        ignore = raw.get("ignore", [])
        ignore = [ignore] if isinstance(ignore, str) else ignore
        if not isinstance(ignore, list) or not all(isinstance(p, str) and p.strip() for p in ignore):
            raise ValueError(f"'ignore' must be a list of paths or globs such as ['~/.keras/*', 'cache/*'], "
                             f"got {raw.get('ignore')!r}")
        return cls(ignore=tuple(p.replace("**", "*") for p in ignore))


def run(spec, context) -> Outcome:
    if nothing_built(context):
        return Outcome(False, msg("rules.nothing_built"), hint=msg("runs.no_model.hint"))
    execution = context.execution
    written = [w for w in execution.written
               if not any(fnmatch.fnmatchcase(w["path"], pattern) for pattern in spec.settings.ignore)]
    if execution.unobserved and not written:
        return Outcome(False, msg("rules.writes.unobserved", files=", ".join(execution.unobserved)),
                       "nothing written", None, hint=msg("rules.writes.unobserved.hint"))
    if not written:
        return Outcome(True, msg("rules.writes.pass"), "nothing written", "nothing written")
    listed = [msg(f"rules.writes.{w['change']}", path=w["path"], file=w["file"], size=_size(w.get("size", 0)))
              for w in written[:MAX_SHOWN]]
    return Outcome(False, msg("rules.writes.fail", files=listed, more=more(len(written) - len(listed))),
                   "nothing written", [w["path"] for w in written], hint=msg("rules.writes.hint"))


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


KIND = CheckKind(name="no_disk_writes", run=run, title=lambda options: msg("title.no_disk_writes"),
                 options=NoWritesOptions, about="submission")
