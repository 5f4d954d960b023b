"""Feature networks φ for the sample-based metrics: FID, precision/recall and density/coverage compare
distributions of φ(x), never of raw images.

* ``"mnist"`` — the course's MNIST classifier (:mod:`gancourse.metrics.classifier`), 128-d, shipped;
* ``"inception"`` — pytorch-fid's InceptionV3 (the network of the FID paper, pool3 layer, 2048-d),
  whose weights pytorch-fid downloads once into the torch hub cache;
* ``"pixels"`` — the flattened image itself (no network; a baseline that shows why features matter);
* any ``nn.Module`` or callable mapping a batch of images to an n×k tensor.

Images are n×C×H×W tensors in [-1, 1], the range of the course's generators.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any, Callable, Union
from unittest import mock

import torch
from torch import nn

from .. import checks
from ..checkpoint import sha256
from ..config import get_device
from .classifier import mnist_classifier

Features = Union[str, nn.Module, Callable[[torch.Tensor], torch.Tensor]]

# The FID Inception weights are published as pt_inception-2015-12-05-6726825d.pth: by the torch hub
# convention the name ends with the first hex digits of the file's SHA-256, checked before loading.
INCEPTION_SHA256_PREFIX = "6726825d"


class FeatureNetworkUnavailableError(RuntimeError):
    """A feature network's weights are not on disk and could not be downloaded, or fail their hash."""


class InceptionFeatures(nn.Module):
    """pytorch-fid's FID InceptionV3 applied to images in [-1, 1]: 1-channel digits are repeated to RGB,
    scaled to [0, 1] and resized to 299×299 by pytorch-fid itself; returns the 2048-d pool3 features."""

    def __init__(self, inception: nn.Module):
        super().__init__()
        self.inception = inception

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] == 1:
            x = x.repeat(1, 3, 1, 1)
        return self.inception((x + 1) / 2)[0].flatten(1)


def _load_fid_weights(url: str, progress: bool = True, **_: Any) -> dict[str, torch.Tensor]:
    """pytorch-fid's weight loader, made safe: the cached file's SHA-256 prefix is checked against the
    published one, and the file is read with ``weights_only=True`` (tensors only, nothing unpickled)."""
    name = url.rsplit("/", 1)[-1]
    path = Path(torch.hub.get_dir()) / "checkpoints" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.hub.download_url_to_file(url, str(path), hash_prefix=INCEPTION_SHA256_PREFIX, progress=progress)
    digest = sha256(path)
    if not digest.startswith(INCEPTION_SHA256_PREFIX):
        raise FeatureNetworkUnavailableError(
            f"{path} has SHA-256 {digest[:12]}…, not the published {INCEPTION_SHA256_PREFIX}…: it is not pytorch-fid's "
            "Inception checkpoint (corrupt or replaced). Delete it and download it again.")
    return torch.load(path, map_location="cpu", weights_only=True)


def inception_v3(device: torch.device | str | None = None) -> InceptionFeatures:
    """pytorch-fid's InceptionV3 for FID (pool3, 2048-d), built by pytorch-fid's own code.

    The weights (``pt_inception-2015-12-05-6726825d.pth``, 92 MB) are downloaded on first use into
    ``torch.hub.get_dir()/checkpoints``; before they are loaded their SHA-256 is checked against the
    published prefix, and they are read with ``weights_only=True`` (pytorch-fid itself would unpickle them).

    Raises:
        FeatureNetworkUnavailableError: the weights are not cached and cannot be downloaded (offline),
            or the cached file fails its hash check.
    """
    import pytorch_fid.inception as pytorch_fid_inception
    from pytorch_fid.inception import FID_WEIGHTS_URL, InceptionV3

    try:
        with mock.patch.object(pytorch_fid_inception, "load_state_dict_from_url", _load_fid_weights):
            model = InceptionV3([InceptionV3.BLOCK_INDEX_BY_DIM[2048]])
    except OSError as err:  # URLError, HTTPError, socket errors: no network
        name = FID_WEIGHTS_URL.rsplit("/", 1)[-1]
        raise FeatureNetworkUnavailableError(
            f"pytorch-fid's Inception weights could not be downloaded from {FID_WEIGHTS_URL} ({err}). "
            f"On a machine without internet, copy {name} into {torch.hub.get_dir()}/checkpoints/ (its SHA-256 "
            f"must start with {INCEPTION_SHA256_PREFIX}; it is checked, and loaded as tensors only), "
            "or use features='mnist' (the course's MNIST classifier) for digits."
        ) from err
    device = torch.device(device) if device is not None else get_device()
    return InceptionFeatures(model).to(device).eval()


@functools.lru_cache(maxsize=4)
def _network(name: str, device: str) -> Callable[[torch.Tensor], torch.Tensor]:
    if name == "mnist":
        return mnist_classifier(device).features
    if name == "inception":
        return inception_v3(device)
    if name == "pixels":
        return lambda x: x.flatten(1)
    raise ValueError(f"Unknown features {name!r}: expected 'mnist', 'inception', 'pixels' or a network.")


def check_images(images: torch.Tensor, what: str = "images") -> torch.Tensor:
    """Check that ``images`` is a finite n×C×H×W float tensor in [-1, 1]; warn if it looks like [0, 1]."""
    images = checks.images(what, images)
    lo, hi = float(images.min()), float(images.max())
    if lo >= 0 and len(images) > 1:
        warnings.warn(f"{what} lie in [{lo:.3g}, {hi:.3g}]: no pixel is negative, as for images in [0, 1]. The course's "
                      "images are in [-1, 1] (MNIST background -1); rescale with 2x - 1, or the metrics compare "
                      "the wrong distributions (an FID in the hundreds for real digits).", stacklevel=3)
    return images


@torch.no_grad()
def extract_features(images: torch.Tensor, features: Features = "mnist", batch_size: int = 1000,
                     device: torch.device | str | None = None) -> torch.Tensor:
    """φ(images) as an n×k float32 tensor on the CPU, computed in batches without gradients."""
    check_images(images)
    device = torch.device(device) if device is not None else get_device()
    if isinstance(features, str):
        if features == "mnist" and tuple(images.shape[1:]) != (1, 28, 28):
            raise ValueError(f"features='mnist' needs n×1×28×28 digits, got {tuple(images.shape)}.")
        net = _network(features, str(device))
    else:
        net = features
    return torch.cat([net(images[i:i + batch_size].to(device)).float().cpu()
                      for i in range(0, len(images), batch_size)])
