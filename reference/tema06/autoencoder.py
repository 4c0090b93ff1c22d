"""Reference for Tema 06, 7.2: the dense MNIST autoencoder ``AE`` of the handout, in PyTorch.

As the handout writes it (``004_d591d88fc3ac50db.txt``): an encoder 784-128-64-36-18-9 with ReLU
between the layers and none after the last, a decoder 9-18-36-64-128-784 ending in ``Sigmoid``;
attribute names ``encoder`` and ``decoder``. 224,601 parameters; the grader derives that number
(and every shape) from the model built here, on inputs shaped as the handout's training loop
feeds them: ``image.reshape(-1, 28*28)`` on batches of 32.

Where the handout is silent or broken, what was assumed: its text loses the closing parentheses
of both ``Sequential`` calls and the indentation of ``self.decoder`` and ``forward`` (an
extraction artefact); they are restored here as ``AE``'s own attributes and method.
"""

import torch

INPUT_SHAPE = [32, 28 * 28]  # batch_size = 32 in the handout's DataLoader; images reshaped to 784


class AE(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Sequential(
            torch.nn.Linear(28 * 28, 128),
            torch.nn.ReLU(),
            torch.nn.Linear(128, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 36),
            torch.nn.ReLU(),
            torch.nn.Linear(36, 18),
            torch.nn.ReLU(),
            torch.nn.Linear(18, 9),
        )
        self.decoder = torch.nn.Sequential(
            torch.nn.Linear(9, 18),
            torch.nn.ReLU(),
            torch.nn.Linear(18, 36),
            torch.nn.ReLU(),
            torch.nn.Linear(36, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 128),
            torch.nn.ReLU(),
            torch.nn.Linear(128, 28 * 28),
            torch.nn.Sigmoid(),
        )

    def forward(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


def autoencoder():
    """The handout's ``model = AE()``."""
    return AE()
