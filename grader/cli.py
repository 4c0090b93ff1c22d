"""Command line: ``grader check`` for one submission, ``grade`` for a folder of them.

    grader check mynotebook.ipynb                 # students, before handing in
    grade submissions/                            # instructors: every assignment, every student
    grade submissions/actividad2 --rubric rubrics/actividad2.yaml --out reports/
    grader validate rubrics/                      # course CI: every rubric is sound
    grader data rubrics/ --download               # before grading: fetch the data sets train checks use

Every option that changes how a submission is graded (limits, isolation, device, language,
legacy mode, the students' own training) exists on ``check``, ``grade`` and ``validate`` alike and
becomes one :class:`grader.options.GradingOptions`. The export flags (``--junit``,
``--gradescope``, ``--json``, ``--html``) come from the exporters' registry.

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
from grader.i18n import render, text
from grader.options import DEVICES, LANGUAGES, SANDBOX_LEVELS, GradingOptions

EXIT_OK, EXIT_FAILED_CHECKS, EXIT_USAGE, EXIT_GRADER_FAILED = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader", description="Grade deep-learning coursework.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="grade one notebook, script or folder")
    check.add_argument("path", type=Path, help="a .ipynb, a .py, or a folder holding several")
    check.add_argument("--rubric", type=Path, help="the rubric (default: from the notebook, the folder, or ./rubrics)")
    check.add_argument("--pack", type=Path, help="a student pack: the folder 'grader release' wrote, or its "
                                                 "grader-pack.json (default: one beside the notebook or above it)")
    _grading_arguments(check)
    _export_arguments(check, "check")
    check.set_defaults(run=cmd_check)

    grade = commands.add_parser("grade", help="grade every submission in a folder")
    _grade_arguments(grade)
    grade.set_defaults(run=cmd_grade)

    validate = commands.add_parser("validate", help="check that rubrics are sound (for a course's CI)")
    validate.add_argument("path", type=Path, nargs="?", default=Path("rubrics"),
                          help="a rubric, or a folder of them (default: rubrics/)")
    _grading_arguments(validate)
    _cluster_arguments(validate)
    validate.set_defaults(run=cmd_validate)

    release = commands.add_parser("release", help="write the student pack of a rubric (grader check without the answer key)")
    release.add_argument("rubric", type=Path, help="the course's rubric")
    release.add_argument("--out", type=Path, default=Path("packs"), help="where the pack goes (default: packs/)")
    _grading_arguments(release)
    release.set_defaults(run=cmd_release)

    data = commands.add_parser("data", help="show (and fetch) the data sets the rubrics' train checks use and the "
                                            "files their students' code downloads (offline:)")
    data.add_argument("path", type=Path, nargs="?", default=Path("rubrics"),
                      help="a rubric, or a folder of them (default: rubrics/)")
    data.add_argument("--download", action="store_true",
                      help="fetch missing Keras data sets and weights into the local cache (needs network; grading "
                           "never does)")
    data.set_defaults(run=cmd_data)

    args = parser.parse_args(argv)
    return _guarded(args.run, args)


def grade_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grade", description="Grade every submission in a folder.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    _grade_arguments(parser)
    return _guarded(cmd_grade, parser.parse_args(argv))


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="submissions/ (one folder per assignment) or one assignment's folder")
    parser.add_argument("--rubric", type=Path, help="the rubric, when DIR is one assignment's folder")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="where reports go (default: reports/)")
    _grading_arguments(parser)
    parser.add_argument("-j", "--jobs", type=_count, metavar="N",
                        help="submissions graded at once (default: one per GPU, else one per CPU)")
    parser.add_argument("--force", action="store_true",
                        help="regrade every submission, even those unchanged since the last run")
    _cluster_arguments(parser)
    _export_arguments(parser, "grade")


def _cluster_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="grade on a Ray cluster: its address (host:port), or 'local' for a cluster of this "
                             "machine's cores; needs the [ray] extra (see docs/cluster.md)")
    parser.add_argument("--gpu-fraction", type=_fraction, metavar="F",
                        help="with --cluster: the share of a GPU each training asks for (e.g. 0.25: four share one)")


def _grading_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that change how submissions are graded: the same on every command."""
    parser.add_argument("--timeout", type=_seconds, help="wall-clock limit per submission, in seconds")
    parser.add_argument("--memory", type=_size, help="memory limit per submission, e.g. 2G (default: the rubric's, or 4G)")
    parser.add_argument("--sandbox", choices=SANDBOX_LEVELS, default="auto",
                        help="isolation of student code (default auto = bwrap, refusing to grade without it; "
                             "process = limits only; none = debugging only); see docs/security.md")
    parser.add_argument("--device", choices=DEVICES, default="auto",
                        help="where train checks train (default auto: a GPU when one is visible, else the CPU)")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the messages (default: the rubric's)")
    parser.add_argument("--legacy-keras", action="store_true", default=None,
                        help="run Keras 1/2 code through the translation layer so its architecture can be graded")
    parser.add_argument("--full", action="store_true",
                        help="run the code's own fit() calls as written (default: capped as the rubric's fit_cap says)")


def _export_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from grader.reports.exporters import exporters

    for exporter in exporters().values():
        if exporter.flag and command in exporter.commands:
            parser.add_argument(exporter.flag, type=Path, metavar="FILE", help=f"also write {exporter.help}")


def _options(args) -> GradingOptions:
    return GradingOptions(timeout=args.timeout, memory=args.memory, sandbox=args.sandbox, device=args.device,
                          lang=args.lang, legacy_keras=args.legacy_keras, full=args.full)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def _fraction(text: str) -> float:
    from grader.sandbox.limits import gpu_share

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction such as 0.25, got {text!r}") from None
    try:
        return gpu_share(value, "it")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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


def _warn_environment(rubric) -> None:
    """A course environment that is not installed, or offline files this machine's cache lacks: the
    students' code that needs them will fail (grader validate fails; grader data --download fetches)."""
    from grader.data.offline import offline_files

    if rubric.environment is not None:
        for missing in rubric.environment.missing():
            _say(f"warning: {rubric.path}: {missing.line()}", file=sys.stderr)
    for problem in offline_files(rubric.offline).problems:
        _say(f"warning: {rubric.path}: {text('offline.warning', 'en', **problem['fields'])}", file=sys.stderr)


def _say(*parts, file=None) -> None:
    """Print for a person at a terminal: whatever a submission put in the text (a file name, an
    exception message) cannot send control sequences to it."""
    from grader.reports.terminal import printable

    print(printable(" ".join(str(part) for part in parts)), file=file or sys.stdout, flush=True)


def _guarded(run, args) -> int:
    from grader.quiet import quiet_tensorflow_import

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    quiet_tensorflow_import()  # TensorFlow's start-up lines are not for the instructor's terminal
    try:
        return run(args)
    except InputError as exc:
        _say(f"error: {exc.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted", file=sys.stderr)
        return 130


def cmd_check(args) -> int:
    from grader.grading.grade import grade_safely
    from grader.reports.audience import student_view
    from grader.reports.exporters import exporters
    from grader.reports.terminal import summary

    if not os.path.lexists(args.path):
        raise InputError(args.path, "no such file or folder", "check the path")
    course, pack = _course_or_pack(args)
    rubric = pack.rubric if pack is not None else course
    lang = args.lang or rubric.language
    missing = _missing_framework(rubric)
    if missing is not None:  # before any warning about the course's data: nothing can be graded here
        raise missing
    _warn_environment(rubric)
    options = _options(args)
    sandbox = _sandbox(options.sandbox)
    device = _device(options.device)
    if pack is not None:
        result, _ = grade_safely(args.path, rubric, options, sandbox=sandbox, references=pack.references,
                                 known=pack.values)
        result.graded_by_instructor = {"checks": pack.hidden_checks, "points": pack.hidden_points}
    else:
        result = _shared_result(args.path, rubric, options, sandbox, device)
    result = student_view(result)  # a student runs check: hidden checks show their score only
    folder = Path("reports") / rubric.assignment / result.submission
    document = result.to_json()
    for exporter in exporters().values():  # results.json and report.html always; the others when asked
        path = getattr(args, _dest(exporter.flag), None) if exporter.flag else None
        if exporter.per == "submission":
            path = path or folder / exporter.default
        if path is not None:
            exporter.write(document if exporter.per == "submission" else [document], path)
            if exporter.per == "batch":
                _say(f"{exporter.name}: {path}")
        elif exporter.active is not None and exporter.active():
            exporter.write([document], None)
    _say(summary(result))
    _say(text("term.report", lang, path=getattr(args, "html", None) or folder / "report.html"))
    _say(text("term.results", lang, path=getattr(args, "json", None) or folder / "results.json"))
    if result.status == "error":
        return EXIT_USAGE
    return EXIT_OK if result.passed else EXIT_FAILED_CHECKS


def _course_or_pack(args):
    """The full course (a rubric with its references) or a student pack, and say which and why.

    ``--pack`` wins, then ``--rubric``, then the course's rubric found near the submission, then a
    pack found near it (a student's repository has the pack, not the references)."""
    from grader.expectations.pack import find_pack, load_pack
    from grader.grading.rubric import load_rubric
    from grader.submission.collect import available_rubrics, course_rubric

    if args.pack is not None:
        course = load_rubric(args.rubric) if args.rubric else None
        pack = load_pack(args.pack, course=course)
        _say(text("term.pack", args.lang or pack.rubric.language, pack=args.pack, assignment=pack.rubric.assignment))
        return None, pack
    rubric_path, how = args.rubric, "--rubric"
    if rubric_path is None:
        rubric_path, how = course_rubric(args.path)
    if rubric_path is not None:
        course = load_rubric(rubric_path)
        lang = args.lang or course.language
        _say(text("term.course", lang, rubric=rubric_path, how=render(how, lang)))
        return course, None
    found = find_pack(args.path)
    if found is not None:
        pack = load_pack(found)
        _say(text("term.pack", args.lang or pack.rubric.language, pack=found, assignment=pack.rubric.assignment))
        return None, pack
    listed = ", ".join(str(c) for c in available_rubrics(args.path)) or "none found in ./rubrics"
    raise InputError(args.path, f"cannot tell which rubric grades it (rubrics: {listed}; no student pack)",
                     "pass --pack FOLDER or --rubric FILE, or set metadata.grader.assignment in the notebook")


def _shared_result(path: Path, rubric, options: GradingOptions, sandbox, device: str):
    """Grade with the full course, through the same content-keyed results as ``grade`` (so neither
    command grades a submission the other already graded under the same course and options)."""
    from grader.batch.keys import rubric_fingerprint
    from grader.batch.results_cache import load_result, store_result
    from grader.grading.grade import grade_safely

    key = _key(path, rubric_fingerprint(rubric, options, sandbox=sandbox.level, device=device))
    stored = load_result(key) if key else None
    if stored is not None:
        _say("Unchanged since it was last graded with this course and these options: reusing that result.")
        return stored
    result, failed = grade_safely(path, rubric, options, sandbox=sandbox)
    if key and not failed:
        result.cache_key = key
        store_result(result)
    return result


def cmd_release(args) -> int:
    from grader.expectations.pack import release

    options = _options(args)
    sandbox = _sandbox(options.sandbox)
    _device(options.device)
    folder = release(args.rubric, args.out, sandbox=sandbox, options=options)
    from grader.expectations.pack import load_pack

    for check_id, value in load_pack(folder).values.items():
        problem = value.get("reference_value") if isinstance(value, dict) else None
        if isinstance(problem, dict):
            _say(f"warning: {args.rubric}: check {check_id!r}: the reference could not be trained here "
                 f"({InputError(problem.get('path') or None, problem.get('problem', ''), problem.get('fix', '')).one_line()}); "
                 "the pack grades it as a setup problem until it is released where it can", file=sys.stderr)
    _say(f"Student pack: {folder} (give students this folder; it holds no reference source and no hidden check)")
    return EXIT_OK


def cmd_grade(args) -> int:
    from grader.batch.keys import rubric_fingerprint
    from grader.batch.progress import make_reporter
    from grader.batch.run import default_workers, run_batch
    from grader.batch.worker import Job, remove_partial_writes
    from grader.grading.rubric import load_rubric
    from grader.reports.exporters import exporters
    from grader.submission.collect import collect, submission_name

    if not args.dir.is_dir():
        raise InputError(args.dir, "is not a folder", "give the folder that holds the submissions")
    batches, problems = collect(args.dir, args.rubric)
    for problem in problems:
        _say(f"error: {problem}", file=sys.stderr)
    options = _options(args)
    sandbox = _sandbox(options.sandbox)
    device = _device(options.device)
    jobs: list[Job] = []
    for batch in batches:
        rubric = load_rubric(batch.rubric)
        missing = _missing_framework(rubric)
        if missing is not None:  # this course cannot be graded here; the others can
            _say(f"error: {batch.rubric}: {missing.one_line()}", file=sys.stderr)
            continue
        _warn_environment(rubric)
        context = rubric_fingerprint(rubric, options, sandbox=sandbox.level, device=device)
        for path in batch.submissions:
            folder = args.out / rubric.assignment / submission_name(path)
            jobs.append(Job(len(jobs), path, rubric, folder, _key(path, context), options=options, sandbox=sandbox))
    if not jobs:
        raise InputError(args.dir, "holds no submissions to grade",
                         "put notebooks in submissions/<assignment>/ or pass --rubric with one assignment's folder")
    remove_partial_writes(args.out)
    languages = {job.rubric.language for job in jobs}
    lang = options.lang or (languages.pop() if len(languages) == 1 else "en")
    executor = _executor(args)
    summary = run_batch(jobs, workers=args.jobs or default_workers(), reporter=make_reporter(sys.stderr, lang=lang),
                        force=args.force, executor=executor)
    documents = [result.to_json() for result in summary.results]
    links = {f"{d['assignment']}/{d['submission']}": f"{d['assignment']}/{d['submission']}/report.html"
             for d in documents}
    for exporter in exporters().values():
        if exporter.per != "batch":
            continue
        path = getattr(args, _dest(exporter.flag), None) if exporter.flag else None
        path = path or (args.out / exporter.default if exporter.default else None)
        if path is not None:
            exporter.write(documents, path, links)
            if exporter.flag:
                _say(f"{exporter.name}: {path}")
        elif exporter.active is not None and exporter.active():
            exporter.write(documents, None, links)
    _say(summary.line(lang))
    _say(text("term.index", lang, index=args.out / "index.html", grades=args.out / "grades.csv"))
    return EXIT_GRADER_FAILED if summary.grader_failures else EXIT_OK


def _missing_framework(rubric):
    """The :class:`FrameworkUnavailable` of the first framework the rubric needs that is not installed."""
    from grader.frameworks import FrameworkUnavailable, framework
    from grader.grading.grade import rubric_frameworks

    for name in rubric_frameworks(rubric):
        try:
            framework(name)
        except FrameworkUnavailable as exc:
            return exc
    return None


def _executor(args):
    """Where the batch is graded: this machine (None: the default), or a Ray cluster."""
    if not getattr(args, "cluster", None):
        if getattr(args, "gpu_fraction", None):
            raise InputError(None, "--gpu-fraction applies to --cluster only", "add --cluster ADDRESS, or leave it out")
        return None
    from grader.batch.cluster import RayExecutor

    return RayExecutor(args.cluster, gpu_fraction=args.gpu_fraction)


def _dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _key(path: Path, context: str) -> str | None:
    """The submission's content key; None (always regraded) when its files cannot even be listed."""
    from grader.batch.keys import submission_key

    try:
        return submission_key(path, context)
    except OSError:
        return None


def cmd_validate(args) -> int:
    from grader.grading.validate import print_reports, rubric_files, validate_rubric

    reports = []
    options = _options(args)
    sandbox = _sandbox(options.sandbox)
    _device(options.device)
    for path in rubric_files(args.path):
        report = validate_rubric(path, options, sandbox=sandbox, executor=_executor(args))
        print_reports([report], sys.stdout)
        reports.append(report)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from grader.reports.exporters.github import annotation

        for report in reports:
            for problem in report.problems:
                _say(annotation("error", problem, file=str(report.path), title="grader validate"))
    failed = [report for report in reports if not report.ok]
    _say(f"{len(reports) - len(failed)} of {len(reports)} rubric(s) valid.")
    return EXIT_FAILED_CHECKS if failed else EXIT_OK


def cmd_data(args) -> int:
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
                line = next(status for status in data_status(path)
                            if (status.provider, status.name) == (line.provider, line.name))
            missing += not line.ready
            _say(line.text())
    _say("All data sets are ready." if not missing else
         f"{missing} data set(s) missing or invalid: run 'grader data --download' once with network, "
         "or copy the files to the paths above.")
    return EXIT_OK if not missing else EXIT_FAILED_CHECKS


def run() -> None:
    """The ``grader`` command: :func:`main`, then :func:`exit_quickly`."""
    exit_quickly(main)


def grade_run() -> None:
    """The ``grade`` command: :func:`grade_main`, then :func:`exit_quickly`."""
    exit_quickly(grade_main)


def exit_quickly(command) -> None:
    """Run ``command()`` and leave without the interpreter's teardown of TensorFlow, which costs
    1-3 s once it is imported (benchmarks/RESULTS.md) and writes nothing: every output is closed by
    then. The atexit handlers run and the standard streams are flushed, as at a normal exit."""
    import atexit

    try:
        code = command()
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code or 0)


if __name__ == "__main__":
    run()
