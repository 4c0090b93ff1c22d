# Shared anonymous mappings are not counted by RLIMIT_DATA: touch them 64 MB at a time.
import mmap
import keras
modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
print("ATTEMPT mmap-bomb")
maps = []
for i in range(1024):  # 64 GB at most
    region = mmap.mmap(-1, 64 * 2**20, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
    for offset in range(0, len(region), 4096):
        region[offset] = 1
    maps.append(region)
print("MAPPED", len(maps) * 64, "MB")
