# Looks for ways out: nested user namespaces, capabilities, setuid, ptrace of pid 1, mounts.
import ctypes, os, subprocess
print("ATTEMPT escape")
print("UID", os.getuid(), os.geteuid(), "GID", os.getgid())
for line in open("/proc/self/status"):
    if line.startswith(("CapEff", "CapPrm", "CapBnd", "NoNewPrivs", "Seccomp")):
        print("STATUS", line.strip())
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
print("USERNS", "allowed" if libc.unshare(CLONE_NEWUSER) == 0 else "denied", os.strerror(ctypes.get_errno()))
print("MOUNTNS", "allowed" if libc.unshare(CLONE_NEWNS) == 0 else "denied")
for command in (["unshare", "-U", "-r", "id"], ["su", "-c", "id"], ["mount", "-t", "tmpfs", "x", "/tmp"]):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5)
        print("RAN", command[0], done.returncode, done.stdout.strip(), done.stderr.strip()[:200])
    except (OSError, subprocess.SubprocessError) as exc:
        print("cannot run", command[0], type(exc).__name__)
print("PIDS", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
