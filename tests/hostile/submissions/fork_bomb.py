# A fork bomb, bounded (at most 4000 processes, each gone after 20 s) so that a failed
# sandbox slows the machine down without taking it down.
import os, time
print("ATTEMPT fork-bomb", flush=True)
children = 0
for _ in range(4000):
    try:
        pid = os.fork()
    except OSError as exc:
        print("FORK REFUSED after", children, "children:", type(exc).__name__, flush=True)
        break
    if pid == 0:
        time.sleep(20)
        os._exit(0)
    children += 1
print("FORKED", children, flush=True)
