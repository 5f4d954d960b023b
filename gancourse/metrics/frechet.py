"""Fréchet Inception Distance (Heusel et al., 2017, "GANs trained by a two time-scale update rule
converge to a local Nash equilibrium").

Fit a Gaussian to the features φ(x) of each sample set, N(μ_r, Σ_r) for real and N(μ_g, Σ_g) for
generated data, and report the squared 2-Wasserstein distance between the two Gaussians:

    FID = ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2 (Σ_r Σ_g)^{1/2})

The closed form is computed by pytorch-fid's ``calculate_frechet_distance``.  With φ = InceptionV3 it is
the FID of the literature; with φ = the course's MNIST classifier it is the MNIST-domain FID used
throughout the course (numbers from the two are *not* comparable).

This module is the mathematics only — statistics of feature matrices, the distance, and reading and
writing statistics files; which features and which reference set are the business of
:mod:`gancourse.metrics` (``fid``, ``evaluate``) and :mod:`gancourse.metrics.classifier`.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from ..checkpoint import sha256


@dataclass
class FeatureStatistics:
    """Mean μ and covariance Σ of features (float64), and the number of samples n they came from."""

    mu: np.ndarray
    sigma: np.ndarray
    n: int

    @classmethod
    def of(cls, feats: torch.Tensor | np.ndarray) -> "FeatureStatistics":
        """μ and Σ (unbiased, as pytorch-fid) of an n×k feature matrix."""
        f = np.asarray(feats, dtype=np.float64)
        if f.ndim != 2 or len(f) < 2:
            raise ValueError(f"features must be an n×k matrix with n ≥ 2, got shape {f.shape}.")
        if not np.isfinite(f).all():
            raise ValueError("features hold NaN or inf: check the images (and the feature network) for NaN.")
        if len(f) < f.shape[1]:
            warnings.warn(f"Feature statistics from n = {len(f)} samples of {f.shape[1]}-dimensional features: the "
                          "covariance is singular and the FID strongly biased upwards; use n ≥ the feature "
                          "dimension (the course uses 2,000 to 10,000).", stacklevel=2)
        return cls(f.mean(axis=0), np.cov(f, rowvar=False), len(f))


def frechet_distance(a: FeatureStatistics, b: FeatureStatistics) -> float:
    """‖μ_a − μ_b‖² + Tr(Σ_a + Σ_b − 2(Σ_a Σ_b)^{1/2}), by pytorch-fid's ``calculate_frechet_distance``."""
    from pytorch_fid.fid_score import calculate_frechet_distance

    if a.mu.shape != b.mu.shape:
        raise ValueError(f"Feature dimensions differ: {a.mu.shape[0]} vs {b.mu.shape[0]}; "
                         "compute both statistics with the same feature network.")
    with warnings.catch_warnings():
        # pytorch-fid 0.3.0 calls scipy.linalg.sqrtm(..., disp=False), deprecated in SciPy 1.16 and removed
        # in 1.18; requirements pin scipy < 1.18 until pytorch-fid follows.
        warnings.filterwarnings("ignore", message=".*disp.*", category=DeprecationWarning)
        # ReLU features that are zero on every sample make Σ singular; sqrtm warns but the result is exact
        # for those directions (they contribute 0), and pytorch-fid falls back to Σ + εI if it is not finite.
        warnings.filterwarnings("ignore", message=".*singular.*")
        return float(calculate_frechet_distance(a.mu, a.sigma, b.mu, b.sigma))


def save_statistics(stats: FeatureStatistics, path: Path, content: str) -> str:
    """Write statistics as safetensors (float64) with a description; returns the file's SHA-256."""
    save_file({"mu": torch.from_numpy(stats.mu), "sigma": torch.from_numpy(stats.sigma),
               "n": torch.tensor(stats.n)}, str(path), metadata={"content": json.dumps(content)})
    return sha256(path)


def load_statistics(path: Path) -> FeatureStatistics:
    """Read statistics written by :func:`save_statistics` (safetensors: nothing is unpickled)."""
    t = load_file(str(path))
    return FeatureStatistics(t["mu"].numpy(), t["sigma"].numpy(), int(t["n"]))
