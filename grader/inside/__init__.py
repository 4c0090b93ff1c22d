"""Code that runs INSIDE the sandbox, in the student's process or beside it.

Everything in this package is copied into each sandbox as ``grader_inside`` (on ``PYTHONPATH``)
and runs there with the submission's rights: the standard library, the student's framework
(Keras, PyTorch) and this package only. It imports nothing from the rest of ``grader``, and
nothing in the rest of ``grader`` imports it (``tests/test_architecture.py`` checks both), so
the trust boundary is the package boundary. What it writes is read back on the trusted side as
untrusted data (:mod:`grader.sandbox.readback`); the student's code can read and tamper with
anything here, which is why nothing it reports is believed without being recomputed.

One run is configured by one manifest (``python -m grader_inside MANIFEST.json``, see
:mod:`grader.sandbox.manifest` for the fields) and writes JSON lines through one bounded writer
(:mod:`grader_inside.records`).
"""
