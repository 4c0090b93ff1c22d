"""Messages: coursework as its students wrote it: model history, course environments, the course's
helper files, offline data and weights, memory."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- which state of a model was graded (grader.checks.matching) ----------------------------
    "model.state": {"en": "{variable} ({file}, {where})", "es": "{variable} ({file}, {where})"},
    "model.state.place": {"en": "{file}, {where}", "es": "{file}, {where}"},
    "model.where.cell": {"en": "cell {number}", "es": "celda {number}"},
    "model.where.line": {"en": "line {number}", "es": "línea {number}"},
    "model.where.end": {"en": "at the end", "es": "al final"},
    "note.state.earlier": {
        "en": "The grader graded `{variable}` as it was after {where}: it changed later ({later}), and that "
              "earlier state is the one like this activity's model.",
        "es": "El corrector calificó `{variable}` tal como estaba después de {where}: cambió más adelante "
              "({later}) y es ese estado anterior el que corresponde al modelo de esta actividad.",
    },
    # --- course environments (grader.grading.environment) --------------------------------------
    "hint.environment": {
        "en": "This course's environment has {modules}; nothing is installed while grading.",
        "es": "El entorno de este curso tiene {modules}; durante la calificación no se instala nada.",
    },
    "hint.environment.default": {
        "en": "This course uses grader's default environment: {modules}; nothing is installed while grading.",
        "es": "Este curso usa el entorno por defecto del corrector: {modules}; durante la calificación no se "
              "instala nada.",
    },
    "hint.no_network": {
        "en": "Your code tried to use the network, and grading has none. If it downloads a data set or weights "
              "the course provides (keras.datasets, weights='imagenet'), your instructor declares it under "
              "'offline:' in the rubric and runs `grader data --download`; otherwise read the file from your "
              "submission's folder.",
        "es": "Tu código intentó usar la red, y al calificar no hay red. Si descarga un conjunto de datos o unos "
              "pesos que el curso proporciona (keras.datasets, weights='imagenet'), el profesor los declara en "
              "'offline:' en la rúbrica y ejecuta `grader data --download`; si no, lee el archivo desde la carpeta "
              "de tu entrega.",
    },
    # --- course files a submission has its own copy of (rubric resources, student_copy) ----------
    "course_file.student": {
        "en": "`{file}`: your own copy ran (this course keeps students' copies of this file).",
        "es": "`{file}`: se ejecutó tu propia copia (este curso conserva las copias de este archivo que "
              "entregan los estudiantes).",
    },
    "course_file.course": {
        "en": "`{file}`: the course's copy ran, not the one you handed in (this course replaces it).",
        "es": "`{file}`: se ejecutó la copia del curso, no la que entregaste (este curso la reemplaza).",
    },
    # --- offline data and weights (grader.data.offline) ----------------------------------------------
    "offline.missing": {
        "en": "{provider} `{entry}` is declared by the course but missing from the grader's cache ({path}): code "
              "that loads it fails, through no fault of yours. The instructor runs `grader data --download`.",
        "es": "{provider} `{entry}` está declarado por el curso pero falta en la caché del corrector ({path}): el "
              "código que lo carga falla, y no es culpa tuya. El profesor debe ejecutar `grader data --download`.",
    },
    "offline.unreadable": {
        "en": "{provider} `{entry}` is in the grader's cache but the sandbox cannot read it ({path}): code that "
              "loads it fails, through no fault of yours. The instructor runs `chmod -R a+rX` on it.",
        "es": "{provider} `{entry}` está en la caché del corrector pero el entorno aislado no puede leerlo "
              "({path}): el código que lo carga falla, y no es culpa tuya. El profesor debe ejecutar "
              "`chmod -R a+rX` sobre él.",
    },
    "report.course_files": {"en": "Course files and data", "es": "Archivos y datos del curso"},
    "hint.no_keyboard": {
        "en": "Grading runs without a keyboard, so `input()` gets no answer: write the value in the code "
              "(or catch EOFError and use a default).",
        "es": "La calificación corre sin teclado, así que `input()` no recibe respuesta: escribe el valor en el "
              "código (o captura EOFError y usa un valor por defecto).",
    },
    "offline.warning": {
        "en": "{provider} {entry} is declared under offline: but this machine's cache lacks it or the sandbox cannot "
              "read it ({path}): the students' code that loads it will fail. Run 'grader data --download' once "
              "with network (or make the file readable: chmod -R a+rX).",
        "es": "{provider} {entry} está declarado en offline: pero la caché de esta máquina no lo tiene o el entorno "
              "aislado no puede leerlo ({path}): el código de los estudiantes que lo carga fallará. Ejecuta "
              "'grader data --download' una vez con red (o haz legible el archivo: chmod -R a+rX).",
    },
}
