"""The trusted side of the sandbox: isolation levels, limits, running a confined program, reading back.

Code that runs *inside* a sandbox lives in :mod:`grader.inside` and nothing here imports it; it
is copied into each run. What crosses the boundary:

* inward: a copy of the regular files the run works on (a student's, a reference's, a training's
  inputs), the ``grader_inside`` package, and one manifest (:mod:`grader.sandbox.manifest`);
* outward: JSON-lines result files (:mod:`grader.sandbox.readback`, the one reader) and a bounded
  copy of what the run printed.
"""
