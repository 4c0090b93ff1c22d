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
    "train.metric.binary_accuracy": {"en": "binary accuracy", "es": "exactitud binaria (binary accuracy)"},
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
    "data.noise": {"en": "Gaussian noise of deviation {factor} added to the inputs{clip}",
                   "es": "ruido gaussiano de desvío {factor} sumado a las entradas{clip}"},
    "data.noise.clip": {"en": ", then clipped to [{low}, {high}]", "es": ", recortadas luego a [{low}, {high}]"},
    "data.vectorized.counts": {"en": "each review as the counts of its words among the {words} most frequent",
                               "es": "cada reseña como los recuentos de sus palabras entre las {words} más frecuentes"},
    "data.vectorized.multi_hot": {"en": "each review as 0/1 marks of its words among the {words} most frequent",
                                  "es": "cada reseña como marcas 0/1 de sus palabras entre las {words} más frecuentes"},
    "data.padded": {"en": "each review as its word ids, padded with zeros or cut at the front to {maxlen} "
                          "(keras.utils.pad_sequences)",
                    "es": "cada reseña como sus identificadores de palabra, rellenada con ceros o recortada por "
                          "delante a {maxlen} (keras.utils.pad_sequences)"},
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
}
