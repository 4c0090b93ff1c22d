"""Watches what the student's code does with its models: runs INSIDE the student's process.

Standard library, and Keras once the student's code imports it (the same import hook as the cap
on ``fit()``). Installed for every run of a student's file and for the reference build, it
records, as plain JSON lines in the capture file (``{"event": ...}``, read back as untrusted
information):

* **pre-trained applications** (``keras.applications.MobileNet(...)`` and the others): which
  function built a model and with which arguments, kept on the model (``_grader_application``) so
  that its export says "MobileNet, 32x32x3, include_top=False, weights='imagenet'". When the
  weights cannot be fetched (grading has no network and the file is not in the Keras cache) the
  model is built again with ``weights=None``: its layers, shapes and counts are the same, and a
  ``substituted`` event says which file was missing;
* **training calls** (``fit``, ``train_on_batch``): the model's trainable weights at the call, per
  nested model, and whether this call builds the training function (Keras 3 traces it once, at the
  first call after ``compile``: what is trainable then is what trains);
* **saving and loading** (``model.save``, ``keras.saving.save_model``, ``load_model``,
  ``save_weights``, ``load_weights``): the file's name and format, the error if there was one,
  and the architecture saved or loaded.

Usage (what the harness does)::

    install(Records("/grader/output/capture0.jsonl"), where=lambda: "cell 4")
"""

import functools
import inspect
import os
import sys
import threading

from grader_inside.frames import caller_line as _caller_line

MAX_EVENTS = 2000
MAX_ARCHITECTURE = 2_000_000


def install(records, where=None):
    """Watch Keras now, or as soon as the student's code imports it."""
    watcher = _Watcher(records, where)
    if "keras" in sys.modules and hasattr(sys.modules["keras"], "Model"):
        watcher.patch(sys.modules["keras"])
        return watcher
    from grader_inside.keras.fit_cap import _KerasImportHook

    for finder in sys.meta_path:  # one hook for Keras's import: two would each look the other up, endlessly
        if isinstance(finder, _KerasImportHook):
            earlier = finder.then
            finder.then = lambda keras, earlier=earlier: (earlier(keras), watcher.patch(keras))
            return watcher
    sys.meta_path.insert(0, _KerasImportHook(watcher.patch))
    return watcher


class _Watcher:
    def __init__(self, records, where):
        self.records, self.where = records, where
        self.events = 0
        self.local = threading.local()
        self.download_failed = None  # the file a weights download failed for, during an application call
        self.trained = {}  # (object, call, builds, trainable) seen: repeated identical calls are counted once

    # --------------------------------------------------------------------------- plumbing

    def write(self, record):
        if self.events >= MAX_EVENTS:
            return
        self.events += 1
        if self.where is not None:
            try:
                record["where"] = str(self.where())[:40]
            except Exception:  # noqa: BLE001
                pass
        record.setdefault("line", _caller_line())
        try:
            self.records.write(record)
        except Exception:  # noqa: BLE001 - watching must never break the student's code
            pass

    def patch(self, keras):
        for step in (self._patch_applications, self._patch_get_file, self._patch_training, self._patch_saving):
            try:
                step(keras)
            except Exception:  # noqa: BLE001 - a Keras without one of these still runs the student's code
                pass

    # ------------------------------------------------------------------------ applications

    def _patch_applications(self, keras):
        applications = getattr(keras, "applications", None)
        for name in dir(applications):
            original = getattr(applications, name, None)
            if not callable(original) or isinstance(original, type) or getattr(original, "_grader_watch", False):
                continue
            try:
                parameters = inspect.signature(original).parameters
            except (TypeError, ValueError):
                continue
            if "weights" not in parameters or "include_top" not in parameters:
                continue
            _replace_everywhere(original, self._application(name, original, inspect.signature(original)))

    def _application(self, name, original, signature):
        watcher = self

        @functools.wraps(original)
        def build(*args, **kwargs):
            try:
                arguments = signature.bind(*args, **kwargs).arguments
            except TypeError:
                return original(*args, **kwargs)
            weights = arguments.get("weights", signature.parameters["weights"].default)
            watcher.download_failed = None
            try:
                model = original(*args, **kwargs)
                substituted = None
            except Exception as exc:  # noqa: BLE001 - only a failed download is replaced; the rest raises
                missing = watcher.download_failed or _download_error(exc)
                if weights is None or not missing:
                    raise
                retry = dict(arguments)
                retry["weights"] = None
                model = original(**retry)  # raises the student's own mistake, if there is one
                substituted = {"file": str(missing)[:200], "error": _one_line(exc)}
            info = {"name": name, "weights": _plain(weights), "include_top": _plain(arguments.get("include_top", True)),
                    "input_shape": _plain(arguments.get("input_shape")), "alpha": _plain(arguments.get("alpha")),
                    "pooling": _plain(arguments.get("pooling")), "classes": _plain(arguments.get("classes"))}
            info = {k: v for k, v in info.items() if v is not None or k in ("weights", "input_shape")}
            if substituted:
                info["substituted"] = substituted["file"]
                watcher.write({"event": "substituted", "application": name, "weights": _plain(weights),
                               "file": substituted["file"], "error": substituted["error"], "object": id(model)})
                sys.stderr.write(f"grader: {name}(weights={weights!r}): {substituted['file']} is not available "
                                 "offline; built with weights=None (same layers, shapes and counts)\n")
            try:
                model._grader_application = info
            except Exception:  # noqa: BLE001
                pass
            return model

        build._grader_watch = True
        return build

    def _patch_get_file(self, keras):
        from keras.src.utils import file_utils  # the function applications call for their weights

        original = file_utils.get_file
        if getattr(original, "_grader_watch", False):
            return
        watcher = self

        @functools.wraps(original)
        def get_file(*args, **kwargs):
            try:
                return original(*args, **kwargs)
            except BaseException:
                name = kwargs.get("fname") or (args[0] if args else None) or kwargs.get("origin")
                watcher.download_failed = os.path.basename(str(name)) if name else "?"
                raise

        get_file._grader_watch = True
        file_utils.get_file = get_file

    # ---------------------------------------------------------------------------- training

    def _patch_training(self, keras):
        model_class = keras.Model
        for method in ("fit", "train_on_batch"):
            original = getattr(model_class, method, None)
            if original is None or getattr(original, "_grader_watch", False):
                continue
            setattr(model_class, method, self._training(method, original))

    def _training(self, method, original):
        watcher = self

        @functools.wraps(original)
        def train(model, *args, **kwargs):
            try:
                watcher.training_call(model, method)
            except Exception:  # noqa: BLE001
                pass
            return original(model, *args, **kwargs)

        train._grader_watch = True
        return train

    def training_call(self, model, method):
        builds = getattr(model, "train_function", None) is None
        trainable = _count(model.trainable_weights)
        parts = [{"name": str(layer.name)[:200], "object": id(layer), "trainable": _count(layer.trainable_weights),
                  "total": _count(layer.weights)}
                 for layer in _nested(model)]
        key = (id(model), method, builds, trainable, tuple(p["trainable"] for p in parts))
        if key in self.trained:
            self.trained[key] += 1
            return
        self.trained[key] = 1
        self.write({"event": "train", "call": method, "object": id(model), "builds": builds,
                    "trainable": trainable, "total": _count(model.weights), "parts": parts[:50]})

    # ------------------------------------------------------------------------------ saving

    def _patch_saving(self, keras):
        model_class = keras.Model
        for method, kind in (("save", "save"), ("save_weights", "save_weights"), ("load_weights", "load_weights")):
            original = getattr(model_class, method, None)
            if original is not None and not getattr(original, "_grader_watch", False):
                setattr(model_class, method, self._saving(kind, original, is_method=True))
        for module_name in ("keras.saving", "keras.models"):
            module = sys.modules.get(module_name)
            for function, kind in (("save_model", "save"), ("load_model", "load")):
                original = getattr(module, function, None) if module is not None else None
                if original is not None and not getattr(original, "_grader_watch", False):
                    _replace_everywhere(original, self._saving(kind, original, is_method=False))

    def _saving(self, kind, original, is_method):
        watcher = self

        @functools.wraps(original)
        def call(*args, **kwargs):
            if getattr(watcher.local, "busy", False):  # model.save() calls keras.saving.save_model(): one event
                return original(*args, **kwargs)
            watcher.local.busy = True
            try:
                path = _path_argument(args[1:] if (is_method or kind == "save") else args, kwargs)
                model = args[0] if (is_method or kind == "save") and args else None
                record = {"event": kind, "path": os.path.basename(str(path))[:200] if path is not None else "",
                          "format": _format(path)}
                if model is not None:
                    record["object"] = id(model)
                try:
                    result = original(*args, **kwargs)
                except BaseException as exc:
                    record["error"] = _one_line(exc)
                    watcher.write(record)
                    raise
                if kind == "load":
                    record["object"] = id(result)
                    record.update(_export(result))
                elif kind == "save":
                    record.update(_export(model))
                watcher.write(record)
                return result
            finally:
                watcher.local.busy = False

        call._grader_watch = True
        return call


# ------------------------------------------------------------------------------ helpers


def _replace_everywhere(original, replacement):
    """Put ``replacement`` wherever Keras's modules hold ``original`` (``keras.applications``,
    ``keras.applications.mobilenet``, ``keras.src.applications.mobilenet``, ...)."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "keras" or module_name.startswith("keras.")):
            continue
        try:
            for attribute, value in list(vars(module).items()):
                if value is original:
                    setattr(module, attribute, replacement)
        except Exception:  # noqa: BLE001 - a lazy module that cannot be read is left alone
            continue


def _nested(model):
    """The models used as layers of ``model`` (one level down)."""
    base = sys.modules["keras"].Model
    return [layer for layer in getattr(model, "layers", []) if isinstance(layer, base)]


def _count(weights):
    total = 0
    for weight in weights:
        size = 1
        for dim in getattr(weight, "shape", ()):
            size *= int(dim)
        total += size
    return total


def _export(model):
    """The architecture and compile settings of a saved or loaded model (nothing for other objects)."""
    keras = sys.modules.get("keras")
    if keras is None or not isinstance(model, keras.Model):
        return {}
    try:
        from grader_inside.keras.capture import describe

        record = describe(model)
    except Exception:  # noqa: BLE001
        return {}
    if len(record.get("architecture") or "") > MAX_ARCHITECTURE:
        record.pop("architecture", None)
    return {"architecture": record.get("architecture"), "compile": record.get("compile"),
            "class": record.get("class")}


def _path_argument(args, kwargs):
    for key in ("filepath", "filename", "path"):
        if key in kwargs:
            return kwargs[key]
    return args[0] if args else None


def _format(path):
    name = str(path or "").lower()
    for ending in (".weights.h5", ".keras", ".h5", ".hdf5"):
        if name.endswith(ending):
            return ending.lstrip(".")
    return os.path.splitext(name)[1].lstrip(".") or "none"


def _download_error(exc):
    """The file a failed download names, when ``exc`` is one (Keras: ``URL fetch failure on URL: ...``)."""
    import re

    text = str(exc)
    if not re.search(r"URL fetch failure|Failed to download|fetch|download", text, re.IGNORECASE):
        return None
    url = re.search(r"https?://[^\s:]+(?::\d+)?[^\s:]*", text)
    return os.path.basename(url.group(0)) if url else "?"


def _plain(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in list(value)[:8]]
    return type(value).__name__


def _one_line(exc):
    text = str(exc).strip().splitlines()
    return (type(exc).__name__ + (": " + text[0] if text else ""))[:300]

