"""Low-dimensional toy distributions: where every density is known and every plot is honest.

``get(name)`` returns one of

=============  =====================================================================================
``gauss1d``    1D mixture of three Gaussians, means (-3, 0, 3), weights (0.3, 0.4, 0.3), σ = 0.5.
``bimodal1d``  1D mixture of two Gaussians, means (-1.5, 1.5), weights (0.3, 0.7), σ = 0.6: the 1D target
               of lectures 3 (critics) and 5 (samplers), where every sampler's law is computable.
``ring8``      8 Gaussians evenly spaced on a circle of radius 2, σ = 0.02 (Metz et al., 2017).
``grid25``     25 Gaussians with means on the grid {-4, -2, 0, 2, 4}², σ = 0.05, equal weights —
               the benchmark of DRS (Azadi et al., 2019), MH-GAN, DDLS and DOT.
``swissroll``  2D swiss roll with Gaussian noise of σ = 0.05 (no closed-form density).
=============  =====================================================================================

Every distribution has ``.sample(n)`` and ``.bounds`` (a plotting box); the mixtures also have the
exact ``.log_prob(x)``, ``.modes`` (K×d), ``.weights`` (K), ``.std`` (σ, shared by all components) and
``.coverage(samples)`` (share of samples within 4σ of a mode, number of modes covered).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from . import checks


class ToyDistribution:
    """Base class: a distribution on R^d that can be sampled."""

    name: str = "toy"
    dim: int = 2
    bounds: tuple[float, float] = (-1.0, 1.0)

    def sample(self, n: int, rng: torch.Generator | None = None) -> torch.Tensor:
        """``n`` samples as an ``n×dim`` float tensor."""
        raise NotImplementedError

    @staticmethod
    def _check_n(n: int, rng: torch.Generator | None) -> int:
        checks.random_generator("rng", rng)
        return checks.positive_int("n", n, what="the number of samples")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, dim={self.dim})"


@dataclass(frozen=True)
class ModeCoverage:
    """Result of :meth:`GaussianMixture.coverage`."""

    high_quality: float       # share of samples within n_std·σ of a mode
    modes_covered: int        # modes with at least one high-quality sample
    counts: torch.Tensor      # high-quality samples per mode


class GaussianMixture(ToyDistribution):
    """Mixture of isotropic Gaussians with a shared standard deviation σ.

    p(x) = Σ_k w_k N(x; μ_k, σ² I)
    """

    def __init__(self, name: str, modes: torch.Tensor, std: float, weights: torch.Tensor | None = None,
                 bounds: tuple[float, float] | None = None):
        modes = torch.as_tensor(modes, dtype=torch.float32)
        if modes.ndim != 2:
            raise ValueError(f"modes must be a K×d tensor, got shape {tuple(modes.shape)}.")
        k = modes.shape[0]
        weights = torch.full((k,), 1.0 / k) if weights is None else torch.as_tensor(weights, dtype=torch.float32)
        if weights.shape != (k,) or (weights < 0).any() or abs(float(weights.sum()) - 1) > 1e-5:
            raise ValueError(f"weights must be K = {k} non-negative numbers summing to 1 (one per mode), got "
                             f"{weights.tolist()}.")
        if std <= 0:
            raise ValueError(f"std must be positive, got {std}.")
        self.name, self.modes, self.weights, self.std = name, modes, weights, float(std)
        self.dim = modes.shape[1]
        if bounds is None:
            lo, hi = float(modes.min()), float(modes.max())
            pad = 0.25 * (hi - lo) + 4 * self.std
            bounds = (lo - pad, hi + pad)
        self.bounds = bounds

    def sample(self, n: int, rng: torch.Generator | None = None) -> torch.Tensor:
        n = self._check_n(n, rng)
        k = torch.multinomial(self.weights, n, replacement=True, generator=rng)
        noise = torch.randn(n, self.dim, generator=rng)
        return self.modes[k] + self.std * noise

    def sample_with_labels(self, n: int, rng: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Samples and the index of the component each one came from."""
        n = self._check_n(n, rng)
        k = torch.multinomial(self.weights, n, replacement=True, generator=rng)
        return self.modes[k] + self.std * torch.randn(n, self.dim, generator=rng), k

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """Exact log-density log p(x) for x of shape ``n×dim`` (or ``n`` when dim = 1).

        Computed in float64 when x is float64 (e.g. for numerical integration), else in float32.
        """
        x = torch.as_tensor(x)
        x = x.to(torch.float64 if x.dtype == torch.float64 else torch.float32)
        if self.dim == 1 and x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"x must have shape n×{self.dim}, got {tuple(x.shape)}.")
        sq = torch.cdist(x, self.modes.to(x.dtype)).pow(2)  # ||x - μ_k||², n×K
        log_norm = -0.5 * self.dim * math.log(2 * math.pi * self.std**2)
        return torch.logsumexp(self.weights.to(x.dtype).log() + log_norm - sq / (2 * self.std**2), dim=1)

    def density(self, x) -> np.ndarray:
        """Exact density p(x) in float64 NumPy, for quadrature; x a scalar or array of points (dim = 1)
        or an array of shape ``n×dim``. Used by lectures 2 and 4 (scipy.integrate takes these)."""
        try:
            x = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"x must be a number or an array of points, got {type(x).__name__}.") from None
        if self.dim > 1 and (x.ndim == 0 or x.shape[-1] != self.dim):
            raise ValueError(f"x must have shape (..., {self.dim}): one {self.dim}-D point per row, got {x.shape}.")
        if not np.isfinite(x).all():
            raise ValueError("x holds NaN or inf; a density is evaluated at finite points only.")
        shape = x.shape if self.dim == 1 else x.shape[:-1]
        flat = torch.from_numpy(x.reshape(-1, self.dim))
        return self.log_prob(flat).exp().numpy().reshape(shape)

    def nearest_mode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Index of the nearest mode of each point and the distance to it."""
        d = torch.cdist(checks.samples("x", x, dim=self.dim), self.modes)
        dist, idx = d.min(dim=1)
        return idx, dist

    def coverage(self, samples: torch.Tensor, n_std: float = 4.0) -> ModeCoverage:
        """Sample quality on the mixture, as in the DRS / DDLS papers.

        A sample is of *high quality* when it lies within ``n_std``·σ of its nearest mode; a mode is
        *covered* when it receives at least one high-quality sample.
        """
        n_std = checks.positive_float("n_std", n_std, what="the radius in standard deviations")
        idx, dist = self.nearest_mode(checks.samples("samples", torch.as_tensor(samples).detach().cpu(), dim=self.dim))
        good = dist < n_std * self.std
        counts = torch.bincount(idx[good], minlength=len(self.modes))
        return ModeCoverage(int(good.sum()) / len(good), int((counts > 0).sum()), counts)


class SwissRoll(ToyDistribution):
    """Swiss roll: t ~ U(1.5π, 4.5π), x = (t cos t, t sin t)/5 + σ·ε, σ = 0.05."""

    name, dim, bounds = "swissroll", 2, (-2.2, 2.2)

    def __init__(self, noise: float = 0.05):
        self.noise = noise

    def sample(self, n: int, rng: torch.Generator | None = None) -> torch.Tensor:
        n = self._check_n(n, rng)
        t = 1.5 * math.pi * (1 + 2 * torch.rand(n, generator=rng))
        x = torch.stack([t * torch.cos(t), t * torch.sin(t)], dim=1) / 5
        return x + self.noise * torch.randn(n, 2, generator=rng)


def _ring8() -> GaussianMixture:
    angles = torch.arange(8) * (2 * math.pi / 8)
    return GaussianMixture("ring8", 2.0 * torch.stack([angles.cos(), angles.sin()], 1), std=0.02, bounds=(-3.0, 3.0))


def _grid25() -> GaussianMixture:
    axis = torch.tensor([-4.0, -2.0, 0.0, 2.0, 4.0])
    modes = torch.cartesian_prod(axis, axis)
    return GaussianMixture("grid25", modes, std=0.05, bounds=(-5.5, 5.5))


def _gauss1d() -> GaussianMixture:
    return GaussianMixture("gauss1d", torch.tensor([[-3.0], [0.0], [3.0]]), std=0.5,
                           weights=torch.tensor([0.3, 0.4, 0.3]), bounds=(-6.0, 6.0))


def _bimodal1d() -> GaussianMixture:
    return GaussianMixture("bimodal1d", torch.tensor([[-1.5], [1.5]]), std=0.6,
                           weights=torch.tensor([0.3, 0.7]))


_REGISTRY = {"bimodal1d": _bimodal1d, "gauss1d": _gauss1d, "ring8": _ring8, "grid25": _grid25, "swissroll": SwissRoll}


def available() -> list[str]:
    """Names accepted by :func:`get`."""
    return sorted(_REGISTRY)


def get(name: str) -> ToyDistribution:
    """The toy distribution called ``name`` (see the module docstring for the list)."""
    if name not in _REGISTRY:
        raise KeyError(f"Unknown toy distribution {name!r}; available: {', '.join(available())}.")
    return _REGISTRY[name]()
