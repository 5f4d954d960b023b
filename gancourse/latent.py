"""Access to the latent space — lecture 8: inverting a generator, and what a feature map knows about the digits.

A GAN gives x = G(z) but no way back. Three ways to get one:

* **inversion by optimisation** (:func:`invert`): z* = argmin_z ‖G(z) − x‖² / D + λ·‖z‖² / (2k), by Adam on a batch
  of codes (D = pixels per sample, k = latent dimension; the prior term is (λ/k)·(−log p₀(z)) up to a constant:
  per latent dimension, as the reconstruction term is per pixel). Any generator of the zoo; ``z0`` starts it from an encoder's guess, E(x).
* **an encoder learned with the GAN**: BiGAN (:mod:`gancourse.models.bigan`, trained by
  :func:`gancourse.train.train` with ``encoder=E``);
* **the discriminator's features** (``discriminator.features(x)``, its penultimate layer).

How much a representation knows about the classes is measured the standard way: a **linear probe** (multinomial
logistic regression on the frozen features, :func:`linear_probe`) and **1-nearest-neighbour** classification
(:func:`nearest_neighbour_accuracy`), both trained on training digits and scored on test digits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F

from . import checks
from .config import progress_bar
from .models.base import Generator


@dataclass
class Inversion:
    """What :func:`invert` found: the codes, their reconstructions' errors, and the cost.

    Attributes:
        z: the codes z*, n × k.
        error: the final mean squared error per pixel of each sample, ‖G(z*) − x‖² / D (n values).
        history: the batch's mean squared error per pixel at the start and after every step (``steps + 1`` values:
            ``history[0]`` at z0, ``history[-1]`` at z*).
        seconds: wall-clock time of the optimisation.
        generator_passes: forward (and as many backward) passes of G per sample: ``steps``.
    """

    z: torch.Tensor
    error: torch.Tensor
    history: list[float] = field(default_factory=list)
    seconds: float = 0.0
    generator_passes: int = 0


def invert(generator: Generator, x: torch.Tensor, steps: int = 500, lr: float = 0.05, prior_weight: float = 0.0,
           z0: torch.Tensor | None = None, seed: int = 0, batch_size: int = 1000,
           progress: bool = False) -> Inversion:
    """Codes z* ≈ argmin_z ‖G(z) − x‖²/D + λ‖z‖²/(2k) for every row of ``x``, by ``steps`` Adam steps of size ``lr``.

    Args:
        generator: any course generator (it is not changed; its parameters get no gradient).
        x: target samples, n × the generator's data shape.
        prior_weight: λ ≥ 0, the weight of the prior term −log p₀(z) = ‖z‖²/2 (+ const), per latent dimension.
        z0: starting codes (n × k), e.g. a BiGAN encoder's E(x); by default draws from p₀ with ``seed``.
        batch_size: samples optimised together (each sample's code has its own loss; the batch only shares
            the forward pass).
    """
    steps = checks.positive_int("steps", steps)
    if not isinstance(x, torch.Tensor) or tuple(x.shape[1:]) != tuple(generator.data_shape):
        raise ValueError(f"x must be a tensor of shape n×{'×'.join(map(str, generator.data_shape))} (what the "
                         f"generator makes), got {tuple(getattr(x, 'shape', ()))}.")
    if prior_weight < 0 or lr <= 0:
        raise ValueError(f"prior_weight must be ≥ 0 and lr > 0, got prior_weight={prior_weight}, lr={lr}.")
    n, k = len(x), generator.latent_dim
    if z0 is None:
        z0 = generator.sample_latent(n, torch.Generator().manual_seed(seed))
    elif not isinstance(z0, torch.Tensor) or tuple(z0.shape) != (n, k):
        raise ValueError(f"z0 must be a tensor of shape {n}×{k} (one code per sample), got "
                         f"{tuple(getattr(z0, 'shape', ()))}.")
    device = generator.device
    was_training = generator.training
    generator.eval()
    start = time.perf_counter()
    codes, errors, history = [], [], torch.zeros(steps + 1)
    try:
        for lo in range(0, n, batch_size):
            target = x[lo:lo + batch_size].to(device)
            z = z0[lo:lo + batch_size].detach().clone().to(device).requires_grad_(True)
            opt = torch.optim.Adam([z], lr=lr)
            for step in progress_bar(range(steps), progress, desc="inversion", leave=False, mininterval=1.0):
                mse = (generator(z) - target).flatten(1).pow(2).mean(1)       # ‖G(z) − x‖² / D per sample
                loss = mse + prior_weight * z.pow(2).mean(1) / 2              # + λ‖z‖²/(2k)
                opt.zero_grad(set_to_none=True)
                loss.sum().backward()                                         # each code its own gradient
                opt.step()
                history[step] += mse.detach().sum().cpu()
            with torch.no_grad():
                errors.append((generator(z) - target).flatten(1).pow(2).mean(1).cpu())
            history[steps] += errors[-1].sum()
            codes.append(z.detach().cpu())
    finally:
        generator.train(was_training)
        for p in generator.parameters():
            p.grad = None
    return Inversion(torch.cat(codes), torch.cat(errors), (history / n).tolist(), time.perf_counter() - start, steps)


FeatureMap = Callable[[torch.Tensor], torch.Tensor]


@torch.no_grad()
def features(feature_map: FeatureMap, x: torch.Tensor, batch_size: int = 2000) -> torch.Tensor:
    """``feature_map`` applied to ``x`` in batches (no gradients), flattened to n × d, on the CPU."""
    checks.function("feature_map", feature_map, "a map from a batch of samples to a batch of feature vectors")
    return torch.cat([feature_map(x[i:i + batch_size]).flatten(1).float().cpu() for i in range(0, len(x), batch_size)])


def _check_split(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor) -> None:
    for name, f, y in (("train", train_x, train_y), ("test", test_x, test_y)):
        if f.ndim != 2 or y.ndim != 1 or len(f) != len(y) or len(f) == 0:
            raise ValueError(f"{name} features must be n × d with n labels, got {tuple(f.shape)} and {tuple(y.shape)}.")
    if train_x.shape[1] != test_x.shape[1]:
        raise ValueError(f"train and test features differ in dimension: {train_x.shape[1]} vs {test_x.shape[1]}.")


def linear_probe(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor,
                 epochs: int = 30, lr: float = 1e-2, weight_decay: float = 1e-4, batch_size: int = 512,
                 seed: int = 0) -> float:
    """Test accuracy of a multinomial logistic regression on frozen features (a *linear probe*).

    Features are standardised with the training set's mean and standard deviation; Adam (``lr``, L2
    ``weight_decay``) for ``epochs`` passes over shuffled batches. Deterministic given ``seed``.
    """
    _check_split(train_x, train_y, test_x, test_y)
    mean, std = train_x.mean(0), train_x.std(0).clamp_min(1e-6)
    a, b = (train_x - mean) / std, (test_x - mean) / std
    n_classes = int(max(train_y.max(), test_y.max())) + 1
    rng = torch.Generator().manual_seed(seed)
    probe = torch.nn.Linear(a.shape[1], n_classes)
    with torch.no_grad():
        probe.weight.copy_(torch.randn(probe.weight.shape, generator=rng) * 0.01)
        probe.bias.zero_()
    opt = torch.optim.Adam(probe.parameters(), lr=lr, weight_decay=weight_decay)
    with torch.enable_grad():                                   # also when called under torch.no_grad()
        _fit_probe(probe, opt, a, train_y, epochs, batch_size, rng)
    with torch.no_grad():
        return float((probe(b).argmax(1) == test_y).float().mean())


def _fit_probe(probe: torch.nn.Linear, opt: torch.optim.Optimizer, a: torch.Tensor, y: torch.Tensor, epochs: int,
               batch_size: int, rng: torch.Generator) -> None:
    """``epochs`` passes of Adam on the cross-entropy of ``probe`` over shuffled batches of (a, y)."""
    for _ in range(epochs):
        order = torch.randperm(len(a), generator=rng)
        for i in range(0, len(a), batch_size):
            idx = order[i:i + batch_size]
            loss = F.cross_entropy(probe(a[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()


@torch.no_grad()
def nearest_neighbour_accuracy(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor,
                               test_y: torch.Tensor, metric: str = "euclidean", chunk: int = 1000) -> float:
    """Test accuracy of 1-nearest-neighbour classification (``metric``: ``"euclidean"`` or ``"cosine"``)."""
    _check_split(train_x, train_y, test_x, test_y)
    if metric not in ("euclidean", "cosine"):
        raise ValueError(f"metric must be 'euclidean' or 'cosine', got {metric!r}.")
    a, b = train_x.float(), test_x.float()
    if metric == "cosine":
        a, b = F.normalize(a, dim=1), F.normalize(b, dim=1)
    correct = 0
    for i in range(0, len(b), chunk):
        q = b[i:i + chunk]
        if metric == "cosine":
            nearest = (q @ a.T).argmax(1)                       # largest cosine similarity
        else:
            nearest = torch.cdist(q, a).argmin(1)               # smallest distance
        correct += int((train_y[nearest] == test_y[i:i + chunk]).sum())
    return correct / len(b)


def relative_error(estimate: torch.Tensor, target: torch.Tensor, rng: torch.Generator, q: float = 0.5) -> float:
    """The q-quantile of the absolute error ``abs(estimate - target)`` over the median distance of independent
    pairs of ``target`` rows.

    About 1 for an estimate that ignores its input; lecture 8 reports E(G(z)) against z and G(E(x)) against x
    with it (the pairs are a random permutation drawn from ``rng``).
    """
    if estimate.shape != target.shape:
        raise ValueError(f"estimate and target must have the same shape, got {tuple(estimate.shape)} and "
                         f"{tuple(target.shape)}.")
    scale = (target - target[torch.randperm(len(target), generator=rng)]).abs().median()
    return float((estimate - target).abs().quantile(q) / scale)


def mode_only(points: torch.Tensor, values: torch.Tensor, centres: torch.Tensor) -> torch.Tensor:
    """The baseline of lecture 8's 1D BiGAN: a map that knows only the mode of each point.

    Each 1D point (n × 1) is assigned to its nearest centre (m × 1); the map returns, for every point, the median of
    ``values`` (n × 1) over the points of its mode — e.g. the mode's median code z for points G(z).
    """
    mode = (points - centres[:, 0]).abs().argmin(1)
    medians = torch.stack([values[mode == j].median() if (mode == j).any() else values.median()
                           for j in range(len(centres))])
    return medians[mode][:, None]


def pca_plane(codes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean (k) and the first two principal directions (k × 2) of a set of codes (n × k): project with
    ``(codes - mean) @ directions``. Lecture 8 draws the test digits' codes and Langevin chains in this plane."""
    mean = codes.mean(0)
    _, _, directions = torch.pca_lowrank(codes - mean, q=2, center=False)
    return mean, directions
