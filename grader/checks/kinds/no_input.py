"""``no_input``: the submission runs without asking for anything (a course rule: "sin necesidad de ninguna
selección de opciones"; parameters are fixed at the start).

Two ways of seeing it: a cell that stopped because it asked for input while it ran (the kernel
cannot answer: the harness makes ``input()`` raise ``EOFError`` there, as a script reading an empty
input does; ``StdinNotImplementedError`` if a kernel's own prompt slips through), and, read
from the code without running it, a call that asks (``input()``, ``getpass()``, ``sys.stdin.read()``)
or an interactive widget, even one a ``try`` would have hidden.

Example (a rubric check)::

    - {id: rules-no-input, kind: no_input, title: "No pide ninguna selección de opciones"}
"""

from grader.checks.kind import CheckKind, Outcome, nothing_built
from grader.checks.static import calls, matches
from grader.i18n import msg

ASKING = ("input", "raw_input", "getpass.getpass", "sys.stdin.read", "sys.stdin.readline", "sys.stdin.readlines",
          "ipywidgets.interact", "ipywidgets.interactive", "ipywidgets.interact_manual")
MAX_SHOWN = 5


def asked_while_running(cell) -> bool:
    return cell.ename == "StdinNotImplementedError" or \
        (cell.ename == "EOFError" and ("reading a line" in cell.evalue or "no keyboard" in cell.evalue))


def run(spec, context) -> Outcome:
    if nothing_built(context):
        return Outcome(False, msg("rules.nothing_built"), hint=msg("runs.no_model.hint"))
    places, seen = [], set()
    for cell in context.execution.cells:
        if asked_while_running(cell):
            seen.add((cell.file, cell.cell, cell.line))
            places.append(msg("rules.input.ran", where=where(cell.file, cell.cell, cell.line), code=cell.code or "?"))
    for call in calls(context.code):
        if any(matches(call.name, asking) for asking in ASKING) or call.name.startswith("ipywidgets.widgets."):
            if (call.file, call.cell, call.line) not in seen:
                seen.add((call.file, call.cell, call.line))
                places.append(msg("rules.input.code", where=where(call.file, call.cell, call.line), code=call.code,
                                  call=call.name))
    if not places:
        return Outcome(True, msg("rules.input.pass"), "no input", "no input")
    shown = places[:MAX_SHOWN]
    return Outcome(False, msg("rules.input.fail", places=shown, more=more(len(places) - len(shown))),
                   "no input", [f"{f}, {c}, {line}" for f, c, line in sorted(seen, key=str)],
                   hint=msg("rules.input.hint"))


def where(file: str, cell: int, line) -> dict:
    """``p3.ipynb, cell 3, line 2`` as a message."""
    return msg("exec.where", file=file, cell=msg("exec.where.cell", cell=cell) if cell else "",
               line=msg("exec.where.line", line=line) if line else "")


def more(count: int):
    return msg("rules.more", count=count) if count > 0 else ""


KIND = CheckKind(name="no_input", run=run, title=lambda options: msg("title.no_input"), about="submission")
