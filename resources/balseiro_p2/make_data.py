"""Write the Balseiro Práctica 2 pack's data files (deterministic; numpy only). Run from anywhere:

    python resources/balseiro_p2/make_data.py

1. ``pima-indians-diabetes.csv`` -- a **SYNTHETIC** stand-in for the Pima Indians diabetes CSV
   that Ejercicio 6 reads. No copy of the real 768-patient file ships inside a package on PyPI
   (NOTES-packs14.md says where we looked), so this file is generated: same schema as the
   commonly distributed file (768 rows, no header, comma-separated, 9 columns: pregnancies,
   plasma glucose, diastolic blood pressure, triceps skinfold, serum insulin, BMI, diabetes
   pedigree function, age, class 0/1), zeros where values are missing as in the real file,
   values drawn from made-up class-conditional distributions. It is not medical data and its
   accuracies mean nothing. Replace it with the course's own file to grade real submissions.
2. ``train/pima_fold0.npz`` -- the first of 5 folds of that CSV prepared as the report says
   (zeros in glucose, blood pressure, insulin and BMI replaced by the mean of the other patients;
   ``KFold(5)`` without shuffling; standardised with the training part's mean and deviation),
   for a train check in the current rubric format.
3. ``train/xor.npz`` -- the four XOR points, inputs and targets 0/1 (Ejercicio 2-6).
4. ``train/logistic_map.npz`` -- x uniform in [0, 1], target 4 x (1 - x); 50 training and 25
   validation examples, the largest setting of the report (Ejercicio 5).

Files under ``train/`` are for the grader's train checks only; the rubric does not hand them to
students (only the CSV is a course resource).
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 2020  # the report's year; any fixed number would do
N_PATIENTS = 768
FOLDS = 5
COLUMNS = ("embarazos", "glucosa", "presion", "pliegue", "insulina", "imc", "pedigri", "edad", "clase")
# Columns where the report replaces zeros (missing values) by the mean of the other patients.
MEAN_FILLED = (1, 2, 4, 5)


def synthetic_pima(seed: int = SEED) -> np.ndarray:
    """(768, 9) float array with the schema of the Pima CSV. SYNTHETIC: see the module docstring."""
    rng = np.random.default_rng(seed)
    y = (rng.random(N_PATIENTS) < 0.35).astype(float)
    shift = y[:, None]
    # (mean if class 0, extra mean if class 1, deviation, low, high) per feature, invented.
    spec = [(3.0, 1.5, 3.0, 0, 17), (110.0, 30.0, 25.0, 44, 199), (68.0, 4.0, 12.0, 24, 122),
            (27.0, 4.0, 9.0, 7, 99), (110.0, 50.0, 80.0, 14, 846), (30.5, 4.5, 6.5, 18.2, 67.1),
            (0.42, 0.13, 0.30, 0.078, 2.42), (31.0, 6.0, 11.0, 21, 81)]
    x = np.empty((N_PATIENTS, 8))
    for j, (mean, extra, sd, low, high) in enumerate(spec):
        x[:, j] = np.clip(rng.normal(mean + extra * shift[:, 0], sd), low, high)
    for j in (0, 1, 2, 3, 4, 7):
        x[:, j] = np.round(x[:, j])
    x[:, 5] = np.round(x[:, 5], 1)
    x[:, 6] = np.round(x[:, 6], 3)
    # Missing values are zeros in the distributed file; rates invented, skin and insulin often missing.
    for j, rate in ((1, 0.01), (2, 0.05), (3, 0.30), (4, 0.48), (5, 0.015)):
        x[rng.random(N_PATIENTS) < rate, j] = 0
    return np.column_stack([x, y])


def write_csv(data: np.ndarray, path: Path) -> None:
    formats = ["%d", "%d", "%d", "%d", "%d", "%.1f", "%.3f", "%d", "%d"]
    with open(path, "w", newline="\n") as handle:
        for row in data:
            handle.write(",".join(f % v for f, v in zip(formats, row)) + "\n")


def kfold_first_fold(n: int, folds: int = FOLDS) -> tuple[np.ndarray, np.ndarray]:
    """Indices of ``sklearn.model_selection.KFold(folds).split`` 's first fold (no shuffling)."""
    sizes = np.full(folds, n // folds)
    sizes[: n % folds] += 1
    test = np.arange(sizes[0])
    return np.arange(sizes[0], n), test


def prepared_fold(data: np.ndarray) -> dict[str, np.ndarray]:
    x, y = data[:, :8].copy(), data[:, 8:9].astype("float32")
    for j in MEAN_FILLED:
        missing = x[:, j] == 0
        x[missing, j] = x[~missing, j].mean()
    train, test = kfold_first_fold(len(x))
    mean, std = x[train].mean(0), x[train].std(0)
    x = ((x - mean) / std).astype("float32")
    return {"x_train": x[train], "y_train": y[train], "x_test": x[test], "y_test": y[test]}


def xor() -> dict[str, np.ndarray]:
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    y = np.array([[0], [1], [1], [0]], dtype="float32")
    return {"x_train": x, "y_train": y, "x_test": x, "y_test": y}


def logistic_map(n_train: int = 50, n_test: int = 25, seed: int = SEED) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        x = rng.uniform(0, 1, size=(n, 1)).astype("float32")
        arrays[f"x_{split}"], arrays[f"y_{split}"] = x, (4 * x * (1 - x)).astype("float32")
    return arrays


def main() -> None:
    data = synthetic_pima()
    write_csv(data, HERE / "pima-indians-diabetes.csv")
    (HERE / "train").mkdir(exist_ok=True)
    np.savez(HERE / "train" / "pima_fold0.npz", **prepared_fold(np.loadtxt(HERE / "pima-indians-diabetes.csv", delimiter=",")))
    np.savez(HERE / "train" / "xor.npz", **xor())
    np.savez(HERE / "train" / "logistic_map.npz", **logistic_map())


if __name__ == "__main__":
    main()
