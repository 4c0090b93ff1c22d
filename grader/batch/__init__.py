"""Grade a class: many submissions, in parallel, cached by content, safe to interrupt.

``grader.batch.keys`` says when a stored result is still valid, ``grader.batch.worker`` grades one
submission and writes its files, ``grader.batch.run`` schedules the work over worker processes and
``grader.batch.progress`` shows it.
"""
