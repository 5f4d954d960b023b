"""Two answers to FID's dependence on the sample size N (lecture 7).

* **Kernel Inception Distance** (Bińkowski, Sutherland, Arbel & Gretton, 2018, Section 3): the squared MMD between
  the feature distributions with the cubic polynomial kernel k(a, b) = (aᵀb / d + 1)³, d the feature dimension,
  estimated *without bias* (Gretton et al., 2012, Lemma 6: the diagonal terms k(a_i, a_i) are left out). The
  estimate is averaged over ``n_subsets`` random subsets of ``subset_size`` samples from each set (the paper's
  protocol; torch-fidelity uses 100 subsets of 1,000), and its spread over the subsets is returned beside it.
* **FID∞** (Chong & Forsyth, 2020, Section 3): FID computed on random subsets of the generated set of several
  sizes N, fitted by a line in 1/N and extrapolated to 1/N = 0 — the bias-free value FID approaches.

Both take feature matrices (rows φ(x)); :func:`gancourse.metrics.kid` and :func:`gancourse.metrics.fid_infinity`
accept images, feature sets or ``"mnist-test"`` as the other metrics do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch

from .. import checks


def polynomial_kernel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """k(a, b) = (aᵀb / d + 1)³ for all pairs of rows of ``a`` (m×d) and ``b`` (n×d)."""
    return (a @ b.T / a.shape[1] + 1) ** 3


def mmd2_unbiased(x: torch.Tensor, y: torch.Tensor,
                  kernel: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = polynomial_kernel) -> float:
    """Unbiased MMD²_u = mean_{i≠j} k(x_i, x_j) + mean_{i≠j} k(y_i, y_j) − 2 mean_{i,j} k(x_i, y_j)."""
    m, n = len(x), len(y)
    if m < 2 or n < 2:
        raise ValueError(f"The unbiased MMD needs at least 2 samples per set, got {m} and {n}.")
    k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
    within_x = (k_xx.sum() - k_xx.diagonal().sum()) / (m * (m - 1))     # E k(x, x′), x ≠ x′
    within_y = (k_yy.sum() - k_yy.diagonal().sum()) / (n * (n - 1))
    return float(within_x + within_y - 2 * k_xy.mean())


def kid_from_features(real: torch.Tensor, fake: torch.Tensor, n_subsets: int = 100, subset_size: int = 1000,
                      seed: int = 0) -> tuple[float, float]:
    """KID (mean of MMD²_u over random subsets) and its standard deviation over the subsets.

    ``subset_size`` is capped at the smaller set's size; features are used in float64.
    """
    n_subsets = checks.positive_int("n_subsets", n_subsets)
    subset_size = min(checks.positive_int("subset_size", subset_size, minimum=2), len(real), len(fake))
    if subset_size < 2:
        raise ValueError(f"KID needs at least 2 samples per set, got {len(real)} real and {len(fake)} fake.")
    real, fake = torch.as_tensor(real, dtype=torch.float64), torch.as_tensor(fake, dtype=torch.float64)
    rng = torch.Generator().manual_seed(seed)
    values = [mmd2_unbiased(real[torch.randperm(len(real), generator=rng)[:subset_size]],
                            fake[torch.randperm(len(fake), generator=rng)[:subset_size]]) for _ in range(n_subsets)]
    return float(np.mean(values)), float(np.std(values))


@dataclass
class FIDExtrapolation:
    """FID on generated subsets of each size, the line FID = FID∞ + slope / N fitted to them, and its R²."""

    sizes: list[int]
    fids: list[float]
    fid_infinity: float
    slope: float
    r_squared: float

    def predict(self, n: float) -> float:
        """FID the fitted line predicts at sample size n."""
        return self.fid_infinity + self.slope / n


def fit_inverse_n(sizes: Sequence[int], fids: Sequence[float]) -> FIDExtrapolation:
    """Least-squares line of FID against 1/N (Chong & Forsyth, 2020): its intercept is FID∞."""
    if len(sizes) != len(fids) or len(set(sizes)) < 2:
        raise ValueError(f"Need FIDs at two or more distinct sizes, got sizes {list(sizes)} and {len(fids)} FIDs.")
    inv_n, f = 1 / np.asarray(sizes, dtype=np.float64), np.asarray(fids, dtype=np.float64)
    slope, intercept = np.polyfit(inv_n, f, 1)
    residual = f - (intercept + slope * inv_n)
    spread = ((f - f.mean()) ** 2).sum()
    r_squared = 1.0 - (residual ** 2).sum() / spread if spread > 0 else 1.0
    return FIDExtrapolation(list(map(int, sizes)), list(map(float, f)), float(intercept), float(slope), float(r_squared))


__all__ = ["polynomial_kernel", "mmd2_unbiased", "kid_from_features", "FIDExtrapolation", "fit_inverse_n"]
