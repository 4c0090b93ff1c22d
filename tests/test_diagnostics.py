"""Likely fixes for the errors a Keras 1 handout raises under Keras 3.

Error texts are those measured with Keras 3.15 (shared/notes/keras-facts.md, section H).
"""

import pytest

from grader.execution.diagnostics import explain_text as explain


@pytest.mark.parametrize("ename, evalue, code, needle", [
    ("ValueError", "Unrecognized keyword arguments passed to Conv2D: {'subsample': (4, 4), 'border_mode': 'valid'}",
     "Convolution2D(96,11,11,subsample=(4,4),border_mode='valid')", "strides=(4, 4), padding='valid'"),
    ("ValueError", "Unrecognized keyword arguments passed to SimpleRNN: {'input_length': 4}",
     "SimpleRNN(5, input_dim=1, input_length=4)", "keras.Input(shape=(4, 1))"),
    ("TypeError", "TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'",
     "modelRNN.fit(trainX, trainY, nb_epoch=150, batch_size=5)", "epochs=150"),
    ("ModuleNotFoundError", "No module named 'keras.layers.convolutional'",
     "from keras.layers.convolutional import Convolution2D", "from keras.layers import"),
    ("ModuleNotFoundError", "No module named 'keras.layers.normalization'", "", "BatchNormalization"),
    ("ValueError", "Could not interpret activation function identifier: rel", "Activation(activation='rel')",
     "did you mean 'relu'"),
    ("AttributeError", "'Sequential' object has no attribute 'predict_classes'", "", "np.argmax"),
    ("ValueError", "Argument(s) not recognized: {'lr': 0.001}", "Adam(lr=0.001)", "learning_rate"),
    ("ImportError", "cannot import name 'Merge' from 'keras.layers'", "", "Add()"),
    ("NameError", "name 'ZeroPadding2D' is not defined", "", "from keras.layers import ZeroPadding2D"),
    ("AttributeError", "Sequential model 'sequential' has no defined output shape yet.",
     "print(modelAlexNet.output_shape)", "keras.Input(shape=...)"),
    ("NameError", "name 'Sequential' is not defined", "", "from keras.models import Sequential"),
])
def test_handout_errors_get_the_current_spelling(ename, evalue, code, needle):
    assert needle in explain(ename, evalue, code)


def test_unknown_errors_get_no_made_up_fix():
    assert explain("ZeroDivisionError", "division by zero") == ""
