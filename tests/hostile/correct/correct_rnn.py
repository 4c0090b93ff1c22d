# Another student's correct work. SECRET-OTHER-STUDENT-@@TOKEN@@ must never reach a hostile submission.
import keras

modelRNN = keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN(5)])
modelRNN.summary()
