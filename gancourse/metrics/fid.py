"""Fréchet Inception Distance (Heusel et al., 2017, "GANs trained by a two time-scale update rule
converge to a local Nash equilibrium").

Fit a Gaussian to the features φ(x) of each sample set, N(μ_r, Σ_r) for real and N(μ_g, Σ_g) for
generated data, and report the squared 2-Wasserstein distance between the two Gaussians:

    FID = ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2 (Σ_r Σ_g)^{1/2})

The closed form is computed by pytorch-fid's ``calculate_frechet_distance``.  With φ = InceptionV3 it is
the FID of the literature; with φ = the course's MNIST classifier it is the MNIST-domain FID used
throughout the course (numbers from the two are *not* comparable).

Reference statistics of the 10,000 MNIST test digits under the classifier ship with the package, so the
FID of 10k generated digits needs only their features.
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
from .features import Features, extract_features

REFERENCE = Path(__file__).with_name("mnist_test_stats.safetensors")


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


def statistics(images: torch.Tensor, features: Features = "mnist", **kwargs) -> FeatureStatistics:
    """:class:`FeatureStatistics` of φ(images)."""
    return FeatureStatistics.of(extract_features(images, features, **kwargs))


def mnist_reference_statistics() -> FeatureStatistics:
    """Shipped statistics of the 10,000 MNIST test digits under the MNIST classifier's features.

    The file's SHA-256 is checked against the one recorded in the classifier's card, so stale statistics
    (from another classifier) are refused.
    """
    from .classifier import WEIGHTS
    from ..checkpoint import CheckpointError, read_metadata

    expected = read_metadata(WEIGHTS)["card"].get("test_stats_sha256")
    if not REFERENCE.exists() or sha256(REFERENCE) != expected:
        raise CheckpointError(f"{REFERENCE} is missing or does not belong to the shipped classifier; "
                              "recreate both with `python -m gancourse.metrics.classifier`.")
    t = load_file(str(REFERENCE))
    return FeatureStatistics(t["mu"].numpy(), t["sigma"].numpy(), int(t["n"]))


def save_reference_statistics(stats: FeatureStatistics, path: Path = REFERENCE) -> str:
    """Write statistics as safetensors (float64); returns the file's SHA-256."""
    save_file({"mu": torch.from_numpy(stats.mu), "sigma": torch.from_numpy(stats.sigma),
               "n": torch.tensor(stats.n)}, str(path), metadata={"content": json.dumps("MNIST test set, classifier features")})
    return sha256(path)


def fid(real: torch.Tensor | FeatureStatistics | str, fake: torch.Tensor | FeatureStatistics,
        features: Features = "mnist", **kwargs) -> float:
    """FID between two image sets (or precomputed :class:`FeatureStatistics`).

    ``real="mnist-test"`` uses the shipped statistics of the MNIST test set (classifier features).
    """
    a = _as_statistics(real, features, **kwargs)
    b = _as_statistics(fake, features, **kwargs)
    return frechet_distance(a, b)


def _as_statistics(x: torch.Tensor | FeatureStatistics | str, features: Features, **kwargs) -> FeatureStatistics:
    if isinstance(x, FeatureStatistics):
        return x
    if isinstance(x, str):
        if x != "mnist-test" or features != "mnist":
            raise ValueError(f"Only 'mnist-test' with features='mnist' names shipped statistics, got {x!r} "
                             f"with features={features!r}.")
        return mnist_reference_statistics()
    return statistics(x, features, **kwargs)
