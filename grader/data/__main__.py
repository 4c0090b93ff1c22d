"""``python -m grader.data``: list the data sets a train check may use."""

from grader.data import data_sources

for name, source in sorted(data_sources().items()):
    fetch = "downloadable" if source.fetch else ("generated" if source.options else "a course file")
    print(f"{name:14} {fetch:13} {source.help}")
