"""Caps the student's own PyTorch training loops while grading: runs INSIDE the student's process.

Standard library until the student's code imports torch; nothing from the grader. PyTorch has no
``fit()`` to patch: students write their loops. Two bounds together stand in for the Keras cap:

* **batches per pass**: ``DataLoader.__iter__`` is patched (when ``torch.utils.data.dataloader``
  loads, through an import hook, so code that never imports torch pays nothing) to yield at most
  ``batches`` batches each time a loader is iterated. ``len(loader)`` is unchanged, so averages a
  student computes with it stay defined.
* **epochs**: every ``for`` statement whose iterable calls ``range``/``trange`` (``for epoch in
  range(n_epochs)``, ``for e in tqdm(range(20))``) is rewritten by an ``ast`` pass over each cell
  (:class:`EpochLoopCap`; the harness applies it to scripts and appends it to IPython's
  ``ast_transformers``) to iterate through :func:`epochs`, which stops the loop after ``epochs``
  rounds **only if DataLoaders were iterated inside it**: ``for i in range(len(x))`` runs as
  written. The loop's body is untouched and the code after it runs, so the per-epoch evaluation
  and the plots still happen. ``while`` loops are not capped (the sandbox's time limit is).

Each loop the cap shortened is one line of the log, in the fields the Keras cap writes (read back
by ``grader.sandbox.readback.read_capped_fits``) plus ``"loop": true``::

    {"epochs_asked": 20, "epochs_run": 2, "batches_asked": 1875, "batches_run": 3, "line": 5,
     "cell": "cell 6", "loop": true}

``grader check --full`` runs without it.

Example:
    >>> import ast
    >>> tree = EpochLoopCap().visit(ast.parse("for epoch in range(20):\\n    pass"))
    >>> ast.unparse(tree)
    'for epoch in __grader_epochs__(range(20), 1):\\n    pass'
"""

import ast
import builtins
import importlib.abc
import importlib.machinery
import sys

from grader_inside.frames import caller_line as _caller_line

HELPER = "__grader_epochs__"
_LOOP_CALLS = ("range", "trange")
MAX_RECORDED = 200  # log lines at most, whatever the student's loops do


class Cap:
    """The bounds, the loops being capped now, and where capped loops are logged."""

    def __init__(self, epochs, batches, records=None, where=None):
        if type(epochs) is not int or type(batches) is not int or epochs < 1 or batches < 1:
            raise ValueError("epochs and batches must be whole numbers of 1 or more")
        self.epochs, self.batches = epochs, batches
        self.records, self.where = records, where
        self.loader_iterations = 0
        self.loops = []          # the epoch loops running now, innermost last
        self.logged = []         # what was logged (tests read it)
        self.single = set()      # lines of loader passes capped outside any epoch loop, logged once
        self.ast_transformers = [EpochLoopCap()]

    def log(self, record):
        if len(self.logged) >= MAX_RECORDED:
            return
        if self.where is not None:
            try:
                record["cell"] = str(self.where())[:40]
            except Exception:  # noqa: BLE001
                pass
        record["loop"] = True
        self.logged.append(record)
        if self.records is not None:
            self.records.write(record)

    def loader_capped(self, asked):
        """A DataLoader pass was cut after ``self.batches`` batches; ``asked`` is ``len(loader)``."""
        if self.loops:
            loop = self.loops[-1]
            loop["batches_asked"] = max(loop["batches_asked"] or 0, asked or 0) or None
            return
        line = _caller_line()
        if line not in self.single:
            self.single.add(line)
            self.log({"epochs_asked": 1, "epochs_run": 1, "batches_asked": asked, "batches_run": self.batches,
                      "line": line})


_CAP = []


def install(settings, records=None, where=None):
    """Cap loops as ``settings`` (``{"epochs": int, "batches": int}``) says; returns the :class:`Cap`.

    ``records`` (a ``grader_inside.records.Records``) receives the log; ``where()`` names the
    running cell. The returned cap's ``ast_transformers`` are what the harness runs cells through.
    """
    cap = Cap(int(settings["epochs"]), int(settings["batches"]), records, where)
    _CAP[:] = [cap]
    builtins.__dict__[HELPER] = epochs
    module = sys.modules.get("torch.utils.data.dataloader")
    if module is not None and hasattr(module, "DataLoader"):
        _patch(module)
    elif not any(isinstance(finder, _DataLoaderHook) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DataLoaderHook())
    return cap


def uninstall():
    """Undo :func:`install` (tests): the DataLoader keeps its patch but lets everything through."""
    _CAP[:] = []
    builtins.__dict__.pop(HELPER, None)
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _DataLoaderHook)]


def epochs(iterable, line=0):
    """Iterate ``iterable``, stopping after the cap's epochs once DataLoaders ran inside the loop."""
    cap = _CAP[0] if _CAP else None
    if cap is None:
        yield from iterable
        return
    try:
        asked = len(iterable)
    except Exception:  # noqa: BLE001 - a generator, or a student object whose len() raises
        asked = None
    loop = {"started": cap.loader_iterations, "batches_asked": None}
    cap.loops.append(loop)
    ran, cut = 0, False
    try:
        for item in iterable:
            if ran >= cap.epochs and cap.loader_iterations > loop["started"]:
                cut = True
                return
            ran += 1
            yield item
    finally:
        if loop in cap.loops:
            cap.loops.remove(loop)
        if cut or loop["batches_asked"] is not None:
            record = {"epochs_asked": (asked if asked is not None else ran + 1) if cut else ran, "epochs_run": ran,
                      "batches_asked": loop["batches_asked"],
                      "batches_run": cap.batches if loop["batches_asked"] is not None else None,
                      "line": line if type(line) is int else 0}
            cap.log(record)


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
                except Exception:  # noqa: BLE001
                    asked = None
                cap.loader_capped(asked if type(asked) is int else None)
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
            try:
                _patch(module)
            except Exception:  # noqa: BLE001 - a failed patch must not break the student's import
                pass
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

