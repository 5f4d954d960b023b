"""Precision and recall, density and coverage: fidelity and diversity measured separately.

A single number like FID mixes two failures — bad samples and missing modes.  Nearest-neighbour balls in
feature space separate them.  Let X = {x_i} (N real features), Y = {y_j} (M generated), and NND_k(x) the
distance from x to its k-th nearest neighbour within its own set.

Improved precision and recall (Kynkäänniemi et al., NeurIPS 2019), k = 3:

    precision = (1/M) Σ_j 1[∃ i: ‖y_j − x_i‖ ≤ NND_k(x_i)]     share of fakes inside the real manifold
    recall    = (1/N) Σ_i 1[∃ j: ‖x_i − y_j‖ ≤ NND_k(y_j)]     share of reals inside the fake manifold

Density and coverage (Naeem et al., ICML 2020), k = 5 as recommended there, balls around real points only
(so a few outlying fakes cannot inflate them):

    density  = 1/(kM) Σ_j Σ_i 1[‖y_j − x_i‖ ≤ NND_k(x_i)]     ≈ 1 when fakes are distributed like reals
    coverage = (1/N) Σ_i 1[∃ j: ‖x_i − y_j‖ ≤ NND_k(x_i)]
"""

from __future__ import annotations

import torch


def _knn_radii(x: torch.Tensor, ks: tuple[int, ...], chunk: int) -> list[torch.Tensor]:
    """NND_k(x_i) for each k in ``ks``: distance from each row to its k-th nearest other row."""
    if len(x) <= max(ks):
        raise ValueError(f"Need more than k = {max(ks)} samples per set, got {len(x)}.")
    # the max(ks)+1 smallest distances per row, in increasing order; entry 0 is x_i itself (distance 0)
    nearest = torch.cat([torch.cdist(x[i:i + chunk], x).topk(max(ks) + 1, dim=1, largest=False).values
                         for i in range(0, len(x), chunk)])
    return [nearest[:, k] for k in ks]


def prdc(real_features: torch.Tensor, fake_features: torch.Tensor, k_pr: int = 3, k_dc: int = 5,
         chunk: int = 1000) -> dict[str, float]:
    """Precision, recall (k = ``k_pr``), density and coverage (k = ``k_dc``) of two feature sets (N×d, M×d)."""
    x, y = real_features.float(), fake_features.float()
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"Expected two feature matrices N×d and M×d, got {tuple(x.shape)} and {tuple(y.shape)}.")
    r_real_pr, r_real_dc = _knn_radii(x, (k_pr, k_dc), chunk)
    (r_fake_pr,) = _knn_radii(y, (k_pr,), chunk)
    fake_in_real = torch.zeros(len(y), dtype=torch.bool)     # ∃ i: y_j ∈ B(x_i, NND_k(x_i))
    balls_per_fake = torch.zeros(len(y), dtype=torch.float64)  # Σ_i 1[y_j ∈ B(x_i, NND_k(x_i))]
    real_in_fake, real_covered = [], []
    for i in range(0, len(x), chunk):
        d = torch.cdist(x[i:i + chunk], y)                   # ‖x_i − y_j‖ for a chunk of real points
        fake_in_real |= (d <= r_real_pr[i:i + chunk, None]).any(0)
        balls_per_fake += (d <= r_real_dc[i:i + chunk, None]).sum(0)
        real_in_fake.append((d <= r_fake_pr[None, :]).any(1))
        real_covered.append(d.min(1).values <= r_real_dc[i:i + chunk])
    return {"precision": fake_in_real.double().mean().item(),
            "recall": torch.cat(real_in_fake).double().mean().item(),
            "density": (balls_per_fake.sum() / (k_dc * len(y))).item(),
            "coverage": torch.cat(real_covered).double().mean().item()}
