"""grader side by side with nbgrader's autograde and otter-grader on one class of Actividad 2.

Generates N submissions (default 40) with ``make_class`` of ``benchmarks/bench_batch.py`` (the
same mix of correct, partial and broken submissions), then grades that one class with:

* grader: ``grade -j 1 --force`` and ``grade -j 2 --force`` (``--skip-grader`` leaves it out),
  in its sandbox, the reference expectations cached beforehand, as bench_batch.py does;
* nbgrader 0.9.6: ``nbgrader autograde actividad2 --force`` on a course built here;
* otter-grader 7.0.0: ``otter run`` once per submission, one after the other. ``otter grade``
  only grades in Docker containers (there is no non-Docker mode in 7.0.0; Docker is not
  available here), and ``otter run`` is otter's documented non-containerized path;

and prints the wall-clock time of each whole command, a per-kind score table for all the tools,
the sanity checks (the correct copies get full marks from every tool) and a Markdown row per
tool for ``benchmarks/RESULTS.md``.

nbgrader and otter-grader live in their own virtual environment, never in the grader's:
``benchmarks/others/setup.sh`` builds it (``--setup`` here runs it first), pinning TensorFlow,
Keras, NumPy, pandas, Matplotlib and h5py to the grader environment's versions, so that every
tool runs the students' code on the same stack. Measured 2026-11-30 on the shared 2-core VM
(busy): 111 s with pip's cache off (``PIP_NO_CACHE_DIR=1``, wheels from the configured index),
161 s on a first run; 2237 MiB (TensorFlow alone 1.3 GiB).

What nbgrader and otter check (the tests are generated here, one per check, 1 point each):
the rubric's ``params``, ``output_shape`` and ``input_shape`` checks (18 of the 32), with the
same ids, expected values derived from ``reference/actividad2/`` by building the reference
models with Keras in the preparation step (nothing typed by hand). The tests run at the end of
the notebook, in its kernel; ``benchmarks/others/bench_checks.py`` says how they find the
student's model and a point of it. Not mirrored: grader's ``layers`` (layer settings between
two points), ``compile``, ``train`` (150 epochs on the airline data), ``runs`` and
``model_found`` checks. The table shows grader's score on all 32 checks and on the 18 mirrored
ones, so the same checks can be compared tool by tool.

How submissions that are not notebooks are handled (grader grades them as they are):
nbgrader and otter grade one notebook per student, so each submission is turned into one
notebook, the same for both tools: a script becomes a one-code-cell notebook (otter would do
the same with a ``.py``; nbgrader cannot grade one at all); a folder submission becomes one
notebook with its notebooks' cells followed by each script as one cell, in name order, run in
one kernel (grader runs the folder's files as they are); a file that is not a notebook is handed
to each tool as it is, and each tool fails on it in its own way (scored 0). A script with a
syntax error at its end therefore scores 0 in nbgrader and otter (its one cell does not compile,
as ``python script.py`` would not run), while grader runs the statements before the error and
grades what they built. For nbgrader every
notebook also gets the released assignment's test cells appended, as if the student had worked
in the released notebook (autograde then restores the cells' source from its gradebook); otter
runs its tests after the last cell by itself. All notebooks get the ``python3`` kernel, the one
setup.sh installs in the tools' environment.

Caveats for reading the times: nbgrader and otter run the notebooks in a plain kernel on the
host (no sandbox, no memory or process limits, the network open, as their non-Docker modes do);
grader runs each submission in its sandbox and also exports the models after every cell and
rebuilds them. nbgrader autograde grades the whole class in one process; otter run is one
process per submission (its start-up, unzipping the autograder and a logging server each time
are part of its time), as a loop over ``otter run`` is how otter grades without Docker. Cell
timeouts: 300 s in grader (the rubric's ``cell_timeout``, plus 600 s a submission) and in
nbgrader (``Execute.timeout``, set to match); ``otter run`` has no timeout setting (none).

    .venv/bin/python benchmarks/bench_others.py --setup -n 3   # build the venv, smoke run
    .venv/bin/python benchmarks/bench_others.py                # 40 submissions, all tools
    .venv/bin/python benchmarks/bench_others.py -n 4 --kinds "correct notebook" "folder submission"
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
OTHERS = BENCHMARKS / "others"
sys.path.insert(0, str(BENCHMARKS))
from bench_batch import MAKERS, RUBRIC, make_class  # noqa: E402  (the same class as bench_batch.py)

ASSIGNMENT = "actividad2"
MIRRORED_KINDS = ("params", "output_shape", "input_shape")
CORRECT_KINDS = ("correct notebook", "correct script", "folder submission")
CELL_TIMEOUT = 300  # seconds, the rubric's limits.cell_timeout
DEFAULT_VENV = Path(tempfile.gettempdir()) / "grader-bench-others"
QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "2"}
WHOLE = {"params": "the whole model", "output_shape": "the model's output", "input_shape": "the model's input"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- expectations, derived from the reference models -------------------------------------------


def derive_specs(rubric_path: Path) -> list[dict]:
    """Build every reference model with Keras; return one spec per mirrored check of the rubric.

    Runs in its own process (``--derive``), so that this one does not hold TensorFlow while the
    tools are timed.
    """
    import yaml

    rubric = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    reference_dir = (rubric_path.parent / rubric["reference"]).resolve()
    sys.path.insert(0, str(reference_dir))
    sys.path.insert(0, str(OTHERS))  # bench_checks measures the reference as the tests measure the student
    built = {}
    specs = []
    for activity in rubric["activities"]:
        for check in activity["checks"]:
            if check["kind"] not in MIRRORED_KINDS:
                continue
            name = check["model"]
            if name not in built:
                built[name] = _build_reference(reference_dir, rubric["models"][name]["build"])
            specs.append(_spec(check, activity["id"], rubric["models"][name], built[name]))
    return specs


def _build_reference(reference_dir: Path, build: str):
    file, function = build.split(":")
    spec = importlib.util.spec_from_file_location(Path(file).stem, reference_dir / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)()


def _spec(check: dict, activity: str, model_entry: dict, model) -> dict:
    """One check as bench_checks.check() takes it, with the expected value measured on ``model``."""
    import bench_checks

    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    point_name = check.get("through") or check.get("at")
    point = None
    if point_name:
        layer = model.get_layer(point_name)
        kind = type(layer).__name__
        point = [kind, [other for other in layers if type(other).__name__ == kind].index(layer) + 1]
    variable = model_entry.get("variable", [])
    spec = {
        "id": check["id"], "activity": activity, "title": check.get("title", ""), "kind": check["kind"],
        "model": check["model"], "variable": [variable] if isinstance(variable, str) else list(variable),
        "kinds": sorted({type(layer).__name__ for layer in layers}), "point": point,
        "where": point_name or WHOLE[check["kind"]],
    }
    count = check.get("count", "total")
    placeholder = {name: 0 for name in ([count] if isinstance(count, str) else count)}
    spec["expected"] = bench_checks.MEASURES[check["kind"]](model, point, placeholder)
    return spec


def load_specs() -> list[dict]:
    finished = subprocess.run([sys.executable, __file__, "--derive"], capture_output=True, text=True,
                              env={**os.environ, **QUIET_TF})
    if finished.returncode != 0:
        raise SystemExit(f"deriving the expectations failed:\n{finished.stderr}")
    return json.loads(finished.stdout)


# --- the class, and the same class as one notebook per student ----------------------------------


def build_class(folder: Path, count: int, kinds: list[str] | None) -> dict[str, str]:
    """Write the class into ``folder``; return {student id: kind}. ``kinds`` keeps only those kinds.

    make_class names submission ``i`` ``s{i:02d}`` (a notebook, a script, a folder or a file).
    """
    if not kinds:
        return {f"s{index:02d}": kind for index, kind in enumerate(make_class(folder, count))}
    unknown = set(kinds) - {kind for kind, _ in MAKERS}
    if unknown:
        raise SystemExit(f"unknown kinds {sorted(unknown)}; known: {[kind for kind, _ in MAKERS]}")
    staging = folder.parent / (folder.name + "-all")
    made = {f"s{index:02d}": kind for index, kind in enumerate(make_class(staging, count * len(MAKERS)))}
    chosen = [student for student, kind in made.items() if kind in kinds][:count]
    folder.mkdir(parents=True, exist_ok=True)
    for path in staging.iterdir():
        if student_of(path) in chosen:
            path.rename(folder / path.name)
    shutil.rmtree(staging)
    return {student: made[student] for student in chosen}


def student_of(path: Path) -> str:
    return path.name.split(".")[0]


def submission_path(folder: Path, student: str) -> Path:
    (path,) = [p for p in folder.iterdir() if student_of(p) == student]
    return path


def as_notebook(path: Path):
    """The submission as one notebook (nbformat 4), or None for a file that is not a notebook.

    A script becomes one code cell; a folder, its notebooks' cells then each script as one cell,
    in name order. Every notebook gets the ``python3`` kernel.
    """
    import nbformat

    if path.is_dir():
        cells = []
        for part in sorted(path.iterdir()):
            inner = as_notebook(part) if part.suffix in (".ipynb", ".py") else None
            cells += inner.cells if inner is not None else []
        notebook = nbformat.v4.new_notebook(cells=cells)
    elif path.suffix == ".py":
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(path.read_text(encoding="utf-8"))])
    else:
        try:
            notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except Exception:  # not JSON, not a notebook: handed to the tools as it is
            return None
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata.setdefault("language_info", {"name": "python"})
    return notebook


def write_notebook(path: Path, source: Path, extra_cells: list | None = None) -> None:
    """Write ``source`` (a submission) as one notebook at ``path``, with ``extra_cells`` at the end."""
    import nbformat

    notebook = as_notebook(source)
    path.parent.mkdir(parents=True, exist_ok=True)
    if notebook is None:
        shutil.copyfile(source, path)
        return
    notebook.cells += copy.deepcopy(extra_cells or [])
    for index, cell in enumerate(notebook.cells):  # unique ids, whatever the sources had
        cell["id"] = f"cell-{index:03d}"
    nbformat.write(notebook, str(path))


# --- the tools ------------------------------------------------------------------------------------


def resources() -> list[Path]:
    """The rubric's resources (airlineUtils.py and the CSV), to put beside every notebook, as the
    grader's own rubric loader reads them (it needs no TensorFlow)."""
    from grader.grading.rubric import load_rubric

    return list(load_rubric(RUBRIC).resources)


def tool_env(venv: Path, work: Path) -> dict[str, str]:
    """The environment the other tools run in: their venv first, its kernel, no user Jupyter config."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(QUIET_TF)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["JUPYTER_PATH"] = str(venv / "share" / "jupyter")  # its python3 kernel before any user one
    env["JUPYTER_CONFIG_DIR"] = str(work / "jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(work / "jupyter-data")
    env["MPLBACKEND"] = "Agg"
    return env


def timed(command: list[str], *, cwd: Path, env: dict[str, str], output: Path) -> tuple[float, int]:
    """Run ``command``; return (wall seconds, exit status). Its output goes to ``output``."""
    with open(output, "ab") as sink:
        started = time.perf_counter()
        finished = subprocess.run(command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        return time.perf_counter() - started, finished.returncode


def nbgrader_test_cell(spec: dict):
    """An autograder-tests cell (1 point) of the nbgrader source notebook for one check."""
    import nbformat

    source = (f"# {spec['id']}: {spec['title']} (grader's {spec['kind']} check at {spec['where']})\n"
              "from bench_checks import check\n"
              f"check(globals(), {spec_literal(spec)})\n")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "task": False,
                                 "grade_id": spec["id"], "points": 1, "schema_version": 3}
    return cell


def spec_literal(spec: dict) -> str:
    keep = ("id", "kind", "variable", "kinds", "point", "expected")
    return repr({key: spec[key] for key in keep})


def prepare_nbgrader(work: Path, specs: list[dict], students: dict[str, Path], venv: Path) -> tuple[Path, float]:
    """A course in ``work/nbgrader``: source with the tests, the release, every student's submission.

    Returns the course folder and the seconds ``nbgrader generate_assignment`` took (a one-off
    instructor step, not part of the grading time).
    """
    import nbformat

    course = work / "nbgrader"
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        f"c.Execute.timeout = {CELL_TIMEOUT}  # per cell, the rubric's cell_timeout\n", encoding="utf-8")
    intro = nbformat.v4.new_markdown_cell("# Actividad 2: autograder tests (generated by benchmarks/bench_others.py)")
    notebook = nbformat.v4.new_notebook(cells=[intro] + [nbgrader_test_cell(spec) for spec in specs])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(source / f"{ASSIGNMENT}.ipynb"))
    for support in resources() + [OTHERS / "bench_checks.py"]:
        shutil.copy(support, source / support.name)

    env = tool_env(venv, work)
    seconds, status = timed([str(venv / "bin" / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"],
                            cwd=course, env=env, output=work / "nbgrader-generate.log")
    if status != 0:
        raise SystemExit(f"nbgrader generate_assignment failed; see {work / 'nbgrader-generate.log'}")
    release = nbformat.read(str(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    tests = [cell for cell in release.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    for student, path in students.items():
        write_notebook(course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", path, tests)
    return course, seconds


def run_nbgrader(course: Path, work: Path, venv: Path) -> float:
    seconds, status = timed([str(venv / "bin" / "nbgrader"), "autograde", ASSIGNMENT, "--force"],
                            cwd=course, env=tool_env(venv, work), output=work / "nbgrader-autograde.log")
    if status != 0:  # it goes on past a notebook it cannot read, then exits 1
        log(f"nbgrader autograde exited {status} (see {work / 'nbgrader-autograde.log'})")
    return seconds


NBGRADER_SCORES = """
import json, sys
from nbgrader.api import Gradebook, MissingEntry
scores = {}
with Gradebook(sys.argv[1]) as gradebook:
    for student in gradebook.students:
        try:
            notebook = gradebook.find_submission_notebook(sys.argv[2], sys.argv[2], student.id)
        except MissingEntry:
            continue
        if all(grade.auto_score is None for grade in notebook.grades):
            continue  # autograde failed on it (removed from autograded/): not graded
        scores[student.id] = {grade.name: (grade.score or 0) >= grade.max_score for grade in notebook.grades}
print(json.dumps(scores))
"""


def nbgrader_results(course: Path, work: Path, venv: Path) -> dict[str, dict[str, bool]]:
    """{student: {check id: passed}} from the gradebook."""
    finished = subprocess.run([str(venv / "bin" / "python"), "-c", NBGRADER_SCORES,
                               f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT],
                              capture_output=True, text=True, env=tool_env(venv, work), check=True)
    return json.loads(finished.stdout)


OTTER_TEST = '''"""{id}: {title} (grader's {kind} check at {where}). Generated by benchmarks/bench_others.py."""

from otter.test_files import test_case

OK_FORMAT = False  # otter's exception-based format
name = {id!r}


@test_case(points=1)
def {function}(env):
    from bench_checks import check
    check(env, {literal})
'''


def prepare_otter(work: Path, specs: list[dict], students: dict[str, Path], venv: Path) -> tuple[Path, float]:
    """An otter assignment in ``work/otter``: one test file per check, autograder.zip, the notebooks.

    Returns the folder and the seconds ``otter generate`` took (a one-off step, not timed as grading).
    """
    folder = work / "otter"
    tests = folder / "tests"
    tests.mkdir(parents=True)
    for spec in specs:
        function = spec["id"].replace("-", "_")
        (tests / f"{function}.py").write_text(OTTER_TEST.format(
            function=function, literal=spec_literal(spec), **spec), encoding="utf-8")
    supports = resources() + [OTHERS / "bench_checks.py"]
    for support in supports:
        shutil.copy(support, folder / support.name)
    (folder / "otter_config.json").write_text(json.dumps({"print_summary": False}), encoding="utf-8")
    command = [str(venv / "bin" / "otter"), "generate", "-t", "tests", "-o", "autograder.zip",
               "--no-requirements", "--no-environment"] + [support.name for support in supports]
    seconds, status = timed(command, cwd=folder, env=tool_env(venv, work), output=work / "otter-generate.log")
    if status != 0:
        raise SystemExit(f"otter generate failed; see {work / 'otter-generate.log'}")
    for student, path in students.items():
        write_notebook(folder / "submissions" / f"{student}.ipynb", path)
    return folder, seconds


def run_otter(folder: Path, work: Path, venv: Path) -> float:
    """``otter run`` on every notebook, one after the other; the wall time of the whole loop."""
    env = tool_env(venv, work)
    started = time.perf_counter()
    for notebook in sorted((folder / "submissions").iterdir()):
        out = folder / "results" / notebook.stem
        out.mkdir(parents=True)
        seconds, status = timed([str(venv / "bin" / "otter"), "run", "-a", "autograder.zip", "-o", str(out),
                                 "--no-logo", str(notebook)], cwd=folder, env=env, output=out / "otter-run.log")
        log(f"  otter run {notebook.name}: {seconds:.1f} s" + (f", exit {status}" if status else ""))
    return time.perf_counter() - started


def otter_results(folder: Path) -> dict[str, dict[str, bool]]:
    """{student: {check id: passed}} from each results.json (none when otter run failed)."""
    scores = {}
    for out in sorted((folder / "results").iterdir()):
        results = out / "results.json"
        if results.exists():
            tests = json.loads(results.read_text(encoding="utf-8")).get("tests", [])
            scores[out.name] = {test["name"]: test.get("score", 0) >= test.get("max_score", 1) for test in tests
                                if "max_score" in test}
    return scores


def run_grader(folder: Path, out: Path, jobs: int, work: Path) -> float:
    command = [sys.executable, "-m", "grader.cli", "grade", str(folder), "--rubric", str(RUBRIC),
               "--out", str(out), "-j", str(jobs), "--force"]
    seconds, status = timed(command, cwd=ROOT, env={**os.environ, **QUIET_TF}, output=work / f"grader-j{jobs}.log")
    if status != 0:
        raise SystemExit(f"grade -j {jobs} failed ({status}); see {work / f'grader-j{jobs}.log'}")
    return seconds


def grader_results(out: Path) -> tuple[dict[str, dict[str, bool]], dict[str, float]]:
    """({student: {check id: passed}}, {student: percent}) from grader's results.json files."""
    checks, percent = {}, {}
    for results in sorted((out / ASSIGNMENT).glob("*/results.json")):
        data = json.loads(results.read_text(encoding="utf-8"))
        student = results.parent.name
        checks[student] = {check["id"]: check["status"] == "pass" for check in data.get("checks", [])}
        percent[student] = 100 * data["score"] / data["max_score"] if data.get("max_score") else 0.0
    return checks, percent


def cache_grader_expectations() -> None:
    """Cache the reference expectations before timing grader, as bench_batch.py does."""
    subprocess.run([sys.executable, "-c", "from grader.grading.rubric import load_rubric;"
                    "from grader.expectations.reference import reference_cards;"
                    f"reference_cards(load_rubric({str(RUBRIC)!r}))"], check=True, env={**os.environ, **QUIET_TF})


# --- the report -----------------------------------------------------------------------------------


def tool_versions(venv: Path) -> dict[str, str]:
    finished = subprocess.run([str(venv / "bin" / "python"), "-c",
                               "import nbgrader, otter; print(nbgrader.__version__, otter.__version__)"],
                              capture_output=True, text=True)
    nbgrader, otter = finished.stdout.split() if finished.returncode == 0 else ("?", "?")
    return {"nbgrader": nbgrader, "otter": otter}


def mirrored_passed(results: dict[str, bool] | None, specs: list[dict]) -> int:
    """How many of the mirrored checks passed (0 for a submission the tool could not grade)."""
    return sum(bool((results or {}).get(spec["id"])) for spec in specs)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _count(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def print_kind_table(kinds: dict[str, str], specs: list[dict], scores: dict[str, dict],
                     percent: dict[str, float]) -> None:
    """One row per kind of submission: each tool's mean, on the mirrored checks (and grader's on all of its)."""
    total = len(specs)
    tools = list(scores)
    header = ["kind", "n"] + (["grader, all checks"] if percent else []) + [f"{tool} ({total} checks)"
                                                                          for tool in tools]
    print("| " + " | ".join(header) + " |")
    print("|---|---:|" + "---:|" * (len(header) - 2))
    for kind in dict.fromkeys(kinds.values()):
        students = [student for student, other in kinds.items() if other == kind]
        cells = [kind, str(len(students))]
        if percent:
            cells.append(f"{_mean([percent.get(student, 0.0) for student in students]):.0f}%")
        for tool in tools:
            mean = _mean([mirrored_passed(scores[tool].get(student), specs) for student in students])
            cells.append(f"{_count(mean)}/{total}")
        print("| " + " | ".join(cells) + " |")


def print_differences(kinds: dict[str, str], specs: list[dict], scores: dict[str, dict]) -> None:
    """Where a tool's verdict on a mirrored check differs from grader's, submission by submission."""
    if "grader" not in scores:
        return
    lines = []
    for student, kind in kinds.items():
        ours = scores["grader"].get(student) or {}
        for tool in [tool for tool in scores if tool != "grader"]:
            theirs = scores[tool].get(student)
            if theirs is None:
                lines.append(f"- {student} ({kind}): {tool} could not grade it (0 points)")
                continue
            only_ours = [spec["id"] for spec in specs if ours.get(spec["id"]) and not theirs.get(spec["id"])]
            only_theirs = [spec["id"] for spec in specs if theirs.get(spec["id"]) and not ours.get(spec["id"])]
            if only_ours:
                lines.append(f"- {student} ({kind}): {tool} fails {len(only_ours)} that grader passes: "
                             + ", ".join(only_ours))
            if only_theirs:
                lines.append(f"- {student} ({kind}): {tool} passes {len(only_theirs)} that grader fails: "
                             + ", ".join(only_theirs))
    print("\nMirrored checks where a tool's verdict differs from grader's:")
    print("\n".join(lines) if lines else "- none")


def sanity(kinds: dict[str, str], specs: list[dict], scores: dict[str, dict], percent: dict[str, float]) -> list[str]:
    """The correct copies must get every mirrored check from every tool, and 100% from grader."""
    problems = []
    for student, kind in kinds.items():
        if kind not in CORRECT_KINDS:
            continue
        for tool, results in scores.items():
            passed = mirrored_passed(results.get(student), specs)
            if passed != len(specs):
                problems.append(f"{tool} gave {student} ({kind}) {passed}/{len(specs)}")
        if percent and percent.get(student, 0.0) < 100:
            problems.append(f"grader gave {student} ({kind}) {percent.get(student, 0.0):.0f}%")
    return problems


def print_rows(times: dict[str, float], kinds: dict[str, str], specs: list[dict], scores: dict[str, dict]) -> None:
    """One Markdown row per tool, for benchmarks/RESULTS.md (a submission a tool could not grade counts 0)."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    count = len(kinds)
    print("\n| date | tool | submissions | wall (s) | s/submission | mean of the mirrored checks | machine |")
    print("|---|---|---:|---:|---:|---:|---|")
    for tool, seconds in times.items():
        results = scores["grader" if tool.startswith("grade ") else tool.split()[0]]
        mean = _mean([mirrored_passed(results.get(student), specs) for student in kinds])
        print(f"| {dt.date.today()} | {tool} | {count} | {seconds:.1f} | {seconds / count:.1f} "
              f"| {mean:.1f}/{len(specs)} | {machine} |")


# --- main -----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=40, help="submissions to generate (default 40)")
    parser.add_argument("--kinds", nargs="+", metavar="KIND",
                        help="keep only these kinds of submission (names as in bench_batch.MAKERS)")
    parser.add_argument("--tools", nargs="+", choices=["grader", "nbgrader", "otter"],
                        default=["grader", "nbgrader", "otter"], help="tools to run (default all three)")
    parser.add_argument("--skip-grader", action="store_true", help="leave grader out (same as --tools nbgrader otter)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="grader's worker counts (default 1 2)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV,
                        help=f"the environment with nbgrader and otter-grader (default {DEFAULT_VENV})")
    parser.add_argument("--setup", action="store_true", help="(re)build that environment first with others/setup.sh")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep it (class, course, logs, results) instead of a temporary folder")
    parser.add_argument("--derive", action="store_true", help=argparse.SUPPRESS)  # internal: print the specs
    args = parser.parse_args()
    if args.skip_grader:
        args.tools = [tool for tool in args.tools if tool != "grader"]
    if args.count < 1:
        parser.error(f"--count must be at least 1, got {args.count}")
    return args


def setup(venv: Path) -> None:
    log(f"building {venv} with benchmarks/others/setup.sh ...")
    subprocess.run(["bash", str(OTHERS / "setup.sh"), str(venv), sys.executable], check=True)


def run(args: argparse.Namespace, work: Path) -> int:
    others = [tool for tool in args.tools if tool != "grader"]
    if others and not (args.venv / "bin" / "otter").exists():
        raise SystemExit(f"no nbgrader/otter environment at {args.venv}: run with --setup "
                         f"(or benchmarks/others/setup.sh {args.venv})")
    kinds = build_class(work / "class", args.count, args.kinds)
    students = {student: submission_path(work / "class", student) for student in kinds}
    log(f"{len(kinds)} submissions: " + ", ".join(f"{list(kinds.values()).count(k)} {k}"
                                                  for k in dict.fromkeys(kinds.values())))
    specs = load_specs()
    log(f"{len(specs)} checks mirrored, derived from the reference models: " + " ".join(s["id"] for s in specs))

    times, scores, percent, preparation = {}, {}, {}, []
    versions = tool_versions(args.venv) if others else {}
    if "nbgrader" in others:
        course, seconds = prepare_nbgrader(work, specs, students, args.venv)
        preparation.append(f"nbgrader generate_assignment {seconds:.1f} s")
    if "otter" in others:
        otter_folder, seconds = prepare_otter(work, specs, students, args.venv)
        preparation.append(f"otter generate {seconds:.1f} s")
    if preparation:
        log("preparation, not timed: " + ", ".join(preparation))

    if "grader" in args.tools:
        cache_grader_expectations()
        for jobs in args.jobs:
            out = work / f"grader-j{jobs}"
            times[f"grade -j {jobs} --force"] = run_grader(work / "class", out, jobs, work)
            log(f"grade -j {jobs}: {times[f'grade -j {jobs} --force']:.1f} s")
            if "grader" not in scores:
                scores["grader"], percent = grader_results(out)
    if "nbgrader" in others:
        label = f"nbgrader {versions['nbgrader']} autograde --force"
        times[label] = run_nbgrader(course, work, args.venv)
        log(f"{label}: {times[label]:.1f} s")
        scores["nbgrader"] = nbgrader_results(course, work, args.venv)
    if "otter" in others:
        label = f"otter {versions['otter']} run, per submission (no Docker)"
        times[label] = run_otter(otter_folder, work, args.venv)
        log(f"{label}: {times[label]:.1f} s")
        scores["otter"] = otter_results(otter_folder)

    print(f"\n{len(kinds)} submissions; {len(specs)} mirrored checks (params, output_shape, input_shape); "
          "grader's own score is on all its checks.")
    if others:
        print("nbgrader and otter grade each submission as one notebook (a script: one cell; a folder: its "
              "notebooks' cells, then its scripts, in name order); grader grades the files as they are.")
        print(f"Preparation (one-off, not in the times): {', '.join(preparation)}.")
    print()
    print_kind_table(kinds, specs, scores, percent)
    print_differences(kinds, specs, scores)
    print_rows(times, kinds, specs, scores)
    problems = sanity(kinds, specs, scores, percent)
    print("\nsanity: " + ("the correct copies get full marks from every tool" if not problems else "FAILED"))
    for problem in problems:
        print(f"- {problem}")
    return 1 if problems else 0


def main() -> None:
    args = parse_args()
    if args.derive:
        print(json.dumps(derive_specs(RUBRIC)))
        return
    if args.setup:
        setup(args.venv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        if any(args.keep.iterdir()):
            raise SystemExit(f"--keep {args.keep}: the folder is not empty")
        sys.exit(run(args, args.keep.resolve()))
    with tempfile.TemporaryDirectory(prefix="bench-others-") as tmp:
        sys.exit(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
