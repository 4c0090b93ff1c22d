"""Messages: graph models (connections, nested models, pre-trained bases), training state, saving and loading."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the run -------------------------------------------------------------------------
    "notice.weights_substituted": {
        "en": "`{application}(weights={weights})` ({where}): the file {file} is not in the grader's Keras cache and "
              "grading has no network, so the model was built with `weights=None`; its layers, shapes and parameter "
              "counts are graded the same. Instructor: list it under the rubric's `offline: keras_weights` and run "
              "`grader data --download`.",
        "es": "`{application}(weights={weights})` ({where}): el archivo {file} no está en la caché de Keras del "
              "corrector y al corregir no hay red, así que el modelo se construyó con `weights=None`; sus capas, "
              "formas y cantidad de parámetros se corrigen igual. Profesor: añádelo a `offline: keras_weights` de la "
              "rúbrica y ejecuta `grader data --download`.",
    },
}
