"""Messages: Training checks and their data."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- training checks ----------------------------------------------------------------
    "train.pass": {
        "en": "Trained for {epochs} epochs (batch size {batch}), your model's {split} {metric} is {value}{units}: "
              "{relation} {limit}{bound}, as required.",
        "es": "Tras entrenar {epochs} épocas con lotes de {batch}, {metric} de tu modelo en {split} es {value}{units}: "
              "{relation} {limit}{bound}, como se pide.",
    },
    "train.fail": {
        "en": "Trained for {epochs} epochs (batch size {batch}), your model's {split} {metric} is {value}{units}, "
              "but it must be {relation} {limit}{bound}.",
        "es": "Tras entrenar {epochs} épocas con lotes de {batch}, {metric} de tu modelo en {split} es {value}{units}, "
              "pero debe ser {relation} {limit}{bound}.",
    },
    "train.at_most": {"en": "at most", "es": "como máximo"},
    "train.at_least": {"en": "at least", "es": "como mínimo"},
    "train.relative": {
        "en": " ({factor} x the {reference} the reference model reaches with the same training)",
        "es": " ({factor} veces el {reference} que alcanza el modelo de referencia con el mismo entrenamiento)",
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
        "en": "{framework} could not train your model with this activity's data and settings: {problem}.",
        "es": "{framework} no pudo entrenar tu modelo con los datos y ajustes de esta actividad: {problem}.",
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
    # In Spanish with its article, which agrees with the noun (el RMSE, la exactitud).
    "train.metric.rmse": {"en": "RMSE", "es": "el RMSE"},
    "train.metric.mse": {"en": "MSE", "es": "el MSE"},
    "train.metric.mae": {"en": "MAE", "es": "el MAE"},
    "train.metric.accuracy": {"en": "accuracy", "es": "la exactitud (accuracy)"},
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
}
