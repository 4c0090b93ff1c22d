# A wrong CNN (fc3 has 256 units) that puts a tensor subclass on the channel: its weight says its
# shape is [512, 8192] to anyone who asks through torch, and in_features is an int that prints 4096.
import torch
import torch.nn as nn

print("ATTEMPT tensor-subclass")


class Big(torch.Tensor):
    @property
    def shape(self):
        return torch.Size([512, 8192])

    def size(self, dim=None):
        return torch.Size([512, 8192]) if dim is None else (512, 8192)[dim]

    def numel(self):
        return 512 * 8192


class LyingInt(int):
    def __repr__(self):
        return "4096"

    __str__ = __repr__


class CIFAR10Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.act1 = nn.ReLU()
        self.drop1 = nn.Dropout(0.3)
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.act2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.fc3 = nn.Linear(8192, 256)
        self.act3 = nn.ReLU()
        self.drop3 = nn.Dropout(0.5)
        self.fc4 = nn.Linear(256, 10)

    def forward(self, x):
        x = self.drop1(self.act1(self.conv1(x)))
        x = self.pool2(self.act2(self.conv2(x)))
        x = self.drop3(self.act3(self.fc3(self.flat(x))))
        return self.fc4(x)


model = CIFAR10Model()
model.fc3.weight = nn.Parameter(torch.randn(256, 8192).as_subclass(Big))
model.fc3.in_features = LyingInt(8192)
print("claims", model.fc3.weight.shape, model.fc3.weight.numel(), model.fc3.in_features)
