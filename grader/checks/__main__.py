"""``python -m grader.checks``: list the check kinds, with their options."""

from grader.checks import check_kinds

for name, kind in check_kinds().items():
    options = ", ".join(kind.options.NAMES) or "no options"
    print(f"{name:14} about a {kind.about:10} {options}")
