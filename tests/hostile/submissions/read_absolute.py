# Reads the rubric, the reference, hidden data, the output folder and another student's file
# by their absolute paths on the grader's machine.
import os
print("ATTEMPT read-absolute")
for path in ("@@RUBRIC@@", "@@REFERENCE@@", "@@HIDDEN@@", "@@OTHER@@", "@@OUT@@", "@@COURSE@@",
             "/etc/shadow", "/root/.bash_history", "/proc/1/environ", "/proc/1/cmdline"):
    try:
        if os.path.isdir(path):
            print("LIST", path, os.listdir(path))
        else:
            print("READ", path, open(path, errors="replace").read()[:2000])
    except OSError as exc:
        print("cannot read", path, type(exc).__name__)
print("ENV", dict(os.environ))
