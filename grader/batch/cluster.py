"""Grade a batch on a Ray cluster: each submission is a task, graded in its worker node's own sandbox.

Submissions and the course (rubric, references, resources) travel as data; each task returns
the result as data (a results.json document). Everything else stays on the machine that runs
``grade``: the content-hash cache decides before dispatch what needs grading, and reports,
index.html and grades.csv are written here. A task lost with its worker or node is retried
elsewhere by Ray; a result is written once, when its task's outcome arrives.

Training checks may ask Ray for a fraction of a GPU (``--gpu-fraction``), so that several small
trainings share one device. Nodes need what a local ``grade`` needs: grader (the same version),
the course's environment, bubblewrap, root for cgroups, and the data sets in their Keras cache
(see ``docs/cluster.md``).

Example::

    >>> executor = RayExecutor("local", gpu_fraction=0.25)          # doctest: +SKIP
    >>> for outcome in executor.outcomes(jobs):                      # doctest: +SKIP
    ...     print(outcome.result.submission, outcome.result.score)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch.worker import Job, JobOutcome, failed_outcome, write_outputs
from grader.errors import InputError
from grader.grading.results import GradedSubmission
from grader.sandbox.limits import gpu_share
from grader.submission.files import Budget, scan

MAX_COURSE_BYTES = 500_000_000


@dataclass(frozen=True)
class Files:
    """Regular files as data: relative path -> content (links were refused when they were listed)."""

    files: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Path, budget: Budget | None = None) -> "Files":
        listing = scan(root, budget or Budget())
        base = root if root.is_dir() else root.parent
        return cls({str(entry.path.relative_to(base)): entry.path.read_bytes() for entry in listing.files})

    def digest(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(f"\0{name}\0".encode())
            digest.update(self.files[name])
        return digest.hexdigest()

    def write(self, root: Path) -> None:
        for name, content in self.files.items():
            target = root / name
            if not target.resolve().is_relative_to(root.resolve()):
                raise ValueError(f"refusing to write {name!r} outside {root}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


@dataclass(frozen=True)
class Course:
    """A rubric with its references, resources and data files, relative to their common folder."""

    rubric: str  # the rubric file, relative to the course folder
    files: Files

    @classmethod
    def of(cls, rubric) -> "Course":
        from grader.grading.rubric import load_rubric

        rubric = load_rubric(rubric.path) if not hasattr(rubric, "reference") else rubric
        parts = [Path(rubric.path), Path(rubric.reference), *map(Path, rubric.resources), *_data_files(rubric)]
        root = Path(os.path.commonpath([p.resolve().parent if p.is_file() else p.resolve() for p in parts]))
        files: dict[str, bytes] = {}
        for part in parts:
            part = part.resolve()
            if part.is_file():
                files[str(part.relative_to(root))] = part.read_bytes()
            else:
                for name, content in Files.of(part).files.items():
                    files[str((part / name).relative_to(root))] = content
        if sum(len(c) for c in files.values()) > MAX_COURSE_BYTES:
            raise InputError(rubric.path, "the course (rubric, references, resources) is larger than "
                             f"{MAX_COURSE_BYTES // 10**6} MB, too large to send to the cluster",
                             "keep large data sets in each node's Keras cache (grader data --download)")
        return cls(str(Path(rubric.path).resolve().relative_to(root)), Files(files))


def _data_files(rubric) -> list[Path]:
    """The files the rubric's train checks read relative to the rubric (``data: {file: ...}``)."""
    found = []
    for activity in rubric.activities:
        for check in activity.checks:
            data = check.options.get("data") if check.kind == "train" else None
            name = data.get("file") if isinstance(data, dict) else None
            if name and (Path(rubric.path).parent / name).is_file():
                found.append(Path(rubric.path).parent / name)
    return found


@dataclass(frozen=True)
class Task:
    """What one Ray task grades: a submission, the course, the options, the reference cards."""

    name: str          # the submission's file or folder name
    is_folder: bool
    submission: Files
    course_digest: str
    options: dict
    references: dict   # model id -> ModelCard config
    sandbox: str       # the level the driver chose; the node chooses its own of that level


def grade_task(task: Task, course: Course) -> dict:
    """Runs on a worker node: grade one submission there, return its result as data."""
    from grader.cards.card import ModelCard
    from grader.grading.grade import error_result, grade_safely
    from grader.grading.rubric import load_rubric
    from grader.options import GradingOptions
    from grader.sandbox.levels import SandboxUnavailable, choose_sandbox

    began = time.monotonic()
    folder = _course_folder(course, task.course_digest)
    rubric = load_rubric(folder / course.rubric)
    options = GradingOptions.from_config(task.options)
    node = socket.gethostname()
    try:
        sandbox = choose_sandbox(task.sandbox)
    except SandboxUnavailable as exc:
        message = f"node {node} cannot isolate student code: {exc.why}. Fix: {exc.fix}"
        return {"result": error_result(rubric, task.name, message, lang=options.lang).to_json(), "failed": True,
                "seconds": time.monotonic() - began, "node": node}
    references = {model_id: ModelCard.from_config(config) for model_id, config in task.references.items()}
    with tempfile.TemporaryDirectory(prefix="grader-task-") as scratch:
        root = Path(scratch)
        if task.is_folder:
            (root / task.name).mkdir()
            task.submission.write(root / task.name)
        else:
            task.submission.write(root)
        result, failed = grade_safely(root / task.name, rubric, options, sandbox=sandbox, references=references)
    return {"result": result.to_json(), "failed": failed, "seconds": time.monotonic() - began, "node": node}


def _course_folder(course: Course, digest: str) -> Path:
    """The course written once per worker node process, under a folder named by its content."""
    folder = Path(tempfile.gettempdir()) / f"grader-course-{digest[:24]}"
    if not (folder / course.rubric).is_file():
        staging = Path(tempfile.mkdtemp(prefix="grader-course-"))
        course.files.write(staging)
        try:
            staging.rename(folder)
        except OSError:  # another task of this node wrote it first
            shutil.rmtree(staging, ignore_errors=True)
    return folder


class RayExecutor:
    """Grades jobs as Ray tasks; the same verb as the local executor: :meth:`outcomes`."""

    def __init__(self, address: str, *, gpu_fraction: float | None = None, retries: int = 3):
        if gpu_fraction is not None:
            gpu_fraction = gpu_share(gpu_fraction, "the GPU fraction")
        self.address, self.gpu_fraction, self.retries = address, gpu_fraction, retries

    def connect(self):
        try:
            import ray
        except ModuleNotFoundError:
            raise InputError(None, "grading on a cluster needs Ray, which is not installed here",
                             'install it with pip install -e ".[ray]"') from None
        if not ray.is_initialized():
            try:
                ray.init(address=None if self.address == "local" else self.address, log_to_driver=False,
                         include_dashboard=False, configure_logging=False,
                         **({"num_cpus": os.cpu_count()} if self.address == "local" else {}))
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise InputError(None, f"cannot reach the Ray cluster at {self.address} ({exc})",
                                 "start it (ray start --head) or give its address, e.g. --cluster 10.0.0.5:6379") \
                    from None
        return ray

    def outcomes(self, jobs: list[Job]):
        """Dispatch every job, then yield each :class:`JobOutcome` as its task ends (its files written here)."""
        ray = self.connect()
        remote = ray.remote(grade_task)
        gpus = ray.cluster_resources().get("GPU", 0)
        courses: dict[str, tuple[str, object]] = {}
        pending = {}
        for job in jobs:
            rubric_key = str(job.rubric.path)
            if rubric_key not in courses:
                course = Course.of(job.rubric)
                courses[rubric_key] = (course.files.digest(), ray.put(course))
            digest, course_ref = courses[rubric_key]
            task = Task(name=job.path.name, is_folder=job.path.is_dir(), submission=Files.of(job.path),
                        course_digest=digest, options=job.options.get_config(),
                        references={m: card.get_config() for m, card in (job.references or {}).items()},
                        sandbox=job.sandbox.level if job.sandbox is not None else job.options.sandbox)
            resources = task_resources(job, gpu_fraction=self.gpu_fraction, cluster_gpus=gpus, retries=self.retries)
            pending[remote.options(**resources).remote(task, course_ref)] = job
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ready[0])
            try:
                answer = ray.get(ready[0])
            except Exception as exc:  # noqa: BLE001 - lost after every retry: say so, grade it next run
                yield failed_outcome(job, exc)
                continue
            result = GradedSubmission.from_json(answer["result"])
            result.rubric = str(job.rubric.path)  # the course's path here, not its copy on the node
            result.path = str(job.path)  # the submission's, not the copy the node graded
            if not answer["failed"]:
                result.cache_key = job.key
            write_outputs(result, job.folder)
            yield JobOutcome(job.index, result, float(answer["seconds"]), grader_failed=bool(answer["failed"]))


def task_resources(job: Job, *, gpu_fraction: float | None, cluster_gpus: float, retries: int) -> dict:
    """What one job's task asks Ray for: a core, and a share of a GPU when it trains on a GPU.

    The share is ``gpu_fraction`` (``--gpu-fraction``), else the rubric's ``limits.gpu_fraction``; a
    job asks for none when neither is set, the cluster has no GPU, ``--device cpu`` was chosen, or its
    rubric has no train check (then the GPU stays free for the jobs that train)."""
    resources = {"num_cpus": 1, "max_retries": retries}
    share = gpu_fraction if gpu_fraction is not None else job.rubric.limits.gpu_fraction
    if share and cluster_gpus and job.options.device != "cpu" and _trains(job.rubric):
        resources["num_gpus"] = share
    return resources


def _trains(rubric) -> bool:
    return any(check.kind == "train" for activity in rubric.activities for check in activity.checks)
