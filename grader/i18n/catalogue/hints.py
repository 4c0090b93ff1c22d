"""Messages: Likely fixes for errors (grader.execution.diagnostics, the frameworks' diagnostics)."""

MESSAGES: dict[str, dict[str, str]] = {
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
