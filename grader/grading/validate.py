"""``grader validate``: is a course's rubric sound before any student is graded with it?

For each rubric: it loads (schema errors name the file and line), every resource (course data)
it lists is present, every reference model builds and every layer a check names exists in it,
the reference solution itself scores full marks when graded as a submission, and an empty
submission scores zero. This is what a course repository runs in CI.

Example::

    >>> report = validate_rubric(Path("rubrics/actividad2.yaml"))    # doctest: +SKIP
    >>> report.ok, report.notes[-1]                                   # doctest: +SKIP
    (True, 'an empty submission scores 0/32')
"""

from __future__ import annotations

import shutil
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
        references = reference_cards(rubric, sandbox=sandbox)
        check_points(rubric, references)
        report.notes.append(f"{len(references)} reference model(s) build")
    except InputError as exc:
        report.problems.append(exc.one_line())
        return report
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as folder:
        folder = Path(folder)
        empty = folder / "empty.py"
        empty.write_text(EMPTY_SUBMISSION, encoding="utf-8")
        trials = [_reference_submission(rubric, folder), empty]
        reference_result, empty_result = _grade_all(rubric, references, trials, options, sandbox, executor, folder)
        _expect(report, "the reference solution", reference_result, full=True)
        _expect(report, "an empty submission", empty_result, full=False)
    return report


def _reference_submission(rubric, folder: Path) -> Path:
    """A submission folder whose script builds every reference model into the variable the rubric
    grades; the reference files travel beside it (in a subfolder, so that only the script runs)."""
    submission = folder / "reference"
    shutil.copytree(rubric.reference, submission / "reference_files",
                    ignore=shutil.ignore_patterns("__pycache__", ".*"))
    cells = ["# Every reference model, built into the variable a student would use.",
             "import sys\nsys.path.insert(0, 'reference_files')"]
    for model_id, spec in rubric.models.items():
        file_name, _, function = spec.build.partition(":")
        module = Path(file_name).with_suffix("").as_posix().replace("/", ".")
        variable = spec.variables[0] if spec.variables else f"model_{model_id}"
        cells.append(f"# %% {model_id}\nfrom {module} import {function} as _build\n{variable} = _build()\n")
    (submission / "reference.py").write_text("\n".join(cells), encoding="utf-8")
    return submission


def _grade_all(rubric, references, paths: list[Path], options: GradingOptions, sandbox, executor,
               folder: Path) -> list[GradedSubmission]:
    if executor is None:
        from grader.grading.grade import grade_submission

        return [grade_submission(path, rubric, options, sandbox=sandbox, references=references) for path in paths]
    from grader.batch.worker import Job

    jobs = [Job(i, path, rubric, folder / "out" / path.stem, None, options=options, sandbox=sandbox,
                references=references) for i, path in enumerate(paths)]
    results = {outcome.index: outcome.result for outcome in executor.outcomes(jobs)}
    return [results[i] for i in range(len(paths))]


def _expect(report: RubricReport, what: str, result: GradedSubmission, *, full: bool) -> None:
    score, max_score = result.score, result.max_score
    line = f"{what} scores {score:g}/{max_score:g}"
    wrong = (score != max_score) if full else (score != 0)
    if not wrong:
        report.notes.append(line)
        return
    if full:
        checks = [c for c in result.checks if c.status != "pass"]
        fix = "fix the reference solution (or the check) so that every check passes on it"
    else:
        checks = [c for c in result.checks if c.points]
        fix = "make those checks depend on a model, so that empty code earns nothing"
    execution = result.execution
    ran = "" if execution.status == "ok" else f"; running it: {execution.message}"
    listed = "; ".join(f"{c.id} ({c.message})" for c in checks[:3]) + ("; ..." if len(checks) > 3 else "")
    report.problems.append(f"{report.path}: {line}, expected {max_score if full else 0:g}{ran}. "
                           f"{'Failing' if full else 'Passing'} checks: {listed}. Fix: {fix}")


def print_reports(reports: list[RubricReport], stream) -> None:
    from grader.reports.terminal import printable

    for report in reports:
        print(printable(f"{'ok  ' if report.ok else 'FAIL'} {report.path}"), file=stream)
        for note in report.notes:
            print(printable(f"       {note}"), file=stream)
        for problem in report.problems:
            print(printable(f"  error: {problem}"), file=stream)
