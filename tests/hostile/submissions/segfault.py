# Builds a model, then crashes the interpreter through ctypes.
import ctypes
import keras
modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
print("ATTEMPT segfault", flush=True)
ctypes.string_at(0)
