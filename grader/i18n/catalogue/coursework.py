"""Messages: what whole courses needed beyond architectures (issue 14).

Compile arguments (learning rate, ``from_logits``), models of a folder submission tied to a file,
models that are one valid answer among many, models built once per fold, the submission rules
(no input, nothing written to disk), values the student's code computed (shown as reported by it),
static reading of the code (``uses``), thresholds relative to another model or a baseline, and
``grader validate``'s figures.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- compile arguments ------------------------------------------------------------------
    "compile.learning_rate": {
        "en": "the learning rate (optimizer.learning_rate) should be {expected}, yours is {found}",
        "es": "la tasa de aprendizaje (optimizer.learning_rate) debería ser {expected} y la tuya es {found}",
    },
    "compile.argument": {
        "en": "{setting} should be {expected}, in your model it is {found}",
        "es": "{setting} debería valer {expected} y en tu modelo vale {found}",
    },
}
