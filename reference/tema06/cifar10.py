"""Reference for Tema 06, 7.4.5: the handout's CIFAR-10 CNN ``CIFAR10Model``, in PyTorch.

Attribute names as the handout writes them (``conv1``, ``act1``, ``drop1``, ``conv2``, ``act2``,
``pool2``, ``flat``, ``fc3``, ``act3``, ``drop3``, ``fc4``) and its ``forward``:
conv 3->32 3x3 pad 1, ReLU, Dropout(0.3), conv 32->32 3x3 pad 1, ReLU, MaxPool 2x2, Flatten
(32x16x16 = 8192), Linear 8192->512, ReLU, Dropout(0.5), Linear 512->10. 4,210,090 parameters;
the grader derives that number (and every shape) from the model built here, on batches of 32
CIFAR-10 images (``batch_size = 32``, ``ToTensor()`` gives 3x32x32).

Where the handout is silent or broken, what was assumed: its text loses the indentation of
``forward`` (restored as ``CIFAR10Model``'s method) and its training cell writes ``n_{epochs}``
(an extraction artefact for ``n_epochs = 20``), neither of which changes the architecture.
"""

import torch.nn as nn

INPUT_SHAPE = [32, 3, 32, 32]  # batch_size = 32; ToTensor() on 32x32 RGB images


class CIFAR10Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=(3, 3), stride=1, padding=1)
        self.act1 = nn.ReLU()
        self.drop1 = nn.Dropout(0.3)
        self.conv2 = nn.Conv2d(32, 32, kernel_size=(3, 3), stride=1, padding=1)
        self.act2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(kernel_size=(2, 2))
        self.flat = nn.Flatten()
        self.fc3 = nn.Linear(8192, 512)
        self.act3 = nn.ReLU()
        self.drop3 = nn.Dropout(0.5)
        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        # input 3x32x32, output 32x32x32
        x = self.act1(self.conv1(x))
        x = self.drop1(x)
        # input 32x32x32, output 32x32x32
        x = self.act2(self.conv2(x))
        # input 32x32x32, output 32x16x16
        x = self.pool2(x)
        # input 32x16x16, output 8192
        x = self.flat(x)
        # input 8192, output 512
        x = self.act3(self.fc3(x))
        x = self.drop3(x)
        # input 512, output 10
        x = self.fc4(x)
        return x


def cifar10_model():
    """The handout's ``model = CIFAR10Model()``."""
    return CIFAR10Model()
