"""Training checks: train a student's model briefly, under the rubric's protocol, and measure it.

protocol (what to train and how) -> run (a sandboxed, seeded training process, cached) ->
metrics (computed by the grader from the predictions) -> threshold (pass or fail).
"""
