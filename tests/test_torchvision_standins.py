"""The torchvision stand-ins load through torchvision itself, with no network call.

Skipped where torchvision cannot be imported (not installed, or installed beside a torch build it
was not made for: PyPI's x86_64 torchvision next to the CPU-only torch wheel fails with
"operator torchvision::nms does not exist").
"""

import socket
import urllib.request

import pytest

from standins.torchvision_data import (
    CIFAR10_CLASSES, MNIST_FILES, accept_standin_checksums, write_cifar10, write_mnist,
)

try:
    import torch
    import torchvision
    from torchvision import datasets, transforms
except Exception as exc:  # ImportError, or the RuntimeError of a mismatched build
    pytest.skip(f"torchvision is not usable here: {type(exc).__name__}: {exc}", allow_module_level=True)


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection is recorded and refused."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise ConnectionRefusedError("the tests have no network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def test_mnist_standins_load_with_download_true(tmp_path, no_network):
    raw = write_mnist(tmp_path / "data", train=64, test=16)
    assert sorted(p.name for p in raw.iterdir()) == sorted(MNIST_FILES)
    tensor_transform = transforms.ToTensor()  # the handout's lines, with root under tmp_path
    dataset = datasets.MNIST(root=str(tmp_path / "data"), train=True, download=True, transform=tensor_transform)
    test = datasets.MNIST(root=str(tmp_path / "data"), train=False, download=True, transform=tensor_transform)
    assert (len(dataset), len(test)) == (64, 16) and not no_network
    image, label = dataset[0]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32 and 0 <= label <= 9
    assert image[0, 10, 4 + 2 * label] == 1.0  # the stand-in's bar for this digit
    loader = torch.utils.data.DataLoader(dataset=dataset, batch_size=32, shuffle=True)
    images, labels = next(iter(loader))
    assert images.reshape(-1, 28 * 28).shape == (32, 784) and labels.shape == (32,)


def test_mnist_needs_all_four_files(tmp_path, no_network):
    raw = write_mnist(tmp_path)
    (raw / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.MNIST(root=str(tmp_path), train=True, download=False)


def test_standins_are_deterministic(tmp_path):
    one = write_cifar10(tmp_path / "a")
    two = write_cifar10(tmp_path / "b")
    assert one == two
    write_mnist(tmp_path / "a")
    write_mnist(tmp_path / "b")
    for name in MNIST_FILES:
        assert (tmp_path / "a/MNIST/raw" / name).read_bytes() == (tmp_path / "b/MNIST/raw" / name).read_bytes()


def test_cifar10_refuses_standins_by_checksum(tmp_path, no_network):
    write_cifar10(tmp_path)
    with pytest.raises(RuntimeError, match="not found or corrupted"):
        torchvision.datasets.CIFAR10(root=str(tmp_path), train=True, download=False)
    with pytest.raises(OSError):  # download=True: checksums differ, so it goes for the network (refused)
        torchvision.datasets.CIFAR10(root=str(tmp_path), train=True, download=True)
    assert no_network, "CIFAR10 should have tried to download"


def test_cifar10_standins_load_with_their_checksums(tmp_path, no_network):
    checksums = write_cifar10(tmp_path / "data", per_batch=20, test=20)
    transform = torchvision.transforms.Compose([torchvision.transforms.ToTensor()])
    with accept_standin_checksums(torchvision.datasets.CIFAR10, checksums):
        trainset = torchvision.datasets.CIFAR10(root=str(tmp_path / "data"), train=True, download=True,
                                                transform=transform)
        testset = torchvision.datasets.CIFAR10(root=str(tmp_path / "data"), train=False, download=True,
                                               transform=transform)
    assert (len(trainset), len(testset)) == (100, 20) and not no_network
    assert tuple(trainset.classes) == CIFAR10_CLASSES
    image, label = trainset[0]
    assert image.shape == (3, 32, 32) and image[label % 3, 3 * label, 0] == 1.0
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=32, shuffle=True)
    inputs, labels = next(iter(trainloader))
    assert inputs.shape == (32, 3, 32, 32) and labels.dtype == torch.int64
    # the real checksums are back afterwards
    assert torchvision.datasets.CIFAR10.train_list[0][1] == "c99cafc152244af753f735de768cd75f"
    assert torchvision.datasets.CIFAR10.meta["md5"] == "5ff9c542aee3614f3951f8cda6e48888"
