"""Messages: Checks, their default titles, and the aligned model diff."""

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
        "en": "No model for {title} was found: the grader looked for a {framework} model in {names} and for any "
              "model like the reference. Build it and keep it in that variable.",
        "es": "No se encontró ningún modelo para {title}: el corrector buscó un modelo de {framework} en {names} y "
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
}
