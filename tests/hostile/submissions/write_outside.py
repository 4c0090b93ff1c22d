# Tries to write outside its working directory.
import os
print("ATTEMPT write-outside")
for path in ("@@COURSE@@/pwned", "@@OUT@@/pwned", "@@SUBMISSIONS@@/pwned", "/tmp/pwned-@@TOKEN@@",
             "../pwned", "../../pwned", "/etc/pwned", "/usr/pwned", "@@VENV@@/pwned", "/root/pwned"):
    try:
        with open(path, "w") as handle:
            handle.write("pwned")
        print("WROTE", path)
    except OSError as exc:
        print("cannot write", path, type(exc).__name__)
