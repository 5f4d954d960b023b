"""A small MNIST classifier: the feature network of the course's MNIST metrics.

Inception features (Heusel et al., 2017) were learned on ImageNet photographs; for 28×28 digits the
standard practice is a classifier trained on the domain itself.  This CNN

    x (1×28×28, in [-1, 1]) → conv 3×3, 16 → ReLU → max-pool → conv 3×3, 32 → ReLU → max-pool
      → linear 1568 → 128 → ReLU  =: φ(x)  (the *features*)  → dropout → linear 128 → 10  (logits)

gives ``features(x)`` = φ(x) ∈ R¹²⁸ for FID, precision/recall and density/coverage, and its softmax
p(y | x) for the Inception Score.  It is trained on the 60,000 training digits with random shifts of
up to 2 pixels and reaches ≥ 99% accuracy on the 10,000 test digits.  The weights ship with the
package (``gancourse/metrics/mnist_classifier.safetensors``); reproduce them with

    python -m gancourse.metrics.classifier
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from ..checkpoint import load_checkpoint, save_checkpoint
from ..config import get_device, seed_everything
from ..models.base import CourseModule

WEIGHTS = Path(__file__).with_name("mnist_classifier.safetensors")
FEATURE_DIM = 128


class MNISTClassifier(CourseModule):
    """CNN classifier of MNIST digits; ``forward`` gives logits, ``features`` the 128-d layer φ(x)."""

    data_shape = (1, 28, 28)

    def __init__(self) -> None:
        super().__init__()
        self.config = {}
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
        raise FileNotFoundError(f"{WEIGHTS} is missing; recreate it with `python -m gancourse.metrics.classifier`.")
    model = load_checkpoint(WEIGHTS, {"classifier": MNISTClassifier()})["classifier"]
    return model.to(device).eval().requires_grad_(False)


def _shift(x: torch.Tensor, max_shift: int, generator: torch.Generator) -> torch.Tensor:
    """Translate each image by up to ``max_shift`` pixels (zero padding is -1, the background)."""
    n = len(x)
    padded = F.pad(x, [max_shift] * 4, value=-1.0)
    dx, dy = (torch.randint(0, 2 * max_shift + 1, (2, n), generator=generator)).tolist()
    return torch.stack([padded[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28] for i in range(n)])


@torch.no_grad()
def accuracy(model: MNISTClassifier, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 2000) -> float:
    """Share of ``images`` whose arg-max class equals ``labels``."""
    model.eval()
    device = model.device
    correct = sum(int((model(images[i:i + batch_size].to(device)).argmax(1).cpu() == labels[i:i + batch_size]).sum())
                  for i in range(0, len(images), batch_size))
    return correct / len(images)


def train_classifier(epochs: int = 10, batch_size: int = 128, lr: float = 3e-3, seed: int = 0,
                     device: torch.device | str | None = None, progress: bool = True
                     ) -> tuple[MNISTClassifier, dict]:
    """Train :class:`MNISTClassifier` on the MNIST training digits; returns it and a card."""
    from ..data import mnist

    rng = seed_everything(seed)
    device = torch.device(device) if device is not None else get_device()
    train, test = mnist(train=True), mnist(train=False)
    model = MNISTClassifier().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * (len(train) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    start = time.perf_counter()
    bar = tqdm(range(steps), disable=not progress, desc="MNIST classifier")
    for step in bar:
        if step % (len(train) // batch_size) == 0:
            order = torch.randperm(len(train), generator=rng)
        idx = order[(step % (len(train) // batch_size)) * batch_size:][:batch_size]
        x = _shift(train.images[idx], 2, rng).to(device)
        model.train()
        loss = F.cross_entropy(model(x), train.targets[idx].to(device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0:
            bar.set_postfix(loss=f"{loss.item():.3f}")
    card = {"epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed,
            "wall_time_s": round(time.perf_counter() - start, 1),
            "test_accuracy": accuracy(model, test.images, test.targets)}
    return model.eval(), card


def main() -> None:
    """Train the classifier, then write its weights and the MNIST test-set statistics of its features."""
    from ..data import mnist
    from .fid import REFERENCE, FeatureStatistics, save_reference_statistics

    model, card = train_classifier()
    print(card)
    if card["test_accuracy"] < 0.99:
        raise SystemExit(f"Test accuracy {card['test_accuracy']:.4f} < 0.99; the weights were not written.")
    model = model.cpu()
    with torch.no_grad():
        feats = torch.cat([model.features(x) for x in mnist(train=False).images.split(1000)])
    card["test_stats_sha256"] = save_reference_statistics(FeatureStatistics.of(feats))
    save_checkpoint(WEIGHTS, {"classifier": model}, card=card)
    print(f"wrote {WEIGHTS} and {REFERENCE}")


if __name__ == "__main__":
    main()
