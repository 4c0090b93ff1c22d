"""Caps a student's own PyTorch training while grading: runs INSIDE the student's process.

Standard library only until the student's code imports torch; nothing from ``grader``. PyTorch has
no ``fit()`` to patch: students write their loops. Two bounds together stand in for the Keras
``fit_cap``:

* **batches per epoch**: ``DataLoader.__iter__`` is patched (once ``torch.utils.data.dataloader``
  loads, through an import hook, so code that never imports torch pays nothing) to yield at most
  ``batches`` batches each time a loader is iterated. ``len(loader)`` is unchanged, so averages a
  student computes with it stay defined.
* **epochs**: every ``for`` statement whose iterable calls ``range``/``trange`` (``for epoch in
  range(n_epochs)``, ``for e in tqdm(range(20))``) is rewritten (an ``ast`` pass over each cell or
  script statement) to iterate through :func:`epochs`, which stops the loop after ``epochs``
  rounds **only if DataLoaders were iterated inside it**: ``for i in range(len(x))`` runs as
  written. The loop's body is untouched, and code after the loop runs, so the per-epoch evaluation
  and the plots still happen. ``while`` loops are not capped (the sandbox's time limit is).

Each cap that bit appends a JSON line to a log the grader reads back as untrusted information
(``{"cap": "epochs", "line": 5, "ran": 2, "asked": 20}``), so the report can say what ran.

Usage (what a harness does)::

    cap = install({"epochs": 2, "batches": 10}, "/private/torch_cap.jsonl")
    tree = cap_epoch_loops(ast.parse(cell_source))          # scripts, statement by statement
    shell.ast_transformers.append(EpochLoopCap())           # or, in IPython, for every cell
"""

import ast
import builtins
import importlib.abc
import importlib.machinery
import json
import sys

MAX_LOG_BYTES = 100_000
HELPER = "__grader_epochs__"
_LOOP_CALLS = ("range", "trange")


class Cap:
    """The bounds, the count of DataLoader iterations started, and the log."""

    def __init__(self, epochs, batches, log_path=None):
        if type(epochs) is not int or type(batches) is not int or epochs < 1 or batches < 1:
            raise ValueError("epochs and batches must be whole numbers of 1 or more")
        self.epochs, self.batches = epochs, batches
        self.loader_iterations = 0
        self.log_path = log_path
        self.written = 0
        self.records = []

    def note(self, **record):
        self.records.append(record)
        if self.log_path is None:
            return
        line = json.dumps(record) + "\n"
        if self.written + len(line) > MAX_LOG_BYTES:
            return
        self.written += len(line)
        with open(self.log_path, "a", encoding="utf-8") as handle:
            handle.write(line)


_CAP = []


def install(settings, log_path=None):
    """Cap loops as ``settings`` (``{"epochs": int, "batches": int}``) says; returns the :class:`Cap`."""
    cap = Cap(int(settings["epochs"]), int(settings["batches"]), log_path)
    _CAP[:] = [cap]
    builtins.__dict__[HELPER] = epochs
    module = sys.modules.get("torch.utils.data.dataloader")
    if module is not None and hasattr(module, "DataLoader"):
        _patch(module)
    else:
        sys.meta_path.insert(0, _DataLoaderHook())
    return cap


def epochs(iterable, line=0):
    """Iterate ``iterable``, stopping after the cap's epochs once DataLoaders ran inside the loop."""
    cap = _CAP[0] if _CAP else None
    if cap is None:
        yield from iterable
        return
    started = cap.loader_iterations
    asked = len(iterable) if hasattr(type(iterable), "__len__") else None
    for index, item in enumerate(iterable):
        if index >= cap.epochs and cap.loader_iterations > started:
            cap.note(cap="epochs", line=line, ran=index, asked=asked)
            return
        yield item


def _patch(module):
    loader_class = module.DataLoader
    if getattr(loader_class.__iter__, "_grader_capped", False):
        return
    original = loader_class.__iter__

    def capped_iter(self):
        cap = _CAP[0] if _CAP else None
        if cap is None:
            return original(self)
        cap.loader_iterations += 1
        return _first_batches(original(self), cap, self)

    capped_iter._grader_capped = True
    loader_class.__iter__ = capped_iter


def _first_batches(iterator, cap, loader):
    yielded = 0
    try:
        for batch in iterator:
            if yielded >= cap.batches:
                try:
                    asked = len(loader)
                except Exception:
                    asked = None
                cap.note(cap="batches", ran=yielded, asked=asked)
                return
            yielded += 1
            yield batch
    finally:
        del iterator  # worker processes of num_workers > 0 shut down with their iterator


class _DataLoaderHook(importlib.abc.MetaPathFinder):
    """Finds ``torch.utils.data.dataloader`` with the path finder and patches it once loaded."""

    def find_spec(self, name, path, target=None):
        if name != "torch.utils.data.dataloader":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module):
            original(module)
            _patch(module)
            if self in sys.meta_path:
                sys.meta_path.remove(self)

        loader.exec_module = exec_module
        return spec


# ------------------------------------------------------------------------------ the epoch loops


class EpochLoopCap(ast.NodeTransformer):
    """Rewrites ``for x in <expr calling range>:`` into ``for x in __grader_epochs__(<expr>, line):``."""

    def visit_For(self, node):
        self.generic_visit(node)
        if _calls_range(node.iter):
            wrapped = ast.Call(func=ast.Name(id=HELPER, ctx=ast.Load()),
                               args=[node.iter, ast.Constant(node.lineno)], keywords=[])
            node.iter = ast.copy_location(wrapped, node.iter)
            ast.fix_missing_locations(node)
        return node


def _calls_range(expression):
    for child in ast.walk(expression):
        if isinstance(child, ast.Call):
            function = child.func
            name = function.id if isinstance(function, ast.Name) else \
                function.attr if isinstance(function, ast.Attribute) else None
            if name in _LOOP_CALLS:
                return True
    return False


def cap_epoch_loops(tree):
    """Apply :class:`EpochLoopCap` to a parsed module; returns it, ready for ``compile``."""
    return ast.fix_missing_locations(EpochLoopCap().visit(tree))


def uninstall():
    """Undo :func:`install` (tests): the DataLoader keeps its patch but lets everything through."""
    _CAP[:] = []
    builtins.__dict__.pop(HELPER, None)
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _DataLoaderHook)]
