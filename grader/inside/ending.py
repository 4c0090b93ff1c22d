"""Leave quickly once everything is written: skip the interpreter's teardown of TensorFlow.

A Python that imported TensorFlow spends 1-3 s finalizing its modules at exit (measured on the
benchmark VM: 2.8-3.9 s with `import keras`, 0.13 s when leaving with ``os._exit`` after the
atexit handlers; benchmarks/RESULTS.md). Nothing the grader reads is written then: records are
flushed line by line. What the student's code wrote to files it never closed is flushed first,
as a normal exit would have done, and the atexit handlers (the student's and the libraries') run.

Example::

    >>> handle = open(os.devnull, "w"); _ = handle.write("unflushed")
    >>> flush_open_files() >= 1
    True
"""

import atexit
import gc
import io
import os
import sys


def flush_open_files():
    """Flush every open file object of this process; return how many were flushed."""
    flushed = 0
    for obj in gc.get_objects():
        try:
            if isinstance(obj, io.IOBase) and not obj.closed and obj.writable():
                obj.flush()
                flushed += 1
        except Exception:  # noqa: BLE001 - a student's object may raise from anything
            continue
    return flushed


def leave(code=0):
    """Exit with ``code`` now: flush open files, run the atexit handlers, then ``os._exit``."""
    try:
        flush_open_files()
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code if isinstance(code, int) else 1)
