"""``python -m grader.reports.exporters``: list the exporters."""

from grader.reports.exporters import exporters

for exporter in exporters().values():
    when = exporter.flag or (f"always ({exporter.default})" if exporter.default else "when active")
    print(f"{exporter.name:14} per {exporter.per:10} {when:24} {exporter.help}")
