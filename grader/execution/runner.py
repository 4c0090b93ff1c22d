"""Run a submission in a separate process and collect what it left behind.

Each file of a submission runs in its own child process (a kernel for notebooks, the
standalone harness for scripts), in a fresh working directory that holds the student's files
and the course's resource files. The grader enforces the wall-clock limit from outside and
removes every process the child started. What comes back is read as untrusted data:
size-limited JSON lines, validated field by field.

Example:
    >>> from grader.submission.submission import Submission
    >>> result = execute(Submission.from_path("hw.py"), timeout=60)   # doctest: +SKIP
    >>> result.status, [c.variable for c in result.captures]           # doctest: +SKIP
    ('ok', ['modelRNN'])
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from grader.execution import diagnostics
from grader.execution.result import STATUS_ORDER, Capture, CellOutcome, ExecutionResult
from grader.execution.translations import read_translations
from grader.submission.submission import SourceFile, Submission, read_source

HERE = Path(__file__).resolve().parent
HARNESS = HERE / "harness.py"
LEGACY_KERAS = HERE / "legacy_keras.py"
NOTEBOOK_WORKER = HERE / "notebook_worker.py"
OUTPUT_TAIL_BYTES = 64_000
MAX_CAPTURE_FILE = 50_000_000
MAX_PROGRESS_FILE = 5_000_000
MAX_COPY_BYTES = 200_000_000


def execute(
    submission: Submission,
    *,
    resources: list[Path] = (),
    timeout: float = 600.0,
    cell_timeout: float | None = None,
    legacy_keras: bool = False,
) -> ExecutionResult:
    """Run every file of ``submission`` and return what happened.

    ``timeout`` bounds the whole submission; ``cell_timeout`` one notebook cell.
    ``legacy_keras`` runs Keras 1/2 code through :mod:`grader.execution.legacy_keras` and
    returns the translations it made in ``result.translations``.
    Raises :class:`grader.errors.InputError` when a file cannot be run at all.
    """
    sources = {source.path: read_source(source) for source in submission.files}
    started = time.monotonic()
    result = ExecutionResult()
    tail: collections.deque[bytes] = collections.deque()
    root = Path(tempfile.mkdtemp(prefix="grader-"))
    try:
        work, private = root / "work", root / "private"
        _prepare(submission, resources, work)
        private.mkdir()
        shutil.copy2(HARNESS, private / "harness.py")
        if legacy_keras:  # legacy mode hook: the harness installs it when it finds it beside itself
            shutil.copy2(LEGACY_KERAS, private / "legacy_keras.py")
        for order, source in enumerate(submission.files):
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 1:
                result.cells.append(CellOutcome(file=source.label, cell=0, status="timeout",
                                                evalue="not run: the time limit was used up"))
                _worsen(result, "timeout")
                continue
            capture, progress = private / f"capture{order}.jsonl", private / f"progress{order}.jsonl"
            command = _command(source, work, private, capture, progress,
                               min(cell_timeout or remaining, remaining))
            status = _run(command, cwd=work, timeout=remaining, tail=tail)
            cells = _read_progress(progress, source, sources[source.path])
            result.cells.extend(cells)
            result.captures.extend(_read_captures(capture, source.label, order))
            result.translations.extend(read_translations(private / "legacy.jsonl", source.label))  # legacy mode
            worst = max((c.status for c in cells), key=_cell_rank, default="ok")
            _worsen(result, status if status != "ok" else _file_status(worst))
    finally:
        if not os.environ.get("GRADER_KEEP_WORKDIR"):
            shutil.rmtree(root, ignore_errors=True)
    result.duration_s = time.monotonic() - started
    result.output_tail = b"".join(tail).decode("utf-8", "replace")[-OUTPUT_TAIL_BYTES:]
    result.message = _message(result, timeout)
    return result


def _prepare(submission: Submission, resources: list[Path], work: Path) -> None:
    if submission.path.is_dir():
        total = sum(p.stat().st_size for p in submission.path.rglob("*") if p.is_file())
        if total > MAX_COPY_BYTES:
            work.mkdir(parents=True)
            for source in submission.files:
                shutil.copy2(source.path, work / source.label)
        else:
            shutil.copytree(submission.path, work, symlinks=False,
                            ignore=shutil.ignore_patterns(".*", "__pycache__"))
    else:
        work.mkdir(parents=True)
        shutil.copy2(submission.path, work / submission.path.name)
    for resource in resources:
        target = work / resource.name
        if target.exists():  # the student's own copy wins, as on their machine
            continue
        if resource.is_dir():
            shutil.copytree(resource, target)
        else:
            shutil.copy2(resource, target)


def _command(source, work, private, capture, progress, cell_timeout) -> list[str]:
    target = str(work / source.label)
    if source.kind == "script":
        return [sys.executable, str(private / "harness.py"), target, str(capture), str(progress)]
    return [sys.executable, str(NOTEBOOK_WORKER), target, str(capture), str(progress),
            f"{cell_timeout:.1f}", str(private / "harness.py")]


def _environment() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "CUDA_VISIBLE_DEVICES")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        MPLBACKEND="Agg",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONUNBUFFERED="1",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        JUPYTER_PLATFORM_DIRS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env


def _run(command: list[str], *, cwd: Path, timeout: float, tail: collections.deque) -> str:
    """Run ``command``; return ``ok``, ``timeout`` or ``killed``."""
    process = subprocess.Popen(
        command, cwd=cwd, env=_environment(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    reader = threading.Thread(target=_keep_tail, args=(process.stdout, tail), daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=max(timeout, 0.1))
        status = "ok" if code >= 0 else "killed"
        if code == -signal.SIGKILL:
            status = "memory"  # the kernel's OOM killer is the usual sender of SIGKILL
    except subprocess.TimeoutExpired:
        status = "timeout"
    kill_tree(process.pid)
    process.wait()
    reader.join(timeout=5)
    return status


def _keep_tail(stream, tail: collections.deque) -> None:
    size = 0
    for chunk in iter(lambda: stream.read1(65536), b""):
        tail.append(chunk)
        size += len(chunk)
        while size > OUTPUT_TAIL_BYTES and len(tail) > 1:
            size -= len(tail.popleft())


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid``, its process group, and every descendant (kernels start their own)."""
    for _ in range(3):
        victims = [pid, *_descendants(pid)]
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if len(victims) == 1:
            break


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children[parent].append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _read_jsonl(path: Path, limit: int) -> list[dict]:
    if not path.exists():
        return []
    with open(path, "rb") as handle:
        data = handle.read(limit)
    records = []
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _read_progress(path: Path, source: SourceFile, text: str) -> list[CellOutcome]:
    cell_sources = _cell_sources(source, text)
    outcomes = []
    for record in _read_jsonl(path, MAX_PROGRESS_FILE):
        cell = _int(record.get("cell"))
        status = record.get("status") if record.get("status") in ("ok", "error", "timeout", "died") else "error"
        line = _int(record.get("line")) or None
        if source.kind == "script":
            code = diagnostics.code_line(text, line)
        else:
            code = diagnostics.code_line(cell_sources.get(cell, ""), line)
        ename, evalue = str(record.get("ename", ""))[:200], str(record.get("evalue", ""))[:2000]
        outcomes.append(CellOutcome(
            file=source.label, cell=cell if source.kind == "notebook" or len(cell_sources) > 1 else 0,
            status=status, ename=ename, evalue=evalue, line=line, code=code[:300],
            hint=diagnostics.explain(ename, evalue, code) if status == "error" else "",
            duration_s=float(record.get("duration_s", 0) or 0),
        ))
    return outcomes


def _cell_sources(source: SourceFile, text: str) -> dict[int, str]:
    if source.kind == "script":
        from grader.execution.harness import split_cells
        return {i: cell for i, (_, cell) in enumerate(split_cells(text), start=1)}
    notebook = nbformat.read(str(source.path), as_version=4)  # validated by read_source
    return {i: cell.source for i, cell in enumerate(notebook.cells, start=1)}


def _read_captures(path: Path, label: str, order: int) -> list[Capture]:
    captures = []
    for record in _read_jsonl(path, MAX_CAPTURE_FILE):
        variable = record.get("variable")
        architecture = record.get("architecture")
        if not isinstance(variable, str) or not variable or len(variable) > 200:
            continue
        captures.append(Capture(
            file=label,
            variable=variable,
            object_id=_int(record.get("object")),
            where=str(record.get("where", ""))[:40],
            model_class=str(record.get("class", ""))[:80],
            built=bool(record.get("built")),
            order=order * 1_000_000 + len(captures),
            architecture=architecture if isinstance(architecture, str) else None,
            error=str(record["error"])[:500] if record.get("error") else None,
            compile=_plain_compile(record.get("compile")),
        ))
    return captures


def _plain_compile(value) -> dict | None:
    if not isinstance(value, dict):
        return None
    allowed = {}
    for key in ("loss", "metrics", "optimizer", "learning_rate"):
        item = value.get(key)
        if isinstance(item, (str, int, float)) or item is None:
            allowed[key] = item if not isinstance(item, str) else item[:100]
        elif isinstance(item, list):
            allowed[key] = [str(v)[:100] for v in item[:20]]
        else:
            allowed[key] = str(item)[:100]
    return allowed


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _cell_rank(status: str) -> int:
    return ("ok", "error", "timeout", "died").index(status)


def _file_status(cell_status: str) -> str:
    return {"ok": "ok", "error": "error", "timeout": "timeout", "died": "killed"}[cell_status]


def _worsen(result: ExecutionResult, status: str) -> None:
    if STATUS_ORDER.index(status) > STATUS_ORDER.index(result.status):
        result.status = status


def _message(result: ExecutionResult, timeout: float) -> str:
    problems = [c for c in result.cells if c.status != "ok"]
    if result.status == "ok":
        return "ran without errors"
    if result.status == "timeout":
        where = next((c for c in problems if c.status == "timeout"), None)
        place = f" in {where.where}" if where and where.cell else ""
        return f"your code ran past the time limit of {timeout:.0f} s{place}; the models built before that were graded"
    if result.status in ("memory", "killed"):
        died = next((c for c in problems if c.status == "died"), None)
        place = f" in {died.where}" if died else ""
        what = "ran out of memory or was killed" if result.status == "memory" else "crashed"
        return f"your code {what}{place}; the models built before that were graded"
    # Lead with a root cause: a NameError is usually the echo of an earlier failed cell.
    causes = [c for c in problems if c.status == "error" and c.ename != "NameError" and c.hint]
    first = causes[0] if causes else (problems[0] if problems else None)
    if first is None:
        return "your code stopped with an error"
    text = f"{first.where}: {first.ename}: {first.evalue.splitlines()[0] if first.evalue else ''}".strip()
    if first.hint:
        text += f" -> {first.hint}"
    more = len(problems) - 1
    if more:
        text += f" (and {more} more cell{'s' if more > 1 else ''} with errors)"
    return text
