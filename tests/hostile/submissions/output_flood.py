# Prints 300 MB.
import sys
print("ATTEMPT output-flood")
line = "x" * 1023 + "\n"
block = line * 1024
for _ in range(300):
    sys.stdout.write(block)
print("FLOOD DONE")
