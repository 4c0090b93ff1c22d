"""JUnit XML: one test suite per submission, one test case per check, for CI test reporters.

GitHub, GitLab and Jenkins show JUnit files as test results: a failed check is a ``<failure>``
whose text names what was expected, what was found and the fix; a check the grader could not run
is an ``<error>``; a check that was not graded (the submission could not be read) is ``<skipped>``.

Example::

    >>> result = {"assignment": "actividad2", "submission": "carla", "status": "graded", "score": 1, "max_score": 2,
    ...           "checks": [{"id": "a1", "activity": "1", "title": "Input", "status": "pass", "points": 1,
    ...                       "max_points": 1, "message": "ok"},
    ...                      {"id": "a2", "activity": "1", "title": "Layers", "status": "fail", "points": 0,
    ...                       "max_points": 1, "message": "strides 2x2 instead of 4x4"}],
    ...           "activities": [{"id": "1", "title": "Block 1", "points": 1, "max_points": 2, "status": "partial"}]}
    >>> write_junit([result], "grades.xml")
    PosixPath('grades.xml')
    >>> junit_xml([result])[:38]
    '<?xml version="1.0" encoding="UTF-8"?>'
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterable

from grader.reports.common import compared_values, format_value, write_text_atomic
from grader.reports.exporters import Exporter

# Characters XML 1.0 cannot hold at all; student output may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ELEMENT = {"fail": "failure", "error": "error", "skipped": "skipped", "info": "skipped"}


def _clean(text) -> str:
    return _NOT_XML.sub("?", "" if text is None else str(text))


def _detail(check: dict) -> str:
    lines = [check.get("message") or ""]
    expected, found = compared_values(check)
    if expected is not None or found is not None:
        lines.append(f"Expected: {format_value(expected)}")
        lines.append(f"Found:    {format_value(found)}")
    if check.get("hint"):
        lines.append(f"Fix: {check['hint']}")
    return "\n".join(line for line in lines if line)


def _suite(result: dict) -> ET.Element:
    name = f"{result.get('assignment', '')}/{result.get('submission', '')}"
    execution = result.get("execution") or {}
    suite = ET.Element("testsuite", name=_clean(name), time=f"{execution.get('duration_s') or 0:.3f}")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    classname = _clean(name.replace("/", "."))
    if result.get("status") == "error":
        case = ET.SubElement(suite, "testcase", classname=classname, name="submission")
        ET.SubElement(case, "error", message=_clean(execution.get("message") or "could not be graded"))
        counts["tests"] += 1
        counts["errors"] += 1
    for check in result.get("checks") or []:
        title = f"{check.get('id', '')}: {check.get('title', '')}".strip(": ")
        case = ET.SubElement(suite, "testcase", classname=classname, name=_clean(title))
        counts["tests"] += 1
        element = _ELEMENT.get(check.get("status"))
        if element is None:
            continue
        counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[element]] += 1
        child = ET.SubElement(case, element, message=_clean(check.get("message") or check.get("status")))
        if element != "skipped":
            child.text = _clean(_detail(check))
    for key, value in counts.items():
        suite.set(key, str(value))
    props = ET.Element("properties")
    for key in ("score", "max_score"):
        ET.SubElement(props, "property", name=key, value=str(result.get(key)))
    suite.insert(0, props)
    return suite


def junit_xml(results: Iterable[dict]) -> str:
    """The JUnit XML document for ``results`` as text."""
    root = ET.Element("testsuites", name="grader")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in results:
        suite = _suite(result)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(results: Iterable[dict], path: str | os.PathLike) -> Path:
    """Write the JUnit XML for ``results`` to ``path`` atomically."""
    return write_text_atomic(path, junit_xml(results))


EXPORTER = Exporter(name="junit", write=lambda results, path, links=None: write_junit(results, path), flag="--junit",
                    help="the checks as JUnit XML (CI systems show them as tests)")
