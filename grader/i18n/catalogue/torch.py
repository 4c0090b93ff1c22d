"""Messages: PyTorch models (notes on what the grader read), students' own training loops, code reading."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- notes on a PyTorch model card ------------------------------------------------------
    "torch.note.not_called": {
        "en": "`{layer}` ({describe}) is defined in `__init__` but `forward()` never calls it: it computes "
              "nothing (its {params} parameters still count, as PyTorch counts them). Call it in `forward()` "
              "where the reference has it.",
        "es": "`{layer}` ({describe}) está definida en `__init__` pero `forward()` nunca la llama: no calcula "
              "nada (sus {params} parámetros siguen contando, como los cuenta PyTorch). Llámala en `forward()` "
              "donde la tiene la referencia.",
    },
    "torch.note.not_called.free": {
        "en": "`{layer}` ({describe}) is defined in `__init__` but `forward()` never calls it, so it does "
              "nothing. Call it in `forward()` where the reference has it.",
        "es": "`{layer}` ({describe}) está definida en `__init__` pero `forward()` nunca la llama, así que no "
              "hace nada. Llámala en `forward()` donde la tiene la referencia.",
    },
    "torch.note.not_traced": {
        "en": "The grader could not follow your `forward()` ({reason}), so it read the model from its modules "
              "alone: their kinds, settings and parameters are graded; the order in which `forward()` uses "
              "them and their output shapes could not be checked.",
        "es": "El corrector no pudo seguir tu `forward()` ({reason}), así que leyó el modelo solo a partir de "
              "sus módulos: se califican sus tipos, ajustes y parámetros; no se pudo comprobar en qué orden los "
              "usa `forward()` ni sus formas de salida.",
    },
    "torch.note.shapes_stop": {
        "en": "Output shapes stop where the layers no longer fit together: {error}.",
        "es": "Las formas de salida se interrumpen donde las capas dejan de encajar: {error}.",
    },
    "torch.note.step_failed": {
        "en": "`{layer}` cannot run on what the layer before gives it: {error}.",
        "es": "`{layer}` no puede ejecutarse con lo que le da la capa anterior: {error}.",
    },
    "torch.note.changed_after": {
        "en": "`{module}`: its settings give `{name}` the shape {expected}, but your object holds {found}: an "
              "attribute was changed after the layer was built. The grader graded the settings; build the "
              "layer again with the values you want.",
        "es": "`{module}`: sus ajustes dan a `{name}` la forma {expected}, pero tu objeto tiene {found}: se "
              "cambió un atributo después de construir la capa. El corrector calificó los ajustes; vuelve a "
              "construir la capa con los valores que quieras.",
    },
    "torch.note.unknown_parameter": {
        "en": "`{module}` lists a parameter `{name}` that {kind} does not have; it was ignored.",
        "es": "`{module}` declara un parámetro `{name}` que {kind} no tiene; se ignoró.",
    },
    "torch.note.shared_shape": {
        "en": "`{name}` is shared with `{target}`, whose shape {found} is not the {expected} its layer's "
              "settings give.",
        "es": "`{name}` se comparte con `{target}`, cuya forma {found} no es la {expected} que dan los ajustes "
              "de su capa.",
    },
    "torch.note.cycle": {
        "en": "`{module}` contains `{target}` again (a module inside itself); the repetition was ignored.",
        "es": "`{module}` vuelve a contener `{target}` (un módulo dentro de sí mismo); se ignoró la repetición.",
    },
    "torch.note.forward_replaced": {
        "en": "`{module}.forward` was replaced on the object; the grader graded the class's `forward()`.",
        "es": "Se reemplazó `{module}.forward` en el objeto; el corrector calificó el `forward()` de la clase.",
    },
    "torch.note.hooks": {
        "en": "`{module}` has {count} forward hook(s); what they do is not graded.",
        "es": "`{module}` tiene {count} hook(s) de forward; lo que hacen no se califica.",
    },
    "torch.check.not_traced": {
        "en": "Not graded: this check needs output shapes or parameter counts along `forward()`, which the "
              "grader could not follow ({reason}). Write `forward()` without branching on the data's values "
              "(no `if` on a tensor) to have it graded.",
        "es": "Sin calificar: esta comprobación necesita las formas de salida o los parámetros a lo largo de "
              "`forward()`, que el corrector no pudo seguir ({reason}). Escribe `forward()` sin decidir según "
              "los valores de los datos (sin `if` sobre un tensor) para que se califique.",
    },
    # --- likely fixes for errors while the notebook ran --------------------------------------
    "torch.hint.features": {
        "en": "A Linear layer gets {found} features but takes {expected}: its in_features must be what the "
              "layer before it gives (`{fix}`), or the layer before must give {expected}.",
        "es": "Una capa Linear recibe {found} características pero espera {expected}: su in_features debe ser "
              "lo que da la capa anterior (`{fix}`), o la capa anterior debe dar {expected}.",
    },
    "torch.hint.channels": {
        "en": "A Conv2d layer takes {expected} input channels but gets {found}: its in_channels must be the "
              "out_channels of the layer before it.",
        "es": "Una capa Conv2d espera {expected} canales de entrada pero recibe {found}: su in_channels debe ser "
              "el out_channels de la capa anterior.",
    },
    "torch.hint.offline": {
        "en": "The grader runs your notebook without network, so `download=True` cannot fetch a data set: it "
              "is there only if the course provides it. Your models are graded anyway; the cells that need the "
              "data could not run.",
        "es": "El corrector ejecuta tu notebook sin red, así que `download=True` no puede descargar un conjunto "
              "de datos: solo está si el curso lo proporciona. Tus modelos se califican igualmente; las celdas "
              "que necesitan los datos no pudieron ejecutarse.",
    },
    # --- the cap on students' own training loops ---------------------------------------------
    "fitcap.loop.one": {
        "en": "To grade quickly, your training loop (line {line}) ran {run} of its {asked} epochs, at most "
              "{batches} batches each. Run `grader check --full` to run it as written.",
        "es": "Para calificar rápido, tu bucle de entrenamiento (línea {line}) hizo {run} de sus {asked} épocas, "
              "con {batches} lotes como mucho en cada una. Ejecuta `grader check --full` para correrlo tal como "
              "está escrito.",
    },
    "fitcap.loop.one.epochs": {
        "en": "To grade quickly, your training loop (line {line}) ran {run} of its {asked} epochs. "
              "Run `grader check --full` to run it as written.",
        "es": "Para calificar rápido, tu bucle de entrenamiento (línea {line}) hizo {run} de sus {asked} épocas. "
              "Ejecuta `grader check --full` para correrlo tal como está escrito.",
    },
    "fitcap.loop.many": {
        "en": "To grade quickly, your {count} training loops ran at most {epochs} epochs each, at most {batches} "
              "batches from each DataLoader per epoch. Run `grader check --full` to run them as written.",
        "es": "Para calificar rápido, tus {count} bucles de entrenamiento hicieron como mucho {epochs} épocas "
              "cada uno, con {batches} lotes como mucho de cada DataLoader por época. Ejecuta "
              "`grader check --full` para correrlos tal como están escritos.",
    },
    "fitcap.loop.many.epochs": {
        "en": "To grade quickly, your {count} training loops ran at most {epochs} epochs each. "
              "Run `grader check --full` to run them as written.",
        "es": "Para calificar rápido, tus {count} bucles de entrenamiento hicieron como mucho {epochs} épocas "
              "cada uno. Ejecuta `grader check --full` para correrlos tal como están escritos.",
    },
    # --- reading the code ----------------------------------------------------------------------
    "torch.code.test_on_train": {
        "en": "`{loader}` is built from `{dataset}`, a training set: what you measure on it (the accuracy per "
              "epoch) is measured on the images the model trains on, not on unseen ones. Build it from the "
              "test set.",
        "es": "`{loader}` se construye con `{dataset}`, un conjunto de entrenamiento: lo que mides con él (la "
              "exactitud por época) se mide sobre las imágenes con las que entrena el modelo, no sobre "
              "imágenes nuevas. Constrúyelo con el conjunto de test.",
    },
    "torch.code.evaluation": {
        "en": "`{loader}` is built from `{dataset}`.",
        "es": "`{loader}` se construye con `{dataset}`.",
    },
    "test_data.none": {
        "en": "Your code builds no DataLoader for test data, so the grader cannot tell what your model is "
              "evaluated on.",
        "es": "Tu código no construye ningún DataLoader para los datos de test, así que el corrector no puede "
              "saber con qué se evalúa tu modelo.",
    },
    "test_data.none.hint": {
        "en": "testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size)",
        "es": "testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size)",
    },
    "title.test_data": {"en": "Evaluated on the test set", "es": "Evaluado con el conjunto de test"},
    "test_data.pass": {
        "en": "Your evaluation data loaders are not built from a training set.",
        "es": "Tus DataLoader de evaluación no se construyen con un conjunto de entrenamiento.",
    },
    "test_data.where": {
        "en": "{file}, cell {cell}, line {line}: {message}",
        "es": "{file}, celda {cell}, línea {line}: {message}",
    },
    "test_data.where.script": {"en": "{file}, line {line}: {message}", "es": "{file}, línea {line}: {message}"},
}
