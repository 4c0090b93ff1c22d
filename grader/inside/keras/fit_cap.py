"""Caps the student's own training while grading: runs INSIDE the student's process.

Standard library, and Keras once the student's code imports it: the harness installs it before
the student's code when the run's manifest asks for a cap. :func:`install` does not import Keras (that
costs seconds for code that never uses it): it puts a hook on ``sys.meta_path`` that patches
``keras.Model.fit`` right after ``keras`` is first imported, whichever way the student imports it
(``import keras``, ``from tensorflow import keras``, ``tf.keras``: TensorFlow's ``tf.keras`` is
Keras 3 and imports ``keras`` too).

The patched ``fit`` runs at most ``epochs`` epochs (``initial_epoch`` kept, so
``epochs - initial_epoch`` is what is capped) on at most ``batches`` batches per epoch
(``steps_per_epoch``; ``validation_steps`` when there is validation data). Where the data has no
more batches than the cap, nothing changes. Each capped call appends one JSON line to a log that
the grader reads back as untrusted information.

Usage (what the harness does)::

    install({"epochs": 2, "batches": 10}, Records("/grader/output/fit_cap.jsonl"))
"""

import functools
import importlib.abc
import inspect
import math
import sys
import warnings

from grader_inside.frames import caller_line as _caller_line

_RAN_OUT = r"Your input ran out of data"


def install(settings, records, where=None):
    """Cap ``fit()`` as ``settings`` (``{"epochs": int, "batches": int}``) says, now or when Keras loads.

    ``where`` (optional) is a function returning the label of the running cell ("cell 3").
    """
    cap = _Cap(int(settings["epochs"]), int(settings["batches"]), _Log(records), where)
    if "keras" in sys.modules and hasattr(sys.modules["keras"], "Model"):
        _patch(sys.modules["keras"], cap)
        return cap
    sys.meta_path.insert(0, _KerasImportHook(lambda keras: _patch(keras, cap)))
    return cap


# ------------------------------------------------------------------------------ import hook


class _KerasImportHook(importlib.abc.MetaPathFinder):
    """Finds ``keras`` with the other finders, and runs ``then(keras)`` once it has loaded."""

    def __init__(self, then):
        self.then = then
        self._searching = False  # another hook like this one asks every finder, this one too: answer it None

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras" or self._searching:
            return None
        self._searching = True
        try:
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
            else:
                return None
        finally:
            self._searching = False
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _ThenLoader(spec.loader, self._loaded)
        return spec

    def _loaded(self, module):
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        self.then(module)


class _ThenLoader(importlib.abc.Loader):
    """The real loader, followed by a function of the loaded module."""

    def __init__(self, loader, then):
        self._loader = loader
        self._then = then

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        try:
            self._then(module)
        except Exception:  # noqa: BLE001 - a failed patch must not break the student's import
            pass

    def __getattr__(self, name):
        return getattr(self._loader, name)


# ------------------------------------------------------------------------------- the patch


def _patch(keras, cap):
    model = getattr(keras, "Model", None)
    original = getattr(model, "fit", None)
    if original is None or getattr(original, "_grader_fit_cap", False):
        return
    signature = inspect.signature(original)

    @functools.wraps(original)
    def capped_fit(self, *args, **kwargs):
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:
            return original(self, *args, **kwargs)  # let Keras say what is wrong, as written
        try:
            arguments, record = cap.apply(bound.arguments, initial=getattr(self, "_initial_epoch", None))
        except Exception:  # noqa: BLE001 - a call we cannot read runs as written
            return original(self, *args, **kwargs)
        if record is None:
            return original(self, *args, **kwargs)
        record["object"] = id(self)  # which model it trained (the id its capture has)
        record["serial"] = _serial(self)  # a fresh one per fold, or the same again (ids of freed models recur)
        cap.log.write(record, cap.where_now())
        if not record["capped"]:  # seen, not shortened: it runs as written
            return original(self, *args, **kwargs)
        with warnings.catch_warnings():
            # With steps_per_epoch below the data's size Keras carries its iterator over to the
            # next epoch and warns when it runs out: an artifact of the cap, not the student's.
            if record.get("quiet"):
                warnings.filterwarnings("ignore", message=_RAN_OUT)
            return original(**arguments)

    capped_fit._grader_fit_cap = True
    model.fit = capped_fit


_SERIALS = {"next": 1}


def _serial(model):
    """A number of our own for each model object ``fit`` sees, the same every time it sees it again."""
    serial = getattr(model, "_grader_fit_serial", None)
    if not isinstance(serial, int):
        serial = _SERIALS["next"]
        _SERIALS["next"] += 1
        try:
            object.__setattr__(model, "_grader_fit_serial", serial)
        except Exception:  # noqa: BLE001 - a model that refuses attributes is counted by id
            return None
    return serial


class _Cap:
    def __init__(self, epochs, batches, log, where):
        if epochs < 1 or batches < 1:
            raise ValueError(f"the cap needs epochs >= 1 and batches >= 1, got {epochs} and {batches}")
        self.epochs, self.batches, self.log, self.where = epochs, batches, log, where

    def where_now(self):
        place = {"line": _caller_line()}
        if self.where is not None:
            try:
                place["cell"] = str(self.where())[:40]
            except Exception:  # noqa: BLE001
                pass
        return place

    def apply(self, arguments, initial=None):
        """The capped arguments of one ``fit`` call, and the record to log (``capped``: whether it changed
        anything; None: a call whose epochs cannot be read, which runs as written)."""
        arguments = dict(arguments)
        kwargs = arguments.pop("kwargs", None)  # a subclass's **kwargs, passed on untouched
        epochs = arguments.get("epochs", 1)
        start = initial or arguments.get("initial_epoch", 0) or 0
        if not _whole(epochs) or not _whole(start):
            return arguments, None
        record = {"epochs_asked": max(epochs - start, 0), "epochs_run": max(epochs - start, 0),
                  "batch_size": arguments.get("batch_size")}
        if epochs - start > self.epochs:
            arguments["epochs"] = start + self.epochs
            record["epochs_run"] = self.epochs

        x, steps = arguments.get("x"), arguments.get("steps_per_epoch")
        batch_size = arguments.get("batch_size") or 32
        known = _batches(x, batch_size, arguments.get("validation_split") or 0.0)
        record["batches_asked"] = steps if _whole(steps) else known
        limited = _limit_steps(x, steps, known, self.batches)
        if limited is not None:
            arguments["steps_per_epoch"], arguments["x"] = limited
            record["batches_run"] = self.batches
            # Keras then warns "ran out of data" where the cap, not the student's data, ended an epoch.
            record["quiet"] = (known is not None and known > self.batches) or limited[0] is None
        else:
            record["batches_run"] = record["batches_asked"]

        validation = arguments.get("validation_data")
        if validation is not None or (arguments.get("validation_split") or 0) > 0:
            val_steps = arguments.get("validation_steps")
            val_size = arguments.get("validation_batch_size") or batch_size
            val_known = _validation_batches(validation, x, val_size, arguments.get("validation_split") or 0.0)
            if _whole(val_steps) and val_steps > self.batches:
                arguments["validation_steps"] = self.batches
            elif val_steps is None and val_known is not None and val_known > self.batches:
                arguments["validation_steps"] = self.batches
        if kwargs:
            arguments.update(kwargs)
        record["capped"] = record["epochs_run"] != record["epochs_asked"] or \
            record["batches_run"] != record["batches_asked"]
        return arguments, record


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _limit_steps(x, steps, known, cap):
    """``(steps_per_epoch, x)`` with at most ``cap`` batches an epoch, or None where ``x`` has no more."""
    if _whole(steps):
        return (cap, x) if steps > cap else None
    if known is not None:
        return (cap, x) if known > cap else None
    dataset = _tf_dataset(x)
    if dataset is not None:
        # Unknown or infinite cardinality: take() keeps a short data set whole and restarts each epoch.
        return None, x.take(cap)
    return cap, x  # a generator of unknown length: at most ``cap`` of its batches an epoch


def _tf_dataset(x):
    tf = sys.modules.get("tensorflow")
    data = getattr(tf, "data", None) if tf is not None else None
    dataset_class = getattr(data, "Dataset", None)
    return x if dataset_class is not None and isinstance(x, dataset_class) else None


def _batches(x, batch_size, validation_split=0.0):
    """How many batches an epoch of ``x`` has, or None where that is not known without reading it."""
    dataset = _tf_dataset(x)
    if dataset is not None:
        count = int(dataset.cardinality())
        return count if count >= 0 else None
    length = _py_dataset_length(x)
    if length is not None:
        return length
    samples = _samples(x)
    if samples is None:
        return None
    if validation_split:
        samples = int(math.floor(samples * (1.0 - validation_split)))
    return math.ceil(samples / batch_size) if samples else 0


def _validation_batches(validation, x, batch_size, validation_split):
    if validation is None:
        samples = _samples(x)
        if samples is None:
            return None
        return math.ceil((samples - int(math.floor(samples * (1.0 - validation_split)))) / batch_size)
    if isinstance(validation, tuple) and validation and _tf_dataset(validation[0]) is None:
        validation = validation[0]
    return _batches(validation, batch_size)


def _py_dataset_length(x):
    keras = sys.modules.get("keras")
    utils = getattr(keras, "utils", None)
    py_dataset = getattr(utils, "PyDataset", None)
    if py_dataset is None or not isinstance(x, py_dataset):
        return None
    try:
        count = x.num_batches
    except Exception:  # noqa: BLE001
        count = None
    if count is None:
        try:
            count = len(x)
        except Exception:  # noqa: BLE001
            return None
    return count if _whole(count) and count >= 0 else None


def _samples(x):
    """The number of samples in an array, or in the first array of a list, tuple or dict of them."""
    for _ in range(5):
        if isinstance(x, dict):
            x = next(iter(x.values()), None)
        elif isinstance(x, (list, tuple)) and x and hasattr(x[0], "shape"):
            x = x[0]
        else:
            break
    shape = getattr(x, "shape", None)
    try:
        return int(shape[0]) if shape is not None and len(shape) >= 1 and shape[0] is not None else None
    except (TypeError, ValueError):
        return None


class _Log:
    def __init__(self, records):
        self.records = records

    def write(self, record, place):
        record = {k: v for k, v in record.items() if k != "quiet"}
        record.update(place)
        self.records.write(record)
