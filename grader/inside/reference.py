"""Builds the reference models of a rubric and exports them (``"program": "reference"``).

Reference solutions are the instructor's, but the grader runs no code it did not write in its
own process: this program builds them confined like student code, in a folder that holds a copy
of the reference files, and the grader rebuilds what it exports as it does a student's models.

The manifest lists ``models`` (``{"id", "file", "function", "framework"}``) and the ``result``
file: one record per model, ``{"id", "architecture", "compile", ...}`` as the framework's capture
module describes it, or ``{"id", "problem", "detail"}`` when the reference cannot give a model
(``problem``: import, no_function, raised, not_a_model, not_built, no_input_shape).
"""

import importlib
import importlib.util
import os
import sys
import traceback

from grader_inside.records import Records

MAX_RESULT_BYTES = 50_000_000


def main(manifest):
    here = os.getcwd()
    sys.path.insert(0, here)
    records = Records(manifest["result"], MAX_RESULT_BYTES)
    for framework in sorted({model.get("framework", "keras") for model in manifest["models"]}):
        try:  # which keras.applications call built a model (a reference may use one, weights=None or not)
            importlib.import_module(f"grader_inside.{framework}.watch").install(Records(None))
        except ImportError:
            pass
    modules = {}
    for model in manifest["models"]:
        record = {"id": model["id"]}
        record.update(_export(model, modules, here))
        records.write(record)
    return 0


def _export(model, modules, here):
    file_name, function_name = model["file"], model["function"]
    if file_name not in modules:
        modules[file_name] = _import(os.path.join(here, file_name))
    module = modules[file_name]
    if isinstance(module, dict):
        return module
    function = getattr(module, function_name, None)
    if not callable(function):
        return {"problem": "no_function", "detail": function_name}
    try:
        built = function()
    except BaseException as exc:  # noqa: BLE001 - reported to the instructor, one line
        return {"problem": "raised", "detail": _one_line(exc), "trace": _where(exc, file_name)}
    capture = importlib.import_module(f"grader_inside.{model.get('framework', 'keras')}.capture")
    exported = capture.export(built, vars(module))  # the module may say what input its models take
    if isinstance(exported, tuple):
        problem, detail = exported
        return {"problem": problem, "detail": detail}
    return exported


def _import(path):
    name = "reference_" + os.path.splitext(os.path.basename(path))[0]
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001
        return {"problem": "import", "detail": _one_line(exc), "trace": _where(exc, os.path.basename(path))}
    return module


def _one_line(exc):
    text = str(exc).strip().splitlines()
    return (type(exc).__name__ + (": " + text[0] if text else ""))[:500]


def _where(exc, file_name):
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.basename(frame.filename) == file_name:
            line = frame.lineno
    return line
