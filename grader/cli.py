"""Command line: ``grader check`` for one submission, ``grade`` for a folder of them.

    grader check mynotebook.ipynb                 # students, before handing in
    grade submissions/                            # instructors: every assignment, every student
    grade submissions/actividad2 --rubric rubrics/actividad2.yaml --out reports/

Exit codes: ``check`` returns 0 when every check passes, 1 when some fail, 2 on a usage or
input error. ``grade`` returns 0 when every submission was graded (whatever the students
scored), 2 on a usage or input error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from grader import __version__
from grader.errors import InputError

EXIT_OK, EXIT_FAILED_CHECKS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader", description="Grade deep-learning coursework.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="grade one notebook, script or folder")
    check.add_argument("path", type=Path, help="a .ipynb, a .py, or a folder holding several")
    check.add_argument("--rubric", type=Path, help="the rubric (default: from the notebook, the folder, or ./rubrics)")
    check.add_argument("--json", type=Path, help="where to write results.json")
    check.add_argument("--html", type=Path, help="where to write report.html")
    check.add_argument("--timeout", type=_seconds, help="wall-clock limit for the whole submission, in seconds")
    check.add_argument("--lang", choices=("en", "es"), help="language of the messages (default: the rubric's)")
    check.add_argument("--legacy-keras", action="store_true", default=None,
                       help="run Keras 1/2 code through the translation layer so its architecture can be graded")
    check.set_defaults(run=run_check)

    grade = commands.add_parser("grade", help="grade every submission in a folder")
    _grade_arguments(grade)
    grade.set_defaults(run=run_grade)

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
    parser.add_argument("--timeout", type=_seconds, help="wall-clock limit per submission, in seconds")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def _guarded(run, args) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return run(args)
    except InputError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run_check(args) -> int:
    from grader.grading.rubric import load_rubric
    from grader.reports.audience import student_view
    from grader.reports.terminal import summary
    from grader.submission.collect import rubric_for_submission

    if not args.path.exists():
        raise InputError(args.path, "no such file or folder", "check the path")
    rubric_path = args.rubric
    if rubric_path is None:
        rubric_path, choices = rubric_for_submission(args.path)
        if rubric_path is None:
            listed = ", ".join(str(c) for c in choices) or "none found in ./rubrics"
            raise InputError(args.path, f"cannot tell which rubric grades it (rubrics: {listed})",
                             "pass --rubric FILE, or set metadata.grader.assignment in the notebook")
    rubric = load_rubric(rubric_path)
    result = _grade_one(args.path, rubric, args.timeout, lang=args.lang, legacy_keras=args.legacy_keras)
    result = student_view(result)  # a student runs check: hidden checks show their score only
    folder = Path("reports") / rubric.assignment / result["submission"]
    json_path, html_path = _write(result, args.json or folder / "results.json", args.html or folder / "report.html")
    print(summary(result))
    print(f"Report: {html_path}")
    print(f"Results: {json_path}")
    if result["status"] == "error":
        return EXIT_USAGE
    all_passed = all(c["status"] == "pass" for c in result["checks"])
    return EXIT_OK if all_passed else EXIT_FAILED_CHECKS


def run_grade(args) -> int:
    from grader.grading.rubric import load_rubric
    from grader.reports.csv_export import write_grades_csv
    from grader.reports.html import write_index
    from grader.reports.terminal import batch_line
    from grader.submission.collect import collect

    if not args.dir.is_dir():
        raise InputError(args.dir, "is not a folder", "give the folder that holds the submissions")
    batches, problems = collect(args.dir, args.rubric)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    rubrics = [(load_rubric(batch.rubric), batch.submissions) for batch in batches]
    total = sum(len(subs) for _, subs in rubrics)
    if total == 0:
        raise InputError(args.dir, "holds no submissions to grade",
                         "put notebooks in submissions/<assignment>/ or pass --rubric with one assignment's folder")
    results, links, done, started = [], {}, 0, time.monotonic()
    for rubric, submissions in rubrics:
        references = _references(rubric)
        for path in submissions:
            done += 1
            began = time.monotonic()
            result = _grade_one(path, rubric, args.timeout, references)
            folder = args.out / rubric.assignment / result["submission"]
            _write(result, folder / "results.json", folder / "report.html")
            links[f"{result['assignment']}/{result['submission']}"] = f"{rubric.assignment}/{result['submission']}/report.html"
            results.append(result)
            print(batch_line(done, total, result, time.monotonic() - began), flush=True)
    write_index(results, args.out / "index.html", links)
    write_grades_csv(results, args.out / "grades.csv")
    errors = sum(r["status"] == "error" or r["execution"]["status"] != "ok" for r in results)
    mean = sum(r["score"] / r["max_score"] for r in results if r["max_score"]) / len(results)
    print(f"Graded {len(results)} submissions in {time.monotonic() - started:.0f} s: mean {100 * mean:.0f}%, "
          f"{errors} with execution errors.")
    print(f"Index: {args.out / 'index.html'}   Grades: {args.out / 'grades.csv'}")
    return EXIT_OK


def _references(rubric):
    from grader.expectations.reference import reference_cards

    return reference_cards(rubric)


def _grade_one(path: Path, rubric, timeout: float | None, references=None, **options) -> dict:
    from grader.grading.grade import grade_submission

    try:
        return grade_submission(path, rubric, timeout=timeout, references=references, **options)
    except InputError:
        raise
    except Exception as exc:  # one broken submission never stops a batch
        from grader.grading.grade import error_result

        return error_result(rubric, path, f"the grader failed on this submission ({type(exc).__name__}: {exc}); "
                                          "please report it with the submission attached")


def _write(result: dict, json_path: Path, html_path: Path) -> tuple[Path, Path]:
    from grader.reports.html import write_report
    from grader.reports.results_json import write_results

    write_results(result, json_path)
    write_report(result, html_path)
    return json_path, html_path


if __name__ == "__main__":
    sys.exit(main())
