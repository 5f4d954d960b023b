"""Two-sample tests: is H0: p = q consistent with samples X ~ p and Y ~ q?

Lecture 1 motivates GANs with them: a test needs *samples only*, no likelihood, and the classifier
test is exactly a GAN's discriminator.  Each function returns a :class:`TestResult` with the
statistic and its p-value.

* :func:`mean_difference_test` — a z-test on each coordinate's mean, Bonferroni-combined over the
  coordinates.  Blind to differences beyond the mean.
* :func:`mmd_test` — kernel maximum mean discrepancy (Gretton et al., 2012) with a Gaussian kernel
  (median heuristic bandwidth) and its null distribution by permutation.
* :func:`classifier_test` — classifier two-sample test (Lopez-Paz & Oquab, 2017): train a classifier
  to tell X from Y on half the data; under H0 its held-out accuracy is Binomial(n, ½)/n.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from scipy import stats
from torch import nn

from . import checks


@dataclass(frozen=True)
class TestResult:
    """Statistic of a two-sample test and its p-value under H0: p = q."""

    __test__ = False  # not a pytest test class despite its name

    statistic: float
    p_value: float

    def rejects(self, alpha: float = 0.05) -> bool:
        """Whether H0 is rejected at level ``alpha``."""
        return self.p_value < checks.unit_interval("alpha", alpha, what="the level of the test, e.g. 0.05")


def _check(x: torch.Tensor, y: torch.Tensor, min_n: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Both samples as finite float n × d tensors of the same dimension with at least ``min_n`` points."""
    x, y = checks.samples("x", x, min_n=min_n), checks.samples("y", y, min_n=min_n)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"samples must have the same dimension, got {x.shape[1]} and {y.shape[1]}.")
    return x, y


def mean_difference_test(x: torch.Tensor, y: torch.Tensor) -> TestResult:
    """Largest per-coordinate absolute z-score of the mean difference; p-value Bonferroni-corrected over coordinates."""
    x, y = _check(x, y)
    se = (x.var(0) / len(x) + y.var(0) / len(y)).sqrt().clamp_min(1e-12)
    z = ((x.mean(0) - y.mean(0)) / se).abs()
    p = float(2 * stats.norm.sf(float(z.max()))) * x.shape[1]
    return TestResult(float(z.max()), min(1.0, p))


def _gaussian_kernel(z: torch.Tensor, bandwidth: float | None) -> torch.Tensor:
    sq = torch.cdist(z, z).pow(2)
    if bandwidth is None:  # median heuristic
        if not bool((sq > 0).any()):
            raise ValueError("all points of x and y coincide, so the median heuristic has no distance to use; "
                             "pass bandwidth= explicitly (any positive number: the MMD of identical points is 0).")
        bandwidth = float(sq[sq > 0].median().sqrt())
    return torch.exp(-sq / (2 * bandwidth**2))


def mmd2(kernel: torch.Tensor, n: int) -> torch.Tensor:
    """Unbiased MMD² from the joint kernel matrix of [X; Y] with the first n rows from X."""
    kxx, kyy, kxy = kernel[:n, :n], kernel[n:, n:], kernel[:n, n:]
    m = kernel.shape[0] - n
    return ((kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1)) + (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
            - 2 * kxy.mean())


def mmd_test(x: torch.Tensor, y: torch.Tensor, n_permutations: int = 500, bandwidth: float | None = None,
             rng: torch.Generator | None = None) -> TestResult:
    """Kernel MMD² test; p-value = share of label permutations with an MMD² at least as large."""
    x, y = _check(x, y)
    n_permutations = checks.positive_int("n_permutations", n_permutations, what="label shuffles for the p-value")
    if bandwidth is not None:
        bandwidth = checks.positive_float("bandwidth", bandwidth, what="the Gaussian kernel's width σ")
    rng = checks.random_generator("rng", rng)
    n = len(x)
    k = _gaussian_kernel(torch.cat([x, y]), bandwidth)
    observed = mmd2(k, n)
    exceed = 0
    for _ in range(n_permutations):
        perm = torch.randperm(len(k), generator=rng)
        exceed += int(mmd2(k[perm][:, perm], n) >= observed)
    return TestResult(float(observed), (exceed + 1) / (n_permutations + 1))


def classifier_test(x: torch.Tensor, y: torch.Tensor, hidden: int = 64, steps: int = 500, lr: float = 1e-2,
                    rng: torch.Generator | None = None) -> TestResult:
    """C2ST: an MLP classifier trained on half of the pooled samples, tested on the other half.

    Statistic: held-out accuracy; p-value: one-sided binomial test against chance (½).  Each sample needs
    at least 10 points (5 to train on, 5 to test on).
    """
    x, y = _check(x, y, min_n=10)
    hidden = checks.positive_int("hidden", hidden, what="units per hidden layer")
    steps = checks.positive_int("steps", steps, what="Adam steps on the training half")
    lr = checks.positive_float("lr", lr, what="Adam's learning rate")
    rng = checks.random_generator("rng", rng)
    data = torch.cat([x, y])
    labels = torch.cat([torch.ones(len(x)), torch.zeros(len(y))])
    perm = torch.randperm(len(data), generator=rng)
    data, labels = data[perm], labels[perm]
    half = len(data) // 2
    mean, std = data[:half].mean(0), data[:half].std(0).clamp_min(1e-6)
    data = (data - mean) / std
    seed = int(torch.randint(2**31 - 1, (1,), generator=rng))
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        clf = nn.Sequential(nn.Linear(data.shape[1], hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                            nn.Linear(hidden, 1))
    opt = torch.optim.Adam(clf.parameters(), lr=lr)
    for _ in range(steps):
        loss = nn.functional.binary_cross_entropy_with_logits(clf(data[:half]).squeeze(1), labels[:half])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        correct = int(((clf(data[half:]).squeeze(1) > 0).float() == labels[half:]).sum())
    n_test = len(data) - half
    p = stats.binomtest(correct, n_test, 0.5, alternative="greater").pvalue
    return TestResult(correct / n_test, float(p))
