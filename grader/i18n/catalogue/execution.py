"""Messages: How the code ran, old Keras and legacy mode, the cap on the students' own training."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- execution --------------------------------------------------------------------------
    "exec.ok": {"en": "ran without errors", "es": "corrió sin errores"},
    "exec.kind.notebook": {"en": "notebook", "es": "notebook"},
    "exec.kind.script": {"en": "script", "es": "script"},
    "exec.kind.code": {"en": "code", "es": "código"},
    "exec.timeout": {
        "en": "your {kind} ran past the time limit of {limit}{place}; the models built before that were graded",
        "es": "tu {kind} superó el tiempo límite de {limit}{place}; se calificaron los modelos construidos antes",
    },
    "exec.cell_timeout": {
        "en": "your {kind} ran past the limit of {limit} per cell{place}; it was stopped there and the models "
              "built before were graded",
        "es": "tu {kind} superó el límite de {limit} por celda{place}; se detuvo ahí y se calificaron los "
              "modelos construidos antes",
    },
    "exec.memory": {
        "en": "your {kind} ran out of memory{place} (limit {limit}); use smaller arrays or batches. The models "
              "built before that were graded",
        "es": "tu {kind} se quedó sin memoria{place} (límite {limit}); usa arreglos o lotes más pequeños. Se "
              "calificaron los modelos construidos antes",
    },
    "exec.killed": {
        "en": "your {kind} stopped abruptly{place} (it crashed or exited without finishing); the models built "
              "before that were graded",
        "es": "tu {kind} se detuvo de golpe{place} (falló o terminó sin llegar al final); se calificaron los "
              "modelos construidos antes",
    },
    "exec.place": {"en": " in {where}", "es": " en {where}"},
    "exec.where": {"en": "{file}{cell}{line}", "es": "{file}{cell}{line}"},
    "exec.where.cell": {"en": ", cell {cell}", "es": ", celda {cell}"},
    "exec.where.line": {"en": ", line {line}", "es": ", línea {line}"},
    "exec.error": {"en": "{where}: {ename}: {evalue}", "es": "{where}: {ename}: {evalue}"},
    "exec.error.hint": {"en": "{where}: {ename}: {evalue} -> {hint}", "es": "{where}: {ename}: {evalue} -> {hint}"},
    "exec.more": {"en": "{text} (and {count} more cell(s) with errors)", "es": "{text} (y {count} celda(s) más con errores)"},
    "exec.stopped": {"en": "your {kind} stopped with an error", "es": "tu {kind} se detuvo con un error"},
    # --- old Keras API and legacy mode --------------------------------------------------------
    "oldapi.line": {"en": "{file}, line {line}: {explanation}", "es": "{file}, línea {line}: {explanation}"},
    "legacy.translated": {
        "en": "Legacy mode translated {count} old Keras call(s) so that your model could be graded; in current "
              "Keras write them as shown.",
        "es": "El modo heredado tradujo {count} llamada(s) de Keras antiguo para poder calificar tu modelo; en "
              "Keras actual escríbelas como se muestra.",
    },
    "legacy.penalty": {
        "en": "Old Keras API used: {count} call(s) needed translating (-{points} points).",
        "es": "Se usó la API antigua de Keras: {count} llamada(s) necesitaron traducción (-{points} puntos).",
    },
    "legacy.check.pass": {
        "en": "Your code uses the current Keras API: nothing needed translating.",
        "es": "Tu código usa la API actual de Keras: no hizo falta traducir nada.",
    },
    "legacy.check.title": {"en": "Current Keras API", "es": "API actual de Keras"},
    # --- the cap on the student's own training (grader.execution.fit_cap) ----------------
    "fitcap.one": {
        "en": "To grade quickly, your `fit()` ran {run} of its {asked} epochs, at most {batches} batches each. "
              "Run `grader check --full` to run it as written.",
        "es": "Para calificar rápido, tu `fit()` hizo {run} de sus {asked} épocas, con {batches} lotes como mucho "
              "en cada una. Ejecuta `grader check --full` para correrlo tal como está escrito.",
    },
    "fitcap.one.epochs": {
        "en": "To grade quickly, your `fit()` ran {run} of its {asked} epochs. "
              "Run `grader check --full` to run it as written.",
        "es": "Para calificar rápido, tu `fit()` hizo {run} de sus {asked} épocas. "
              "Ejecuta `grader check --full` para correrlo tal como está escrito.",
    },
    "fitcap.many": {
        "en": "To grade quickly, your {count} `fit()` calls ran at most {epochs} epochs each, at most {batches} "
              "batches per epoch. Run `grader check --full` to run them as written.",
        "es": "Para calificar rápido, tus {count} llamadas a `fit()` hicieron como mucho {epochs} épocas cada una, "
              "con {batches} lotes como mucho por época. Ejecuta `grader check --full` para correrlas tal como "
              "están escritas.",
    },
    "fitcap.many.epochs": {
        "en": "To grade quickly, your {count} `fit()` calls ran at most {epochs} epochs each. "
              "Run `grader check --full` to run them as written.",
        "es": "Para calificar rápido, tus {count} llamadas a `fit()` hicieron como mucho {epochs} épocas cada una. "
              "Ejecuta `grader check --full` para correrlas tal como están escritas.",
    },
}
