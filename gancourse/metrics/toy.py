"""Sample quality on the 2-D Gaussian mixtures (``ring8``, ``grid25``), as in the DRS and DDLS papers.

A sample is of high quality when it lies within ``n_std`` = 4 standard deviations σ of its nearest mode
(4σ = 0.2 on grid25, 0.08 on ring8); a mode is covered when it receives a high-quality sample.  The
balance of the covered modes (``mode_kl``) is the KL divergence KL(h ‖ w) between the histogram h of high-quality
samples over modes and the mixture weights w (uniform for both toys): 0 for a perfect generator,
log K when all samples sit on one of K modes.
"""

from __future__ import annotations

import torch

from ..toy import GaussianMixture


def toy_quality(samples: torch.Tensor, dist: GaussianMixture, n_std: float = 4.0) -> dict[str, float]:
    """Modes covered, share of high-quality samples and KL(mode histogram ‖ mixture weights)."""
    if not isinstance(dist, GaussianMixture):
        raise TypeError(f"toy_quality needs a GaussianMixture (ring8, grid25, gauss1d), got {type(dist).__name__}.")
    cov = dist.coverage(samples, n_std=n_std)
    h = cov.counts.double() / cov.counts.sum().clamp_min(1)
    w = dist.weights.double()
    kl = (h[h > 0] * (h[h > 0] / w[h > 0]).log()).sum().item() if cov.counts.sum() > 0 else float("inf")
    return {"modes_covered": cov.modes_covered, "n_modes": len(dist.modes), "high_quality": cov.high_quality,
            "mode_kl": kl, "n_std": n_std}
