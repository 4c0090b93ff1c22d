# Sends SIGKILL to every process it can see, then tries to kill the grader by pid guessing.
import os, signal
print("ATTEMPT kill-everything")
try:
    os.kill(-1, signal.SIGKILL)  # every process this uid may signal
except OSError as exc:
    print("kill(-1) failed:", exc)
for pid in range(1, 5000):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
