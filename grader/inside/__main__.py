"""``python -m grader_inside MANIFEST.json``: run what the manifest's ``program`` names.

``script`` and ``notebook`` run a student's file (:mod:`grader_inside.harness`,
:mod:`grader_inside.notebook`); ``reference`` builds a rubric's reference models
(:mod:`grader_inside.reference`); ``train`` trains one exported architecture with the
manifest's framework (``grader_inside.<framework>.train``).
"""

import importlib
import json
import os
import shutil
import sys


def seed_caches():
    """Copy the caches the grader built once (matplotlib's font list) into this run's fresh home."""
    seeded = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "matplotlib")
    if not os.path.isdir(seeded):
        return
    target = os.path.join(os.path.expanduser("~"), ".cache", "matplotlib")
    try:
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(seeded):
            if not os.path.exists(os.path.join(target, name)):
                shutil.copyfile(os.path.join(seeded, name), os.path.join(target, name))
    except OSError:
        pass  # matplotlib builds its own


def main(manifest_path):
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    program = manifest["program"]
    if program == "script":
        from grader_inside.harness import run_script

        source = os.path.abspath(manifest["source"])
        sys.path[0] = os.path.dirname(source)  # as if the student had run ``python SCRIPT``
        run_script(manifest)
        from grader_inside.records import Records

        Records(manifest["progress"]).write({"finished": True})  # absent when the script died early
        return 0
    if program == "notebook":
        from grader_inside.notebook import main as run_notebook

        return run_notebook(manifest, manifest_path)
    if program == "reference":
        from grader_inside.reference import main as build_references

        return build_references(manifest)
    if program == "train":
        return importlib.import_module(f"grader_inside.{manifest['framework']}.train").main(manifest)
    raise SystemExit(f"grader_inside: unknown program {program!r}")


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    seed_caches()
    from grader_inside.ending import leave

    leave(main(sys.argv[1]))
