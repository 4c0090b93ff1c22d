"""Every message the grader writes, by id, in English and Spanish.

Fields are ``str.format`` names; both languages of a message use the same fields
(``tests/test_i18n.py`` checks it). Code (layer calls, argument names) stays as Keras spells it.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- checks -------------------------------------------------------------------------
    "check.unreadable": {
        "en": "The grader could not read your model: {problem}.",
        "es": "El corrector no pudo leer tu modelo: {problem}.",
    },
    "check.grader_bug": {
        "en": "The grader failed on this check ({error}); please report it.",
        "es": "El corrector falló en esta comprobación ({error}); avisa al profesor.",
    },
    "check.not_graded": {
        "en": "Not graded: the submission could not be read.",
        "es": "Sin calificar: no se pudo leer la entrega.",
    },
    "check.hidden.title": {"en": "Hidden check {number}", "es": "Comprobación oculta {number}"},
    "check.hidden": {
        "en": "Hidden check: its expectations are not shown.",
        "es": "Comprobación oculta: no se muestra lo que se espera.",
    },
    "model.missing": {
        "en": "No model for {title} was found: the grader looked for a Keras model in {names} and for any "
              "model like the reference. Build it and keep it in that variable.",
        "es": "No se encontró ningún modelo para {title}: el corrector buscó un modelo de Keras en {names} y "
              "cualquier modelo parecido a la referencia. Constrúyelo y guárdalo en esa variable.",
    },
    "model.missing.stopped": {
        "en": "{base} Your code stopped with errors, which may be why (see the errors above).",
        "es": "{base} Tu código se detuvo con errores, quizá por eso (mira los errores arriba).",
    },
    "model.any_variable": {"en": "any variable", "es": "ninguna variable concreta"},
    "model.found": {"en": "Found {found}.", "es": "Encontrado: {found}."},
    "model.found.closest": {"en": "Found {found}. {note}", "es": "Encontrado: {found}. {note}"},
    "note.closest.not_found": {
        "en": "The grader graded `{variable}` ({where}), the model most like the reference; {wanted} was not found.",
        "es": "El corrector calificó `{variable}` ({where}), el modelo más parecido a la referencia; "
              "no se encontró {wanted}.",
    },
    "note.closest.different": {
        "en": "The grader graded `{variable}` ({where}), the model most like the reference; {wanted} holds a "
              "different model.",
        "es": "El corrector calificó `{variable}` ({where}), el modelo más parecido a la referencia; {wanted} "
              "contiene otro modelo.",
    },
    "train.too_large": {
        "en": "Your model has {params} parameters: training it needs about {needed}, more than the {limit} a "
              "submission may use, so it was not trained. Check the layer where the count jumps (often the first "
              "Dense after Flatten).",
        "es": "Tu modelo tiene {params} parámetros: entrenarlo necesita unos {needed}, más que los {limit} que "
              "puede usar una entrega, así que no se entrenó. Revisa la capa donde se dispara la cuenta (suele ser "
              "la primera Dense después de Flatten).",
    },
    "note.custom_function": {
        "en": "Layer `{layer}` uses your own function `{name}` as its {setting}. The grader does not run "
              "student code: it checks the layer's shape and parameters, and compares the {setting} by name.",
        "es": "La capa `{layer}` usa tu propia función `{name}` como {setting}. El corrector no ejecuta código "
              "de la entrega: comprueba la forma y los parámetros de la capa, y compara {setting} por su nombre.",
    },
    "note.custom_layers": {
        "en": "Your model uses layers of your own classes ({layers}). The grader does not run student code, so it "
              "checks their place in the model but not their output shapes or parameter counts.",
        "es": "Tu modelo usa capas de clases propias ({layers}). El corrector no ejecuta código de la entrega: "
              "comprueba dónde están en el modelo, pero no sus formas de salida ni sus parámetros.",
    },
    "check.opaque": {
        "en": "This check needs output shapes or parameter counts that the grader cannot know for your own layer "
              "classes ({layers}); write them with Keras's own layers to have it graded.",
        "es": "Esta comprobación necesita formas de salida o números de parámetros que el corrector no puede "
              "conocer para tus propias clases de capa ({layers}); escríbelas con capas de Keras para que se califique.",
    },
    "note.built_with_reference_input": {
        "en": "The model had no input shape, so the grader built it with the reference's input shape {shape}. "
              "Give it one with keras.Input(shape=...).",
        "es": "El modelo no tenía forma de entrada, así que el corrector lo construyó con la de la referencia, "
              "{shape}. Dásela con keras.Input(shape=...).",
    },
    "problem.not_exported": {
        "en": "the model in `{variable}` could not be exported ({reason})",
        "es": "el modelo de `{variable}` no se pudo exportar ({reason})",
    },
    "problem.unreadable": {
        "en": "the model in `{variable}` could not be read: {reason}",
        "es": "el modelo de `{variable}` no se pudo leer: {reason}",
    },
    "input.no_shape": {
        "en": "Your model has no input shape, so Keras cannot build it on its own. Start it with "
              "`keras.Input(shape={shape})`.",
        "es": "Tu modelo no tiene forma de entrada, así que Keras no puede construirlo por sí solo. Empiézalo "
              "con `keras.Input(shape={shape})`.",
    },
    "input.pass": {"en": "Input shape {shape}.", "es": "Forma de entrada {shape}."},
    "input.fail": {
        "en": "Expected input shape {expected}, found {found}.",
        "es": "Se esperaba la forma de entrada {expected} y tiene {found}.",
    },
    "output.pass": {
        "en": "Output shape {shape} after `{ref}` ({describe}).",
        "es": "Forma de salida {shape} después de `{ref}` ({describe}).",
    },
    "output.fail": {
        "en": "Expected output shape {expected} after `{ref}` ({describe}); your layer `{layer}` ({layer_describe}) "
              "outputs {found}.",
        "es": "Se esperaba la forma de salida {expected} después de `{ref}` ({describe}); tu capa `{layer}` "
              "({layer_describe}) da {found}.",
    },
    "output.fail.cause": {"en": "{base} {cause}", "es": "{base} {cause}"},
    "point.missing": {
        "en": "Your model has no layer that matches `{ref}` ({describe}).",
        "es": "Tu modelo no tiene ninguna capa que corresponda a `{ref}` ({describe}).",
    },
    "point.missing.ends": {
        "en": "Your model has no layer that matches `{ref}` ({describe}). Your model ends with `{last}` "
              "({last_describe}, output {last_shape}).",
        "es": "Tu modelo no tiene ninguna capa que corresponda a `{ref}` ({describe}). Tu modelo termina en "
              "`{last}` ({last_describe}, salida {last_shape}).",
    },
    "cause.extra": {
        "en": "It starts at your extra layer `{layer}` ({describe}), which the reference does not have.",
        "es": "Empieza en tu capa de más `{layer}` ({describe}), que la referencia no tiene.",
    },
    "cause.missing": {
        "en": "It starts where the reference has `{ref}` ({describe}) and your model has nothing.",
        "es": "Empieza donde la referencia tiene `{ref}` ({describe}) y tu modelo no tiene nada.",
    },
    "cause.kind": {
        "en": "It starts at your layer `{layer}`: {describe} where the reference has {ref_describe}.",
        "es": "Empieza en tu capa `{layer}`: {describe} donde la referencia tiene {ref_describe}.",
    },
    "cause.settings": {
        "en": "It starts at your layer `{layer}` ({kind}): {details}.",
        "es": "Empieza en tu capa `{layer}` ({kind}): {details}.",
    },
    "setting.differs": {
        "en": "{setting} {found} instead of {expected}",
        "es": "{setting} {found} en lugar de {expected}",
    },
    "params.label.total": {"en": "parameters", "es": "parámetros"},
    "params.label.trainable": {"en": "trainable parameters", "es": "parámetros entrenables"},
    "params.label.non_trainable": {"en": "non-trainable parameters", "es": "parámetros no entrenables"},
    "params.where.model": {"en": "in the whole model", "es": "en todo el modelo"},
    "params.where.through": {"en": "up to `{ref}` ({describe})", "es": "hasta `{ref}` ({describe})"},
    "params.count": {"en": "{count} {label}", "es": "{count} {label}"},
    "params.pass": {"en": "{counts} {where}.", "es": "{counts} {where}."},
    "params.wrong": {"en": "expected {expected} {label}, found {found}", "es": "se esperaban {expected} {label} y hay {found}"},
    "params.fail": {"en": "{wrong} {where}.", "es": "{wrong} {where}."},
    "params.fail.cause": {"en": "{wrong} {where}. {cause}", "es": "{wrong} {where}. {cause}"},
    "layers.pass.one": {"en": "1 layer as expected: {layers}.", "es": "1 capa como se esperaba: {layers}."},
    "layers.pass.many": {"en": "{count} layers as expected: {layers}.", "es": "{count} capas como se esperaba: {layers}."},
    "layers.missing": {"en": "`{ref}`: missing; add {describe}", "es": "`{ref}`: falta; añade {describe}"},
    "layers.kind": {
        "en": "`{ref}` should be {describe}; your layer `{layer}` is {layer_describe}",
        "es": "`{ref}` debería ser {describe}; tu capa `{layer}` es {layer_describe}",
    },
    "layers.settings": {"en": "`{layer}` ({kind}) has {details}", "es": "`{layer}` ({kind}) tiene {details}"},
    "layers.extra": {
        "en": "extra layer `{layer}` ({describe}) that the reference does not have",
        "es": "capa de más `{layer}` ({describe}) que la referencia no tiene",
    },
    "layers.fail": {"en": "{problems}.", "es": "{problems}."},
    "compile.not_compiled": {"en": "Your model `{model}` is not compiled.", "es": "Tu modelo `{model}` no está compilado."},
    "compile.pass": {"en": "Compiled with {settings}.", "es": "Compilado con {settings}."},
    "compile.wrong": {"en": "{setting} should be {expected}, yours is {found}", "es": "{setting} debería ser {expected} y el tuyo es {found}"},
    "compile.fail": {"en": "{wrong}.", "es": "{wrong}."},
    "runs.no_model": {
        "en": "Your code ran, but it built no model, so there is nothing to grade yet.",
        "es": "Tu código corrió, pero no construyó ningún modelo, así que aún no hay nada que calificar.",
    },
    "runs.no_model.hint": {
        "en": "Build the models the activities ask for and run every cell.",
        "es": "Construye los modelos que piden las actividades y ejecuta todas las celdas.",
    },
    "runs.pass": {"en": "Your code ran from top to bottom without errors.", "es": "Tu código corrió de principio a fin sin errores."},
    "runs.fail": {"en": "Your code did not run cleanly: {message}.", "es": "Tu código no corrió limpio: {message}."},
    "fix.remove": {"en": "remove `{layer}`", "es": "quita `{layer}`"},
    # --- default check titles --------------------------------------------------------------
    "title.model_found": {"en": "Model built", "es": "Modelo construido"},
    "title.input_shape": {"en": "Input shape", "es": "Forma de entrada"},
    "title.output_shape": {"en": "Output shape after {at}", "es": "Forma de salida después de {at}"},
    "title.output_shape.last": {"en": "Output shape after the last layer", "es": "Forma de salida de la última capa"},
    "title.params": {"en": "Parameters of the model", "es": "Parámetros del modelo"},
    "title.params.through": {"en": "Parameters up to {through}", "es": "Parámetros hasta {through}"},
    "title.layers": {"en": "Layers {start} to {end}", "es": "Capas de {start} a {end}"},
    "title.compile": {"en": "Compile settings", "es": "Compilación"},
    "title.runs": {"en": "Runs without errors", "es": "Corre sin errores"},
    # --- aligned model diff ------------------------------------------------------------------
    "diff.kind": {
        "en": "Your layer `{layer}` is {describe} where the reference has `{ref}` ({ref_describe}).",
        "es": "Tu capa `{layer}` es {describe} donde la referencia tiene `{ref}` ({ref_describe}).",
    },
    "diff.settings": {
        "en": "Your layer `{layer}` ({kind}, matching `{ref}`) has {details}.",
        "es": "Tu capa `{layer}` ({kind}, la que corresponde a `{ref}`) tiene {details}.",
    },
    "diff.missing": {
        "en": "Your model has no layer for `{ref}` ({describe}).",
        "es": "A tu modelo le falta la capa `{ref}` ({describe}).",
    },
    "diff.extra": {
        "en": "Your layer `{layer}` ({describe}) is extra: the reference has no layer there.",
        "es": "Tu capa `{layer}` ({describe}) sobra: la referencia no tiene ninguna capa ahí.",
    },
    "diff.input": {
        "en": "Your model's input shape is {found} instead of {expected}.",
        "es": "La forma de entrada de tu modelo es {found} en lugar de {expected}.",
    },
    "diff.shapes_follow": {
        "en": "Because of this, {count} later layer(s) ({first} to {last}) have other output shapes: `{layer}` "
              "outputs {found} instead of {expected}.",
        "es": "Por eso, {count} capa(s) posteriores ({first} a {last}) tienen otras formas de salida: `{layer}` "
              "da {found} en lugar de {expected}.",
    },
    "diff.params_follow": {
        "en": "Because of this, {count} later layer(s) ({first} to {last}) have other parameter counts, although "
              "their own settings are right.",
        "es": "Por eso, {count} capa(s) posteriores ({first} a {last}) tienen otro número de parámetros, aunque "
              "su propia configuración es correcta.",
    },
    "diff.same": {
        "en": "Your model has the same layers, settings, shapes and parameter counts as the reference.",
        "es": "Tu modelo tiene las mismas capas, configuración, formas y parámetros que la referencia.",
    },
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
    # --- terminal summary -----------------------------------------------------------------------
    "term.execution": {"en": "execution", "es": "ejecución"},
    "term.activity": {"en": "Activity", "es": "Actividad"},
    "term.hidden": {
        "en": "{count} hidden check(s) also count towards the grade; their expectations are not shown.",
        "es": "{count} comprobación(es) oculta(s) también cuentan para la nota; no se muestra lo que esperan.",
    },
    # --- report page ------------------------------------------------------------------------------
    "report.submission": {"en": "Submission", "es": "Entrega"},
    "report.score": {"en": "Score", "es": "Nota"},
    "report.failed_checks": {"en": "{count} failed check(s)", "es": "{count} comprobación(es) fallida(s)"},
    "report.activity": {"en": "Activity", "es": "Actividad"},
    "report.pass": {"en": "Pass", "es": "Bien"},
    "report.partial": {"en": "Partial", "es": "Parcial"},
    "report.fail": {"en": "Fail", "es": "Mal"},
    "report.status.pass": {"en": "Passed", "es": "Superada"},
    "report.status.fail": {"en": "Failed", "es": "No superada"},
    "report.status.error": {"en": "Could not check", "es": "No se pudo comprobar"},
    "report.status.skipped": {"en": "Skipped", "es": "Omitida"},
    "report.expected": {"en": "Expected", "es": "Esperado"},
    "report.found": {"en": "Found", "es": "Encontrado"},
    "report.likely_fix": {"en": "Likely fix:", "es": "Arreglo probable:"},
    "report.see_table": {"en": "see the {model} table", "es": "ver la tabla de {model}"},
    "report.hidden": {"en": "hidden", "es": "oculta"},
    "report.not_graded": {"en": "This submission could not be graded", "es": "Esta entrega no se pudo calificar"},
    "report.sandbox": {"en": "sandbox: {description}", "es": "aislamiento: {description}"},
    "report.output": {"en": "What your code printed", "es": "Lo que imprimió tu código"},
    "report.output_cut": {"en": "(cut: {bytes} bytes not kept)", "es": "(recortado: {bytes} bytes no se guardaron)"},
    "report.run.error": {"en": "Your code stopped with an error", "es": "Tu código se detuvo con un error"},
    "report.run.timeout": {"en": "Your code ran out of time", "es": "Tu código se quedó sin tiempo"},
    "report.run.memory": {"en": "Your code ran out of memory", "es": "Tu código se quedó sin memoria"},
    "report.run.killed": {"en": "Your code was stopped before it finished", "es": "Tu código se detuvo antes de terminar"},
    "report.run.ok": {"en": "Some cells raised errors", "es": "Algunas celdas dieron errores"},
    "report.run.other": {"en": "Your code did not run to the end", "es": "Tu código no corrió hasta el final"},
    "report.cell": {"en": "cell {cell}", "es": "celda {cell}"},
    "report.line": {"en": "line {line}", "es": "línea {line}"},
    "report.cell.timeout": {"en": "Ran out of time here", "es": "Se acabó el tiempo aquí"},
    "report.cell.died": {"en": "The Python kernel died here", "es": "El kernel de Python murió aquí"},
    "report.cell.error": {"en": "Error", "es": "Error"},
    "report.after_error": {
        "en": "Checks that need code after this point could not run, so they did not earn points.",
        "es": "Las comprobaciones que necesitan código posterior no pudieron hacerse, así que no suman puntos.",
    },
    "report.ran_ok": {"en": "Your code ran to the end without errors", "es": "Tu código corrió hasta el final sin errores"},
    "left_out.link": {"en": "{path} is a link; submissions hold regular files only",
                      "es": "{path} es un enlace; una entrega contiene solo archivos normales"},
    "left_out.device": {"en": "{path} is a device file; submissions hold regular files only",
                        "es": "{path} es un archivo de dispositivo; una entrega contiene solo archivos normales"},
    "left_out.fifo": {"en": "{path} is a named pipe; submissions hold regular files only",
                      "es": "{path} es una tubería con nombre; una entrega contiene solo archivos normales"},
    "left_out.socket": {"en": "{path} is a socket; submissions hold regular files only",
                        "es": "{path} es un socket; una entrega contiene solo archivos normales"},
    "left_out.other": {"en": "{path} is not a regular file or folder; it was left out",
                       "es": "{path} no es un archivo ni una carpeta normal; se dejó fuera"},
    "left_out.depth": {"en": "{path} is nested too deeply; it was left out",
                       "es": "{path} está anidado a demasiada profundidad; se dejó fuera"},
    "left_out.files": {"en": "{path} and what follows were left out: the submission holds too many files",
                       "es": "{path} y lo que sigue se dejaron fuera: la entrega tiene demasiados archivos"},
    "left_out.bytes": {"en": "{path} was left out: the submission would be too large with it",
                       "es": "{path} se dejó fuera: con él la entrega sería demasiado grande"},
    "report.left_out": {"en": "Files of your submission that were not used",
                        "es": "Archivos de tu entrega que no se usaron"},
    "report.other_checks": {"en": "Other checks", "es": "Otras comprobaciones"},
    "report.model": {"en": "Model: {title}", "es": "Modelo: {title}"},
    # --- training checks ----------------------------------------------------------------
    "train.pass": {
        "en": "Trained for {epochs} epochs (batch size {batch}), your model's {split} {metric} is {value}{units}: "
              "{relation} {limit}{bound}, as required.",
        "es": "Entrenado {epochs} épocas (batch de {batch}), el {metric} de tu modelo en {split} es {value}{units}: "
              "{relation} {limit}{bound}, como se pide.",
    },
    "train.fail": {
        "en": "Trained for {epochs} epochs (batch size {batch}), your model's {split} {metric} is {value}{units}, "
              "but it must be {relation} {limit}{bound}.",
        "es": "Entrenado {epochs} épocas (batch de {batch}), el {metric} de tu modelo en {split} es {value}{units}, "
              "pero debe ser {relation} {limit}{bound}.",
    },
    "train.at_most": {"en": "at most", "es": "como máximo"},
    "train.at_least": {"en": "at least", "es": "como mínimo"},
    "train.relative": {
        "en": " ({factor} x the {reference} the reference model reaches with the same training)",
        "es": " ({factor} x el {reference} que alcanza el modelo de referencia con el mismo entrenamiento)",
    },
    "train.budget": {
        "en": "{base} Training stopped after {epochs} of {asked} epochs: its time budget of {budget} s ran out.",
        "es": "{base} El entrenamiento paró tras {epochs} de {asked} épocas: se acabó su tiempo de {budget} s.",
    },
    "train.diverged": {
        "en": "Training diverged: the loss became NaN (not a number) after {epochs} epoch(s).",
        "es": "El entrenamiento divergió: la pérdida se volvió NaN (no es un número) tras {epochs} época(s).",
    },
    "train.failed": {
        "en": "Keras could not train your model with this activity's data and settings: {problem}.",
        "es": "Keras no pudo entrenar tu modelo con los datos y ajustes de esta actividad: {problem}.",
    },
    "train.timeout": {"en": "Training your model took too long: {problem}.",
                      "es": "Entrenar tu modelo tardó demasiado: {problem}."},
    "train.memory": {"en": "Training your model used too much memory: {problem}.",
                     "es": "Entrenar tu modelo usó demasiada memoria: {problem}."},
    "train.crashed": {"en": "Training your model failed: {problem}.", "es": "Entrenar tu modelo falló: {problem}."},
    "train.data": {
        "en": "Your model cannot take the {data} data: {problem}.",
        "es": "Tu modelo no puede recibir los datos de {data}: {problem}.",
    },
    "train.not_run": {
        "en": "This training check was not run (no trainer was given to the grader).",
        "es": "Esta comprobación de entrenamiento no se ejecutó (el corrector no tenía con qué entrenar).",
    },
    "train.metric.rmse": {"en": "RMSE", "es": "RMSE"},
    "train.metric.mse": {"en": "MSE", "es": "MSE"},
    "train.metric.mae": {"en": "MAE", "es": "MAE"},
    "train.metric.accuracy": {"en": "accuracy", "es": "exactitud (accuracy)"},
    "train.split.train": {"en": "training-set", "es": "entrenamiento"},
    "train.split.test": {"en": "test-set", "es": "test"},
    "train.hint.metric": {
        "en": "The grader trains your architecture exactly as it trains the reference, so the difference comes "
              "from the layers: compare them with the table above (units, activations, the output layer).",
        "es": "El corrector entrena tu arquitectura igual que la de referencia, así que la diferencia viene de las "
              "capas: compáralas con la tabla de arriba (unidades, activaciones, la capa de salida).",
    },
    "train.hint.failed": {
        "en": "Check that your model's input and output shapes match the activity's (see the layer table).",
        "es": "Revisa que la entrada y la salida de tu modelo tengan la forma que pide la actividad (mira la tabla de capas).",
    },
    "train.hint.input": {
        "en": "Give the model the input shape the activity asks for, e.g. keras.Input(shape=(4, 1)) for 4 months.",
        "es": "Dale al modelo la forma de entrada que pide la actividad, p. ej. keras.Input(shape=(4, 1)) para 4 meses.",
    },
    "train.hint.diverged": {
        "en": "A loss that explodes usually means an output activation that does not fit the targets or a "
              "learning rate that is too high.",
        "es": "Una pérdida que explota suele indicar una activación de salida que no encaja con los objetivos o "
              "una tasa de aprendizaje demasiado alta.",
    },
    "data.airline": {
        "en": "{history} months of history per window, shaped {shape}; min-max scaled over 1949-1960; trained on "
              "1949-1956, tested on 1957-1960",
        "es": "{history} meses de historia por ventana, con forma {shape}; escalado min-max sobre 1949-1960; "
              "entrenado con 1949-1956, evaluado con 1957-1960",
    },
    "data.first.train": {"en": "the first {count} of {total} training examples",
                         "es": "los primeros {count} de {total} ejemplos de entrenamiento"},
    "data.first.test": {"en": "the first {count} of {total} test examples",
                        "es": "los primeros {count} de {total} ejemplos de test"},
    "data.reconstruction": {"en": "the targets are the inputs (reconstruction)",
                            "es": "los objetivos son las entradas (reconstrucción)"},
    "data.normalized": {"en": "pixels divided by 255", "es": "píxeles divididos por 255"},
    "data.one_hot": {"en": "labels one-hot encoded ({classes} classes)",
                     "es": "etiquetas en codificación one-hot ({classes} clases)"},
    "train.not_supported": {
        "en": "The grader cannot train {framework} models yet, so this check is not graded.",
        "es": "El corrector aún no puede entrenar modelos de {framework}, así que esta comprobación no se califica.",
    },
    "title.train": {"en": "Trained model reaches the metric", "es": "El modelo entrenado alcanza la métrica"},
    "report.training": {"en": "Training", "es": "Entrenamiento"},
    "report.training.curve": {
        "en": "Loss per epoch: training (solid) and test (dashed)",
        "es": "Pérdida por época: entrenamiento (continua) y test (discontinua)",
    },
    "report.training.device": {"en": "Trained on {device} in {seconds} s", "es": "Entrenado en {device} en {seconds} s"},
    "report.training.cached": {
        "en": "same architecture and protocol as an earlier run: its result was reused",
        "es": "misma arquitectura y protocolo que un entrenamiento anterior: se reutilizó su resultado",
    },
    "report.graded_variable": {"en": "Graded variable:", "es": "Variable calificada:"},
    "report.no_model": {"en": "No model found: expected a variable named", "es": "No se encontró el modelo: se esperaba una variable llamada"},
    "report.what_differs_in": {"en": "{title}: what differs from the reference", "es": "{title}: qué cambia respecto a la referencia"},
    "report.table_label": {"en": "{title}: reference model and yours, layer by layer", "es": "{title}: modelo de referencia y el tuyo, capa por capa"},
    "report.col.match": {"en": "Match", "es": "Coincide"},
    "report.col.reference": {"en": "Reference layer", "es": "Capa de referencia"},
    "report.col.yours": {"en": "Your layer", "es": "Tu capa"},
    "report.col.shape": {"en": "Output shape", "es": "Forma de salida"},
    "report.col.params": {"en": "Params", "es": "Parámetros"},
    "report.row.same": {"en": "same", "es": "igual"},
    "report.row.differs": {"en": "differs", "es": "difiere"},
    "report.row.missing": {"en": "missing", "es": "falta"},
    "report.row.extra": {"en": "extra", "es": "sobra"},
    "report.not_in_reference": {"en": "— not in the reference —", "es": "— no está en la referencia —"},
    "report.missing_in_yours": {"en": "— missing in your model —", "es": "— falta en tu modelo —"},
    "report.total_params": {"en": "Total params", "es": "Parámetros totales"},
    "report.attr.kind": {"en": "type", "es": "tipo"},
    "report.attr.output_shape": {"en": "shape", "es": "forma"},
    "report.attr.params": {"en": "params", "es": "parámetros"},
    "report.old_api": {"en": "Old Keras code in your submission", "es": "Código de Keras antiguo en tu entrega"},
    "report.old_api.lead": {
        "en": "These calls come from Keras 1/2 handouts; Keras 3 rejects them or reads them differently. Each "
              "line says what to write today.",
        "es": "Estas llamadas vienen de enunciados de Keras 1/2; Keras 3 las rechaza o las interpreta de otra "
              "manera. Cada línea dice cómo se escribe hoy.",
    },
    "report.now": {"en": "Now:", "es": "Ahora:"},
    "report.legacy": {"en": "Legacy mode: translations made", "es": "Modo heredado: traducciones hechas"},
    "report.footer": {"en": "Graded by grader {version} on {date}", "es": "Calificado por grader {version} el {date}"},
    # --- old Keras 1/2 calls (grader.frameworks.keras.old_api), one per pattern ------------------
    "old_api.module": {
        "en": "Keras 3 has no module `{module}`: everything it held is imported from `keras.layers` now.",
        "es": "Keras 3 no tiene el módulo `{module}`: todo lo que tenía se importa ahora desde `keras.layers`.",
    },
    "old_api.np_utils": {
        "en": "Keras 3 has no `np_utils`: `to_categorical` lives in `keras.utils`.",
        "es": "Keras 3 no tiene `np_utils`: `to_categorical` está en `keras.utils`.",
    },
    "old_api.scikit_learn_wrapper": {
        "en": "Keras 3 dropped `keras.wrappers.scikit_learn`: the wrappers moved to the `scikeras` package.",
        "es": "Keras 3 quitó `keras.wrappers.scikit_learn`: los envoltorios están ahora en el paquete `scikeras`.",
    },
    "old_api.image_data_generator": {
        "en": "Keras 3 removed `ImageDataGenerator`: load images with `keras.utils.image_dataset_from_directory` and augment with layers such as `RandomFlip`.",
        "es": "Keras 3 quitó `ImageDataGenerator`: carga las imágenes con `keras.utils.image_dataset_from_directory` y aumenta los datos con capas como `RandomFlip`.",
    },
    "old_api.merge_layer": {
        "en": "Keras 3 has no `Merge` layer: join branches with `Add()`, `Concatenate()` or `Multiply()` in the functional API.",
        "es": "Keras 3 no tiene la capa `Merge`: une ramas con `Add()`, `Concatenate()` o `Multiply()` en la API funcional.",
    },
    "old_api.nb_epoch": {
        "en": "Keras 3 renamed `nb_epoch` to `epochs`.",
        "es": "Keras 3 renombró `nb_epoch` a `epochs`.",
    },
    "old_api.subsample": {
        "en": "Keras 3 renamed `subsample` to `strides`.",
        "es": "Keras 3 renombró `subsample` a `strides`.",
    },
    "old_api.border_mode": {
        "en": "Keras 3 renamed `border_mode` to `padding`.",
        "es": "Keras 3 renombró `border_mode` a `padding`.",
    },
    "old_api.init": {
        "en": "Keras 3 renamed `init` to `kernel_initializer`.",
        "es": "Keras 3 renombró `init` a `kernel_initializer`.",
    },
    "old_api.W_regularizer": {
        "en": "Keras 3 renamed `W_regularizer` to `kernel_regularizer`.",
        "es": "Keras 3 renombró `W_regularizer` a `kernel_regularizer`.",
    },
    "old_api.b_regularizer": {
        "en": "Keras 3 renamed `b_regularizer` to `bias_regularizer`.",
        "es": "Keras 3 renombró `b_regularizer` a `bias_regularizer`.",
    },
    "old_api.W_constraint": {
        "en": "Keras 3 renamed `W_constraint` to `kernel_constraint`.",
        "es": "Keras 3 renombró `W_constraint` a `kernel_constraint`.",
    },
    "old_api.dim_ordering": {
        "en": "Keras 3 replaced `dim_ordering` with `data_format`, and expects channels last (height, width, channels) by default.",
        "es": "Keras 3 cambió `dim_ordering` por `data_format` y espera los canales al final (alto, ancho, canales).",
    },
    "old_api.nb_filter": {
        "en": "Keras 3 renamed `nb_filter` to `filters`.",
        "es": "Keras 3 renombró `nb_filter` a `filters`.",
    },
    "old_api.output_dim": {
        "en": "Keras 3 renamed `output_dim` to `units` (it is the first argument).",
        "es": "Keras 3 renombró `output_dim` a `units` (es el primer argumento).",
    },
    "old_api.input_length": {
        "en": "Keras 3 has no `input_length` on recurrent layers: give the time steps and features once with `keras.Input(shape=(steps, features))`.",
        "es": "Keras 3 no tiene `input_length` en las capas recurrentes: da los pasos y las características una vez con `keras.Input(shape=(pasos, características))`.",
    },
    "old_api.embedding_input_length": {
        "en": "In Keras 3 `Embedding(..., input_length=N)` is accepted but ignored, so the model is never built (0 parameters, no shapes): start the model with `keras.Input(shape=(N,))`.",
        "es": "En Keras 3 `Embedding(..., input_length=N)` se acepta pero se ignora, así que el modelo nunca se construye (0 parámetros, sin formas): empieza el modelo con `keras.Input(shape=(N,))`.",
    },
    "old_api.consume_less": {
        "en": "Keras 3 removed `consume_less`: delete it.",
        "es": "Keras 3 quitó `consume_less`: bórralo.",
    },
    "old_api.mode": {
        "en": "Keras 3 removed `mode` from `BatchNormalization`: delete it.",
        "es": "Keras 3 quitó `mode` de `BatchNormalization`: bórralo.",
    },
    "old_api.lr": {
        "en": "Keras 3 renamed the optimizers' `lr` to `learning_rate`.",
        "es": "Keras 3 renombró `lr` de los optimizadores a `learning_rate`.",
    },
    "old_api.decay": {
        "en": "Keras 3 ignores the optimizers' `decay` (with only a warning): use a learning-rate schedule.",
        "es": "Keras 3 ignora `decay` en los optimizadores (solo avisa): usa un plan de tasa de aprendizaje.",
    },
    "old_api.show_accuracy": {
        "en": "Keras 3 removed `show_accuracy`: ask for it once with `metrics=['accuracy']` in `compile()`.",
        "es": "Keras 3 quitó `show_accuracy`: pídela una vez con `metrics=['accuracy']` en `compile()`.",
    },
    "old_api.class_mode": {
        "en": "Keras 3 removed `class_mode` from `compile()`: delete it.",
        "es": "Keras 3 quitó `class_mode` de `compile()`: bórralo.",
    },
    "old_api.predict_classes": {
        "en": "Keras 3 removed `predict_classes`: take the most likely class of `predict`.",
        "es": "Keras 3 quitó `predict_classes`: toma la clase más probable de `predict`.",
    },
    "old_api.predict_proba": {
        "en": "Keras 3 removed `predict_proba`: `predict` already returns the probabilities.",
        "es": "Keras 3 quitó `predict_proba`: `predict` ya devuelve las probabilidades.",
    },
    "old_api.fit_generator": {
        "en": "Keras 3 removed `fit_generator` (and `evaluate_generator`, `predict_generator`): `fit`, `evaluate` and `predict` take generators and datasets directly.",
        "es": "Keras 3 quitó `fit_generator` (y `evaluate_generator`, `predict_generator`): `fit`, `evaluate` y `predict` aceptan generadores y datasets directamente.",
    },
    "old_api.set_image_dim_ordering": {
        "en": "Keras 3 removed `set_image_dim_ordering`: delete it and give images as (height, width, channels).",
        "es": "Keras 3 quitó `set_image_dim_ordering`: bórralo y da las imágenes como (alto, ancho, canales).",
    },
    "old_api.save_without_extension": {
        "en": "Keras 3 saves models only to a `.keras` (or legacy `.h5`) file: add the extension.",
        "es": "Keras 3 solo guarda modelos en un archivo `.keras` (o el antiguo `.h5`): añade la extensión.",
    },
    "old_api.conv_positional_kernel": {
        "en": "In Keras 3 the third number of `Convolution2D(96, 11, 11)` is the strides: that is kernel 11x11 with strides 11, not an 11x11 kernel. Give the kernel as one tuple.",
        "es": "En Keras 3 el tercer número de `Convolution2D(96, 11, 11)` son los strides: es un kernel 11x11 con strides 11, no solo un kernel 11x11. Da el kernel como una tupla.",
    },
    "old_api.channels_first_input": {
        "en": "The input shape looks channels-first (3, height, width); Keras 3 expects channels last.",
        "es": "La forma de entrada parece con los canales primero (3, alto, ancho); Keras 3 espera los canales al final.",
    },
    "old_api.gru_reset_after": {
        "en": "Keras 3's `GRU` uses `reset_after=True` by default, so it has more parameters than the Keras 1/2 handouts say; pass `reset_after=False` only if the handout's count must match.",
        "es": "El `GRU` de Keras 3 usa `reset_after=True` por defecto, así que tiene más parámetros de los que dicen los enunciados de Keras 1/2; pon `reset_after=False` solo si debe coincidir ese número.",
    },
    "old_api.dense_1_softmax": {
        "en": "`Dense(1, activation='softmax')` always outputs 1.0 (softmax over one value): use 'sigmoid' for one output, or one unit per class with softmax.",
        "es": "`Dense(1, activation='softmax')` siempre da 1.0 (softmax de un solo valor): usa 'sigmoid' con una salida, o una unidad por clase con softmax.",
    },
    # --- likely fixes for errors (grader.execution.diagnostics, grader.frameworks.keras.diagnostics) ----
    "hint.write": {"en": "Write: `{now}`.", "es": "Escribe: `{now}`."},
    "hint.or_start_with": {"en": "(Or start the model with `{code}`.)", "es": "(O empieza el modelo con `{code}`.)"},
    "hint.activation.close": {
        "en": "'{given}' is not an activation function: did you mean '{close}'? Write `activation='{close}'`.",
        "es": "'{given}' no es una función de activación: ¿querías decir '{close}'? Escribe `activation='{close}'`.",
    },
    "hint.activation.unknown": {
        "en": "'{given}' is not an activation function; use one of: {listed}, ...",
        "es": "'{given}' no es una función de activación; usa una de: {listed}, ...",
    },
    "hint.no_input_yet": {
        "en": "The model has no input yet, so Keras cannot give its output shape: start it with "
              "`keras.Input(shape=...)` (or `input_shape=` on the first layer), and check that the cell "
              "adding that first layer ran without errors.",
        "es": "El modelo aún no tiene entrada, así que Keras no puede dar su forma de salida: empiézalo con "
              "`keras.Input(shape=...)` (o `input_shape=` en la primera capa) y comprueba que la celda que añade "
              "esa primera capa corrió sin errores.",
    },
    "hint.name.import": {
        "en": "`{name}` is not defined: add `{line}` before using it, or check that the cell with your imports "
              "ran without errors.",
        "es": "`{name}` no está definido: añade `{line}` antes de usarlo, o comprueba que la celda con tus imports "
              "corrió sin errores.",
    },
    "hint.name.layer": {
        "en": "`{name}` is not defined: import it (e.g. `from keras.layers import {name}`), or check that the "
              "cell that imports or defines it ran without errors.",
        "es": "`{name}` no está definido: impórtalo (p. ej. `from keras.layers import {name}`), o comprueba que "
              "la celda que lo importa o lo define corrió sin errores.",
    },
    "hint.name.other": {
        "en": "`{name}` is not defined: check that the cell that defines it ran without errors.",
        "es": "`{name}` no está definido: comprueba que la celda que lo define corrió sin errores.",
    },
    "hint.keras_module": {
        "en": "Keras 3 has no module `{module}`: import from `keras.layers`, `keras.models` or `keras.utils`.",
        "es": "Keras 3 no tiene el módulo `{module}`: importa desde `keras.layers`, `keras.models` o `keras.utils`.",
    },
    "hint.missing_package": {
        "en": "The package `{package}` is not installed where the grader runs: remove that import or ask your "
              "instructor.",
        "es": "El paquete `{package}` no está instalado donde corre el corrector: quita ese import o pregunta al "
              "profesor.",
    },
}
