# Leaves a double-forked daemon behind, in a session of its own, named so the test can find it.
import os, subprocess, sys, time
print("ATTEMPT daemon")
code = "import os, time\nif os.fork(): os._exit(0)\nos.setsid()\nwhile True: time.sleep(1)\n"
subprocess.Popen([sys.executable, "-c", code, "grader-daemon-@@TOKEN@@"], start_new_session=True)
time.sleep(1)
print("daemon started")
