"""grader: grade deep-learning coursework by running it and reading the models it builds."""

import sys

__version__ = "0.1.0"

# The grader's own process may hold TensorFlow (a Keras course) and torch (a PyTorch course) at once.
# PyPI's Linux torch imports triton (the GPU compiler) the first time it runs an operator, and
# importing triton after TensorFlow crashes the process (their bundled LLVMs collide: segmentation
# fault; benchmarks/RESULTS.md). The grader never compiles kernels, and torch runs without triton,
# so the grader's process never loads it. Student code in the sandbox is not affected.
sys.modules.setdefault("triton", None)
