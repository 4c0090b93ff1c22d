"""The check kinds, one module each (see :mod:`grader.checks.kind` for what a module defines)."""
