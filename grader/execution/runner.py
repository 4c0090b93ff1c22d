"""Run a submission in the sandbox and collect what it left behind.

Each file of a submission runs in a fresh sandbox (see :mod:`grader.sandbox`): a kernel driven by
nbclient for notebooks, the harness for scripts, both from :mod:`grader.inside`, configured by the
run's manifest. The sandbox holds a copy of the student's regular files and the course's resource
files, nothing else of the grader's. The wall clock is enforced from outside, and every process
the run started is killed when it ends. What comes back is read as untrusted data by
:mod:`grader.sandbox.readback`.

Example:
    >>> from grader.submission.submission import Submission
    >>> result = execute(Submission.from_path("hw.py"), limits=Limits(timeout=60))  # doctest: +SKIP
    >>> result.status, [c.variable for c in result.captures]                       # doctest: +SKIP
    ('ok', ['modelRNN'])
"""

from __future__ import annotations

import time
from pathlib import Path

from grader.data.offline import offline_files
from grader.execution import verdict
from grader.execution.fit_cap import FitCap
from grader.execution.result import STATUS_ORDER, CellOutcome, ExecutionResult
from grader.sandbox.levels import Sandbox, choose_sandbox
from grader.sandbox.limits import Limits
from grader.sandbox.manifest import manifest
from grader.sandbox.process import Output
from grader.execution.written import copied_in, listing_of, written_files
from grader.sandbox.readback import (capped_only, finished, read_captures, read_events, read_fit_calls, read_listing,
                                     read_progress, read_translations, read_values)
from grader.sandbox.run import Layout, fill, owned_file, prepared, run_sandboxed, seal, write_manifest
from grader.i18n import msg
from grader.quiet import without_startup_lines
from grader.submission.submission import SourceFile, Submission, read_source

FRAMEWORKS = ("keras",)


def execute(
    submission: Submission,
    *,
    resources: list[Path] = (),
    limits: Limits | None = None,
    sandbox: Sandbox | None = None,
    timeout: float | None = None,
    cell_timeout: float | None = None,
    legacy_keras: bool = False,
    fit_cap: FitCap | None = None,
    frameworks: tuple[str, ...] = FRAMEWORKS,
    replace: tuple[str, ...] = (),
    offline: dict[str, list[str]] | None = None,
    values: tuple[str, ...] = (),
    inspect: list[dict] = (),
) -> ExecutionResult:
    """Run every file of ``submission`` in the sandbox and return what happened.

    ``limits`` bound the run (``timeout`` and ``cell_timeout`` override its wall clocks);
    ``sandbox`` defaults to :func:`choose_sandbox` ``("auto")``. ``legacy_keras`` runs Keras 1/2
    code through legacy mode (``grader_inside.keras.legacy``) and returns the translations it made in
    ``result.translations``. ``fit_cap`` caps the submission's own ``fit()`` calls (see
    :mod:`grader.execution.fit_cap`) and returns the calls it shortened in ``result.capped_fits``;
    None runs the code as written. ``frameworks`` says whose models are exported. ``replace`` names
    the resources whose copy in the submission is replaced by the course's (``result.course_files``
    says which copy ran). ``offline`` maps an offline provider to the entries the code may fetch
    (:mod:`grader.data.offline`): their files are made readable inside, read-only, and the
    frameworks' in-sandbox patches (``grader_inside.<framework>.offline``) serve them. ``values`` names
    variables whose values the code leaves are read back (``result.values``, as its process reports
    them). Every ``fit()`` call the cap's hook saw is in ``result.fit_calls``, and the files each run
    created or changed, as the sandbox observed them after it, in ``result.written``.
    ``inspect`` lists questions about the student's objects, asked once each file has run (answers in
    ``result.events``).
    Raises :class:`grader.errors.InputError` when a file cannot be run at all.
    """
    limits = (limits or Limits()).overriding(timeout=timeout, cell_timeout=cell_timeout)
    sandbox = sandbox or choose_sandbox("auto")
    sources = {source.path: read_source(source) for source in submission.files}
    started = time.monotonic()
    result = ExecutionResult(sandbox=sandbox.describe(), sandbox_level=sandbox.level, limits=limits,
                             fit_cap=fit_cap, left_out=[r.message() for r in submission.refused])
    output = Output(limits.output)
    with prepared(sandbox) as (layout, uid):
        copies = fill(layout, listing=submission.listing, resources=list(resources), replace=tuple(replace))
        result.course_files.extend(msg(f"course_file.{ran}", file=name) for name, ran in sorted(copies.items()))
        provided = offline_files(offline or {})
        result.course_files.extend(provided.problems)
        copied = copied_in(layout.work)
        seal(layout, uid)
        layout.readonly = provided.files
        for order, source in enumerate(submission.files):
            remaining = limits.timeout - (time.monotonic() - started)
            if remaining <= 1:
                result.cells.append(CellOutcome(file=source.label, cell=0, status="timeout",
                                                evalue="not run: the time limit was used up"))
                _worsen(result, "timeout")
                continue
            settings = {"legacy": legacy_keras, "fit_cap": fit_cap, "frameworks": list(frameworks),
                        "offline": {name: list(entries) for name, entries in (offline or {}).items()},
                        "values": list(values), "copied": copied, "inspect": list(inspect)}
            _run_file(source, order, sources[source.path], layout, limits, uid, remaining, output, result, settings)
    result.duration_s = time.monotonic() - started
    result.output_tail = without_startup_lines(output.text())  # TensorFlow's, not the student's
    result.output_cut = max(output.cut, 0)
    result.message = verdict.message(result, limits)
    return result


def _run_file(source: SourceFile, order: int, text: str, layout: Layout, limits: Limits, uid: int | None,
              remaining: float, output: Output, result: ExecutionResult, settings: dict) -> None:
    capture, progress = f"capture{order}.jsonl", f"progress{order}.jsonl"
    values, listing = f"values{order}.jsonl", f"files{order}.jsonl"
    for name in (capture, progress, "legacy.jsonl", "fit_cap.jsonl", values, listing):
        owned_file(layout, name, uid)
    fit_cap = settings["fit_cap"]
    fields = {
        "source": f"{layout.work_inside()}/{source.label}", "frameworks": settings["frameworks"],
        "captures": layout.output_file(capture), "progress": layout.output_file(progress),
        "legacy": layout.output_file("legacy.jsonl") if settings["legacy"] else None,
        "fit_cap": {**fit_cap.get_config(), "log": layout.output_file("fit_cap.jsonl")} if fit_cap else None,
        "offline": settings["offline"],
    }
    if settings.get("offline"):
        fields["offline"] = settings["offline"]
    if settings["values"]:
        fields["values"] = {"names": settings["values"], "log": layout.output_file(values)}
    if settings.get("inspect"):
        fields["inspect"] = settings["inspect"]
    if source.kind == "notebook":
        fields.update(cell_timeout=min(limits.cell_timeout, remaining), output_limit=limits.output)
    name = write_manifest(layout, f"run{order}.json", manifest(source.kind, **fields))
    ended, out_of_memory = run_sandboxed(layout.command(name), layout, limits, uid, timeout=remaining, output=output,
                                         observe=listing)
    cells = read_progress(layout.output / progress, source, text)
    result.cells.extend(cells)
    result.captures.extend(read_captures(layout.output / capture, source.label, order))
    result.events.extend(read_events(layout.output / capture, source.label))
    result.translations.extend(read_translations(layout.output / "legacy.jsonl", source.label))
    calls = read_fit_calls(layout.output / "fit_cap.jsonl", source.label)
    result.fit_calls.extend(calls)
    result.capped_fits.extend(capped_only(calls))
    result.values.extend(read_values(layout.output / values, source.label))
    _observe(layout, source, listing, settings["copied"], result)
    done = finished(layout.output / progress)
    if not done and not out_of_memory and ended.status != "timeout":
        out_of_memory = verdict.allocation_failed(output.text())  # an abort after a failed allocation
    status = verdict.file_status(ended, cells, out_of_memory, done)
    result.status = _worst(result.status, status)


def _observe(layout: Layout, source: SourceFile, listing: str, copied: dict, result: ExecutionResult) -> None:
    """What the run of ``source`` wrote: the sandbox's listing after it (``bwrap``), or the grader's own
    listing of the folder the code worked in (``process``, ``none``); none when it could not be listed."""
    if layout.isolated:
        entries = read_listing(layout.output / listing)
    else:
        entries = listing_of(layout.work)
    if entries is None:
        result.unobserved.append(source.label)
        return
    result.written.extend(written_files(entries, copied, file=source.label))


def _worst(current: str, new: str) -> str:
    return new if STATUS_ORDER.index(new) > STATUS_ORDER.index(current) else current


def _worsen(result: ExecutionResult, status: str) -> None:
    result.status = _worst(result.status, status)
