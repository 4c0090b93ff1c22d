"""Data sets for training checks: where they come from and how they are prepared.

Loaders never download: course data ships with the rubric, Keras data sets are read from
the user's cache (``~/.keras/datasets``, filled ahead of time by ``grader data``), and
tests use generated data.
"""
