"""A generator and a discriminator known in closed form, to check the theory exactly.

* :class:`AffineGenerator` — G(z) = μ + σ·z with z ~ N(0, I), so p_g = N(μ, σ² I) has an exact density.
* :class:`OptimalDiscriminator` — the optimal discriminator's logit (Goodfellow et al., 2014, Prop. 1)

      D*(x) = p_data(x) / (p_data(x) + p_g(x))   ⇔   d*(x) = log p_data(x) − log p_g(x),

  for any p_data and p_g with a ``log_prob``.  With it, the samplers of lecture 5 are exact corrections
  of p_g, which a test can check against p_data.
* :class:`KantorovichCritic1D` — the optimal 1-Lipschitz critic of W₁ between two 1D laws, read off their
  CDFs, with the optimal-transport map beside it: the exact case of discriminator optimal transport
  (lecture 6).
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import torch
from torch import nn

from .base import Discriminator, Generator


class HasLogProb(Protocol):
    def log_prob(self, x: torch.Tensor) -> torch.Tensor: ...


class AffineGenerator(Generator):
    """G(z) = μ + σ·z on R^dim (latent and data dimension are equal); p_g = N(μ, σ² I)."""

    def __init__(self, dim: int = 1, mu: float = 0.0, sigma: float = 1.0):
        super().__init__()
        if sigma <= 0:
            raise ValueError(f"sigma must be positive, got {sigma}.")
        self.latent_dim, self.data_shape = dim, (dim,)
        self.mu = nn.Parameter(torch.full((dim,), float(mu)))
        self.log_sigma = nn.Parameter(torch.tensor(math.log(sigma)))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        self._check_latent(z)
        return self.mu + self.log_sigma.exp() * z

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """log p_g(x) = log N(x; μ, σ² I) for x of shape n×dim."""
        sigma = self.log_sigma.exp()
        sq = (x - self.mu).pow(2).sum(1)
        return -0.5 * sq / sigma**2 - self.latent_dim * (torch.log(sigma) + 0.5 * math.log(2 * math.pi))


class OptimalDiscriminator(Discriminator):
    """d*(x) = log p_data(x) − log p_g(x): the logit of the best discriminator between two known densities."""

    def __init__(self, data: HasLogProb, generator: HasLogProb, dim: int = 1):
        super().__init__()
        self.data_shape = (dim,)
        self.data, self.generator = data, generator
        self.register_buffer("_anchor", torch.zeros(()))  # gives the module a device

    @property
    def device(self) -> torch.device:
        return self._anchor.device

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.data.log_prob(x).to(x.dtype) - self.generator.log_prob(x)


class KantorovichCritic1D(Discriminator):
    """The Kantorovich–Rubinstein critic between two 1D laws, exact up to a grid (lecture 6).

    In 1D, W₁(p, q) = ∫ ``|F_p − F_q|`` dx, and a maximiser of E_p f − E_q f over 1-Lipschitz f is

        f*(x) = ∫_lo^x sign(F_q(t) − F_p(t)) dt

    (integrate E_p f − E_q f by parts: it is ∫ f′ (F_q − F_p) dx, largest when f′ = sign(F_q − F_p)).
    Here p is the data and q the generator, so f* rises where the generator has too much mass on the left.
    The optimal transport of q onto p is the monotone map T(y) = F_p⁻¹(F_q(y)) (:meth:`transport_map`).

    f* is linear between the points of a grid of ``n_grid`` points on [lo, hi] (slopes ±1, or 0 where
    the CDFs agree) and extended linearly outside it, so it is 1-Lipschitz and differentiable almost
    everywhere, as a sampler needs.  With ``dim`` > 1 it acts on the first coordinate of its input (the
    optimal critic of two laws that differ only in that coordinate).

    Args:
        data: p, anything with ``log_prob`` of n×1 points (a :mod:`gancourse.toy` 1D mixture).
        generator: q, likewise (an :class:`AffineGenerator` with ``dim=1``).
        lo, hi, n_grid: the grid on which the CDFs are integrated; it must hold both laws' mass.
        dim: the input dimension (the critic reads coordinate 0).
    """

    def __init__(self, data: HasLogProb, generator: HasLogProb, lo: float = -8.0, hi: float = 8.0,
                 n_grid: int = 16_001, dim: int = 1):
        super().__init__()
        if not hi > lo or n_grid < 3:
            raise ValueError(f"Need lo < hi and n_grid ≥ 3, got lo={lo}, hi={hi}, n_grid={n_grid}.")
        self.data_shape = (dim,)
        grid = np.linspace(lo, hi, n_grid)
        cdfs = []
        for name, law in (("data", data), ("generator", generator)):
            with torch.no_grad():
                density = law.log_prob(torch.tensor(grid, dtype=torch.float64)[:, None]).double().exp().numpy()
            mass = np.concatenate([[0.0], np.cumsum(0.5 * (density[1:] + density[:-1]) * np.diff(grid))])
            if abs(mass[-1] - 1) > 1e-3:
                raise ValueError(f"The {name} law has mass {mass[-1]:.4f} on [{lo}, {hi}]; widen the grid.")
            cdfs.append(mass / mass[-1])
        self.grid, self.cdf_data, self.cdf_generator = grid, cdfs[0], cdfs[1]
        slope = np.sign(self.cdf_generator - self.cdf_data)[:-1]       # f*′ = sign(F_q − F_p) on each cell
        values = np.concatenate([[0.0], np.cumsum(slope * np.diff(grid))])
        self.register_buffer("_grid", torch.tensor(grid))
        self.register_buffer("_values", torch.tensor(values))
        self.register_buffer("_slope", torch.tensor(slope))

    @property
    def w1(self) -> float:
        """W₁(p, q) = ∫ ``|F_p − F_q|`` dx on the grid (equal to E_p f* − E_q f*)."""
        gap = np.abs(self.cdf_data - self.cdf_generator)
        return float(np.sum(0.5 * (gap[1:] + gap[:-1]) * np.diff(self.grid)))

    @property
    def kinks(self) -> np.ndarray:
        """Where f* turns from rising to falling: its local maxima (F_q − F_p changes sign from + to −)."""
        s = self._slope.numpy()
        turn = np.flatnonzero((s[:-1] > 0) & (s[1:] < 0))
        return self.grid[turn + 1]

    def transport_map(self, y: torch.Tensor) -> torch.Tensor:
        """T(y) = F_p⁻¹(F_q(y)), the optimal transport of the generator's law onto the data's (same shape as y)."""
        flat = y.detach().cpu().double().reshape(-1).numpy()
        u = np.interp(flat, self.grid, self.cdf_generator)
        return torch.tensor(np.interp(u, self.cdf_data, self.grid), dtype=y.dtype).reshape(y.shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        t = x[:, 0].double()
        i = torch.searchsorted(self._grid, t.detach()).clamp(1, len(self._grid) - 1) - 1   # cell of each point
        return (self._values[i] + self._slope[i] * (t - self._grid[i])).to(x.dtype)        # f*(x), linear in the cell
