"""Command line: ``grader check`` for one submission, ``grade`` for a folder of them.

    grader check mynotebook.ipynb                 # students, before handing in
    grade submissions/                            # instructors: every assignment, every student
    grade submissions/actividad2 --rubric rubrics/actividad2.yaml --out reports/
    grader validate rubrics/                      # course CI: every rubric is sound
    grader data rubrics/ --download               # before grading: fetch the data sets train checks use

Exit codes: ``check`` returns 0 when every check passes, 1 when some fail, 2 on a usage or
input error. ``grade`` returns 0 when every submission was graded (whatever the students
scored), 2 on a usage or input error (a rubric or reference that cannot be used), 3 when the
grader itself failed on some submission (their reports say so; running again retries them).
``validate`` returns 0 when every rubric is sound, 1 when some is not; ``data`` returns 0 when
every data set is ready, 1 when some is missing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grader import __version__
from grader.errors import InputError

EXIT_OK, EXIT_FAILED_CHECKS, EXIT_USAGE, EXIT_GRADER_FAILED = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader", description="Grade deep-learning coursework.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="grade one notebook, script or folder")
    check.add_argument("path", type=Path, help="a .ipynb, a .py, or a folder holding several")
    check.add_argument("--rubric", type=Path, help="the rubric (default: from the notebook, the folder, or ./rubrics)")
    check.add_argument("--json", type=Path, help="where to write results.json")
    check.add_argument("--html", type=Path, help="where to write report.html")
    _limit_arguments(check)
    check.add_argument("--lang", choices=("en", "es"), help="language of the messages (default: the rubric's)")
    check.add_argument("--legacy-keras", action="store_true", default=None,
                       help="run Keras 1/2 code through the translation layer so its architecture can be graded")
    check.add_argument("--junit", type=Path, metavar="FILE", help="also write the checks as JUnit XML")
    check.add_argument("--gradescope", type=Path, metavar="FILE",
                       help="also write Gradescope's results.json (e.g. /autograder/results/results.json)")
    check.set_defaults(run=run_check)

    grade = commands.add_parser("grade", help="grade every submission in a folder")
    _grade_arguments(grade)
    grade.set_defaults(run=run_grade)

    validate = commands.add_parser("validate", help="check that rubrics are sound (for a course's CI)")
    validate.add_argument("path", type=Path, nargs="?", default=Path("rubrics"),
                          help="a rubric, or a folder of them (default: rubrics/)")
    validate.add_argument("--timeout", type=_seconds, help="wall-clock limit per trial submission, in seconds")
    validate.add_argument("--sandbox", choices=("auto", "bwrap", "process", "none"), default="auto",
                          help="isolation for the trial submissions (see grade --help)")
    validate.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto",
                          help="where train checks train (see grade --help)")
    validate.set_defaults(run=run_validate)

    data = commands.add_parser("data", help="show (and fetch) the data sets the rubrics' train checks use")
    data.add_argument("path", type=Path, nargs="?", default=Path("rubrics"),
                      help="a rubric, or a folder of them (default: rubrics/)")
    data.add_argument("--download", action="store_true",
                      help="fetch missing Keras data sets into the local cache (needs network; grading never does)")
    data.set_defaults(run=run_data)

    args = parser.parse_args(argv)
    return _guarded(args.run, args)


def grade_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grade", description="Grade every submission in a folder.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    _grade_arguments(parser)
    return _guarded(run_grade, parser.parse_args(argv))


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="submissions/ (one folder per assignment) or one assignment's folder")
    parser.add_argument("--rubric", type=Path, help="the rubric, when DIR is one assignment's folder")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="where reports go (default: reports/)")
    _limit_arguments(parser)
    _batch_arguments(parser)


def _limit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=_seconds, help="wall-clock limit per submission, in seconds")
    parser.add_argument("--memory", type=_size, help="memory limit per submission, e.g. 2G (default: the rubric's, or 4G)")
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "process", "none"), default="auto",
                        help="isolation of student code (default auto = bwrap, refusing to grade without it; "
                             "process = limits only; none = debugging only); see docs/security.md")
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto",
                        help="where train checks train (default auto: a GPU when one is visible, else the CPU)")
    parser.add_argument("--full", action="store_true",
                        help="run the code's own fit() calls as written (default: capped as the rubric's fit_cap says)")


def _batch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_count, metavar="N",
                        help="submissions graded at once (default: one per GPU, else one per CPU)")
    parser.add_argument("--force", action="store_true",
                        help="regrade every submission, even those unchanged since the last run")
    parser.add_argument("--junit", type=Path, metavar="FILE", help="also write the results as JUnit XML")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def _size(text: str) -> int:
    from grader.sandbox.limits import MINIMUMS, describe, parse_size

    try:
        size = parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if size < MINIMUMS["memory"]:
        raise argparse.ArgumentTypeError(f"must be at least {describe('memory', MINIMUMS['memory'])} "
                                         f"(TensorFlow needs that to start), got {text}")
    return size


def _sandbox(requested: str):
    """The isolation level, or a one-line error that says why the strong one is unavailable."""
    from grader.sandbox.levels import SandboxUnavailable, choose_sandbox

    try:
        sandbox = choose_sandbox(requested)
    except SandboxUnavailable as exc:
        raise InputError(None, f"cannot isolate student code: {exc.why}",
                         f"{exc.fix}. See docs/security.md") from None
    if sandbox.level == "none":
        _say("WARNING: --sandbox none runs student code with YOUR rights, without limits: it can read, "
              "change or delete your files and reach the network. Use it only to debug the grader, "
              "never on submissions you did not write.", file=sys.stderr)
    elif sandbox.level == "process":
        _say("warning: --sandbox process: student code runs with limits but can read this machine's files "
              "and use its network.", file=sys.stderr)
    return sandbox


def _device(requested: str) -> str:
    """The device train checks use, checked now: ``gpu`` without a usable GPU is a one-line error."""
    from grader.sandbox.devices import choose_device

    try:
        return choose_device(requested).kind
    except ValueError as exc:
        raise InputError(None, str(exc), "use --device cpu or --device auto") from None


def _say(*parts, file=None) -> None:
    """Print for a person at a terminal: whatever a submission put in the text (a file name, an
    exception message) cannot send control sequences to it."""
    from grader.reports.terminal import printable

    print(printable(" ".join(str(part) for part in parts)), file=file or sys.stdout, flush=True)


def _guarded(run, args) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return run(args)
    except InputError as exc:
        _say(f"error: {exc.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted", file=sys.stderr)
        return 130


def run_check(args) -> int:
    from grader.grading.rubric import load_rubric
    from grader.reports.audience import student_view
    from grader.reports.terminal import summary
    from grader.submission.collect import available_rubrics, course_rubric

    if not os.path.lexists(args.path):
        raise InputError(args.path, "no such file or folder", "check the path")
    rubric_path, how = args.rubric, "--rubric"
    if rubric_path is None:
        rubric_path, how = course_rubric(args.path)
        if rubric_path is None:
            listed = ", ".join(str(c) for c in available_rubrics(args.path)) or "none found in ./rubrics"
            raise InputError(args.path, f"cannot tell which rubric grades it (rubrics: {listed})",
                             "pass --rubric FILE, or set metadata.grader.assignment in the notebook")
    rubric = load_rubric(rubric_path)
    _say(f"Course: {rubric_path} ({how})")
    sandbox = _sandbox(args.sandbox)
    _device(args.device)
    result = _grade_one(args.path, rubric, args, sandbox, lang=args.lang, legacy_keras=args.legacy_keras,
                        device=args.device, full=args.full)
    result = student_view(result)  # a student runs check: hidden checks show their score only
    folder = Path("reports") / rubric.assignment / result["submission"]
    json_path, html_path = _write(result, args.json or folder / "results.json", args.html or folder / "report.html")
    _say(summary(result))
    _say(f"Report: {html_path}")
    _say(f"Results: {json_path}")
    _exports(args, [result])
    if result["status"] == "error":
        return EXIT_USAGE
    all_passed = all(c["status"] == "pass" for c in result["checks"])
    return EXIT_OK if all_passed else EXIT_FAILED_CHECKS


def run_grade(args) -> int:
    from grader.batch.keys import rubric_fingerprint
    from grader.batch.progress import make_reporter
    from grader.batch.run import default_workers, run_batch
    from grader.batch.worker import Job, remove_partial_writes
    from grader.grading.rubric import load_rubric
    from grader.reports.csv_export import write_grades_csv
    from grader.reports.html import write_index
    from grader.submission.collect import collect, submission_name

    if not args.dir.is_dir():
        raise InputError(args.dir, "is not a folder", "give the folder that holds the submissions")
    batches, problems = collect(args.dir, args.rubric)
    for problem in problems:
        _say(f"error: {problem}", file=sys.stderr)
    sandbox = _sandbox(args.sandbox)
    device = _device(args.device)
    jobs: list[Job] = []
    for batch in batches:
        rubric = load_rubric(batch.rubric)
        context = rubric_fingerprint(rubric, timeout=args.timeout, memory=args.memory, sandbox=sandbox.level,
                                     device=device, full=args.full)
        for path in batch.submissions:
            folder = args.out / rubric.assignment / submission_name(path)
            jobs.append(Job(len(jobs), path, rubric, folder, _key(path, context), args.timeout,
                            memory=args.memory, sandbox=sandbox, device=args.device, full=args.full))
    if not jobs:
        raise InputError(args.dir, "holds no submissions to grade",
                         "put notebooks in submissions/<assignment>/ or pass --rubric with one assignment's folder")
    remove_partial_writes(args.out)
    summary = run_batch(jobs, workers=args.jobs or default_workers(), reporter=make_reporter(sys.stderr),
                        force=args.force)
    results = summary.results
    links = {f"{r['assignment']}/{r['submission']}": f"{r['assignment']}/{r['submission']}/report.html"
             for r in results}
    write_index(results, args.out / "index.html", links)
    write_grades_csv(results, args.out / "grades.csv")
    _exports(args, results, links)
    _say(summary.line())
    _say(f"Index: {args.out / 'index.html'}   Grades: {args.out / 'grades.csv'}")
    return EXIT_GRADER_FAILED if summary.grader_failures else EXIT_OK


def _key(path: Path, context: str) -> str | None:
    """The submission's content key; None (always regraded) when its files cannot even be listed."""
    from grader.batch.keys import submission_key

    try:
        return submission_key(path, context)
    except OSError:
        return None


def run_validate(args) -> int:
    from grader.grading.validate import print_reports, rubric_files, validate_rubric

    reports = []
    sandbox = _sandbox(args.sandbox)
    _device(args.device)
    for path in rubric_files(args.path):
        report = validate_rubric(path, timeout=args.timeout, sandbox=sandbox, device=args.device)
        print_reports([report], sys.stdout)
        reports.append(report)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from grader.reports.github import annotation

        for report in reports:
            for problem in report.problems:
                _say(annotation("error", problem, file=str(report.path), title="grader validate"))
    failed = [report for report in reports if not report.ok]
    _say(f"{len(reports) - len(failed)} of {len(reports)} rubric(s) valid.")
    return EXIT_FAILED_CHECKS if failed else EXIT_OK


def run_data(args) -> int:
    from grader.data.prepare import data_status, fetch
    from grader.grading.validate import rubric_files

    missing = 0
    for path in rubric_files(args.path):
        for line in data_status(path):
            if line.missing and args.download:
                try:
                    fetch(line)
                except InputError as exc:
                    _say(f"error: {exc.one_line()}", file=sys.stderr)
                line = next(status for status in data_status(path) if status.name == line.name)
            missing += line.missing
            _say(line.text())
    _say("All data sets are ready." if not missing else
          f"{missing} data set(s) missing: run 'grader data --download' once with network, "
          "or copy the files to the paths above.")
    return EXIT_OK if not missing else EXIT_FAILED_CHECKS


def _exports(args, results: list[dict], links: dict[str, str] | None = None) -> None:
    """The optional exports: JUnit XML, Gradescope results, GitHub Actions annotations."""
    if getattr(args, "junit", None):
        from grader.reports.junit import write_junit

        write_junit(results, args.junit)
        _say(f"JUnit: {args.junit}")
    if getattr(args, "gradescope", None):
        from grader.reports.gradescope import write_gradescope

        write_gradescope(results[0], args.gradescope)
        _say(f"Gradescope: {args.gradescope}")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from grader.reports.github import annotations

        for line in annotations(results):
            _say(line)


def _grade_one(path: Path, rubric, args, sandbox, references=None, **options) -> dict:
    from grader.batch.worker import grade_one

    return grade_one(path, rubric, args.timeout, references, memory=args.memory, sandbox=sandbox, **options)[0]


def _write(result: dict, json_path: Path, html_path: Path) -> tuple[Path, Path]:
    from grader.reports.html import write_report
    from grader.reports.results_json import write_results

    write_results(result, json_path)
    write_report(result, html_path)
    return json_path, html_path


if __name__ == "__main__":
    sys.exit(main())
