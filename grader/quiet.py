"""TensorFlow's start-up lines: kept off the instructor's terminal and out of "What your code printed".

Importing TensorFlow writes, from C++, straight to file descriptor 2 and whatever
``TF_CPP_MIN_LOG_LEVEL`` says (measured with TF 2.21)::

    WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
    I0000 00:00:1796059219.492052   22391 port.cc:153] oneDNN custom operations are on. You may see ...

They say nothing to an instructor or a student. :func:`without_startup_lines` removes them from a
run's output; :func:`quiet_tensorflow_import` makes the grader's own first ``import tensorflow``
(wherever it happens: rebuilding a model, a check's options, a worker) write them nowhere, and
passes every other line it wrote on.

Example:
    >>> without_startup_lines("WARNING: All log messages before absl::InitializeLog() is called are "
    ...                       "written to STDERR\\n(None, 54, 54, 96)\\n")
    '(None, 54, 54, 96)\\n'
"""

from __future__ import annotations

import importlib.abc
import os
import re
import sys
import tempfile
import threading

# The start-up lines of TensorFlow and its XLA/CUDA plugins: absl's notice, then glog-style lines
# (``I0000 00:00:<time> <thread> <file>.cc:<line>] ...``) from the files that log while loading.
STARTUP_LINE = re.compile(
    r"^(?:WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWE]\d{4} [\d:.]+\s+\d+ (?:port|cpu_feature_guard|cuda_dnn|cuda_fft|cuda_blas|computation_placer"
    r"|cuda_executor|cuda_platform)\.cc:\d+\] .*"
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)\r?$")


def without_startup_lines(text: str) -> str:
    """``text`` without TensorFlow's start-up lines (every other line kept, in order)."""
    if "absl::InitializeLog" not in text and ".cc:" not in text and "rebuild TensorFlow" not in text:
        return text
    return "".join(line for line in text.splitlines(keepends=True) if not STARTUP_LINE.match(line.rstrip("\n")))


def quiet_tensorflow_import() -> None:
    """From now on, this process's first ``import tensorflow`` keeps its start-up lines to itself."""
    if "tensorflow" in sys.modules or any(isinstance(f, _QuietImport) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _QuietImport())


class _QuietImport(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` with the other finders and loads it with file descriptor 2 caught."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _CaughtLoader(spec.loader)
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        return spec


class _CaughtLoader(importlib.abc.Loader):
    _lock = threading.Lock()

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        with self._lock, tempfile.TemporaryFile() as caught:
            sys.stderr.flush()
            saved = os.dup(2)
            os.dup2(caught.fileno(), 2)
            try:
                self._loader.exec_module(module)
            finally:
                sys.stderr.flush()
                os.dup2(saved, 2)
                os.close(saved)
                caught.seek(0)
                rest = without_startup_lines(caught.read().decode("utf-8", "replace"))
                if rest:
                    sys.stderr.write(rest)
                    sys.stderr.flush()

    def __getattr__(self, name):
        return getattr(self._loader, name)
