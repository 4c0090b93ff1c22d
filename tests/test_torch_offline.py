"""torchvision's data sets in the sandbox: the provider's files, and the patch that accepts them without network.

The provider (``grader/data/offline/torchvision_datasets.py``) says where each file of an entry is on
this machine and where it must appear in the sandbox (the handout's ``root="./data"``, under the
working folder ``work/``); the patch (``grader_inside.torch.offline``) lets torchvision's own code load
what is there, stand-ins included, and makes a download that would be needed fail at once.
"""

from __future__ import annotations

import importlib
import socket
import urllib.request

import numpy as np
import pytest

from grader.data.offline.torchvision_datasets import PROVIDER, fetch, torchvision_root
from standins.torchvision_data import CIFAR10_TRAIN, MNIST_FILES, write_cifar10, write_mnist


def test_files_are_where_the_handout_looks(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TORCHVISION_DATA", str(tmp_path / "tv"))
    mnist = PROVIDER.files("MNIST")
    assert [inside for _, inside in mnist] == [f"work/data/MNIST/raw/{name}" for name in MNIST_FILES]
    assert [host for host, _ in mnist] == [tmp_path / "tv" / "MNIST" / "raw" / name for name in MNIST_FILES]
    cifar = PROVIDER.files("CIFAR10")
    assert [inside for _, inside in cifar][:5] == [f"work/data/cifar-10-batches-py/{n}" for n in CIFAR10_TRAIN]
    assert len(cifar) == 7


def test_cifar_is_found_in_the_keras_cache_and_mnist_converted_from_it(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TORCHVISION_DATA", str(tmp_path / "tv"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    keras_cifar = tmp_path / "keras" / "datasets" / "cifar-10-batches-py-target"
    write_cifar10(keras_cifar)
    assert {host.parent for host, _ in PROVIDER.files("CIFAR10")} == {keras_cifar / "cifar-10-batches-py"}
    rng = np.random.default_rng(0)
    x_train, y_train = rng.integers(0, 255, (6, 28, 28), dtype=np.uint8), np.arange(6, dtype=np.uint8)
    x_test, y_test = x_train[:2], y_train[:2]
    np.savez(tmp_path / "keras" / "datasets" / "mnist.npz", x_train=x_train, y_train=y_train, x_test=x_test,
             y_test=y_test)
    fetch("MNIST")  # no network: converted from Keras's copy
    images = (torchvision_root() / "MNIST" / "raw" / "train-images-idx3-ubyte").read_bytes()
    assert images[:4] == b"\x00\x00\x08\x03" and int.from_bytes(images[4:8], "big") == 6
    assert images[16:] == x_train.tobytes()
    assert all(host.exists() for host, _ in PROVIDER.files("MNIST"))


# ------------------------------------------------------------------------------ the patch inside

try:
    import torchvision  # noqa: F401
    from torchvision import datasets
except Exception as exc:  # noqa: BLE001 - not installed, or a build that does not import
    datasets = None
    _why = f"torchvision is not usable here: {type(exc).__name__}: {exc}"

needs_torchvision = pytest.mark.skipif(datasets is None, reason="torchvision is not usable here")


@pytest.fixture
def patched(monkeypatch, inside):
    """``install`` for one test: torchvision's modules and the import hooks are put back afterwards."""
    from grader_inside.torch import offline

    modules = [importlib.import_module(f"torchvision.datasets.{part}") for part in offline._MODULES]
    for module in modules:
        for name in ("check_integrity", "download_and_extract_archive"):
            monkeypatch.setattr(module, name, getattr(module, name))
        monkeypatch.setattr(module, "_grader_offline", False, raising=False)
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise ConnectionRefusedError("the tests have no network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return offline, attempts


@needs_torchvision
def test_provided_standins_load_whatever_their_checksum(tmp_path, patched):
    offline, attempts = patched
    write_cifar10(tmp_path / "data", per_batch=8, test=8)
    write_mnist(tmp_path / "data", train=16, test=4)
    with pytest.raises(RuntimeError):  # torchvision alone refuses stand-ins by their MD5
        datasets.CIFAR10(root=str(tmp_path / "data"), train=True, download=False)
    assert offline.install({"torchvision_datasets": ["MNIST", "CIFAR10"]}) == ["MNIST", "CIFAR10"]
    train = datasets.CIFAR10(root=str(tmp_path / "data"), train=True, download=True)
    test = datasets.CIFAR10(root=str(tmp_path / "data"), train=False, download=True)
    assert (len(train), len(test)) == (40, 8)
    assert len(datasets.MNIST(root=str(tmp_path / "data"), train=True, download=True)) == 16
    assert attempts == []


@needs_torchvision
def test_a_download_that_is_needed_fails_at_once_with_a_clear_line(tmp_path, patched):
    offline, attempts = patched
    offline.install({})
    with pytest.raises(RuntimeError, match="the sandbox has no network"):
        datasets.CIFAR10(root=str(tmp_path / "data"), train=True, download=True)
    with pytest.raises(RuntimeError, match="the sandbox has no network"):
        datasets.MNIST(root=str(tmp_path / "data"), train=True, download=True)
    assert attempts == []
    from grader.frameworks.torch.diagnostics import explain

    assert [m["id"] for m in explain("RuntimeError", "Error downloading train-images-idx3-ubyte.gz")] == \
        ["torch.hint.offline"]


@needs_torchvision
def test_an_entry_not_listed_is_not_accepted(tmp_path, patched):
    offline, _ = patched
    write_cifar10(tmp_path / "data", per_batch=4, test=4)
    offline.install({"torchvision_datasets": ["MNIST"]})  # CIFAR10 not listed: its MD5s still rule
    with pytest.raises(RuntimeError):
        datasets.CIFAR10(root=str(tmp_path / "data"), train=True, download=True)
