#!/usr/bin/env bash
# Build the separate virtual environment with nbgrader and otter-grader for benchmarks/bench_others.py.
#
#     benchmarks/others/setup.sh [VENV] [MAIN_PYTHON]
#
# VENV (default /tmp/grader-bench-others) is created from scratch (an existing one is removed).
# MAIN_PYTHON (default the project's .venv/bin/python, as README command 1 makes it, or
# $MAIN_PYTHON) is the grader's own environment: the notebooks' libraries (TensorFlow, Keras, NumPy,
# pandas, Matplotlib, h5py, and scikit-learn with SciPy, which Actividad 2's airlineUtils and its
# students' RMSE import) are pinned to the versions installed there, so every tool runs the
# students' code on the same stack.
# Nothing here touches the grader's environment or pyproject.toml.
#
# Prints the install time and the venv's size at the end (the figures for benchmarks/RESULTS.md).
# PIP_NO_CACHE_DIR=1 measures a cold install (every wheel fetched from the package index).
set -euo pipefail

VENV=${1:-/tmp/grader-bench-others}
MAIN_PYTHON=${2:-${MAIN_PYTHON:-$(cd "$(dirname "$0")/../.." && pwd)/.venv/bin/python}}
NBGRADER_VERSION=${NBGRADER_VERSION:-0.9.6}
OTTER_VERSION=${OTTER_VERSION:-7.0.0}

# The notebook stack, at the main environment's versions ("name==version" lines).
PINS=$("$MAIN_PYTHON" - <<'EOF'
from importlib.metadata import version, PackageNotFoundError
for name in ["tensorflow-cpu", "tensorflow", "keras", "numpy", "pandas", "matplotlib", "h5py", "ml-dtypes",
             "scikit-learn", "scipy"]:
    try:
        print(f"{name}=={version(name)}")
    except PackageNotFoundError:
        pass
EOF
)
BASE_PYTHON=$("$MAIN_PYTHON" -c 'import sys, os; print(os.path.join(sys.base_prefix, "bin", "python3"))')

SECONDS=0  # bash counts the seconds from here
rm -rf "$VENV"
"$BASE_PYTHON" -m venv "$VENV"
pip_install() {  # quiet, without the warnings a local package index prints for every name it lacks
    "$VENV/bin/python" -m pip install --quiet "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
pip_install --upgrade pip
# shellcheck disable=SC2086
pip_install "nbgrader==$NBGRADER_VERSION" "otter-grader==$OTTER_VERSION" ipykernel $PINS
# A kernel of this venv, installed inside it: both tools execute the notebooks with it.
"$VENV/bin/python" -m ipykernel install --prefix "$VENV" --name python3 --display-name "Python 3 (bench-others)" >/dev/null
elapsed=$SECONDS

size=$(du -sm "$VENV" | cut -f1)
echo "pinned: $(echo $PINS | tr '\n' ' ')"
"$VENV/bin/python" -m pip list 2>/dev/null | grep -i -E '^(nbgrader|otter-grader|tensorflow[-_]cpu|tensorflow|keras|nbclient|nbconvert) ' | tr -s ' ' | paste -sd ',' -
echo "setup: $elapsed s, $size MiB in $VENV"
