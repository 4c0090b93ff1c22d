# Allocates memory 16 MB at a time, touching every page, far beyond the limit.
import keras
modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
print("ATTEMPT memory-bomb")
hoard = []
for i in range(4096):  # 64 GB at most
    chunk = bytearray(16 * 2**20)
    chunk[::4096] = b"x" * len(chunk[::4096])
    hoard.append(chunk)
print("ALLOCATED", len(hoard) * 16, "MB")
