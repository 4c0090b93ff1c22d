"""Messages: coursework as its students wrote it: model history, course environments, the course's
helper files, offline data and weights, memory."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- which state of a model was graded (grader.checks.matching) ----------------------------
    "model.state": {"en": "{variable} ({file}, {where})", "es": "{variable} ({file}, {where})"},
    "model.state.place": {"en": "{file}, {where}", "es": "{file}, {where}"},
    "model.where.cell": {"en": "cell {number}", "es": "celda {number}"},
    "model.where.line": {"en": "line {number}", "es": "línea {number}"},
    "model.where.end": {"en": "at the end", "es": "al final"},
    "note.state.earlier": {
        "en": "The grader graded `{variable}` as it was after {where}: it changed later ({later}), and that "
              "earlier state is the one like this activity's model.",
        "es": "El corrector calificó `{variable}` tal como estaba después de {where}: cambió más adelante "
              "({later}) y es ese estado anterior el que corresponde al modelo de esta actividad.",
    },
}
