"""Regenerate the report screenshots in docs/img/ (one wrong submission, in English and Spanish).

Grades ``submissions/actividad2/wrong_architecture.ipynb`` once, renders its report in each
language and photographs it with headless Chromium (Debian's ``chromium``)::

    .venv/bin/python docs/make_screenshots.py            # writes docs/img/report-en.png, report-es.png
    .venv/bin/python docs/make_screenshots.py --chromium /usr/bin/chromium --height 2000
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBMISSION = ROOT / "submissions" / "actividad2" / "wrong_architecture.ipynb"
RUBRIC = ROOT / "rubrics" / "actividad2.yaml"
OUT = ROOT / "docs" / "img"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1900)
    args = parser.parse_args(argv)

    from grader.execution.runner import execute
    from grader.expectations.reference import reference_cards
    from grader.grading.grade import score_execution, scan_submission, training_context
    from grader.options import GradingOptions
    from grader.grading.rubric import load_rubric
    from grader.reports.exporters.report_html import write_report
    from grader.submission.submission import Submission

    rubric = load_rubric(RUBRIC)
    references = reference_cards(rubric)
    submission = Submission.from_path(SUBMISSION)
    execution = execute(submission, resources=rubric.resources, timeout=rubric.limits.timeout,
                        fit_cap=rubric.fit_cap)
    training = training_context(rubric, GradingOptions())
    old_calls = scan_submission(submission)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="grader-shots-") as scratch:
        for lang in ("en", "es"):
            result = score_execution(copy.deepcopy(execution), rubric, references, submission.name, lang=lang,
                                     old_calls=old_calls, training=training)
            page = write_report(result.to_json(), Path(scratch) / f"report-{lang}.html")
            target = OUT / f"report-{lang}.png"
            profile = tempfile.mkdtemp(prefix="chromium-", dir=scratch)
            subprocess.run([args.chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={target}",
                            f"--window-size={args.width},{args.height}", page.as_uri()],
                           check=True, timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"{target.relative_to(ROOT)}: {result['score']:g}/{result['max_score']:g} ({lang})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
