"""Datasets of the course.

``mnist(train=True)`` returns torchvision's MNIST as one tensor of images scaled to [-1, 1]
(the range of a generator's final ``tanh``), shape ``N×1×28×28``, with the digit labels in
``.targets``.  The files are looked up under :func:`gancourse.config.data_root`
(``$GANCOURSE_DATA/MNIST/raw``) and downloaded there when absent and a network is available.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import Dataset

from .config import data_root

MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


class DataNotFoundError(FileNotFoundError):
    """A dataset is not on disk and could not be downloaded."""


class ImageDataset(Dataset):
    """Images in [-1, 1] with integer labels; indexing gives ``(image, label)``."""

    def __init__(self, images: torch.Tensor, targets: torch.Tensor, name: str = "images"):
        if images.ndim != 4:
            raise ValueError(f"images must have shape N×C×H×W, got {tuple(images.shape)}.")
        if len(images) != len(targets):
            raise ValueError(f"{len(images)} images but {len(targets)} targets.")
        self.images = images
        self.targets = targets
        self.name = name

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.images[index], self.targets[index]

    def __repr__(self) -> str:
        return f"ImageDataset({self.name}, n={len(self)}, shape={tuple(self.images.shape[1:])})"


def mnist(train: bool = True, root: str | Path | None = None, download: bool = True) -> ImageDataset:
    """MNIST digits as an :class:`ImageDataset` in [-1, 1], shape ``N×1×28×28``.

    Args:
        train: the 60,000 training digits (``True``) or the 10,000 test digits.
        root: data folder; defaults to ``$GANCOURSE_DATA`` (see :mod:`gancourse.config`).
        download: let torchvision download the files when they are absent.

    Raises:
        DataNotFoundError: the files are absent and could not be downloaded; the message names
            the folder and the four files expected there.
    """
    from torchvision.datasets import MNIST

    root = Path(root).expanduser() if root is not None else data_root()
    raw = root / "MNIST" / "raw"
    try:
        ds = MNIST(str(root), train=train, download=download)
    except (RuntimeError, OSError) as err:  # torchvision raises these when files/network are missing
        missing = [f for f in MNIST_FILES if not (raw / f).exists()]
        raise DataNotFoundError(
            f"MNIST was not found in {raw} and could not be downloaded ({str(err).splitlines()[0] if str(err) else type(err).__name__}).\n"
            f"Expected the files {', '.join(MNIST_FILES)} (or their .gz archives) in that folder. "
            f"Missing: {', '.join(missing) or 'none'}.\n"
            "Fix: connect to the internet once, or copy the files there, or set the environment "
            "variable GANCOURSE_DATA to a folder that contains MNIST/raw/."
        ) from err
    images = ds.data.unsqueeze(1).float().div_(127.5).sub_(1.0)  # uint8 [0, 255] -> [-1, 1]
    return ImageDataset(images, ds.targets.clone(), name=f"MNIST-{'train' if train else 'test'}")
