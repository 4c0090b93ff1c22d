"""``grader data``: which data sets a rubric's train checks use, whether they are here, and fetching them.

Example:
    >>> for status in data_status("rubrics/actividad2.yaml"):   # doctest: +SKIP
    ...     print(status.text())
    ready    airline: resources/actividad2/international-airline-passengers.csv (rubrics/actividad2.yaml)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.data import keras_cache
from grader.data.load import AIRLINE_FILE
from grader.data.spec import DataSpec
from grader.errors import InputError


@dataclass
class DataStatus:
    rubric: Path
    name: str
    where: str  # the file(s) it is read from, or how it is made
    missing: bool
    downloadable: bool = False

    def text(self) -> str:
        state = "MISSING" if self.missing else "ready  "
        return f"{state}  {self.name}: {self.where} ({self.rubric})"


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
        if spec.name in keras_cache.CACHED:
            missing = keras_cache.missing_files(spec.name)
            where = ", ".join(str(p) for p in keras_cache.expected_files(spec.name))
            statuses.append(DataStatus(rubric.path, spec.name, where, bool(missing), downloadable=True))
        elif spec.name in ("airline", "file"):
            wanted = spec.file or AIRLINE_FILE
            path = next((r for r in rubric.resources if r.name == Path(wanted).name), rubric.path.parent / wanted)
            statuses.append(DataStatus(rubric.path, spec.name, str(path), not Path(path).is_file()))
        else:
            statuses.append(DataStatus(rubric.path, spec.name, "generated from a seed", False))
    return statuses


def fetch(status: DataStatus) -> None:
    """Download a missing Keras data set into the local cache (the only place the grader uses the network)."""
    if not status.downloadable:
        raise InputError(status.where, f"the data set {status.name!r} cannot be downloaded by the grader",
                         "ship the file with the rubric (resources:)")
    try:
        keras_cache.download(status.name)
    except Exception as exc:  # no network, a proxy, a full disk: say which and go on
        raise InputError(status.where, f"downloading {status.name} failed ({type(exc).__name__}: {exc})",
                         "check the network, or copy the file there by hand") from None
