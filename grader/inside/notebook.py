"""Runs one notebook with nbclient, cell by cell, inside the sandbox (``"program": "notebook"``).

The manifest gives the notebook, the result files, the per-cell time limit and the output
budget; the working directory is the submission's copy. A setup cell installs
:func:`grader_inside.harness.install_ipython` in the kernel first. A failing cell is recorded and
the next one runs; a cell that runs past its timeout is interrupted. After each cell, one record
goes to the progress file, so nothing is lost if this process is killed.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from grader_inside.records import Records

MAX_PROGRESS_BYTES = 4_000_000

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\]|<ipython-input-\d+-[0-9a-f]+>|Input In \[\d*\]),? line (\d+)")

SETUP = """\
def _grader_setup():
    import json
    from grader_inside.harness import install_ipython
    with open({manifest!r}, encoding="utf-8") as handle:
        install_ipython(get_ipython(), json.load(handle), {labels!r})
_grader_setup()
del _grader_setup
"""

FINISH = """\
def _grader_finish():
    import json
    from grader_inside.harness import finish_ipython
    with open({manifest!r}, encoding="utf-8") as handle:
        finish_ipython(get_ipython(), json.load(handle))
_grader_finish()
"""
FLUSH = "from grader_inside.ending import flush_open_files as _grader_flush\n_grader_flush()\ndel _grader_flush\n"


class _BoundedClient(NotebookClient):
    """Keeps at most ``output_budget`` bytes of cell output in memory; the rest is cut once."""

    output_budget = 1_000_000

    def create_kernel_manager(self):
        # IPC sockets in our private /tmp: no TCP port that anyone else on the machine could reach.
        manager = super().create_kernel_manager()
        manager.transport = "ipc"
        manager.ip = os.path.join(tempfile.gettempdir(), "grader-kernel")
        return manager

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        self.output_budget -= size
        if self.output_budget >= 0:
            return super().output(outs, msg, display_id, cell_index)
        if not getattr(self, "_cut_marked", False):
            self._cut_marked = True
            outs.append(nbformat.v4.new_output("stream", name="stderr",
                                               text="[... output cut by the grader: limit reached ...]\n"))
        return None


def main(manifest: dict, manifest_path: str) -> int:
    notebook_path, cell_timeout = manifest["source"], max(1, int(manifest["cell_timeout"]))
    progress_records = Records(manifest["progress"], MAX_PROGRESS_BYTES)
    notebook = nbformat.read(notebook_path, as_version=4)
    runnable = [
        i for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and cell.source.strip()
    ]
    labels = [f"cell {i + 1}" for i in runnable]
    setup = nbformat.v4.new_code_cell(
        SETUP.format(manifest=manifest_path, labels=["setup", *labels])
    )
    notebook.cells.insert(0, setup)
    if manifest.get("inspect"):  # questions about the student's objects, once every cell has run
        notebook.cells.append(nbformat.v4.new_code_cell(FINISH.format(manifest=manifest_path)))
    # The kernel is killed, not shut down, after the last cell (TensorFlow's teardown costs seconds):
    # this cell first flushes what the student's code wrote to files it never closed.
    notebook.cells.append(nbformat.v4.new_code_cell(FLUSH))
    first_own = len(notebook.cells) - (2 if manifest.get("inspect") else 1)  # the grader's cells after the student's
    started: dict[int, float] = {}

    def record(outcome: dict) -> None:
        progress_records.write(outcome)

    def on_start(cell, cell_index, **_):
        started[cell_index] = time.monotonic()

    def on_executed(cell, cell_index, execute_reply, **_):
        if cell_index == 0 or cell_index >= first_own:
            return
        for output in cell.get("outputs", []):  # what the cell printed, for "what your code printed"
            if output.get("output_type") == "stream":
                sys.stdout.write(output.get("text", ""))
        sys.stdout.flush()
        duration = time.monotonic() - started.get(cell_index, time.monotonic())
        content = (execute_reply or {}).get("content", {})
        outcome = {"cell": cell_index, "status": "ok", "duration_s": round(duration, 3)}
        if content.get("status") == "error":
            trace = _ANSI.sub("", "\n".join(content.get("traceback", [])))
            lines = _CELL_LINE.findall(trace)
            outcome.update(
                status="timeout" if duration >= cell_timeout * 0.95 else "error",
                ename=content.get("ename", ""),
                evalue=content.get("evalue", "")[:2000],
                line=int(lines[-1]) if lines else None,
            )
        elif content.get("status") == "aborted":
            outcome["status"] = "error"
            outcome["ename"], outcome["evalue"] = "Aborted", "the kernel aborted this cell"
        record(outcome)

    client = _BoundedClient(
        notebook,
        # What C and C++ code writes (an abort's last words: std::bad_alloc) goes straight to the run's
        # output instead of the cell's, which a dying kernel never delivers.
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        timeout=cell_timeout,
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(Path.cwd())}},
        on_cell_start=on_start,
        on_cell_executed=on_executed,
    )
    client.output_budget = int(manifest.get("output_limit", 1_000_000))
    try:
        client.execute()
    except DeadKernelError:
        dying = max(started) if started else 0
        if dying < first_own:  # dying in the grader's own cells after the student's loses none of theirs
            record({"cell": dying, "status": "died", "ename": "DeadKernelError",
                    "evalue": "the kernel died while running this cell"})
            return 0
    record({"finished": True})
    return 0


