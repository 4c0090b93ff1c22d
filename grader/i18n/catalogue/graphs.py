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
    # --- connections ---------------------------------------------------------------------
    "graph.verb.add": {"en": "sums", "es": "suma"},
    "graph.verb.concatenate": {"en": "concatenates", "es": "concatena"},
    "graph.verb.multiply": {"en": "multiplies", "es": "multiplica"},
    "graph.verb.average": {"en": "averages", "es": "promedia"},
    "graph.verb.subtract": {"en": "subtracts", "es": "resta"},
    "graph.verb.takes": {"en": "takes", "es": "recibe"},
    "graph.layer": {"en": "`{layer}`", "es": "`{layer}`"},
    "graph.layer.described": {"en": "`{layer}` ({describe})", "es": "`{layer}` ({describe})"},
    "graph.input": {"en": "the input `{name}`", "es": "la entrada `{name}`"},
    "graph.nothing": {"en": "nothing", "es": "nada"},
    "graph.comma": {"en": "{first}, {rest}", "es": "{first}, {rest}"},
    "graph.and": {"en": "{first} and {last}", "es": "{first} y {last}"},
    "diff.connections": {
        "en": "Your layer `{layer}` ({kind}) {verb} {found}; the reference's `{ref}` {ref_verb} {expected}, which in "
              "your model are {wanted}.",
        "es": "Tu capa `{layer}` ({kind}) {verb} {found}; en la referencia, `{ref}` {ref_verb} {expected}, que en tu "
              "modelo son {wanted}.",
    },
    "diff.both": {"en": "{first} {second}", "es": "{first} {second}"},
    "fix.connect": {"en": "give `{layer}` {inputs} as its inputs", "es": "dale a `{layer}` como entradas {inputs}"},
    # --- trainable or frozen ----------------------------------------------------------------
    "diff.trainable.trains": {
        "en": "Your {count} layer(s) from `{first}` to `{last}` train their {params} parameters; in the reference "
              "they are frozen (`trainable=False`).",
        "es": "Tus {count} capa(s) de `{first}` a `{last}` entrenan sus {params} parámetros; en la referencia están "
              "congeladas (`trainable=False`).",
    },
    "diff.trainable.frozen": {
        "en": "Your {count} layer(s) from `{first}` to `{last}` are frozen ({params} parameters); in the reference "
              "they train.",
        "es": "Tus {count} capa(s) de `{first}` a `{last}` están congeladas ({params} parámetros); en la referencia "
              "se entrenan.",
    },
    "diff.trainable.part.trains": {
        "en": "Your nested model `{part}` ({what}) trains {params} of its parameters; in the reference it is frozen.",
        "es": "Tu modelo anidado `{part}` ({what}) entrena {params} de sus parámetros; en la referencia está "
              "congelado.",
    },
    "diff.trainable.part.frozen": {
        "en": "Your nested model `{part}` ({what}) is frozen ({params} parameters); in the reference it trains.",
        "es": "Tu modelo anidado `{part}` ({what}) está congelado ({params} parámetros); en la referencia se "
              "entrena.",
    },
    "fix.freeze": {
        "en": "freeze those layers before `compile()`: `layer.trainable = False` on each (e.g. "
              "`for layer in base_model.layers: layer.trainable = False`)",
        "es": "congela esas capas antes de `compile()`: `layer.trainable = False` en cada una (por ejemplo "
              "`for layer in base_model.layers: layer.trainable = False`)",
    },
    "fix.freeze.part": {
        "en": "`{model}.trainable = False` before compiling the model that contains it",
        "es": "`{model}.trainable = False` antes de compilar el modelo que lo contiene",
    },
    "fix.unfreeze": {
        "en": "let them train: `trainable = True` on the model or its layers, then `compile()` again",
        "es": "deja que se entrenen: `trainable = True` en el modelo o en sus capas, y vuelve a llamar a `compile()`",
    },
    "fix.unfreeze.part": {
        "en": "`{model}.trainable = True`, then `compile()` again",
        "es": "`{model}.trainable = True`, y vuelve a llamar a `compile()`",
    },
    "cause.connections": {
        "en": "It starts at your layer `{layer}` ({kind}), which {verb} {found} where the reference's {ref_verb} "
              "{expected}.",
        "es": "Empieza en tu capa `{layer}` ({kind}), que {verb} {found} donde la de la referencia {ref_verb} "
              "{expected}.",
    },
    "cause.trains": {
        "en": "It starts at your layer `{layer}` ({kind}), which trains where the reference's is frozen.",
        "es": "Empieza en tu capa `{layer}` ({kind}), que se entrena donde la de la referencia está congelada.",
    },
    "cause.frozen": {
        "en": "It starts at your layer `{layer}` ({kind}), which is frozen where the reference's trains.",
        "es": "Empieza en tu capa `{layer}` ({kind}), que está congelada donde la de la referencia se entrena.",
    },
    # --- connections check ---------------------------------------------------------------
    "title.connections": {"en": "Inputs of every merge", "es": "Entradas de cada unión"},
    "title.connections.at": {"en": "Inputs of {at}", "es": "Entradas de {at}"},
    "connections.none": {
        "en": "The reference model has no layer with several inputs: name one with 'at'.",
        "es": "El modelo de referencia no tiene ninguna capa con varias entradas: indica una con 'at'.",
    },
    "connections.one": {"en": "`{ref}` {verb} {inputs}", "es": "`{ref}` {verb} {inputs}"},
    "connections.pass.one": {"en": "As in the reference: {merge}.", "es": "Como en la referencia: {merge}."},
    "connections.pass.many": {
        "en": "All {count} merges ({first} to {last}) take the same inputs as in the reference.",
        "es": "Las {count} uniones ({first} a {last}) reciben las mismas entradas que en la referencia.",
    },
    "connections.missing": {
        "en": "Your model has no layer for `{ref}` ({describe}), which {verb} {expected}: the connection is missing.",
        "es": "A tu modelo le falta `{ref}` ({describe}), que {verb} {expected}: falta esa conexión.",
    },
    "connections.unclear": {
        "en": "Your layer `{layer}` (matching `{ref}`) takes {found}, and the grader cannot tell which of them "
              "stand for {expected} (see the layer differences).",
        "es": "Tu capa `{layer}` (la que corresponde a `{ref}`) recibe {found}, y el corrector no puede saber cuáles "
              "corresponden a {expected} (mira las diferencias de capas).",
    },
    "fix.add_merge": {"en": "add {describe} taking {inputs}", "es": "añade {describe} que reciba {inputs}"},
    # --- nested models ---------------------------------------------------------------------
    "title.nested": {"en": "Built from {parts}", "es": "Construido con {parts}"},
    "nested.unknown_part": {
        "en": "The rubric names the part `{part}`, which is not one of its models.",
        "es": "La rúbrica nombra la parte `{part}`, que no es uno de sus modelos.",
    },
    "nested.part": {"en": "`{part}` ({title})", "es": "`{part}` ({title})"},
    "nested.flat": {
        "en": "Your model `{model}` has no nested models: it should be built from {parts}, each used as a layer.",
        "es": "Tu modelo `{model}` no tiene modelos anidados: debería construirse con {parts}, cada uno usado como "
              "una capa.",
    },
    "nested.missing": {
        "en": "None of its nested models ({found}) is like {title} (`{part}`).",
        "es": "Ninguno de sus modelos anidados ({found}) se parece a {title} (`{part}`).",
    },
    "nested.order": {
        "en": "Its nested models come in the order {found}; the reference applies {expected}.",
        "es": "Sus modelos anidados van en el orden {found}; la referencia aplica {expected}.",
    },
    "nested.copy": {
        "en": "Its nested model `{part}` is not the model in your variable `{variable}` but another one with the same "
              "layers (a copy): training one does not change the other. Build it from `{variable}` itself.",
        "es": "Su modelo anidado `{part}` no es el modelo de tu variable `{variable}` sino otro con las mismas capas "
              "(una copia): entrenar uno no cambia el otro. Constrúyelo con el propio `{variable}`.",
    },
    "nested.pass": {"en": "Built from {parts}, as in the reference.", "es": "Construido con {parts}, como en la referencia."},
    "nested.pass.same": {
        "en": "Built from {parts}, as in the reference, and they are the very models of your variables.",
        "es": "Construido con {parts}, como en la referencia, y son los mismos modelos de tus variables.",
    },
    "fix.nest": {
        "en": "call the models {parts} as layers, each on the output of the one before, e.g. "
              "`model = Model(x, decoder(encoder(x)))`",
        "es": "llama a los modelos {parts} como capas, cada uno sobre la salida del anterior, por ejemplo "
              "`model = Model(x, decoder(encoder(x)))`",
    },
    # --- base models -----------------------------------------------------------------------
    "title.base_model": {"en": "Built on {base}", "es": "Construido sobre {base}"},
    "base.network": {"en": "a network of {layers} layers ({params} parameters)",
                     "es": "una red de {layers} capas ({params} parámetros)"},
    "base.nested": {"en": "Your base is the nested model `{part}`", "es": "Tu base es el modelo anidado `{part}`"},
    "base.flat": {"en": "Your base is written into the model ({layers} layers)",
                  "es": "Tu base está escrita dentro del modelo ({layers} capas)"},
    "base.state.frozen": {"en": "frozen: none of its {total} parameters trains",
                          "es": "congelada: ninguno de sus {total} parámetros se entrena"},
    "base.state.trains": {"en": "{trainable} of its {total} parameters train",
                          "es": "se entrenan {trainable} de sus {total} parámetros"},
    "base.pass": {"en": "{where}: {application}, {state}.", "es": "{where}: {application}, {state}."},
    "base.fail": {"en": "{where}.", "es": "{where}."},
    "base.not_application": {
        "en": "It is not {expected}: its {layers} layers do not line up with the reference base's {ref_layers}.",
        "es": "No es {expected}: sus {layers} capas no coinciden con las {ref_layers} de la base de la referencia.",
    },
    "base.input": {"en": "Its input is {found} instead of {expected}.", "es": "Su entrada es {found} en lugar de {expected}."},
    "base.trains": {
        "en": "It is not frozen: {trainable} of its {total} parameters train, so training the new head also changes "
              "the pre-trained weights.",
        "es": "No está congelada: se entrenan {trainable} de sus {total} parámetros, así que entrenar la cabeza nueva "
              "también cambia los pesos preentrenados.",
    },
    "base.frozen": {
        "en": "It is frozen ({total} parameters), but here it should train (fine-tuning).",
        "es": "Está congelada ({total} parámetros), pero aquí debería entrenarse (fine-tuning).",
    },
    "base.params": {"en": "It has {found} parameters instead of {expected}.",
                    "es": "Tiene {found} parámetros en lugar de {expected}."},
    "base.substituted": {
        "en": "(While grading, its pre-trained weights file {file} was not available: it was built with weights=None, "
              "which changes no layer, shape or count.)",
        "es": "(Al corregir no estaba disponible su archivo de pesos preentrenados {file}: se construyó con "
              "weights=None, lo que no cambia ninguna capa, forma ni cantidad de parámetros.)",
    },
    # --- what trains --------------------------------------------------------------------
    "title.trains": {"en": "What trains", "es": "Qué se entrena"},
    "trains.no_part": {
        "en": "The grader found no nested model like {parts} in `{model}`, so it cannot tell what trains.",
        "es": "El corrector no encontró en `{model}` ningún modelo anidado como {parts}, así que no puede saber qué "
              "se entrena.",
    },
    "trains.never": {
        "en": "Your code never trained `{model}` (no `fit` or `train_on_batch`); judged on its last state",
        "es": "Tu código nunca entrenó `{model}` (ni `fit` ni `train_on_batch`); se juzga su último estado",
    },
    "trains.at": {"en": "When your code trained `{model}` ({call}, {where})",
                  "es": "Cuando tu código entrenó `{model}` ({call}, {where})"},
    "trains.at.all": {"en": "Each time your code trained `{model}` ({call}, from {where} on)",
                      "es": "Cada vez que tu código entrenó `{model}` ({call}, desde {where})"},
    "trains.state.trains": {"en": "`{part}` trained", "es": "`{part}` se entrenaba"},
    "trains.state.frozen": {"en": "`{part}` was frozen", "es": "`{part}` estaba congelado"},
    "trains.pass": {"en": "{when}: {states}, as in the reference.", "es": "{when}: {states}, como en la referencia."},
    "trains.fail": {"en": "{when}: {states}.", "es": "{when}: {states}."},
    "trains.should_freeze": {
        "en": "`{part}` should have been frozen: Keras fixes what trains when it builds the training function, at the "
              "first training call after `compile()`.",
        "es": "`{part}` debería haber estado congelado: Keras fija qué se entrena al construir la función de "
              "entrenamiento, en la primera llamada de entrenamiento después de `compile()`.",
    },
    "trains.should_train": {
        "en": "`{part}` should have trained.",
        "es": "`{part}` debería haberse entrenado.",
    },
    "fix.freeze_part": {
        "en": "set `trainable = False` on it before compiling the model that contains it (e.g. "
              "`discriminadora.trainable = False` before `GAN.compile(...)`), and keep it so when that model trains",
        "es": "pon `trainable = False` en él antes de compilar el modelo que lo contiene (por ejemplo "
              "`discriminadora.trainable = False` antes de `GAN.compile(...)`), y déjalo así cuando ese modelo se "
              "entrena",
    },
    # --- saving and loading --------------------------------------------------------------
    "title.saved_model": {"en": "Saved and loaded back", "es": "Guardado y cargado"},
    "saved.none": {
        "en": "Your code saved no model like the reference in a {formats} file.",
        "es": "Tu código no guardó ningún modelo como el de la referencia en un archivo {formats}.",
    },
    "saved.save_failed": {
        "en": "Saving to `{path}` ({where}) failed: {error}",
        "es": "Guardar en `{path}` ({where}) falló: {error}",
    },
    "saved.other_format": {
        "en": "You saved it as `{path}` ({format}); the activity asks for a {formats} file.",
        "es": "Lo guardaste como `{path}` ({format}); la actividad pide un archivo {formats}.",
    },
    "saved.not_loaded": {
        "en": "You saved it to `{path}` but never loaded it back with `load_model('{path}')`.",
        "es": "Lo guardaste en `{path}` pero nunca lo volviste a cargar con `load_model('{path}')`.",
    },
    "saved.load_failed": {
        "en": "You saved it to `{saved}`, but loading `{path}` ({where}) failed: {error}",
        "es": "Lo guardaste en `{saved}`, pero cargar `{path}` ({where}) falló: {error}",
    },
    "saved.differs": {
        "en": "The model loaded from `{path}` is not the one saved: {difference}",
        "es": "El modelo cargado de `{path}` no es el que se guardó: {difference}",
    },
    "saved.unreadable": {"en": "the grader could not read one of them.", "es": "el corrector no pudo leer uno de los dos."},
    "saved.other_layers": {"en": "its layers differ ({saved} saved, {loaded} loaded).",
                           "es": "sus capas son otras ({saved} guardadas, {loaded} cargadas)."},
    "saved.other_compile": {"en": "its {setting} is {loaded} instead of {saved}.",
                            "es": "su {setting} es {loaded} en lugar de {saved}."},
    "saved.pass": {
        "en": "Saved to `{path}` ({format}, {saved_at}) and loaded back ({loaded_at}): the same layers and compile "
              "settings.",
        "es": "Guardado en `{path}` ({format}, {saved_at}) y cargado de nuevo ({loaded_at}): las mismas capas y la "
              "misma compilación.",
    },
    "fix.save": {"en": "name the file with its format: `model.save('modelo.h5')` or `model.save('modelo.keras')` ({formats})",
                 "es": "pon el formato en el nombre del archivo: `model.save('modelo.h5')` o `model.save('modelo.keras')` "
                       "({formats})"},
    "fix.load": {"en": "load the same file, extension included: `load_model('{path}')`",
                 "es": "carga el mismo archivo, con su extensión: `load_model('{path}')`"},
    "compile.optimizer_config": {"en": "the optimizer has {details}", "es": "el optimizador tiene {details}"},
    # --- ensembles ----------------------------------------------------------------------------
    "title.ensemble": {"en": "`{name}` averages the ensemble", "es": "`{name}` promedia el ensemble"},
    "ensemble.no_answer": {
        "en": "The grader could not look at `{members}` after your code ran (it stopped before the end, or the time "
              "ran out).",
        "es": "El corrector no pudo mirar `{members}` después de que corriera tu código (se detuvo antes del final, o "
              "se acabó el tiempo).",
    },
    "ensemble.error": {"en": "Computing the ensemble's average failed: {error}",
                       "es": "Calcular el promedio del ensemble falló: {error}"},
    "ensemble.missing": {"en": "Your code has no variable `{name}` when it ends.",
                         "es": "Tu código no tiene ninguna variable `{name}` al terminar."},
    "ensemble.not_models": {"en": "`{name}` is a {type}, not a list of models.",
                            "es": "`{name}` es un {type}, no una lista de modelos."},
    "ensemble.few": {"en": "`{name}` holds {count} model(s); an ensemble needs at least {minimum}.",
                     "es": "`{name}` tiene {count} modelo(s); un ensemble necesita al menos {minimum}."},
    "ensemble.unlike": {"en": "{members} is not like {title}.", "es": "{members} no se parece a {title}."},
    "ensemble.shape": {"en": "`{name}` has shape {shape}; the mean of the predictions has {expected}.",
                       "es": "`{name}` tiene forma {shape}; la media de las predicciones tiene {expected}."},
    "ensemble.not_mean": {
        "en": "`{name}` is not the mean of the {count} models' predictions: it differs by up to {difference} on the "
              "first {rows} examples (computed by your own code's process).",
        "es": "`{name}` no es la media de las predicciones de los {count} modelos: difiere hasta {difference} en los "
              "primeros {rows} ejemplos (calculado en el proceso de tu propio código).",
    },
    "ensemble.pass": {
        "en": "`{name}` is the mean of the predictions of the {count} models in `{members}` (checked on the first "
              "{rows} examples, in your code's process), and each is like the reference.",
        "es": "`{name}` es la media de las predicciones de los {count} modelos de `{members}` (comprobado en los "
              "primeros {rows} ejemplos, en el proceso de tu código), y cada uno es como la referencia.",
    },
    "fix.ensemble": {"en": "average = sum(m.predict(x) for m in {members}) / len({members})",
                     "es": "promedio = sum(m.predict(x) for m in {members}) / len({members})"},
    # --- errors while building a graph (likely fixes) -----------------------------------------
    "hint.graph.line": {"en": "line {number}", "es": "la línea {number}"},
    "hint.graph.lines": {"en": "lines {numbers}", "es": "las líneas {numbers}"},
    "hint.graph.layer_at": {"en": "`{layer}` (line {line})", "es": "`{layer}` (línea {line})"},
    "hint.graph.code_at": {"en": "`{code}` on line {line}", "es": "`{code}` en la línea {line}"},
    "hint.graph.not_applied.function": {
        "en": "`{function}` returns a `{layer}` layer, not a tensor: on {lines} (`{code}`) the layer is created but "
              "never applied to `x`. Apply it to its input: `x = {layer}(...)(x)`.",
        "es": "`{function}` devuelve una capa `{layer}`, no un tensor: en {lines} (`{code}`) la capa se crea pero no "
              "se aplica a `x`. Aplícala a su entrada: `x = {layer}(...)(x)`.",
    },
    "hint.graph.not_applied": {
        "en": "On {lines} (`{code}`) a `{layer}` layer is created but never applied, so a layer, not a tensor, reaches "
              "`Model(...)`. Apply it to its input: `x = {layer}(...)(x)`.",
        "es": "En {lines} (`{code}`) se crea una capa `{layer}` pero no se aplica, así que a `Model(...)` llega una "
              "capa y no un tensor. Aplícala a su entrada: `x = {layer}(...)(x)`.",
    },
    "hint.graph.not_applied.plain": {
        "en": "A `{layer}` layer arrived where a tensor was expected: it was created but never applied. Apply each "
              "layer to its input: `x = {layer}(...)(x)`.",
        "es": "Llegó una capa `{layer}` donde se esperaba un tensor: se creó pero no se aplicó. Aplica cada capa a su "
              "entrada: `x = {layer}(...)(x)`.",
    },
    "hint.graph.flat_in_loop": {
        "en": "{layers} are inside the `for` loop of line {loop}, so they run on every pass: after the first one the "
              "tensor is already flat {shape}, and the convolution of the next pass cannot take it. Move them out of "
              "the loop (one indentation level less), so that they run once, after it.",
        "es": "{layers} están dentro del bucle `for` de la línea {loop}, así que se ejecutan en cada vuelta: después "
              "de la primera el tensor ya es plano {shape} y la convolución de la vuelta siguiente no lo acepta. "
              "Sácalas del bucle (un nivel menos de sangría) para que se ejecuten una sola vez, al final.",
    },
    "hint.graph.flat_input": {
        "en": "A layer that needs a batch of images got a flat tensor {shape}: a `Flatten`, `GlobalAveragePooling2D` or "
              "`Dense` ran before it. Check the order of your layers, and the indentation of the lines inside a loop.",
        "es": "Una capa que necesita un lote de imágenes recibió un tensor plano {shape}: antes se ejecutó un "
              "`Flatten`, `GlobalAveragePooling2D` o `Dense`. Revisa el orden de tus capas y la sangría de las líneas "
              "dentro de un bucle.",
    },
    "hint.graph.merge_shrinks.line": {
        "en": "The tensors you add have shapes {shapes}: one branch is {shrink} pixels smaller in height and width, "
              "which is what a {kernel}x{kernel} convolution with Keras's default `padding='valid'` does. Add "
              "`padding=\"same\"` to it: {where}.",
        "es": "Los tensores que sumas tienen formas {shapes}: una rama es {shrink} píxeles más pequeña en alto y ancho, "
              "que es lo que hace una convolución {kernel}x{kernel} con el `padding='valid'` por defecto de Keras. "
              "Añádele `padding=\"same\"`: {where}.",
    },
    "hint.graph.merge_shrinks": {
        "en": "The tensors you add have shapes {shapes}: one branch is {shrink} pixels smaller in height and width, "
              "which is what a {kernel}x{kernel} convolution with Keras's default `padding='valid'` does. Add "
              "`padding=\"same\"` to the {kernel}x{kernel} convolution of that branch.",
        "es": "Los tensores que sumas tienen formas {shapes}: una rama es {shrink} píxeles más pequeña en alto y ancho, "
              "que es lo que hace una convolución {kernel}x{kernel} con el `padding='valid'` por defecto de Keras. "
              "Añade `padding=\"same\"` a la convolución {kernel}x{kernel} de esa rama.",
    },
    "hint.graph.merge_stride": {
        "en": "The tensors you add have shapes {shapes}: one branch shrinks the map by a factor (a convolution with "
              "`strides=2`, or a pooling). Both must keep the same size: give the shortcut the same stride (a 1x1 "
              "convolution with `strides=2`) or take the stride out of the branch.",
        "es": "Los tensores que sumas tienen formas {shapes}: una rama reduce el mapa por un factor (una convolución "
              "con `strides=2`, o un pooling). Las dos deben tener el mismo tamaño: pon el mismo stride en el atajo "
              "(una convolución 1x1 con `strides=2`) o quítalo de la rama.",
    },
    "hint.graph.merge_channels": {
        "en": "The tensors you add have shapes {shapes}: the same size but {a} and {b} channels. The last convolution "
              "of the branch must have as many filters as the tensor it is added to.",
        "es": "Los tensores que sumas tienen formas {shapes}: el mismo tamaño pero {a} y {b} canales. La última "
              "convolución de la rama debe tener tantos filtros como canales tiene el tensor con el que se suma.",
    },
    "hint.graph.merge_other": {
        "en": "The tensors you merge have shapes {shapes}, which cannot be added: every input of `Add` needs the same "
              "shape. Print `x.shape` after each layer of both branches to see where they part.",
        "es": "Los tensores que unes tienen formas {shapes}, que no se pueden sumar: todas las entradas de `Add` "
              "necesitan la misma forma. Imprime `x.shape` después de cada capa de las dos ramas para ver dónde se "
              "separan.",
    },
    "hint.graph.load_extension": {
        "en": "Keras 3 loads a model only from a `.keras` or `.h5` file, and `{path}` has no extension: write the name "
              "you saved it under, extension included, e.g. `load_model(\"{path}.h5\")`. (Keras's advice about "
              "`TFSMLayer` is for TensorFlow SavedModel folders, not for this.)",
        "es": "Keras 3 carga un modelo solo desde un archivo `.keras` o `.h5`, y `{path}` no tiene extensión: escribe "
              "el nombre con el que lo guardaste, con su extensión, por ejemplo `load_model(\"{path}.h5\")`. (El "
              "consejo de Keras sobre `TFSMLayer` es para carpetas SavedModel de TensorFlow, no para esto.)",
    },
    "hint.graph.weights_name": {
        "en": "Keras 3 saves weights only to files ending in `.weights.h5`: `save_weights(\"{stem}.weights.h5\")`, and "
              "`load_weights` of that same name.",
        "es": "Keras 3 guarda los pesos solo en archivos que terminan en `.weights.h5`: "
              "`save_weights(\"{stem}.weights.h5\")`, y `load_weights` de ese mismo nombre.",
    },
    "hint.graph.int_shape": {
        "en": "`K.int_shape(x)` does not exist in Keras 3: use `tuple(x.shape)` (`tuple(x.shape[1:])` without the "
              "batch axis).",
        "es": "`K.int_shape(x)` no existe en Keras 3: usa `tuple(x.shape)` (`tuple(x.shape[1:])` sin el eje del lote).",
    },
    "hint.quotes": {
        "en": "Your code has typographic quotes ({char}), as copied from slides or a word processor: Python needs "
              "straight quotes, `\"` or `'`. Retype them.",
        "es": "Tu código tiene comillas tipográficas ({char}), como las que se copian de diapositivas o de un "
              "procesador de texto: Python necesita comillas rectas, `\"` o `'`. Vuelve a escribirlas.",
    },
    "model.missing.cell": {
        "en": "{base} The cell that builds it ({where}) stopped with {error}",
        "es": "{base} La celda que lo construye ({where}) se detuvo con {error}",
    },
    "compile.no_schedule": {"en": "none (a fixed learning rate)", "es": "ninguno (una tasa de aprendizaje fija)"},
}
