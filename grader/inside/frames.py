"""The student's line behind a call into the grader's wrappers: runs INSIDE the sandbox.

Standard library only. Shared by the watchers and caps of every framework, which record the line of
the student's code that trained, saved or iterated a loader.
"""

import sys


def caller_line():
    """The line of the first frame, starting two above this call (past the wrapper that asks), that is
    neither library code nor ours; 0 when there is none."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not ("grader_inside" in name or name.startswith("<frozen")
                or "site-packages" in name or "dist-packages" in name or "/lib/python3" in name):
            return frame.f_lineno
        frame = frame.f_back
    return 0
