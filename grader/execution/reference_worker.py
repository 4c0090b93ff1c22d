"""Runs inside the sandbox: builds the reference models of a rubric and exports their architectures.

Reference solutions are the instructor's code, but the grader does not run any code it did not
write in its own process: this worker builds them confined like student code (own uid, no
network, bounded memory and time) and the grader rebuilds what it exports, as it does for a
student's models.

Standalone (standard library and the framework only), like the harness beside it:
``python reference_worker.py JOB RESULT`` in a folder that holds a copy of the reference files.
JOB is JSON ``{"models": [{"id": ..., "file": "alexnet.py", "function": "alexnet"}]}``; RESULT
gets one JSON line per model: ``{"id", "architecture", "compile"}``, or ``{"id", "problem",
"detail"}`` when the reference cannot give a model (``problem``: import, no_function, raised,
not_a_model, not_built).
"""

import importlib.util
import json
import os
import sys
import traceback


def main(job_path, result_path):
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    here = os.getcwd()
    sys.path.insert(0, here)
    sys.path.insert(1, os.path.dirname(os.path.abspath(__file__)))
    from harness import compile_settings  # the same reading of compile settings as for students

    modules = {}
    with open(result_path, "a", encoding="utf-8") as out:
        for model in job["models"]:
            record = {"id": model["id"]}
            record.update(_export(model, modules, here, compile_settings))
            out.write(json.dumps(record, default=str) + "\n")
            out.flush()
    return 0


def _export(model, modules, here, compile_settings):
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
    import keras

    if not isinstance(built, keras.Model):
        return {"problem": "not_a_model", "detail": type(built).__name__}
    if not built.built:
        return {"problem": "not_built", "detail": ""}
    try:
        architecture = built.to_json()
    except Exception as exc:  # noqa: BLE001
        return {"problem": "raised", "detail": "to_json(): " + _one_line(exc)}
    return {"architecture": architecture, "compile": compile_settings(built)}


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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
