"""The handout's CIFAR-10 CNN and equivalent ways of writing it, for the PyTorch tests (test code only).

``CIFAR10Model`` is the handout's (attributes, ``forward`` calling them), with arguments for
mutations; ``CIFARSequential`` and ``CIFARFunctional`` compute the same thing written otherwise
(``nn.Sequential``; ``F.relu``/``torch.flatten``/``view``/``reshape``).
"""

import torch
import torch.nn.functional as F
from torch import nn


class CIFAR10Model(nn.Module):  # the handout's, with attributes
    def __init__(self, fc3_out=512, drop1=0.3, kernel=3):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=(kernel, kernel), stride=1, padding=kernel // 2)
        self.act1 = nn.ReLU()
        self.drop1 = nn.Dropout(drop1)
        self.conv2 = nn.Conv2d(32, 32, kernel_size=(3, 3), stride=1, padding=1)
        self.act2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(kernel_size=(2, 2))
        self.flat = nn.Flatten()
        self.fc3 = nn.Linear(8192, fc3_out)
        self.act3 = nn.ReLU()
        self.drop3 = nn.Dropout(0.5)
        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        x = self.act1(self.conv1(x))
        x = self.drop1(x)
        x = self.act2(self.conv2(x))
        x = self.pool2(x)
        x = self.flat(x)
        x = self.act3(self.fc3(x))
        x = self.drop3(x)
        return self.fc4(x)


class CIFARSequential(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Dropout(0.3),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(8192, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class CIFARFunctional(nn.Module):
    """``F.relu`` instead of ``nn.ReLU()``, ``torch.flatten`` instead of ``nn.Flatten``."""

    def __init__(self, flatten="torch.flatten"):
        super().__init__()
        self.flatten = flatten
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.drop1 = nn.Dropout(0.3)
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.pool2 = nn.MaxPool2d(2)
        self.fc3 = nn.Linear(8192, 512)
        self.drop3 = nn.Dropout(0.5)
        self.fc4 = nn.Linear(512, 10)

    def forward(self, x):
        x = self.drop1(F.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        if self.flatten == "torch.flatten":
            x = torch.flatten(x, 1)
        elif self.flatten == "view":
            x = x.view(x.size(0), -1)
        else:
            x = x.reshape(-1, 8192)
        x = self.drop3(F.relu(self.fc3(x)))
        return self.fc4(x)


def handout_cnn():
    return CIFAR10Model()
