"""Legacy mode: lets Keras 1/2 code run on Keras 3 so that its architecture can be graded.

Runs INSIDE the student's process (standard library and Keras only): the harness installs it
before the student's code when the run's manifest asks for legacy mode, and :func:`install`
patches Keras in place. Every translation it makes
is appended as one JSON line to a log the grader reads back (untrusted, size-limited,
validated there), so the report can list each old call and the rubric can decide whether it
costs points.

What it translates (the calls of ``shared/notes/keras-facts.md`` section H):
  * modules: ``keras.layers.convolutional``/``core``/``normalization``/``pooling``/``recurrent``/
    ``embeddings``/``advanced_activations`` -> ``keras.layers``; ``keras.utils.np_utils``;
  * ``Convolution2D(n, rows, cols, subsample=, border_mode=, init=, W_regularizer=, dim_ordering=)``
    -> ``Conv2D(n, (rows, cols), strides=, padding=, kernel_initializer=, ...)``;
  * layer keywords ``init``, ``W_regularizer``, ``b_regularizer``, ``W_constraint``, ``nb_filter``,
    ``output_dim``, ``dim_ordering``, ``consume_less``, ``mode``; ``input_dim`` + ``input_length``
    on recurrent layers -> ``input_shape``; ``Embedding(input_length=N)`` -> ``input_shape=(N,)``;
  * ``fit(nb_epoch=)``, ``show_accuracy``, ``compile(class_mode=)``, optimizers' ``lr=``;
  * ``predict_classes``, ``predict_proba``, ``fit_generator``/``evaluate_generator``/
    ``predict_generator``; ``backend.set_image_dim_ordering``; ``Merge``/``merge``.

Usage (what the harness does)::

    install(Records("/grader/output/legacy.jsonl"))
"""

import functools
import importlib.abc
import inspect
import importlib.machinery
import sys
import types

_OLD_LAYER_MODULES = ("convolutional", "core", "normalization", "pooling", "recurrent", "embeddings",
                      "advanced_activations", "merge", "wrappers", "noise", "local")
_RENAMED = {"subsample": "strides", "border_mode": "padding", "init": "kernel_initializer",
            "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
            "W_constraint": "kernel_constraint", "b_constraint": "bias_constraint", "nb_filter": "filters",
            "inner_init": "recurrent_initializer", "U_regularizer": "recurrent_regularizer",
            "dropout_W": "dropout", "dropout_U": "recurrent_dropout", "inner_activation": "recurrent_activation"}
_DROPPED = ("consume_less",)
_RECURRENT = ("SimpleRNN", "LSTM", "GRU")


class _Log:
    def __init__(self, records):
        self.records = records
        self.seen = set()

    def record(self, old, new):
        where = _caller_line()
        key = (old, new, where)
        if key in self.seen:
            return
        self.seen.add(key)
        self.records.write({"old": str(old)[:200], "new": str(new)[:200], "line": where})


def _caller_line():
    """The line of the student's code that made the call (the first frame outside Keras and here)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "grader_inside" not in name and "site-packages" not in name and "/keras/" not in name \
                and not name.startswith("<frozen") and "importlib" not in name:
            return frame.f_lineno
        frame = frame.f_back
    return 0


def _show(value):
    return repr(value) if not isinstance(value, str) else repr(value)


def install(records):
    """Patch Keras in this process so that Keras 1/2 calls work; log every translation to ``records``."""
    import keras

    log = _Log(records)
    _install_modules(keras, log)
    _install_layer_keywords(keras, log)
    _install_convolution_aliases(keras, log)
    _install_model_methods(keras, log)
    _install_optimizers(keras, log)
    _install_backend(keras, log)
    _install_merge(keras, log)
    return log


# --------------------------------------------------------------------------------- modules


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import keras.layers.convolutional`` gives ``keras.layers`` (and says so in the log)."""

    def __init__(self, aliases, log):
        self.aliases = aliases
        self.log = log

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.aliases:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        target = self.aliases[spec.name]
        module = types.ModuleType(spec.name)
        module.__dict__.update({k: v for k, v in vars(target()).items() if not k.startswith("__")})
        return module

    def exec_module(self, module):
        self.log.record(f"import {module.__name__}", f"import {self.aliases_target_name(module.__name__)}")

    def aliases_target_name(self, name):
        return "keras.utils" if name.endswith("np_utils") else "keras.layers"


def _install_modules(keras, log):
    aliases = {f"keras.layers.{name}": (lambda: keras.layers) for name in _OLD_LAYER_MODULES}
    aliases["keras.utils.np_utils"] = lambda: keras.utils
    sys.meta_path.insert(0, _AliasFinder(aliases, log))
    if not hasattr(keras.utils, "np_utils"):
        # ``from keras.utils import np_utils`` reads an attribute, not a module.
        np_utils = types.ModuleType("keras.utils.np_utils")
        np_utils.to_categorical = keras.utils.to_categorical

        class _Recorded(types.ModuleType):
            def __getattr__(self, name):
                log.record(f"keras.utils.np_utils.{name}", f"keras.utils.{name}")
                return getattr(keras.utils, name)

        recorded = _Recorded("keras.utils.np_utils")
        keras.utils.np_utils = recorded


# ---------------------------------------------------------------------------- layer keywords


def _translate_layer_kwargs(kind, args, kwargs, log):
    if not any(k in kwargs for k in (*_RENAMED, *_DROPPED, "output_dim", "dim_ordering", "input_length", "mode",
                                     "nb_row", "nb_col", "nb_epoch")):
        return args, kwargs
    kwargs = dict(kwargs)
    for old, new in _RENAMED.items():
        if old in kwargs and new not in kwargs:
            value = kwargs.pop(old)
            kwargs[new] = value
            log.record(f"{kind}({old}={_show(value)})", f"{kind}({new}={_show(value)})")
    for old in _DROPPED:
        if old in kwargs:
            value = kwargs.pop(old)
            log.record(f"{kind}({old}={_show(value)})", f"{kind}() without {old}")
    if "mode" in kwargs and kind == "BatchNormalization":
        value = kwargs.pop("mode")
        log.record(f"BatchNormalization(mode={_show(value)})", "BatchNormalization()")
    if "output_dim" in kwargs and kind in ("Dense", *_RECURRENT) and not args:
        value = kwargs.pop("output_dim")
        args = (value, *args)
        log.record(f"{kind}(output_dim={value})", f"{kind}({value})")
    if "dim_ordering" in kwargs:
        value = kwargs.pop("dim_ordering")
        fmt = "channels_first" if value == "th" else "channels_last"
        kwargs["data_format"] = fmt
        log.record(f"{kind}(dim_ordering={_show(value)})", f"{kind}(data_format={fmt!r})")
    if "nb_row" in kwargs and "nb_col" in kwargs:
        rows, cols = kwargs.pop("nb_row"), kwargs.pop("nb_col")
        kwargs["kernel_size"] = (rows, cols)
        log.record(f"{kind}(nb_row={rows}, nb_col={cols})", f"{kind}(kernel_size=({rows}, {cols}))")
    if "input_length" in kwargs:
        steps = kwargs.pop("input_length")
        if kind in _RECURRENT:
            features = kwargs.pop("input_dim", 1)
            kwargs["input_shape"] = (steps, features)
            log.record(f"{kind}(input_dim={features}, input_length={steps})",
                       f"keras.Input(shape=({steps}, {features})) before {kind}")
        elif kind == "Embedding":
            kwargs["input_shape"] = (steps,)
            log.record(f"Embedding(input_length={steps})", f"keras.Input(shape=({steps},)) before Embedding")
    return args, kwargs


def _install_layer_keywords(keras, log):
    import keras.src.layers as internal  # noqa: F401 - make sure every layer class is loaded

    classes = set()
    stack = [keras.layers.Layer]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in classes and sub.__module__.startswith("keras.src.layers"):
                classes.add(sub)
                stack.append(sub)
    for cls in classes:
        if "__init__" not in cls.__dict__:
            continue
        original = cls.__dict__["__init__"]

        def patched(self, *args, __original=original, __kind=cls.__name__, **kwargs):
            kind = type(self).__name__ if __kind == type(self).__name__ else __kind
            args, kwargs = _translate_layer_kwargs(kind, args, kwargs, log)
            return __original(self, *args, **kwargs)

        functools.update_wrapper(patched, original)
        # Keras reads the signature of __init__ to record a layer's config: keep the original one.
        patched.__signature__ = inspect.signature(original)
        cls.__init__ = patched


def _install_convolution_aliases(keras, log):
    """``Convolution2D(96, 11, 11)`` meant an 11x11 kernel in Keras 1, not kernel 11 with strides 11."""
    conv2d = keras.layers.Conv2D

    def Convolution2D(filters, *args, **kwargs):  # noqa: N802 - the old name
        if len(args) >= 2 and all(isinstance(a, int) for a in args[:2]):
            rows, cols = args[0], args[1]
            args = ((rows, cols), *args[2:])
            log.record(f"Convolution2D({filters}, {rows}, {cols}, ...)", f"Conv2D({filters}, ({rows}, {cols}), ...)")
        return conv2d(filters, *args, **kwargs)

    keras.layers.Convolution2D = Convolution2D


# --------------------------------------------------------------------------------- models


def _install_model_methods(keras, log):
    model = keras.Model
    fit, evaluate, compile_ = model.fit, model.evaluate, model.compile

    def _fit_kwargs(kwargs, method):
        kwargs = dict(kwargs)
        if "nb_epoch" in kwargs:
            value = kwargs.pop("nb_epoch")
            kwargs.setdefault("epochs", value)
            log.record(f"{method}(nb_epoch={value})", f"{method}(epochs={value})")
        if "show_accuracy" in kwargs:
            kwargs.pop("show_accuracy")
            log.record(f"{method}(show_accuracy=...)", "compile(metrics=['accuracy'])")
        return kwargs

    @functools.wraps(fit)
    def patched_fit(self, *args, **kwargs):
        return fit(self, *args, **_fit_kwargs(kwargs, "fit"))

    @functools.wraps(evaluate)
    def patched_evaluate(self, *args, **kwargs):
        return evaluate(self, *args, **_fit_kwargs(kwargs, "evaluate"))

    @functools.wraps(compile_)
    def patched_compile(self, *args, **kwargs):
        if "class_mode" in kwargs:
            kwargs = dict(kwargs)
            value = kwargs.pop("class_mode")
            log.record(f"compile(class_mode={value!r})", "compile() without class_mode")
        return compile_(self, *args, **kwargs)

    def predict_classes(self, x, *args, **kwargs):
        log.record("model.predict_classes(x)", "np.argmax(model.predict(x), axis=-1)")
        probabilities = self.predict(x, *args, **kwargs)
        if probabilities.shape[-1] > 1:
            return probabilities.argmax(axis=-1)
        return (probabilities > 0.5).astype("int32")

    def predict_proba(self, x, *args, **kwargs):
        log.record("model.predict_proba(x)", "model.predict(x)")
        return self.predict(x, *args, **kwargs)

    def _generator(name, target):
        def method(self, generator, *args, **kwargs):
            log.record(f"model.{name}(...)", f"model.{target}(...)")
            return getattr(self, target)(generator, *args, **_fit_kwargs(kwargs, target))
        return method

    model.fit, model.evaluate, model.compile = patched_fit, patched_evaluate, patched_compile
    model.predict_classes, model.predict_proba = predict_classes, predict_proba
    model.fit_generator = _generator("fit_generator", "fit")
    model.evaluate_generator = _generator("evaluate_generator", "evaluate")
    model.predict_generator = _generator("predict_generator", "predict")


def _install_optimizers(keras, log):
    for name in dir(keras.optimizers):
        cls = getattr(keras.optimizers, name)
        if not isinstance(cls, type) or "__init__" not in cls.__dict__:
            continue
        original = cls.__dict__["__init__"]

        def patched(self, *args, __original=original, __name=name, **kwargs):
            if "lr" in kwargs:
                kwargs = dict(kwargs)
                value = kwargs.pop("lr")
                kwargs.setdefault("learning_rate", value)
                log.record(f"{__name}(lr={value})", f"{__name}(learning_rate={value})")
            if "decay" in kwargs:
                value = kwargs.pop("decay")
                log.record(f"{__name}(decay={value})", f"{__name}() with a learning-rate schedule")
            return __original(self, *args, **kwargs)

        functools.update_wrapper(patched, original)
        # Keras reads the signature of __init__ to record a layer's config: keep the original one.
        patched.__signature__ = inspect.signature(original)
        cls.__init__ = patched


def _install_backend(keras, log):
    backend = keras.backend

    def set_image_dim_ordering(value):
        fmt = "channels_first" if value == "th" else "channels_last"
        log.record(f"K.set_image_dim_ordering({value!r})", f"keras.config.set_image_data_format({fmt!r})")
        keras.config.set_image_data_format(fmt)

    def image_dim_ordering():
        log.record("K.image_dim_ordering()", "keras.config.image_data_format()")
        return "th" if keras.config.image_data_format() == "channels_first" else "tf"

    backend.set_image_dim_ordering = set_image_dim_ordering
    backend.image_dim_ordering = image_dim_ordering


def _install_merge(keras, log):
    layers = keras.layers
    kinds = {"concat": layers.Concatenate, "sum": layers.Add, "mul": layers.Multiply, "ave": layers.Average,
             "max": layers.Maximum}

    def _layer(mode, concat_axis):
        cls = kinds.get(mode, layers.Concatenate)
        return cls(axis=concat_axis) if cls is layers.Concatenate else cls()

    def Merge(inputs=None, mode="concat", concat_axis=-1, **kwargs):  # noqa: N802 - the old name
        layer = _layer(mode, concat_axis)
        log.record(f"Merge(mode={mode!r})", f"keras.layers.{type(layer).__name__}()")
        return layer(inputs) if inputs is not None else layer

    def merge(inputs, mode="concat", concat_axis=-1, **kwargs):
        layer = _layer(mode, concat_axis)
        log.record(f"merge(..., mode={mode!r})", f"keras.layers.{type(layer).__name__}()([...])")
        return layer(inputs)

    layers.Merge, layers.merge = Merge, merge
