"""grader: grade deep-learning coursework by running it and reading the models it builds."""

__version__ = "0.1.0"
