"""``grader data``: which data sets a rubric's train checks use, and which files its students' code
fetches (``offline:``), whether they are here, and fetching them.

Example:
    >>> for status in data_status("rubrics/actividad2.yaml"):   # doctest: +SKIP
    ...     print(status.text())
    ready    airline: resources/actividad2/international-airline-passengers.csv (rubrics/actividad2.yaml)

A file that is there is read whole and checked to hold the arrays Keras's loader returns (the
shapes, as many labels as examples); one that does not is INVALID, with what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.data import data_source
from grader.data.offline import offline_provider
from grader.data.spec import DataSpec
from grader.errors import InputError


@dataclass
class DataStatus:
    rubric: Path
    name: str
    where: str  # the file(s) it is read from, or how it is made
    missing: bool
    downloadable: bool = False
    spec: DataSpec | None = None
    problem: str | None = None  # the files are there but do not hold what they should
    provider: str | None = None  # an ``offline:`` entry: its provider (grader.data.offline); name is the entry

    @property
    def ready(self) -> bool:
        return not self.missing and self.problem is None

    def text(self) -> str:
        if self.problem is not None:
            return (f"INVALID  {self.name}: {self.where} ({self.rubric}): {self.problem}. Fix: delete it and run "
                    "'grader data --download' again, or copy the right file there")
        state = "MISSING" if self.missing else "ready  "
        name = f"{self.provider} {self.name}" if self.provider else self.name
        return f"{state}  {name}: {self.where} ({self.rubric})"


def data_specs(rubric) -> list[DataSpec]:
    """Each distinct data set named by the rubric's train checks."""
    specs: list[DataSpec] = []
    for activity in rubric.activities:
        for check in activity.checks:
            if check.kind == "train":
                spec = DataSpec.from_config(check.options["data"])
                if all((s.name, s.file) != (spec.name, spec.file) for s in specs):
                    specs.append(spec)
    return specs


def data_status(rubric_path: str | Path) -> list[DataStatus]:
    from grader.grading.rubric import load_rubric

    rubric = load_rubric(rubric_path)
    statuses = []
    for spec in data_specs(rubric):
        source = data_source(spec.name)
        located = source.locate(spec, rubric.path.parent, list(rubric.resources))
        problem = source.verify(spec) if source.verify is not None and not located.missing else None
        statuses.append(DataStatus(rubric.path, spec.name, located.where, located.missing,
                                   downloadable=source.fetch is not None, spec=spec, problem=problem))
    for provider_name, entries in rubric.offline.items():
        provider = offline_provider(provider_name)
        for entry in entries:
            paths = [host for host, _ in provider.files(entry)]
            statuses.append(DataStatus(rubric.path, entry, ", ".join(str(p) for p in paths),
                                       any(not p.exists() for p in paths), downloadable=provider.fetch is not None,
                                       provider=provider_name))
    return statuses


def fetch(status: DataStatus) -> None:
    """Download a missing data set into its cache (the only place the grader uses the network)."""
    if status.provider is not None:
        _fetch_offline(status)
        return
    source = data_source(status.name)
    if source.fetch is None:
        raise InputError(status.where, f"the data set {status.name!r} cannot be downloaded by the grader",
                         "ship the file with the rubric (resources:)")
    try:
        source.fetch(status.spec)
    except Exception as exc:  # noqa: BLE001 - no network, a proxy, a full disk: say which and go on
        raise InputError(status.where, f"downloading {status.name} failed ({type(exc).__name__}: {exc})",
                         "check the network, or copy the file there by hand") from None


def _fetch_offline(status: DataStatus) -> None:
    provider = offline_provider(status.provider)
    if provider.fetch is None:
        raise InputError(status.where, f"{status.provider} {status.name!r} cannot be downloaded by the grader",
                         "copy the file there by hand")
    try:
        provider.fetch(status.name)
    except Exception as exc:  # noqa: BLE001 - no network, a proxy, a full disk: say which and go on
        raise InputError(status.where, f"downloading {status.provider} {status.name} failed "
                         f"({type(exc).__name__}: {exc})", "check the network, or copy the file there by hand") from None
