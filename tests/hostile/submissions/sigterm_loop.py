# Ignores SIGTERM and loops forever: only SIGKILL at the time limit stops it.
import signal, time
import keras
modelRNN = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(5)])
print("ATTEMPT sigterm-loop")
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    time.sleep(0.01)
