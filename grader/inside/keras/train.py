"""Trains one exported Keras architecture and writes its predictions (``"program": "train"``).

Runs in the sandbox (standard library, numpy and Keras), never with student code: the
architecture is the grader's own rebuild of what a student exported. The manifest holds:

* ``job``: the architecture, loss, optimizer, epochs, batch size, seed, time budget, device;
* ``data``: an ``.npz`` with x_train, y_train, x_test, y_test (read without pickle);
* ``result``: JSON lines, written as training goes so a killed run still shows its curve:
  ``{"epoch": i, "loss": ..., "val_loss": ...}`` per epoch, then one line of predictions per
  split, then ``{"done": true, ...}``.

The grader computes every metric itself from the predictions.
"""

import json
import os
import time

from grader_inside.records import Records

MAX_RESULT_BYTES = 200_000_000


def main(manifest):
    job, data_path = manifest["job"], manifest["data"]
    records = Records(manifest["result"], MAX_RESULT_BYTES)
    write = records.write

    device = _configure_device(job.get("device", "cpu"))
    import numpy as np
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(int(job["seed"]))
    tf.config.experimental.enable_op_determinism()
    with np.load(data_path, allow_pickle=False) as data:
        x_train, y_train = data["x_train"], data["y_train"]
        x_test, y_test = data["x_test"], data["y_test"]
    try:
        with keras.saving.custom_object_scope({}):
            model = keras.saving.deserialize_keras_object(json.loads(job["architecture"]), safe_mode=True)
        optimizer = dict(job["optimizer"])
        optimizer = keras.optimizers.get({"class_name": optimizer.pop("name"), "config": optimizer})
        loss_function = _loss(keras, job["loss"])
        # One sigmoid unit against labels shaped (n,): Keras wants targets of the output's rank.
        y_train, y_test = (_as_rank_of(model, y) for y in (y_train, y_test))
        # Several steps per call to the compiled train function: the same updates in the same
        # order (bit-identical numbers), without Python's overhead between small batches.
        steps = -(-len(x_train) // int(job["batch_size"]))
        model.compile(loss=loss_function, optimizer=optimizer, steps_per_execution=max(1, min(steps, 64)))
    except Exception as exc:  # noqa: BLE001 - reported to the student as "could not be trained"
        write({"failed": "setup", "error": f"{type(exc).__name__}: {exc}"[:1000]})
        return 0

    budget, started = float(job["time_budget"]), time.monotonic()
    state = {"stopped": None}

    def test_loss():
        """The loss on the test split, like fit's validation but without rebuilding a data pipeline per epoch."""
        total = 0.0
        for start in range(0, len(x_test), 1024):
            predicted = model.predict_on_batch(x_test[start:start + 1024])
            per_example = keras.ops.convert_to_numpy(loss_function(y_test[start:start + 1024], predicted))
            total += float(np.sum(per_example))
        return total / max(len(x_test), 1)

    class Recorder(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            write({"epoch": epoch + 1, "loss": _number(logs.get("loss")), "val_loss": _number(test_loss())})
            loss = logs.get("loss")
            if loss is not None and not np.isfinite(loss):
                state["stopped"] = "nan"
                self.model.stop_training = True
            elif time.monotonic() - started > budget:
                state["stopped"] = "time_budget"
                self.model.stop_training = True

    try:
        model.fit(x_train, y_train, epochs=int(job["epochs"]), batch_size=int(job["batch_size"]),
                  shuffle=True, verbose=0, callbacks=[Recorder()])
    except Exception as exc:  # noqa: BLE001 - e.g. the output layer does not fit the targets
        write({"failed": "fit", "error": f"{type(exc).__name__}: {exc}"[:1000]})
        return 0
    fit_seconds = time.monotonic() - started
    for split, x in (("train", x_train), ("test", x_test)):
        predicted = model.predict(x, batch_size=256, verbose=0)
        write({"split": split, "predictions": np.asarray(predicted, dtype="float64").round(7).tolist()})
    write({"done": True, "device": device, "fit_s": round(fit_seconds, 3), "stopped": state["stopped"],
           "keras": keras.__version__, "tensorflow": tf.__version__})
    return 0


def _loss(keras, loss):
    """A Keras loss from its name (``"mse"``) or its name and arguments (``{"name": ..., "from_logits": true}``)."""
    if not isinstance(loss, dict):
        return keras.losses.get(loss)
    arguments = dict(loss)
    name = str(arguments.pop("name"))
    name = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "bce": "binary_crossentropy",
            "cce": "categorical_crossentropy"}.get(name, name)
    wanted = name.replace("_", "").lower()
    class_name = next((n for n in dir(keras.losses) if n.lower() == wanted and isinstance(getattr(keras.losses, n), type)),
                      name)
    return keras.losses.get({"class_name": class_name, "config": arguments})


def _as_rank_of(model, y):
    """``y`` shaped ``(n, 1)`` when it is ``(n,)`` and the model has one output of one unit."""
    try:
        outputs = model.outputs
    except AttributeError:
        return y
    if y.ndim == 1 and outputs and len(outputs) == 1 and len(outputs[0].shape) == 2 and outputs[0].shape[-1] == 1:
        return y.reshape(-1, 1)
    return y


def _configure_device(wanted):
    """Hide GPUs for a CPU run; let memory grow on a GPU run. Returns what is used, in words."""
    if wanted == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
        return "CPU"
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        tf.config.experimental.set_memory_growth(gpu, True)
    if not gpus:
        return "CPU (no GPU visible to TensorFlow)"
    details = tf.config.experimental.get_device_details(gpus[0])
    return f"GPU: {details.get('device_name', gpus[0].name)}"


def _number(value):
    if value is None:
        return None
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None
