"""Runs the student's code and exports the models it builds, after every cell or statement.

Two ways in, both configured by the run's manifest:
  * scripts (``"program": "script"``): the script runs statement by statement in a namespace
    of its own, as ``python SCRIPT`` would run it (``# %%`` markers split it into cells that run
    even if an earlier one fails); the namespace is searched for models after every statement;
  * notebooks: :mod:`grader_inside.notebook` runs a setup cell in the kernel that calls
    :func:`install_ipython`, and the namespace is searched after every cell.

For each framework the manifest names, ``grader_inside.<framework>.capture`` finds its models
and describes them; ``grader_inside.<framework>.watch`` (when the framework has one) records what
the code does with them (applications built, training calls, saving and loading) into the same
file; ``grader_inside.<framework>.offline`` serves the data and weights the manifest declares
(and refuses other downloads with a clear line); ``grader_inside.<framework>.fit_cap`` and
``.legacy`` are installed when the manifest asks for the cap on the student's own training or for
legacy mode. A cap may also rewrite the student's code (PyTorch's caps ``for epoch in
range(...)`` loops): its ``ast_transformers`` run on every cell. Once the code has run, the
manifest's ``inspect`` questions about the student's objects are answered (``.inspect``).
"""

import ast
import builtins
import importlib
import re
import sys
import time
import traceback

from grader_inside.records import Records

MAX_CAPTURE_BYTES = 40_000_000
MAX_PROGRESS_BYTES = 4_000_000
MAX_RUNNING_BYTES = 500_000
MAX_LOG_BYTES = 200_000
_CELL_MARKER = re.compile(r"^\s*#\s*(%%|In\[\s*\d*\s*\]:)")


class Capture:
    """Writes one record per new or changed model found in a namespace, for every framework."""

    def __init__(self, frameworks, records):
        self.modules = {name: _framework_module(name, "capture") for name in frameworks}
        self.modules = {name: module for name, module in self.modules.items() if module is not None}
        self.records = records
        self.seen = {}

    def snapshot(self, namespace, where):
        for framework, module in self.modules.items():
            try:
                found = list(module.models_in(namespace))
            except Exception:  # noqa: BLE001 - student objects can raise from anything
                continue
            for variable, model in found:
                try:
                    fingerprint = module.fingerprint(model)
                except Exception:  # noqa: BLE001
                    continue
                key = (framework, variable, id(model))
                if fingerprint is None or self.seen.get(key) == fingerprint:
                    continue
                self.seen[key] = fingerprint
                record = {"framework": framework, "variable": variable, "object": id(model), "where": where}
                try:
                    record.update(module.describe(model))
                except Exception as exc:  # noqa: BLE001
                    record["error"] = (type(exc).__name__ + ": " + str(exc))[:500]
                self.records.write(record)


class Values:
    """Writes the values of the variables the rubric asks about (``manifest["values"]``) when they change:
    numbers, lists of numbers, short texts. The grader shows them as reported by the student's code."""

    MAX_ITEMS = 10_000

    def __init__(self, settings):
        settings = settings or {}
        self.names = [n for n in settings.get("names", []) if isinstance(n, str)]
        self.records = Records(settings.get("log"), MAX_LOG_BYTES * 5) if self.names else None
        self.seen = {}

    def snapshot(self, namespace, where):
        if self.records is None:
            return
        for name in self.names:
            if name not in namespace:
                continue
            try:
                kind, value = _plain(namespace[name], self.MAX_ITEMS)
            except Exception:  # noqa: BLE001 - student objects can raise from anything
                kind, value = "other", None
            if self.seen.get(name) == (kind, value):
                continue
            self.seen[name] = (kind, value)
            self.records.write({"variable": name, "kind": kind, "value": value, "where": where})


def _plain(value, limit):
    """``(kind, value)``: a number, a flat list of numbers, a short text, or ("other", None)."""
    if isinstance(value, (bool, int, float)):
        return "number", value
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        return "number", value.item()
    if isinstance(value, str):
        return "text", value[:200]
    if isinstance(value, (list, tuple)) or type(value).__module__ == "numpy":
        items = list(value.ravel()[:limit]) if hasattr(value, "ravel") else list(value)[:limit]
        numbers = []
        for item in items:
            if type(item).__module__ == "numpy" and getattr(item, "ndim", None) == 0:
                item = item.item()
            if not isinstance(item, (bool, int, float)):
                return "other", None
            numbers.append(item)
        return "numbers", numbers
    return "other", None


def inspect(manifest, namespace, records):
    """Answer the manifest's questions about the student's objects (``"inspect"``), once the code has run."""
    for question in manifest.get("inspect") or []:
        module = _framework_module(question.get("framework", "keras"), "inspect")
        if module is not None:
            records.write(module.ask(question, namespace))


def _framework_module(framework, part):
    try:
        return importlib.import_module(f"grader_inside.{framework}.{part}")
    except ImportError:
        return None


def install_hooks(manifest, where=None, records=None, events_where=None):
    """Install what the manifest asks for before the student's code runs: the frameworks' offline
    data first, then the cap on ``fit()`` (so that legacy mode's ``nb_epoch=`` translation wraps it),
    then legacy mode; and the framework's watcher, which writes its events to ``records``
    (the capture file), each with ``events_where()`` (default ``where()``): the cell or the
    script's line. Returns the AST transformers every cell must go through."""
    transformers = []
    # Downloads first: what the course declares, nothing else. Its replacement of Keras's get_file must be in
    # place before the watcher wraps get_file, or the loaders keep the original (and the watcher misses refusals).
    for framework in manifest.get("frameworks", []):
        module = _framework_module(framework, "offline")
        if module is not None:
            module.install(manifest.get("offline") or {})
    cap = manifest.get("fit_cap")
    for framework in manifest.get("frameworks", []):
        if cap:
            module = _framework_module(framework, "fit_cap")
            if module is not None:
                installed = module.install(cap, Records(cap.get("log"), MAX_LOG_BYTES), where)
                transformers.extend(getattr(installed, "ast_transformers", ()))
        watch = _framework_module(framework, "watch")
        if watch is not None and records is not None:
            watch.install(records, events_where or where)
    if manifest.get("legacy"):
        for framework in manifest.get("frameworks", []):
            module = _framework_module(framework, "legacy")
            if module is not None:
                module.install(Records(manifest["legacy"], MAX_LOG_BYTES))
    return transformers


# ---------------------------------------------------------------------------- scripts


def split_cells(text):
    """Split a script into (first_line, source) cells at ``# %%`` markers."""
    cells, start, current = [], 1, []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if _CELL_MARKER.match(line) and any(s.strip() for s in current):
            cells.append((start, "".join(current)))
            start, current = number, []
        current.append(line)
    if any(s.strip() for s in current) or not cells:
        cells.append((start, "".join(current)))
    return cells


def run_script(manifest):
    """Run the manifest's script statement by statement; one progress record per cell."""
    script = manifest["source"]
    capture = Capture(manifest.get("frameworks", []), Records(manifest["captures"], MAX_CAPTURE_BYTES))
    current = {"where": "line 1"}
    transformers = install_hooks(manifest, None, capture.records, events_where=lambda: current["where"])
    values = Values(manifest.get("values"))
    progress = Records(manifest["progress"], MAX_PROGRESS_BYTES)
    # Where the script is, written before each statement: a run killed by the memory cgroup or an
    # abort leaves no outcome for its last cell, and this says which line it was on. Its own budget,
    # so a long script never crowds out the outcomes.
    running = Records(manifest["progress"], MAX_RUNNING_BYTES)
    with open(script, "rb") as handle:
        text = handle.read().decode("utf-8")  # the grader checked this before starting us
    cells = split_cells(text)
    independent = len(cells) > 1
    progress.write({"cells": len(cells)})
    namespace = {"__name__": "__main__", "__file__": script, "__builtins__": builtins}
    sys.argv = [script]
    for index, (first_line, source) in enumerate(cells, start=1):
        started = time.monotonic()
        outcome = {"cell": index, "first_line": first_line, "status": "ok"}
        try:
            tree = ast.parse("\n" * (first_line - 1) + source, filename=script)
        except SyntaxError as exc:
            outcome.update(_error(exc, exc.lineno))
            tree = None
        except (RecursionError, MemoryError) as exc:  # nested past what Python can parse, as `python` says too
            outcome.update(_error(exc, first_line))
            tree = None
        if tree is not None:
            for transformer in transformers:
                tree = ast.fix_missing_locations(transformer.visit(tree))
            for statement in tree.body:
                current["where"] = f"line {statement.lineno}"
                running.write({"running": index, "line": statement.lineno})
                code = compile(ast.Module(body=[statement], type_ignores=[]), script, "exec")
                try:
                    exec(code, namespace)
                except SystemExit as exc:
                    if exc.code not in (None, 0):
                        outcome.update(_error(exc, statement.lineno))
                    _progress(progress, outcome, started)
                    capture.snapshot(namespace, f"line {statement.lineno}")
                    values.snapshot(namespace, f"line {statement.lineno}")
                    inspect(manifest, namespace, capture.records)
                    return
                except BaseException as exc:  # noqa: BLE001 - student code can raise anything
                    outcome.update(_error(exc, _line_in(exc, script, statement.lineno)))
                    break
                finally:
                    capture.snapshot(namespace, f"line {statement.lineno}")
                    values.snapshot(namespace, f"line {statement.lineno}")
        _progress(progress, outcome, started)
        if outcome["status"] != "ok" and not independent:
            break
    inspect(manifest, namespace, capture.records)


def _error(exc, line):
    return {"status": "error", "ename": type(exc).__name__, "evalue": str(exc)[:2000], "line": line}


def _line_in(exc, script, default):
    line = default
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == script:
            line = frame.lineno
    return line


def _progress(progress, outcome, started):
    outcome["duration_s"] = round(time.monotonic() - started, 3)
    progress.write(outcome)


# -------------------------------------------------------------------------- notebooks


def install_ipython(shell, manifest, labels):
    """Search the user's namespace after every cell the kernel runs (``labels`` name the cells)."""
    state = {"ran": 0}
    capture = Capture(manifest.get("frameworks", []), Records(manifest["captures"], MAX_CAPTURE_BYTES))
    transformers = install_hooks(manifest, lambda: labels[state["ran"]] if state["ran"] < len(labels) else "end",
                                 capture.records)
    shell.ast_transformers.extend(transformers)
    values = Values(manifest.get("values"))

    def after_cell(result=None):
        state["ran"] += 1
        label = labels[state["ran"] - 1] if state["ran"] <= len(labels) else "end"
        capture.snapshot(shell.user_ns, label)
        values.snapshot(shell.user_ns, label)

    shell.events.register("post_run_cell", after_cell)
    _no_keyboard(shell)
    return capture


def finish_ipython(shell, manifest):
    """After the last cell: answer the manifest's questions about the student's namespace."""
    inspect(manifest, shell.user_ns, Records(manifest["captures"], MAX_CAPTURE_BYTES))


NO_KEYBOARD = "input() is not available while grading: there is no keyboard"


def _no_keyboard(shell):
    """``input()`` and ``getpass()`` raise ``EOFError`` in the kernel, as they do in a script whose stdin
    is closed (ipykernel would raise its own StdinNotImplementedError, which ``except EOFError`` misses)."""
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return

    def no_keyboard(prompt="", *args, **kwargs):
        raise EOFError(NO_KEYBOARD)

    kernel.raw_input = no_keyboard
    kernel.getpass = no_keyboard
