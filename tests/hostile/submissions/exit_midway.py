# Builds a model, then leaves with os._exit(0) before the end: no exception, no cleanup.
import os
import keras
modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
print("ATTEMPT exit")
os._exit(0)
print("never printed")
