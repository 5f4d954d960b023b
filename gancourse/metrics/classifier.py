"""A small MNIST classifier: the feature network of the course's MNIST metrics.

Inception features (Heusel et al., 2017) were learned on ImageNet photographs; for 28×28 digits the
standard practice is a classifier trained on the domain itself.  This CNN

    x (1×28×28, in [-1, 1]) → conv 3×3, 16 → ReLU → max-pool → conv 3×3, 32 → ReLU → max-pool
      → linear 1568 → 128 → ReLU  =: φ(x)  (the *features*)  → dropout → linear 128 → 10  (logits)

gives ``features(x)`` = φ(x) ∈ R¹²⁸ for FID, precision/recall and density/coverage, and its softmax
p(y | x) for the Inception Score.  It is trained on the 60,000 training digits with random shifts of
up to 2 pixels and reaches ≥ 99% accuracy on the 10,000 test digits.  The weights ship with the
package (``gancourse/metrics/mnist_classifier.safetensors``), with the statistics of the 10,000 test
digits' features (``mnist_test_stats.safetensors``, for FID against ``"mnist-test"``); this module loads
both, checking their SHA-256. Reproduce them with

    python -m gancourse.metrics.train_classifier
"""

from __future__ import annotations

import functools
from pathlib import Path

import torch
from torch import nn

from ..checkpoint import CheckpointError, load_checkpoint, read_metadata, sha256
from ..config import get_device
from ..models.base import CourseModule
from .frechet import FeatureStatistics, load_statistics

WEIGHTS = Path(__file__).with_name("mnist_classifier.safetensors")
REFERENCE = Path(__file__).with_name("mnist_test_stats.safetensors")
FEATURE_DIM = 128
RETRAIN = "python -m gancourse.metrics.train_classifier"


class MNISTClassifier(CourseModule):
    """CNN classifier of MNIST digits; ``forward`` gives logits, ``features`` the 128-d layer φ(x)."""

    data_shape = (1, 28, 28)

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, FEATURE_DIM), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(FEATURE_DIM, 10))

    def _check_input(self, x: torch.Tensor) -> None:
        if x.ndim != 4 or tuple(x.shape[1:]) != self.data_shape:
            raise ValueError(f"MNISTClassifier expects images of shape n×1×28×28 in [-1, 1], got {tuple(x.shape)}.")

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """φ(x): the 128-dimensional penultimate layer."""
        self._check_input(x)
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits (n×10); softmax gives p(y | x)."""
        return self.head(self.features(x))


def mnist_classifier(device: torch.device | str | None = None) -> MNISTClassifier:
    """The shipped, trained classifier in eval mode (weights checked against their SHA-256).

    One instance per device is shared by all metrics; do not train it.
    """
    device = torch.device(device) if device is not None else get_device()
    return _load(str(device))


@functools.lru_cache(maxsize=None)
def _load(device: str) -> MNISTClassifier:
    if not WEIGHTS.exists():
        raise FileNotFoundError(f"{WEIGHTS} is missing; recreate it with `{RETRAIN}`.")
    model = load_checkpoint(WEIGHTS, {"classifier": MNISTClassifier()})["classifier"]
    return model.to(device).eval().requires_grad_(False)


def mnist_reference_statistics() -> FeatureStatistics:
    """Shipped statistics of the 10,000 MNIST test digits under the classifier's features.

    The file's SHA-256 is checked against the one recorded in the classifier's card, so stale statistics
    (from another classifier) are refused.
    """
    expected = read_metadata(WEIGHTS)["card"].get("test_stats_sha256")
    if not REFERENCE.exists() or sha256(REFERENCE) != expected:
        raise CheckpointError(f"{REFERENCE} is missing or does not belong to the shipped classifier; "
                              f"recreate both with `{RETRAIN}`.")
    return load_statistics(REFERENCE)


@torch.no_grad()
def accuracy(model: MNISTClassifier, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 2000) -> float:
    """Share of ``images`` whose arg-max class equals ``labels`` (lecture 7; the zoo's class shares)."""
    model.eval()
    device = model.device
    correct = sum(int((model(images[i:i + batch_size].to(device)).argmax(1).cpu() == labels[i:i + batch_size]).sum())
                  for i in range(0, len(images), batch_size))
    return correct / len(images)


@torch.no_grad()
def digit_shares(images: torch.Tensor, device: torch.device | str | None = None) -> torch.Tensor:
    """The share of each digit class 0–9 among ``images`` by the shipped classifier's arg-max (float64, CPU).

    The zoo's cards record it (every MNIST entry ≥ 5% per digit but ``mnist-fgan-reverse-kl``, 4.8%); lectures 2, 4
    and 5 read generators' samples by it.
    """
    labels = mnist_classifier(device)(images.to(device) if device is not None else images).argmax(1).cpu()
    return torch.bincount(labels, minlength=10).double() / len(images)
