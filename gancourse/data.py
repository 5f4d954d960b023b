"""Datasets of the course.

``mnist(train=True)`` returns torchvision's MNIST as one tensor of images scaled to [-1, 1]
(the range of a generator's final ``tanh``), shape ``N×1×28×28``, with the digit labels in
``.targets``.  The files are looked up under :func:`gancourse.config.data_root`
(``$GANCOURSE_DATA/MNIST/raw``) and downloaded there when absent and a network is available.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import torch
from torch.utils.data import Dataset

from .config import data_root

# MD5 of the four uncompressed files of the original MNIST distribution (the .gz archives' own MD5s are
# checked by torchvision when it extracts them).
MNIST_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
MNIST_FILES = tuple(MNIST_MD5)
_verified: dict[tuple[str, int, int], bool] = {}


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


def _md5(path: Path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_mnist(raw: Path, download: bool) -> None:
    """Check every uncompressed MNIST file present in ``raw`` against its published MD5.

    A corrupt or truncated file is moved aside (``NAME.corrupt``) when ``download`` is on, so that
    torchvision restores it from its ``.gz`` or downloads it again; otherwise it is reported.
    """
    for name, expected in MNIST_MD5.items():
        path = raw / name
        if not path.exists():
            continue
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in _verified:
            _verified[key] = _md5(path) == expected
        if _verified[key]:
            continue
        if download:
            path.replace(path.with_name(name + ".corrupt"))
            continue
        raise DataNotFoundError(
            f"The MNIST file {path} is corrupt or truncated (its MD5 is not the published {expected}). "
            "Fix: delete it and call mnist(download=True) (with a network, or with its .gz beside it), or copy "
            "a good copy there.")


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

    if not isinstance(train, bool):
        raise TypeError(f"train must be True (the 60,000 training digits) or False (the 10,000 test digits), "
                        f"got {train!r}.")
    root = Path(root).expanduser() if root is not None else data_root()
    raw = root / "MNIST" / "raw"
    verify_mnist(raw, download)
    try:
        ds = MNIST(str(root), train=train, download=download)
    except AssertionError as err:  # torchvision's reader asserts on a malformed header
        raise DataNotFoundError(f"An MNIST file in {raw} has a malformed header ({err}); delete the files there "
                                "and call mnist(download=True) again.") from err
    except (RuntimeError, OSError) as err:  # torchvision raises these when files/network are missing
        corrupt = [f for f in MNIST_FILES if (raw / (f + ".corrupt")).exists() and not (raw / f).exists()]
        missing = [f for f in MNIST_FILES if not (raw / f).exists() and not (raw / (f + ".gz")).exists()]
        raise DataNotFoundError(
            f"MNIST was not found in {raw} and could not be downloaded ({str(err).splitlines()[0] if str(err) else type(err).__name__}).\n"
            f"Expected the files {', '.join(MNIST_FILES)} (or their .gz archives) in that folder. "
            f"Missing: {', '.join(missing) or 'none'}."
            + (f" Corrupt, moved aside as NAME.corrupt: {', '.join(corrupt)}." if corrupt else "") + "\n"
            "Fix: connect to the internet once, or copy the files there, or set the environment "
            "variable GANCOURSE_DATA to a folder that contains MNIST/raw/."
        ) from err
    images = ds.data.unsqueeze(1).float().div_(127.5).sub_(1.0)  # uint8 [0, 255] -> [-1, 1]
    return ImageDataset(images, ds.targets.clone(), name=f"MNIST-{'train' if train else 'test'}")


def mean_image_distance(images: torch.Tensor, reference: torch.Tensor) -> float:
    """Euclidean distance between the average of ``images`` and the average of ``reference``.

    A crude first check that a generator is learning (lectures 0 and 2): the untrained generator's
    average output is a flat grey, the average digit a bright blur on a dark background.
    """
    if images.shape[1:] != reference.shape[1:]:
        raise ValueError(f"images {tuple(images.shape)} and reference {tuple(reference.shape)} differ in shape.")
    if len(images) == 0 or len(reference) == 0:
        raise ValueError(f"images and reference must each hold at least one image, got {len(images)} and "
                         f"{len(reference)}.")
    return float((images.mean(0) - reference.mean(0)).norm())
