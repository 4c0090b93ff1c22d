"""Old Keras 1/2 calls, recognized from the error Keras 3 raises and from the source itself.

Students copy handouts written for Keras 1/2. Under Keras 3 most old calls raise (an unknown
keyword, a module that is gone); a few run but mean something else (``Convolution2D(96, 11,
11)`` is kernel 11 *and strides 11*). Each :class:`Pattern` here is one such call: how to
recognize it in an error message, how to find it in source code without running it, one
sentence on what changed (the catalogue's ``old_api.<id>``, in English and Spanish) and the
current spelling.

The static scan reads the code with :mod:`ast` (a notebook cell at a time), so a notebook that
stops at its first import still gets every old call explained, with its line and the whole
call rewritten in current Keras.

Example:
    >>> [f.pattern for f in scan_source("model.fit(x, y, nb_epoch=150)")]
    ['nb_epoch']
    >>> modernize("Convolution2D(96, 11, 11, subsample=(4, 4), border_mode='valid')")
    "Conv2D(96, (11, 11), strides=(4, 4), padding='valid')"
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from grader.i18n import msg, render

_KW_ERROR = r"(?:Unrecognized keyword arguments passed to \w+|unexpected keyword argument|Argument\(s\) not recognized|Arguments not recognized|Unrecognized keyword arguments)"
_RNN = {"SimpleRNN", "LSTM", "GRU"}
_OPTIMIZERS = {"SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam"}
_CONV_ALIASES = {"Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
                 "AtrousConvolution2D": "Conv2D", "Deconvolution2D": "Conv2DTranspose"}


@dataclass(frozen=True)
class Pattern:
    """One old call: how to recognize it, what changed, how to write it now."""

    id: str
    now: str  # the current spelling (code)
    error: str = ""  # regex over "ExceptionName: message"; empty for silent traps (no error at all)
    keyword: str = ""  # an old keyword argument this pattern is about
    callees: frozenset = frozenset()  # restrict ``keyword`` to calls of these names (empty: any call)
    modules: tuple = ()  # old module names (imports)
    names: tuple = ()  # old names imported or called (from x import NAME, NAME(...))
    methods: tuple = ()  # old method/attribute names (model.NAME(...))

    def message(self) -> dict:
        """What changed, as a catalogue message (``old_api.<id>``; one message for the gone modules)."""
        if self.id.startswith("module_"):
            return msg("old_api.module", module=self.modules[0])
        return msg(f"old_api.{self.id}")


def _kw(name: str, now: str, callees=(), error: str | None = None) -> Pattern:
    return Pattern(id=name, now=now, keyword=name, callees=frozenset(callees),
                   error=error if error is not None else _KW_ERROR + r".*'" + name + "'")


def _module(pid: str, module: str, names: str) -> Pattern:
    return Pattern(
        id=pid, modules=(module,), error=r"No module named '" + re.escape(module) + r"(\.|')",
        now=f"from keras.layers import {names}",
    )


PATTERNS: tuple[Pattern, ...] = (
    # --- modules that are gone ----------------------------------------------------------------
    _module("module_convolutional", "keras.layers.convolutional", "Conv2D, ZeroPadding2D, MaxPooling2D"),
    _module("module_normalization", "keras.layers.normalization", "BatchNormalization"),
    _module("module_pooling", "keras.layers.pooling", "MaxPooling2D, AveragePooling2D"),
    _module("module_recurrent", "keras.layers.recurrent", "SimpleRNN, LSTM, GRU"),
    _module("module_core", "keras.layers.core", "Dense, Activation, Dropout, Flatten"),
    _module("module_embeddings", "keras.layers.embeddings", "Embedding"),
    _module("module_advanced_activations", "keras.layers.advanced_activations", "LeakyReLU, PReLU"),
    Pattern("np_utils", modules=("keras.utils.np_utils",), names=("np_utils",),
            error=r"(No module named 'keras\.utils\.np_utils'|cannot import name 'np_utils')",
            now="from keras.utils import to_categorical"),
    Pattern("scikit_learn_wrapper", modules=("keras.wrappers.scikit_learn", "keras.wrappers"),
            error=r"No module named 'keras\.wrappers",
            now="from scikeras.wrappers import KerasClassifier"),
    Pattern("image_data_generator", names=("ImageDataGenerator",),
            error=r"cannot import name 'ImageDataGenerator'",
            now="keras.utils.image_dataset_from_directory(folder, image_size=(224, 224))"),
    Pattern("merge_layer", names=("Merge",), error=r"cannot import name 'Merge'|name 'Merge' is not defined",
            now="keras.layers.Concatenate()([branch_a, branch_b])"),
    # --- renamed or removed arguments ----------------------------------------------------------
    _kw("nb_epoch", "model.fit(x, y, epochs=150, batch_size=5)"),
    _kw("subsample", "Conv2D(96, (11, 11), strides=(4, 4))"),
    _kw("border_mode", "Conv2D(96, (11, 11), padding='valid')"),
    _kw("init", "Dense(10, kernel_initializer='uniform')"),
    _kw("W_regularizer", "Dense(100, kernel_regularizer=l2(0.01))"),
    _kw("b_regularizer", "Dense(100, bias_regularizer=l2(0.01))"),
    _kw("W_constraint", "Dense(100, kernel_constraint=max_norm(3))"),
    _kw("dim_ordering", "MaxPooling2D((2, 2), data_format='channels_last')"),
    _kw("nb_filter", "Conv2D(filters=32, kernel_size=(3, 3))",
        error=r"(missing 1 required positional argument: 'filters'|" + _KW_ERROR + r".*'nb_filter')"),
    _kw("output_dim", "Dense(10)",
        callees={"Dense", "SimpleRNN", "LSTM", "GRU"},
        error=r"(missing 1 required positional argument: 'units'|" + _KW_ERROR + r".*'output_dim')"),
    _kw("input_length", "keras.Input(shape=(4, 1)), SimpleRNN(5)", callees=_RNN),
    Pattern("embedding_input_length", keyword="input_length", callees=frozenset({"Embedding"}),
            now="keras.Input(shape=(400,)), Embedding(10000, 50)"),
    _kw("consume_less", "LSTM(5)"),
    _kw("mode", "BatchNormalization(axis=-1)",
        callees={"BatchNormalization"}),
    _kw("lr", "Adam(learning_rate=0.001)",
        callees=_OPTIMIZERS),
    Pattern("decay", keyword="decay", callees=frozenset(_OPTIMIZERS),
            now="SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, 1, 1e-6), momentum=0.9)"),
    _kw("show_accuracy", "model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])"),
    _kw("class_mode", "model.compile(loss='binary_crossentropy', optimizer='adam')"),
    # --- removed methods and functions --------------------------------------------------------
    Pattern("predict_classes", methods=("predict_classes",), error=r"has no attribute 'predict_classes'",
            now="np.argmax(model.predict(x), axis=-1)"),
    Pattern("predict_proba", methods=("predict_proba",), error=r"has no attribute 'predict_proba'",
            now="model.predict(x)"),
    Pattern("fit_generator", methods=("fit_generator", "evaluate_generator", "predict_generator"),
            error=r"has no attribute '(fit|evaluate|predict)_generator'",
            now="model.fit(generator, steps_per_epoch=100, epochs=10)"),
    Pattern("set_image_dim_ordering", methods=("set_image_dim_ordering", "image_dim_ordering"),
            error=r"has no attribute '(set_)?image_dim_ordering'",
            now="keras.backend.image_data_format()  # 'channels_last'"),
    Pattern("save_without_extension", methods=("save",),
            error=r"Invalid filepath extension for saving",
            now="model.save('model.keras')"),
    # --- silent traps: no error, another model -----------------------------------------------------
    Pattern("conv_positional_kernel", names=tuple(_CONV_ALIASES) + ("Conv2D",),
            error=r"Computed output size would be zero or negative",
            now="Conv2D(96, (11, 11), strides=(4, 4), padding='valid')"),
    Pattern("channels_first_input", keyword="input_shape",
            error=r"Computed output size would be zero or negative|Negative dimension size",
            now="keras.Input(shape=(224, 224, 3))"),
    Pattern("gru_reset_after", names=("GRU",),
            now="GRU(5)"),
    Pattern("dense_1_softmax", names=("Dense",),
            now="Dense(1, activation='sigmoid')"),
)

BY_ID = {p.id: p for p in PATTERNS}
# Old keyword -> new keyword, for rewriting whole calls; None: the argument goes.
RENAMED = {"nb_epoch": "epochs", "subsample": "strides", "border_mode": "padding", "init": "kernel_initializer",
           "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
           "W_constraint": "kernel_constraint", "b_constraint": "bias_constraint", "nb_filter": "filters",
           "lr": "learning_rate", "consume_less": None, "mode": None, "show_accuracy": None, "class_mode": None,
           "dim_ordering": "data_format", "input_length": None, "output_dim": "units"}


@dataclass
class Finding:
    """One old call in the source."""

    pattern: str
    line: int
    code: str  # the call as written (one line)
    now: str  # the call in current Keras
    file: str = ""
    cell: int = 0
    extra: list[str] = field(default_factory=list)  # other patterns on the same call

    def get_config(self) -> dict:
        patterns = [self.pattern, *self.extra]
        return {"pattern": self.pattern, "patterns": patterns, "line": self.line,
                "code": self.code, "now": self.now, "file": self.file, "cell": self.cell,
                "messages": [BY_ID[p].message() for p in patterns]}


def explanation(pattern_id: str, lang: str = "en") -> str:
    """One sentence on what changed, in ``lang``."""
    return render(BY_ID[pattern_id].message(), lang)


def match_error(ename: str, evalue: str) -> list[Pattern]:
    """The patterns whose error this is (several when one call has several old keywords)."""
    text = f"{ename}: {evalue}"
    return [p for p in PATTERNS if p.error and re.search(p.error, text, re.S)]


# ------------------------------------------------------------------------------ static scan


# Names that are never Keras: modules coursework imports besides it, as it usually names them. With
# the names a file imports from other packages and the variables it assigns from their calls, they
# keep ``np.save("pesos.npy", w)`` or ``clf.predict_proba(X)`` (scikit-learn) from being old Keras.
FOREIGN = frozenset({"np", "numpy", "pd", "pandas", "plt", "matplotlib", "sns", "seaborn", "sklearn", "scipy",
                     "skimage", "torch", "torchvision", "joblib", "pickle", "json", "os", "shutil", "h5py", "PIL",
                     "Image", "cv2", "math", "random", "io", "tqdm", "csv"})
_KERAS_PACKAGES = ("keras", "tensorflow", "tf_keras")


def scan_source(source: str, *, file: str = "", cell: int = 0, context: str = "") -> list[Finding]:
    r"""Every old call in ``source`` (a script or one notebook cell), in line order.

    ``context`` is the whole file (a notebook's cells joined) when ``source`` is one cell of it: the
    imports and assignments there tell which names are not Keras.

    >>> [f.pattern for f in scan_source("import numpy as np\nnp.save('pesos.npy', w)\nmodel.save('pesos')")]
    ['save_without_extension']
    """
    tree = _parse(source)
    if tree is None:
        return []
    foreign = foreign_names(_parse(context) if context else tree) | foreign_names(tree)
    lines = source.splitlines()
    found: dict[tuple[int, int], Finding] = {}

    def add(node: ast.AST, pattern_id: str, now: str) -> None:
        key = (node.lineno, node.col_offset)
        code = _segment(source, node, lines)
        if key in found:
            if pattern_id not in found[key].extra and pattern_id != found[key].pattern:
                found[key].extra.append(pattern_id)
            return
        found[key] = Finding(pattern_id, node.lineno, code, now, file=file, cell=cell)

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _scan_import(node, add)
        elif isinstance(node, ast.Call):
            _scan_call(node, add, foreign)
    return sorted(found.values(), key=lambda f: (f.line, f.code))


def foreign_names(tree: ast.Module | None) -> set[str]:
    """Names in ``tree`` that are not Keras: :data:`FOREIGN`, what it imports from other packages, and the
    variables it assigns from calls of those (``clf = SVC(probability=True)``)."""
    names = set(FOREIGN)
    if tree is None:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name.split(".")[0]) for a in node.names
                         if a.name.split(".")[0] not in _KERAS_PACKAGES)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] not in _KERAS_PACKAGES \
                and node.level == 0:
            names.update(a.asname or a.name for a in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _root(node.value.func) in names:
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _root(node: ast.AST) -> str:
    """``np`` for ``np.random.save``; ``""`` when the expression does not start with a name."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _scan_import(node: ast.Import | ast.ImportFrom, add) -> None:
    modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
    names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
    for pattern in PATTERNS:
        if any(m == old or m.startswith(old + ".") for m in modules for old in pattern.modules):
            imported = ", ".join(_CONV_ALIASES.get(n, n) for n in names) if names else ""
            now = f"from keras.layers import {imported}" if imported and pattern.id.startswith("module_") else pattern.now
            add(node, pattern.id, now)
            return
    for name in names:
        for pattern_id in ("np_utils", "image_data_generator", "merge_layer"):
            if name in BY_ID[pattern_id].names:
                add(node, pattern_id, BY_ID[pattern_id].now)


def _scan_call(node: ast.Call, add, foreign: set[str] = frozenset()) -> None:
    callee = _callee(node)
    if _root(node.func) in foreign:  # numpy's save, scikit-learn's predict_proba, KMeans(init=...): not Keras
        return
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    now = modernize_node(node)
    if isinstance(node.func, ast.Attribute):
        for pattern in PATTERNS:
            if node.func.attr in pattern.methods:
                if pattern.id == "save_without_extension":
                    # model.save(path): one path; two positional arguments are another library's save(file, obj)
                    if len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
                            and isinstance(node.args[0].value, str) \
                            and not node.args[0].value.endswith((".keras", ".h5", ".hdf5")):
                        add(node, pattern.id, f"{ast.unparse(node.func)}({node.args[0].value + '.keras'!r})")
                    continue
                add(node, pattern.id, _method_now(node, pattern))
    for pattern in PATTERNS:
        if pattern.keyword and pattern.keyword in keywords and (not pattern.callees or callee in pattern.callees):
            if pattern.id == "channels_first_input":
                shape = _literal(keywords["input_shape"])
                if isinstance(shape, tuple) and len(shape) == 3 and shape[0] in (1, 3) and shape[1] > 3:
                    add(node, pattern.id, f"keras.Input(shape={(shape[1], shape[2], shape[0])})")
                continue
            add(node, pattern.id, now)
    if callee == "Input" and "shape" in keywords:
        shape = _literal(keywords["shape"])
        if isinstance(shape, tuple) and len(shape) == 3 and shape[0] in (1, 3) and shape[1] > 3:
            add(node, "channels_first_input", f"keras.Input(shape={(shape[1], shape[2], shape[0])})")
    if callee == "Merge":
        add(node, "merge_layer", BY_ID["merge_layer"].now)
    if callee in _CONV_ALIASES or callee == "Conv2D":
        ints = [a for a in node.args[:3] if isinstance(a, ast.Constant) and isinstance(a.value, int)]
        if len(node.args) >= 3 and len(ints) == 3 and callee in ("Convolution2D", "Conv2D"):
            add(node, "conv_positional_kernel", now)
    if callee == "GRU" and "reset_after" not in keywords:
        add(node, "gru_reset_after", now)
    if callee == "Dense" and node.args and _literal(node.args[0]) == 1:
        activation = _literal(keywords.get("activation")) if "activation" in keywords else None
        if activation == "softmax":
            add(node, "dense_1_softmax", "Dense(1, activation='sigmoid')")


def _method_now(node: ast.Call, pattern: Pattern) -> str:
    owner = ast.unparse(node.func.value)
    args = ", ".join(ast.unparse(a) for a in node.args)
    if pattern.id == "predict_classes":
        return f"np.argmax({owner}.predict({args}), axis=-1)"
    if pattern.id == "predict_proba":
        return f"{owner}.predict({args})"
    if pattern.id == "fit_generator":
        rest = ", ".join([ast.unparse(a) for a in node.args] + [ast.unparse(k) for k in node.keywords])
        return f"{owner}.{node.func.attr.replace('_generator', '')}({rest})"
    return pattern.now


def modernize(code: str) -> str:
    """One call rewritten in current Keras (or the code unchanged when it is not one call)."""
    tree = _parse(code.strip())
    if tree is None or len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr) \
            or not isinstance(tree.body[0].value, ast.Call):
        return code
    return modernize_node(tree.body[0].value)


def modernize_node(node: ast.Call) -> str:
    """``node`` in current Keras: new names, kernel as a tuple, renamed keywords, removed ones dropped."""
    import copy

    call = copy.deepcopy(node)
    # Inner calls first (model.add(Convolution2D(...)) rewrites its argument).
    call.args = [_modern_expr(a) for a in call.args]
    for k in call.keywords:
        k.value = _modern_expr(k.value)
    callee = _callee(call)
    if callee in _CONV_ALIASES:
        new = _CONV_ALIASES[callee]
        if isinstance(call.func, ast.Name):
            call.func.id = new
        elif isinstance(call.func, ast.Attribute):
            call.func.attr = new
        if new == "Conv2D" and len(call.args) >= 3:
            call.args = [call.args[0], ast.Tuple(elts=call.args[1:3], ctx=ast.Load()), *call.args[3:]]
    keywords = []
    for k in call.keywords:
        if k.arg in RENAMED and (k.arg not in ("mode",) or callee == "BatchNormalization"):
            if k.arg == "output_dim" and callee in ("Dense", "SimpleRNN", "LSTM", "GRU") and not call.args:
                call.args = [k.value]
                continue
            if k.arg == "lr" and callee not in _OPTIMIZERS:
                keywords.append(k)
                continue
            if k.arg == "dim_ordering":
                value = _literal(k.value)
                k = ast.keyword(arg="data_format", value=ast.Constant(
                    "channels_first" if value == "th" else "channels_last"))
                keywords.append(k)
                continue
            if k.arg == "input_length" and callee in _RNN and any(x.arg == "input_dim" for x in call.keywords):
                steps = k.value
                dim = next(x.value for x in call.keywords if x.arg == "input_dim")
                keywords.append(ast.keyword(arg="input_shape", value=ast.Tuple(elts=[steps, dim], ctx=ast.Load())))
                continue
            if RENAMED[k.arg] is None or (k.arg == "input_length" and callee != "Embedding" and callee not in _RNN):
                continue
            if k.arg == "input_length":
                continue
            k.arg = RENAMED[k.arg]
        elif k.arg == "input_dim" and callee in _RNN and any(x.arg == "input_length" for x in call.keywords):
            continue
        keywords.append(k)
    call.keywords = keywords
    return ast.unparse(call)


def _modern_expr(node: ast.AST) -> ast.AST:
    if isinstance(node, ast.Call):
        parsed = _parse(modernize_node(node))
        return parsed.body[0].value if parsed is not None else node
    return node


def _callee(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _literal(node: ast.AST | None):
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def _segment(source: str, node: ast.AST, lines: list[str]) -> str:
    text = ast.get_source_segment(source, node) or (lines[node.lineno - 1] if node.lineno <= len(lines) else "")
    return " ".join(text.split())[:300]


_MAGIC = re.compile(r"^\s*[%!]")


def _parse(source: str) -> ast.Module | None:
    """Parse a script or a notebook cell (IPython magics and shell lines blanked out)."""
    cleaned = "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines())
    try:
        return ast.parse(cleaned)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # e.g. one line of 10,000 additions
        return None
