"""The data sources, one module each (see :mod:`grader.data.source` for what a module defines)."""
