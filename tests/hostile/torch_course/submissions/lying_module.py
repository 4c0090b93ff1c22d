# A wrong CNN (fc3 has 256 units: 2,112,682 parameters) whose every way of describing itself says it
# is the reference (4,210,090): __repr__, extra_repr, parameters(), named_parameters(),
# named_modules(), children(), and a state_dict() that lies too.
import torch
import torch.nn as nn

print("ATTEMPT lying-module")


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

    def __repr__(self):
        return "CIFAR10Model(Total params: 4,210,090)"

    def extra_repr(self):
        return "fc3=Linear(in_features=8192, out_features=512)"

    def parameters(self, recurse=True):
        return iter([nn.Parameter(torch.zeros(4_210_090))])

    def named_parameters(self, *args, **kwargs):
        return iter([("weight", nn.Parameter(torch.zeros(4_210_090)))])

    def named_modules(self, *args, **kwargs):
        return iter([("", self)])

    def children(self):
        return iter([])

    def state_dict(self, *args, **kwargs):
        return {"weight": torch.zeros(4_210_090)}


nn.Linear.extra_repr = lambda self: "in_features=8192, out_features=512, bias=True"
model = CIFAR10Model()
print(model, sum(p.numel() for p in model.parameters()))
