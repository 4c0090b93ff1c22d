"""Finds Keras models in the student's namespace and exports each as its architecture.

Runs inside the student's process. It never imports Keras: a namespace is only searched once the
student's code has imported it. Only architectures leave (``model.to_json()``) with the names of
the compile settings, never a number the grader would believe: shapes and counts are
recomputed on the trusted side from the architecture.
"""

import sys

MAX_MODELS_PER_CONTAINER = 50


def model_class():
    """``keras.Model`` once the student's code has imported Keras, else None."""
    keras = sys.modules.get("keras")
    return getattr(keras, "Model", None) if keras is not None else None


def models_in(namespace):
    """``(variable, model)`` for every Keras model in ``namespace``, in lists, tuples and dicts too."""
    cls = model_class()
    if cls is None:
        return
    for name, value in list(namespace.items()):
        if name.startswith("_"):
            continue
        if isinstance(value, cls):
            yield name, value
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value[:MAX_MODELS_PER_CONTAINER]):
                if isinstance(item, cls):
                    yield f"{name}[{i}]", item
        elif isinstance(value, dict):
            for key in list(value)[:MAX_MODELS_PER_CONTAINER]:
                if isinstance(value[key], cls):
                    yield f"{name}[{key!r}]", value[key]


def fingerprint(model):
    """What makes a new state of the same model object worth exporting again (None: not a model yet)."""
    layers = list(model.layers)
    if not layers:
        return None
    return (
        tuple(id(layer) for layer in layers),
        tuple(bool(getattr(layer, "trainable", True)) for layer in layers),
        bool(getattr(model, "trainable", True)),
        bool(getattr(model, "built", False)),
        bool(getattr(model, "compiled", False)),
    )


def describe(model):
    """The record for one model: its class, whether it is built, its architecture and compile settings;
    which ``keras.applications`` call built it, and the models nested in it (their objects, for
    "the GAN uses the very generator graded") when there are any."""
    record = {"class": type(model).__name__, "built": bool(getattr(model, "built", False))}
    try:
        record["architecture"] = model.to_json()
    except Exception as exc:  # noqa: BLE001 - the grader reports why it could not be read
        record["error"] = (type(exc).__name__ + ": " + str(exc))[:500]
    record["compile"] = compile_settings(model)
    application = getattr(model, "_grader_application", None)
    if isinstance(application, dict):
        record["application"] = application
    nested = list(_nested(model, ""))
    if nested:
        record["nested"] = nested[:MAX_MODELS_PER_CONTAINER]
    return record


def _nested(model, prefix, depth=0):
    """``{"name", "object", "application"}`` for each model used as a layer, at any depth (``outer/inner``)."""
    cls = model_class()
    if cls is None or depth > 4:
        return
    for layer in list(getattr(model, "layers", []))[:2000]:
        if isinstance(layer, cls):
            name = prefix + str(layer.name)
            entry = {"name": name[:400], "object": id(layer)}
            application = getattr(layer, "_grader_application", None)
            if isinstance(application, dict):
                entry["application"] = application
            yield entry
            yield from _nested(layer, name + "/", depth + 1)


def export(obj, namespace=None):
    """A reference function's result: its record, or ``(problem, detail)`` when it is not a usable model.

    ``namespace`` (the reference's module) is not needed: a Keras model carries its input shape."""
    cls = model_class()
    if cls is None or not isinstance(obj, cls):
        return ("not_a_model", type(obj).__name__)
    if not obj.built:
        return ("not_built", "")
    record = describe(obj)
    if "error" in record:
        return ("raised", "to_json(): " + record["error"])
    return record


def compile_settings(model):
    """How ``model`` was compiled, as names and numbers (None when it was not)."""
    if not getattr(model, "compiled", False):
        return None
    settings = {}
    try:
        config = model.get_compile_config() or {}
    except Exception:  # noqa: BLE001
        config = {}
    loss = config.get("loss", getattr(model, "loss", None))
    settings["loss"] = _name_of(loss)
    if isinstance(loss, dict) and isinstance(loss.get("config"), dict):
        settings["loss_config"] = _arguments(loss["config"])  # from_logits, label_smoothing, ...
    settings["metrics"] = _name_of(config.get("metrics"))
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        settings["optimizer"] = type(optimizer).__name__
        try:
            settings["learning_rate"] = float(optimizer.learning_rate)
        except Exception:  # noqa: BLE001 - a schedule, say
            pass
        settings.update(_optimizer_settings(optimizer))
    return settings


def _optimizer_settings(optimizer):
    """The optimizer's hyper-parameters as numbers, and its learning-rate schedule (class and config)."""
    try:
        config = optimizer.get_config()
    except Exception:  # noqa: BLE001
        return {}
    found = {}
    hyper = {}
    for key, value in config.items():
        if key in ("name",):
            continue
        if value is None or isinstance(value, (bool, int, float, str)):
            hyper[key] = value
        elif key == "learning_rate" and isinstance(value, dict) and "class_name" in value:
            inner = value.get("config") if isinstance(value.get("config"), dict) else {}
            found["learning_rate_schedule"] = {
                "class": str(value["class_name"])[:80],
                "config": {k: v for k, v in inner.items() if k != "name" and isinstance(v, (bool, int, float, str))}}
    found["optimizer_config"] = hyper
    return found


def _arguments(config):
    """The plain arguments (numbers, flags, names) of a loss's or optimizer's config."""
    return {str(k): v for k, v in config.items()
            if k != "name" and (v is None or isinstance(v, (bool, int, float, str)))}


def _name_of(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_name_of(v) for v in value]
    if isinstance(value, dict):
        if value.get("class_name") == "function" and isinstance(value.get("config"), str):
            return value["config"]  # a loss or metric function, as a legacy .h5 file gives it back
        if "class_name" in value:
            return value["class_name"]
        return {str(k): _name_of(v) for k, v in value.items()}
    return getattr(value, "__name__", None) or type(value).__name__
