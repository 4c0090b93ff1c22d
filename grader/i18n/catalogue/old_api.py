"""Messages: Old Keras 1/2 calls, one sentence per pattern (grader.frameworks.keras.old_api)."""

MESSAGES: dict[str, dict[str, str]] = {
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
}
