"""Runs inside the student's process: executes a script and exports the models it builds.

This file is deliberately standalone (standard library only, nothing from ``grader``): it
is copied next to the student's code, and anything the student's code can reach it can
tamper with. It exports only architectures (``model.to_json()``), never numbers; the grader
recomputes shapes and parameter counts itself.

Two ways in:
  * scripts: ``python harness.py SCRIPT CAPTURE PROGRESS`` runs SCRIPT statement by
    statement (``# %%`` markers split it into cells that run even if an earlier one fails);
  * notebooks: the grader's notebook worker executes ``install_ipython(...)`` in the kernel
    before the first cell, and a snapshot is taken after every cell.
"""

import ast
import builtins
import json
import os
import re
import sys
import time
import traceback

MAX_CAPTURE_BYTES = 40_000_000
MAX_MODELS_PER_CONTAINER = 50
_CELL_MARKER = re.compile(r"^\s*#\s*(%%|In\[\s*\d*\s*\]:)")


class Capture:
    """Appends one JSON line per new or changed Keras model found in a namespace."""

    def __init__(self, path):
        self.path = path
        self.seen = {}
        self.written = 0

    def snapshot(self, namespace, where):
        keras = sys.modules.get("keras")
        model_class = getattr(keras, "Model", None) if keras is not None else None
        if model_class is None:
            return
        for variable, model in _models_in(namespace, model_class):
            try:
                layers = list(model.layers)
            except Exception:
                continue
            if not layers:
                continue
            fingerprint = (
                tuple(id(layer) for layer in layers),
                bool(getattr(model, "built", False)),
                bool(getattr(model, "compiled", False)),
            )
            key = (variable, id(model))
            if self.seen.get(key) == fingerprint:
                continue
            self.seen[key] = fingerprint
            record = {
                "variable": variable,
                "object": id(model),
                "where": where,
                "class": type(model).__name__,
                "built": bool(getattr(model, "built", False)),
            }
            try:
                record["architecture"] = model.to_json()
            except Exception as exc:
                record["error"] = (type(exc).__name__ + ": " + str(exc))[:500]
            record["compile"] = compile_settings(model)
            self._write(record)

    def _write(self, record):
        line = json.dumps(record, default=str) + "\n"
        if self.written + len(line) > MAX_CAPTURE_BYTES:
            return
        self.written += len(line)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line)


def _models_in(namespace, model_class):
    for name, value in list(namespace.items()):
        if name.startswith("_"):
            continue
        if isinstance(value, model_class):
            yield name, value
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value[:MAX_MODELS_PER_CONTAINER]):
                if isinstance(item, model_class):
                    yield f"{name}[{i}]", item
        elif isinstance(value, dict):
            for key in list(value)[:MAX_MODELS_PER_CONTAINER]:
                if isinstance(value[key], model_class):
                    yield f"{name}[{key!r}]", value[key]


def compile_settings(model):
    if not getattr(model, "compiled", False):
        return None
    settings = {}
    try:
        config = model.get_compile_config() or {}
    except Exception:
        config = {}
    settings["loss"] = _name_of(config.get("loss", getattr(model, "loss", None)))
    settings["metrics"] = _name_of(config.get("metrics"))
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        settings["optimizer"] = type(optimizer).__name__
        try:
            settings["learning_rate"] = float(optimizer.learning_rate)
        except Exception:
            pass
    return settings


def _name_of(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_name_of(v) for v in value]
    if isinstance(value, dict):
        if "class_name" in value:
            return value["class_name"]
        return {str(k): _name_of(v) for k, v in value.items()}
    return getattr(value, "__name__", None) or type(value).__name__


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


def run_script(script, capture_path, progress_path):
    _fit_cap_setup(capture_path)  # first: legacy mode's fit(nb_epoch=) translation then wraps the cap
    _legacy_setup(capture_path)
    capture = Capture(capture_path)
    with open(script, "rb") as handle:
        raw = handle.read()
    text = raw.decode("utf-8")  # the grader checked this before starting us
    cells = split_cells(text)
    independent = len(cells) > 1
    namespace = {"__name__": "__main__", "__file__": script, "__builtins__": builtins}
    sys.argv = [script]
    for index, (first_line, source) in enumerate(cells, start=1):
        started = time.monotonic()
        outcome = {"cell": index, "first_line": first_line, "status": "ok"}
        try:
            tree = ast.parse("\n" * (first_line - 1) + source, filename=script)
        except SyntaxError as exc:
            outcome.update(_error(exc, script, exc.lineno))
            tree = None
        except (RecursionError, MemoryError) as exc:  # nested past what Python can parse, as `python` says too
            outcome.update(_error(exc, script, first_line))
            tree = None
        if tree is not None:
            for statement in tree.body:
                code = compile(ast.Module(body=[statement], type_ignores=[]), script, "exec")
                try:
                    exec(code, namespace)
                except SystemExit as exc:
                    if exc.code not in (None, 0):
                        outcome.update(_error(exc, script, statement.lineno))
                    _progress(progress_path, outcome, started)
                    capture.snapshot(namespace, f"line {statement.lineno}")
                    return
                except BaseException as exc:  # noqa: BLE001 - student code can raise anything
                    outcome.update(_error(exc, script, _line_in(exc, script, statement.lineno)))
                    break
                finally:
                    capture.snapshot(namespace, f"line {statement.lineno}")
        _progress(progress_path, outcome, started)
        if outcome["status"] != "ok" and not independent:
            return


def _error(exc, script, line):
    return {
        "status": "error",
        "ename": type(exc).__name__,
        "evalue": str(exc)[:2000],
        "line": line,
    }


def _line_in(exc, script, default):
    line = default
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == script:
            line = frame.lineno
    return line


def _progress(path, outcome, started):
    outcome["duration_s"] = round(time.monotonic() - started, 3)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(outcome) + "\n")


# ------------------------------------------------------------------ legacy mode (opt-in)


def _legacy_setup(capture_path):
    """Legacy Keras mode: the runner puts legacy_keras.py beside the capture file only when asked."""
    folder = os.path.dirname(os.path.abspath(capture_path))
    module = os.path.join(folder, "legacy_keras.py")
    if not os.path.exists(module):
        return
    namespace = {"__name__": "legacy_keras", "__file__": module}
    with open(module, encoding="utf-8") as handle:
        exec(compile(handle.read(), module, "exec"), namespace)
    namespace["install"](os.path.join(folder, "legacy.jsonl"))


# ------------------------------------------------------- the cap on the student's training


def _fit_cap_setup(capture_path, where=None):
    """Cap fit() when the runner put fit_cap_patch.py and its settings beside the capture file."""
    folder = os.path.dirname(os.path.abspath(capture_path))
    module, settings = os.path.join(folder, "fit_cap_patch.py"), os.path.join(folder, "fit_cap.json")
    if not (os.path.exists(module) and os.path.exists(settings)):
        return
    namespace = {"__name__": "fit_cap_patch", "__file__": module}
    with open(module, encoding="utf-8") as handle:
        exec(compile(handle.read(), module, "exec"), namespace)
    with open(settings, encoding="utf-8") as handle:
        config = json.load(handle)
    namespace["install"](config, os.path.join(folder, "fit_cap.jsonl"), where)


# -------------------------------------------------------------------------- notebooks


def install_ipython(shell, capture_path, labels):
    """Take a snapshot of the user's namespace after every cell the kernel runs."""
    state = {"ran": 0}
    _fit_cap_setup(capture_path, lambda: labels[state["ran"]] if state["ran"] < len(labels) else "end")
    _legacy_setup(capture_path)
    capture = Capture(capture_path)

    def after_cell(result=None):
        state["ran"] += 1
        label = labels[state["ran"] - 1] if state["ran"] <= len(labels) else "end"
        capture.snapshot(shell.user_ns, label)

    shell.events.register("post_run_cell", after_cell)


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    _script = os.path.abspath(sys.argv[1])
    sys.path[0] = os.path.dirname(_script)  # as if the student had run ``python SCRIPT``
    _progress_path = sys.argv[3]
    run_script(_script, sys.argv[2], _progress_path)
    with open(_progress_path, "a", encoding="utf-8") as _handle:  # absent when the script died early
        _handle.write(json.dumps({"finished": True}) + "\n")
