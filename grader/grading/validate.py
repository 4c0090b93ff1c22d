"""``grader validate``: is a course's rubric sound before any student is graded with it?

For each rubric: it loads (schema errors name the file and line), every resource (course data)
it lists is present, the modules of its ``environment:`` are installed, every reference model builds
and every layer a check names exists in it, each model's derived totals agree with the handout's
figures the rubric states (``expect_total``), the reference solution itself scores full marks when
graded as a submission (its trained metrics are printed, so the instructor sees what every relative
bound is relative to), and an empty
submission scores zero. This is what a course repository runs in CI.
The reference solution is a script that builds each reference model into its variable: checks
that judge what the code did with its models (saved and loaded one, trained it, averaged an
ensemble, built a GAN from the very generator) are left out of that expectation, and the report
lists them.

The reference solution is a generated submission that builds every reference model into the
variable the rubric grades, in the file it is tied to (``file: ej01.ipynb`` gives a notebook
``ej01.ipynb``), trained with the ``fit()`` arguments and as many times as the rubric's
``fit_call`` and ``loop_models`` checks ask. Checks that read what only a student's code holds
(``uses``, ``reported_value``) cannot be shown by it: they are listed, not counted. A check that
cannot run because a data set is missing on this machine is reported to the instructor with the
command that fetches it.

Example::

    >>> report = validate_rubric(Path("rubrics/actividad2.yaml"))    # doctest: +SKIP
    >>> report.ok, report.notes[-1]                                   # doctest: +SKIP
    (True, 'an empty submission scores 0/32')
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import InputError
from grader.grading.results import GradedSubmission
from grader.options import GradingOptions

EMPTY_SUBMISSION = "# An empty submission: it must score zero.\n"


@dataclass
class RubricReport:
    """What validating one rubric found: ``problems`` (each one line) make it fail."""

    path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def rubric_files(target: Path) -> list[Path]:
    """The rubric at ``target``, or every ``*.yaml``/``*.yml`` directly inside the folder ``target``."""
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise InputError(target, "no such file or folder", "give a rubric file or the folder that holds them")
    found = sorted(p for p in target.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    if not found:
        raise InputError(target, "holds no rubric (*.yaml)", "give the folder with the course's rubrics")
    return found


def validate_rubric(path: Path, options: GradingOptions | None = None, *, sandbox=None, executor=None) -> RubricReport:
    """Validate one rubric; never raises for a problem in the rubric or its references.

    ``executor`` (a :class:`grader.batch.cluster.RayExecutor`, say) grades the two trial
    submissions; by default they are graded here.
    """
    from grader.expectations.reference import reference_cards
    from grader.grading.grade import check_points
    from grader.grading.rubric import load_rubric

    options = options or GradingOptions()
    report = RubricReport(Path(path))
    try:
        rubric = load_rubric(path)
        report.notes.append(f"loads: {len(rubric.activities)} activities, "
                            f"{sum(len(a.checks) for a in rubric.activities)} checks, {rubric.max_score:g} points")
        report.notes.append(f"{len(rubric.resources)} resource file(s) present")
        if rubric.environment is not None:
            missing = rubric.environment.missing()
            if missing:
                report.problems.extend(f"{rubric.path}: {m.line()}" for m in missing)
                return report
            report.notes.append(f"its environment is installed: {rubric.environment.describe()}")
        from grader.data.offline import offline_files
        from grader.i18n import text

        for problem in offline_files(rubric.offline).problems:  # a CI machine has no data sets: not a failure
            report.notes.append(text("offline.warning", "en", **problem["fields"]))
        references = reference_cards(rubric, sandbox=sandbox)
        check_points(rubric, references)
        report.notes.append(f"{len(references)} reference model(s) build")
        for model_id, spec in rubric.models.items():
            _figures(report, rubric, spec, references[model_id])
        if report.problems:
            return report
    except InputError as exc:
        report.problems.append(exc.one_line())
        return report
    excused = _without_data(rubric, report)
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as folder:
        folder = Path(folder)
        empty = folder / "empty.py"
        empty.write_text(EMPTY_SUBMISSION, encoding="utf-8")
        trials = [(_with_reference_files(rubric), reference_solution(rubric, references, folder / "reference")),
                  (rubric, empty)]
        solution, empty_result = _grade_all(trials, references, options, sandbox, executor, folder)
        _trained(report, solution)
        _expect(report, "the reference solution", solution, full=True, rubric=rubric, excused=excused)
        _expect(report, "an empty submission", empty_result, full=False, rubric=rubric)
    return report


def _figures(report: RubricReport, rubric, spec, card) -> None:
    """The model's derived totals, and each figure of the handout the rubric states against them."""
    counts = {"total": card.total_params, "trainable": card.trainable_params,
              "non_trainable": card.non_trainable_params}
    stated = "; ".join(f"handout {name.replace('_', '-')} {value:,} {'agrees' if counts[name] == value else 'DIFFERS'}"
                       for name, value in spec.expect.items())
    role = ", an example" if spec.example else ""
    report.notes.append(f"model {spec.id} ({spec.build}{role}): {counts['total']:,} parameters "
                        f"({counts['trainable']:,} trainable, {counts['non_trainable']:,} non-trainable)"
                        + (f"; {stated}" if stated else ""))
    for name, value in spec.expect.items():
        if counts[name] != value:
            report.problems.append(
                f"{rubric.path}: model {spec.id!r}: the reference {spec.build} has {counts[name]:,} "
                f"{name.replace('_', '-')} parameters, the rubric states the handout's expect_{name}: {value:,}. "
                f"Fix: make the reference build the handout's model (or correct the stated figure)")


def _trained(report: RubricReport, result: GradedSubmission) -> None:
    """What each train check measured on the reference solution, and the bound it set from it."""
    for check in result.checks:
        if check.kind != "train" or not isinstance(check.found, dict) or "value" not in check.found:
            continue
        expected = check.expected if isinstance(check.expected, dict) else {}
        line = (f"{check.id}: the reference reaches {expected.get('split', 'test')} {expected.get('metric', '?')} "
                f"{check.found['value']:.4g} after {check.found.get('epochs_run', '?')} epoch(s)")
        if isinstance(expected.get("limit"), (int, float)):
            line += f"; bound {expected['limit']:.4g}"
        if "reference" in expected:
            line += f" ({expected['threshold']['relative']:g} x the reference's {expected['reference']:.4g})"
        elif "baseline" in expected:
            line += f" (better than the {expected['threshold']['better_than']['baseline']} baseline's " \
                    f"{expected['baseline']:.4g})"
        elif "other" in expected:
            line += f" (better than model {expected['other']['model']}'s {expected['other']['value']:.4g})"
        report.notes.append(line)


def reference_solution(rubric, references: dict, folder: Path) -> Path:
    """A submission that builds every reference model into the variable the rubric grades, in the file
    the model is tied to, trained as the rubric's ``fit_call`` and ``loop_models`` checks ask.

    Returns the file, or a folder of files when the rubric's models live in several.
    """
    import nbformat

    by_file: dict[str, list[str]] = {}
    for model_id, spec in rubric.models.items():
        by_file.setdefault(_file_name(spec.files) if spec.files else "reference.py", []).append(
            _model_code(rubric, model_id, references[model_id]))
    folder.mkdir(parents=True, exist_ok=True)
    for name, cells in by_file.items():
        cells = ["# The reference solution of this file, built by grader validate.\nimport numpy as _np\n", *cells]
        if name.endswith(".ipynb"):
            notebook = nbformat.v4.new_notebook()
            notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
            (folder / name).write_text(nbformat.writes(notebook), encoding="utf-8")
        else:
            (folder / name).write_text("\n".join(f"# %%\n{cell}" for cell in cells), encoding="utf-8")
    if list(by_file) == ["reference.py"]:
        return folder / "reference.py"
    return folder


def _file_name(patterns: list[str]) -> str:
    """A file name the first pattern matches (``ej01.ipynb`` itself; ``ej01*.ipynb`` -> ``ej01.ipynb``)."""
    import fnmatch

    name = patterns[0].replace("*", "").replace("?", "x")
    name = re.sub(r"\[([^\]]*)\]", lambda m: (m.group(1).lstrip("!^") or "x")[0], name)
    if not fnmatch.fnmatchcase(name, patterns[0]) or not name.endswith((".py", ".ipynb")):
        name = "reference.py"
    return name


def _model_code(rubric, model_id: str, card) -> str:
    """The cell that builds one reference model (and trains it, when the rubric checks how)."""
    spec = rubric.models[model_id]
    file_name, _, function = spec.build.partition(":")
    module = Path(file_name).with_suffix("").as_posix().replace("/", ".")
    variable = spec.variables[0] if spec.variables else f"model_{model_id}"
    fit, count = {}, 1
    for activity in rubric.activities:
        for check in activity.checks:
            if check.model == model_id and check.kind == "fit_call":
                fit.update(dict(check.settings.expect))
            elif check.model == model_id and check.kind == "loop_models":
                count, fit = check.settings.count, {"batch_size": 1, **fit}
    lines = [f"# {model_id}", f"from {module} import {function} as _build"]
    if not fit:
        return "\n".join([*lines, f"{variable} = _build()", ""])
    x = f"_np.zeros((2, {', '.join(str(d) for d in card.input_shapes[0][1:])}), 'float32')"
    y = f"_np.zeros((2, {', '.join(str(d) for d in card.output_shapes[0][1:])}), 'float32')"
    call = f"{variable}.fit({x}, {y}, batch_size={fit.get('batch_size', 1)}, epochs={fit.get('epochs', 1)}, verbose=0)"
    if count > 1:
        return "\n".join([*lines, f"for _fold in range({count}):", f"    {variable} = _build()", f"    {call}", ""])
    return "\n".join([*lines, f"{variable} = _build()", call, ""])


def _with_reference_files(rubric):
    """``rubric`` with its reference files as resources: they travel beside the reference solution, as
    course files do."""
    extra = [p for p in Path(rubric.reference).iterdir() if p.name != "__pycache__" and not p.name.startswith(".")]
    return dataclasses.replace(rubric, resources=list(rubric.resources) + extra)


def _grade_all(trials: list[tuple], references, options: GradingOptions, sandbox, executor,
               folder: Path) -> list[GradedSubmission]:
    """Each ``(rubric, path)`` trial graded here, or by ``executor`` (a cluster) when one is given."""
    if executor is None:
        from grader.grading.grade import grade_submission

        return [grade_submission(path, rubric, options, sandbox=sandbox, references=references)
                for rubric, path in trials]
    from grader.batch.worker import Job

    jobs = [Job(i, path, rubric, folder / "out" / path.stem, None, options=options, sandbox=sandbox,
                references=references) for i, (rubric, path) in enumerate(trials)]
    results = {outcome.index: outcome.result for outcome in executor.outcomes(jobs)}
    return [results[i] for i in range(len(trials))]


def _without_data(rubric, report: RubricReport) -> set[str]:
    """The train checks whose data set is not on this machine: noted, not held against the rubric
    (``grader data`` lists and fetches what is missing)."""
    from grader.data.prepare import data_status

    try:
        missing = {status.name: status.where for status in data_status(rubric.path) if status.missing}
    except (InputError, ValueError):
        return set()
    excused = {c.id for a in rubric.activities for c in a.checks
               if c.kind == "train" and getattr(c.settings, "protocol", None) is not None
               and c.settings.protocol.data.name in missing}
    for name, where in missing.items():
        report.notes.append(f"data set {name} is not on this machine ({where}): its train checks were not run; "
                            f"'grader data {rubric.path} --download' fetches it")
    return excused


def _on_reference(rubric, check) -> bool:
    """Whether the reference models alone can show ``check`` passing (see ``CheckKind.reference_checkable``)."""
    from grader.checks import check_kind

    spec = next((s for a in rubric.activities for s in a.checks if s.id == check.id), None)
    return spec is None or check_kind(spec.kind).checkable_on_reference(spec.settings)


def _expect(report: RubricReport, what: str, result: GradedSubmission, *, full: bool, rubric=None,
            excused: set[str] = frozenset()) -> None:
    score, max_score = result.score, result.max_score
    unshown = [c for c in result.checks if c.max_points and not _on_reference(rubric, c)] if full else []
    reachable = max_score - sum(c.max_points for c in unshown)
    line = f"{what} scores {score:g}/{max_score:g}"
    if unshown:
        line += (f" ({reachable:g} of them can be shown by reference models; "
                 f"{', '.join(c.id for c in unshown)} read(s) what only a student's code holds)")
    if full and excused:
        reachable -= sum(c.max_points for c in result.checks
                         if c.id in excused and c not in unshown and c.status != "pass")
        line += f" ({reachable:g} without the checks it cannot pass here)"
    # A setup problem the notes already explain (a data set not on this machine) is not the rubric's fault.
    blocked = [c for c in result.checks if c.status == "error" and isinstance(c.found, dict)
               and "setup_problem" in c.found and c.id not in excused]
    setup = [c.found["setup_problem"] for c in blocked]
    if setup:
        names = sorted({c.id for c in blocked})
        report.problems.append(f"{report.path}: {len(names)} check(s) of {what} ({', '.join(names)}) could not "
                               f"run on this machine: {setup[0]}")
        return
    # The reference must pass every check it can show here (those that read only a student's code may pass too).
    if full:
        checks = [c for c in result.checks if c.max_points and c.status not in ("pass", "info")
                  and c not in unshown and c.id not in excused]
        fix = "fix the reference solution (or the check) so that every check passes on it"
    else:
        checks = [c for c in result.checks if c.points]
        fix = "make those checks depend on a model, so that empty code earns nothing"
    if not checks:
        report.notes.append(line)
        return
    execution = result.execution
    ran = "" if execution.status == "ok" else f"; running it: {execution.message}"
    listed = "; ".join(f"{c.id} ({c.message})" for c in checks[:3]) + ("; ..." if len(checks) > 3 else "")
    report.problems.append(f"{report.path}: {line}, expected {reachable if full else 0:g}{ran}. "
                           f"{'Failing' if full else 'Passing'} checks: {listed}. Fix: {fix}")


def print_reports(reports: list[RubricReport], stream) -> None:
    from grader.reports.terminal import printable

    for report in reports:
        print(printable(f"{'ok  ' if report.ok else 'FAIL'} {report.path}"), file=stream)
        for note in report.notes:
            print(printable(f"       {note}"), file=stream)
        for problem in report.problems:
            print(printable(f"  error: {problem}"), file=stream)
