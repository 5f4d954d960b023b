"""A generator and a discriminator known in closed form, to check the theory exactly.

* :class:`AffineGenerator` — G(z) = μ + σ·z with z ~ N(0, I), so p_g = N(μ, σ² I) has an exact density.
* :class:`OptimalDiscriminator` — the optimal discriminator's logit (Goodfellow et al., 2014, Prop. 1)

      D*(x) = p_data(x) / (p_data(x) + p_g(x))   ⇔   d*(x) = log p_data(x) − log p_g(x),

  for any p_data and p_g with a ``log_prob``.  With it, the samplers of lecture 5 are exact corrections
  of p_g, which a test can check against p_data.
"""

from __future__ import annotations

import math
from typing import Protocol

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
