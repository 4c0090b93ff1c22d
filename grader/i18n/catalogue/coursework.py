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
    # --- training: binary outputs, thresholds against another model or a baseline ----------
    "train.metric.binary_accuracy": {"en": "binary accuracy", "es": "la exactitud binaria (binary accuracy)"},
    "train.more_than": {"en": "more than", "es": "más que"},
    "train.less_than": {"en": "less than", "es": "menos que"},
    "train.margin": {"en": " by at least {margin}", "es": " por al menos {margin}"},
    "train.better_than.model": {
        "en": " (better{margin} than the {value} your own model for \"{other}\" reaches with the same training)",
        "es": " (mejor{margin} que el {value} que alcanza tu propio modelo de \"{other}\" con el mismo entrenamiento)",
    },
    "train.better_than.noisy_input": {
        "en": " (better{margin} than the {value} of the noisy image itself: the model must remove noise, not copy it)",
        "es": " (mejor{margin} que el {value} de la propia imagen con ruido: el modelo debe quitar ruido, no copiarla)",
    },
    "train.better_than.mean": {
        "en": " (better{margin} than the {value} of always predicting the mean of the training targets)",
        "es": " (mejor{margin} que el {value} de predecir siempre la media de los objetivos de entrenamiento)",
    },
    "train.better_than.majority": {
        "en": " (better{margin} than the {value} of always answering the most frequent class: the model learns)",
        "es": " (mejor{margin} que el {value} de responder siempre la clase más frecuente: el modelo aprende)",
    },
    "train.setup": {
        "en": "This training check could not be run on the grading machine (its {data} data, or the reference's "
              "training, is not available there). It is a problem of the grading setup, not of your code; your "
              "instructor fixes it with `grader data --download`.",
        "es": "Esta comprobación de entrenamiento no se pudo ejecutar en la máquina que corrige (faltan sus datos de "
              "{data} o el entrenamiento de la referencia). Es un problema de la instalación del corrector, no de tu "
              "código; el profesor lo resuelve con `grader data --download`.",
    },
    "train.other.missing": {
        "en": "This check compares your model with your own model for \"{other}\", trained the same way, but that "
              "model was not found.",
        "es": "Esta comprobación compara tu modelo con tu propio modelo de \"{other}\", entrenado igual, pero ese "
              "modelo no se encontró.",
    },
    "train.other.unusable": {
        "en": "This check compares your model with your own model for \"{other}\", trained the same way, but that "
              "model could not be trained: {problem}.",
        "es": "Esta comprobación compara tu modelo con tu propio modelo de \"{other}\", entrenado igual, pero ese "
              "modelo no se pudo entrenar: {problem}.",
    },
    "train.hint.other": {
        "en": "Build both models in the notebook, in the variables the activity names, so that they can be compared.",
        "es": "Construye los dos modelos en el notebook, en las variables que indica la actividad, para poder "
              "compararlos.",
    },
    # --- data preparation ----------------------------------------------------------------
    "data.denoising": {"en": "the targets are the inputs before the noise (denoising)",
                       "es": "los objetivos son las entradas antes del ruido (eliminación de ruido)"},
    "data.standardized": {"en": "inputs standardized with the training set's mean and deviation",
                          "es": "entradas estandarizadas con la media y el desvío del conjunto de entrenamiento"},
    "data.permuted": {"en": "the values of every example permuted by one fixed permutation (seed {seed})",
                      "es": "los valores de cada ejemplo permutados con una misma permutación fija (semilla {seed})"},
    "data.noise": {"en": "Gaussian noise of mean {loc} and deviation {scale} added to the inputs{clip}",
                   "es": "ruido gaussiano de media {loc} y desvío {scale} sumado a las entradas{clip}"},
    "data.noise.clip": {"en": ", then clipped to [{low}, {high}]", "es": ", recortadas luego a [{low}, {high}]"},
    "data.vectorized.counts": {"en": "each review as the counts of its words among the {words} most frequent",
                               "es": "cada reseña como los recuentos de sus palabras entre las {words} más frecuentes"},
    "data.vectorized.multi_hot": {"en": "each review as 0/1 marks of its words among the {words} most frequent",
                                  "es": "cada reseña como marcas 0/1 de sus palabras entre las {words} más frecuentes"},
    "data.padded": {"en": "each review as its word ids, padded with zeros or cut at the front to {maxlen} "
                          "(keras.utils.pad_sequences)",
                    "es": "cada reseña como sus identificadores de palabra, rellenada con ceros o recortada por "
                          "delante a {maxlen} (keras.utils.pad_sequences)"},
    # --- models Keras cannot build --------------------------------------------------------------
    "note.unbuildable": {
        "en": "Keras cannot build `{variable}`: {reason}. The grader compares its layers' kinds and settings "
              "(below), not their shapes or counts.",
        "es": "Keras no puede construir `{variable}`: {reason}. El corrector compara los tipos y los ajustes de sus "
              "capas (abajo), no sus formas ni sus parámetros.",
    },
    "check.unbuildable": {
        "en": "Keras cannot build your model, so it has no output shapes or parameter counts to compare: {problem}.",
        "es": "Keras no puede construir tu modelo, así que no tiene formas de salida ni parámetros que comparar: "
              "{problem}.",
    },
    "check.unbuildable.hint": {
        "en": "A layer's settings do not fit the shape that reaches it (a stride, a kernel or a pooling that shrinks "
              "the image below zero): the layer checks of this model name the setting that differs.",
        "es": "Los ajustes de una capa no encajan con la forma que le llega (un stride, un kernel o un pooling que "
              "reduce la imagen por debajo de cero): las comprobaciones de capas de este modelo nombran el ajuste "
              "que difiere.",
    },
    # --- models that are one answer among many -------------------------------------------------
    "note.example.interface": {
        "en": "The grader graded `{variable}` ({where}), the latest model with this activity's input and output that "
              "no other activity uses; {wanted} was not found.",
        "es": "El corrector calificó `{variable}` ({where}), el último modelo con la entrada y la salida de esta "
              "actividad que no usa otra actividad; no se encontró {wanted}.",
    },
    "note.example": {
        "en": "This model is of your own design: the grader checks its input, its output and how it trains, "
              "not its layers.",
        "es": "Este modelo es de diseño propio: el corrector comprueba su entrada, su salida y cómo entrena, "
              "no sus capas.",
    },
    # --- submission rules ----------------------------------------------------------------------
    "title.no_input": {"en": "Asks for no input", "es": "No pide datos al ejecutarse"},
    "title.no_disk_writes": {"en": "Writes nothing to disk", "es": "No escribe nada en el disco"},
    "rules.nothing_built": {
        "en": "Your code built no model yet, so there is nothing to judge this rule on.",
        "es": "Tu código aún no construyó ningún modelo, así que no hay nada sobre lo que juzgar esta norma.",
    },
    "rules.more": {"en": " (and {count} more)", "es": " (y {count} más)"},
    "rules.input.pass": {"en": "Your code ran without asking for anything.",
                         "es": "Tu código se ejecutó sin pedir nada."},
    "rules.input.fail": {"en": "Your code asks for input while it runs: {places}{more}.",
                         "es": "Tu código pide datos mientras se ejecuta: {places}{more}."},
    "rules.input.ran": {"en": "{where} stopped waiting for an answer (`{code}`)",
                        "es": "{where} se detuvo esperando una respuesta (`{code}`)"},
    "rules.input.code": {"en": "{where} calls {call} (`{code}`)", "es": "{where} llama a {call} (`{code}`)"},
    "rules.input.hint": {
        "en": "Fix the parameters at the start of the notebook (EPOCHS = 15) instead of asking for them: it must run "
              "from top to bottom with no one at the keyboard.",
        "es": "Fija los parámetros al principio del notebook (EPOCAS = 15) en lugar de pedirlos: debe poder "
              "ejecutarse de principio a fin sin nadie al teclado.",
    },
    "rules.writes.pass": {"en": "Your code wrote nothing to disk.", "es": "Tu código no escribió nada en el disco."},
    "rules.writes.fail": {"en": "Your code writes to disk: {files}{more}.",
                          "es": "Tu código escribe en el disco: {files}{more}."},
    "rules.writes.created": {"en": "it created `{path}` ({size}, running {file})",
                             "es": "creó `{path}` ({size}, al ejecutar {file})"},
    "rules.writes.changed": {"en": "it changed `{path}` (running {file})",
                             "es": "modificó `{path}` (al ejecutar {file})"},
    "rules.writes.more": {"en": "more files than the grader lists under `{path}`",
                          "es": "más archivos de los que el corrector enumera en `{path}`"},
    "rules.writes.unobserved": {
        "en": "The grader could not see what your code left on disk when running {files}: the run was stopped "
              "before it ended.",
        "es": "El corrector no pudo ver qué dejó tu código en el disco al ejecutar {files}: la ejecución se detuvo "
              "antes de terminar.",
    },
    "rules.writes.unobserved.hint": {
        "en": "Make the notebook run to its end within the time limit; then the grader can check this rule.",
        "es": "Haz que el notebook termine dentro del tiempo límite; así el corrector podrá comprobar esta norma.",
    },
    "rules.writes.hint": {
        "en": "Show figures with plt.show() instead of savefig(), and keep models and data in memory (no "
              "model.save(), np.save() or files of results): everything must be in the notebook.",
        "es": "Muestra las figuras con plt.show() en lugar de savefig() y deja modelos y datos en memoria (sin "
              "model.save(), np.save() ni archivos de resultados): todo debe estar en el notebook.",
    },
    # --- values the student's code computed ---------------------------------------------------
    "title.reported_value": {"en": "A value your code computed", "es": "Un valor que calculó tu código"},
    "reported.value": {
        "en": "According to your code, `{variable}`{reduced} is {value} ({file}){expected}{verdict}. Your own code "
              "computed it; the grader did not recompute it.",
        "es": "Según tu código, `{variable}`{reduced} vale {value} ({file}){expected}{verdict}. Lo calculó tu propio "
              "código; el corrector no lo ha recalculado.",
    },
    "reported.capped": {
        "en": "{base} It was computed while the grader shortened the file's fit() calls (fit_cap), so it is not what "
              "the code reaches as written.",
        "es": "{base} Se calculó con las llamadas a fit() del archivo acortadas por el corrector (fit_cap), así que "
              "no es lo que alcanza el código tal como está escrito.",
    },
    "reported.reduce.mean": {"en": " (its mean)", "es": " (su media)"},
    "reported.reduce.max": {"en": " (its largest value)", "es": " (su mayor valor)"},
    "reported.reduce.min": {"en": " (its smallest value)", "es": " (su menor valor)"},
    "reported.reduce.len": {"en": " (how many values it holds)", "es": " (cuántos valores contiene)"},
    "reported.reduce.sum": {"en": " (its sum)", "es": " (su suma)"},
    "reported.expected": {"en": "; expected {bounds}", "es": "; se espera {bounds}"},
    "reported.at_least": {"en": "at least {value}", "es": "como mínimo {value}"},
    "reported.at_most": {"en": "at most {value}", "es": "como máximo {value}"},
    "reported.within": {"en": ", which it is", "es": ", y lo cumple"},
    "reported.outside": {"en": ", which it is not", "es": ", y no lo cumple"},
    "reported.missing": {
        "en": "Your code left no value in {names} when it ended.",
        "es": "Tu código no dejó ningún valor en {names} al terminar.",
    },
    "reported.not_a_number": {
        "en": "`{variable}` ({where}) does not hold a number or a list of numbers.",
        "es": "`{variable}` ({where}) no contiene un número ni una lista de números.",
    },
    "reported.hint": {
        "en": "Keep the result in the variable the activity names, as a number (e.g. acc = accuracy_score(...)).",
        "es": "Guarda el resultado en la variable que indica la actividad, como número (p. ej. "
              "acc = accuracy_score(...)).",
    },
    # --- static reading of the code -----------------------------------------------------------
    "title.uses": {"en": "Uses {calls}", "es": "Usa {calls}"},
    "uses.found": {"en": "{call} ({where})", "es": "{call} ({where})"},
    "uses.pass": {"en": "Your code calls {found}.", "es": "Tu código llama a {found}."},
    "uses.fail": {"en": "No call to {missing} was found in your code.",
                  "es": "No se encontró en tu código ninguna llamada a {missing}."},
    "uses.hint": {"en": "Import {missing} and use it as the activity asks.",
                  "es": "Importa {missing} y úsalo como pide la actividad."},
    # --- how a model was trained: fit() calls and loops ----------------------------------------
    "title.fit_call": {"en": "Trained with the activity's fit() settings",
                       "es": "Entrenado con los ajustes de fit() de la actividad"},
    "fitcall.pass": {"en": "`{model}` was trained {count} time(s), always with {arguments}.",
                     "es": "`{model}` se entrenó {count} vez/veces, siempre con {arguments}."},
    "fitcall.fail": {"en": "`{model}` was not trained as the activity asks: {wrong}.",
                     "es": "`{model}` no se entrenó como pide la actividad: {wrong}."},
    "fitcall.wrong": {"en": "{argument}={found} instead of {expected} ({where}, line {line})",
                      "es": "{argument}={found} en lugar de {expected} ({where}, línea {line})"},
    "fitcall.none": {"en": "Your code never calls fit() on `{model}`.",
                     "es": "Tu código nunca llama a fit() sobre `{model}`."},
    "fitcall.hint.none": {"en": "Train the model the activity grades, in the notebook that builds it.",
                          "es": "Entrena el modelo que califica la actividad, en el notebook que lo construye."},
    "fitcall.unobserved": {
        "en": "The fit() calls of `{model}` were not observed: the grader ran your code without its fit() hook "
              "(fit_cap off or --full).",
        "es": "No se observaron las llamadas a fit() de `{model}`: el corrector ejecutó tu código sin su gancho en "
              "fit() (fit_cap off o --full).",
    },
    "title.loop_models": {"en": "A fresh model in each of the {count} folds",
                          "es": "Un modelo nuevo en cada una de las {count} particiones"},
    "loop.pass": {"en": "Your loop trained {count} different models for `{model}`, one per fold.",
                  "es": "Tu bucle entrenó {count} modelos distintos para `{model}`, uno por partición."},
    "loop.count": {"en": "Your loop trained {found} different model(s) for `{model}`; the activity asks for "
                         "{expected}, one per fold.",
                   "es": "Tu bucle entrenó {found} modelo(s) distinto(s) para `{model}`; la actividad pide "
                         "{expected}, uno por partición."},
    "loop.reused": {
        "en": "Your loop trained the same model `{model}` {times} times: its weights carry over from one fold to "
              "the next, so the folds are not independent.",
        "es": "Tu bucle entrenó el mismo modelo `{model}` {times} veces: sus pesos pasan de una partición a la "
              "siguiente, así que las particiones no son independientes.",
    },
    "loop.none": {"en": "No training of `{model}` in a loop was seen: it was trained once or not at all.",
                  "es": "No se vio ningún entrenamiento de `{model}` en un bucle: se entrenó una vez o ninguna."},
    "loop.hint": {
        "en": "Build and compile the model inside the loop over the folds, so that each fold starts from fresh "
              "weights.",
        "es": "Construye y compila el modelo dentro del bucle de las particiones, para que cada partición empiece "
              "con pesos nuevos.",
    },
    "loop.unobserved": {
        "en": "The folds of `{model}` were not observed: the grader ran your code without its fit() hook "
              "(fit_cap off or --full).",
        "es": "No se observaron las particiones de `{model}`: el corrector ejecutó tu código sin su gancho en "
              "fit() (fit_cap off o --full).",
    },
    # --- reports ---------------------------------------------------------------------------------
    "report.written": {"en": "Files your code wrote", "es": "Archivos que escribió tu código"},
    "report.written.how": {
        "en": "Seen by the grader once your code had ended: files that were not in your submission, or whose "
              "content changed.",
        "es": "Vistos por el corrector cuando tu código ya había terminado: archivos que no estaban en tu entrega o "
              "cuyo contenido cambió.",
    },
    "report.written.created": {"en": "created", "es": "creado"},
    "report.written.changed": {"en": "changed", "es": "modificado"},
    "report.written.more": {"en": "and more, not listed", "es": "y más, sin enumerar"},
}
