"""Which device training runs on, and the device files a sandboxed GPU run needs.

``--device auto`` uses a GPU when the NVIDIA driver shows one and this process may use it
(``CUDA_VISIBLE_DEVICES``), else the CPU; ``gpu`` insists (and says why it cannot);
``cpu`` hides every GPU.

Example:
    >>> choose_device("cpu").describe()
    'CPU'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEVICES = ("auto", "cpu", "gpu")
_DRIVER = Path("/proc/driver/nvidia/gpus")
_CONTROL_FILES = ("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset")


@dataclass(frozen=True)
class Device:
    kind: str  # "cpu" or "gpu"
    files: tuple[str, ...] = ()  # device files to bind into the sandbox
    visible: tuple[str, ...] = ()  # CUDA_VISIBLE_DEVICES entries

    def describe(self) -> str:
        return "CPU" if self.kind == "cpu" else f"GPU {','.join(self.visible) or '0'}"

    def environment(self) -> dict[str, str]:
        """What the training process needs in its environment."""
        if self.kind == "cpu":
            return {"CUDA_VISIBLE_DEVICES": "-1"}
        env = {"TF_FORCE_GPU_ALLOW_GROWTH": "true"}
        if self.visible:
            env["CUDA_VISIBLE_DEVICES"] = ",".join(self.visible)
        return env


def visible_gpus() -> list[str]:
    """The accelerators this process may use: ``CUDA_VISIBLE_DEVICES`` if set, else NVIDIA's driver list."""
    configured = os.environ.get("CUDA_VISIBLE_DEVICES")
    if configured is not None:
        return [d.strip() for d in configured.split(",") if d.strip() and d.strip() != "-1"]
    return [str(i) for i, _ in enumerate(sorted(_DRIVER.iterdir()))] if _DRIVER.is_dir() else []


def gpu_files() -> tuple[str, ...]:
    """``/dev/nvidia0``... and the driver's control files that exist on this machine."""
    try:
        numbered = sorted(f"/dev/{n}" for n in os.listdir("/dev") if re.fullmatch(r"nvidia\d+", n))
    except OSError:
        numbered = []
    return tuple(numbered + [f for f in _CONTROL_FILES if os.path.exists(f)])


def choose_device(wanted: str = "auto") -> Device:
    """The device for training checks; raises ``ValueError`` when ``gpu`` is asked for and none is usable."""
    if wanted not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)}, got {wanted!r}")
    if wanted == "cpu":
        return Device("cpu")
    gpus, files = visible_gpus(), gpu_files()
    if gpus and files:
        return Device("gpu", files, tuple(gpus))
    if wanted == "gpu":
        reason = ("CUDA_VISIBLE_DEVICES hides every GPU" if os.environ.get("CUDA_VISIBLE_DEVICES") is not None
                  else "the NVIDIA driver shows no GPU (/proc/driver/nvidia/gpus)" if not gpus
                  else "there are no /dev/nvidia* device files to give the sandbox")
        raise ValueError(f"--device gpu: no usable GPU: {reason}")
    return Device("cpu")
