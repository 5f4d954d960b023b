"""Discriminator Rejection Sampling (Azadi, Olsson, Darrell, Goodfellow & Odena, ICLR 2019).

With the optimal discriminator, p_data(x) = p_g(x)·e^{d(x)}, so rejection sampling from p_g with
acceptance probability e^{d(x) − d_M} (d_M = max_x d(x)) returns exact samples of p_data.  In practice
d_M is estimated by a running maximum and most samples would be rejected, so the paper accepts with

    p(x) = σ(F(x) − γ),   F(x) = d(x) − d_M − log(1 − exp(d(x) − d_M − ε))

(for ε → 0, σ(F) = e^{d − d_M} exactly: σ(F) = e^{a}/(1 − e^{a} + e^{a}) with a = d − d_M).  The shift
γ — the ``gamma_percentile``-th percentile of F over a burn-in batch — sets how selective the sampler is
(a sample at that percentile is accepted with probability ½; a higher percentile rejects more) at the
price of exactness: the rule is exact only with γ = 0 *and* d_M ≥ sup d, which the running maximum
over a burn-in batch approaches but does not guarantee (lecture 5).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..models.base import Discriminator, Generator
from .. import checks
from .base import (SampleResult, SamplerError, SamplerStats, check_logits, check_models, 
                   eval_mode, register, resolve_config)


@dataclass
class DRSConfig:
    """Options of :func:`drs`.

    Attributes:
        gamma_percentile: γ is this percentile (0…100) of F over the burn-in samples (the paper uses the
            80th…95th); ``None`` sets γ = 0, the exact rule σ(F) ≈ e^{d − d_M}.
        burn_in: generated samples used to initialise d_M (the running maximum) and γ.
        batch_size: proposals evaluated at once.
        eps: the ε of F.
        max_draws: stop with a :class:`SamplerError` after this many proposals (default 1000·n).
        seed: seed of the sampler's random stream.
    """

    gamma_percentile: float | None = 80.0
    burn_in: int = 10_000
    batch_size: int = 1000
    eps: float = 1e-6
    max_draws: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.gamma_percentile is not None:
            if isinstance(self.gamma_percentile, bool) or not isinstance(self.gamma_percentile, (int, float)) \
                    or not 0 <= self.gamma_percentile <= 100:
                raise ValueError(f"gamma_percentile must be a percentile in [0, 100] (or None for γ = 0), "
                                 f"got {self.gamma_percentile!r}.")
            if 0 < self.gamma_percentile < 1:
                raise ValueError(f"gamma_percentile={self.gamma_percentile} looks like a fraction; it is a "
                                 f"percentile in [0, 100] (e.g. {100 * self.gamma_percentile:g}).")
        self.burn_in = checks.positive_int("burn_in", self.burn_in)
        self.batch_size = checks.positive_int("batch_size", self.batch_size)
        if not self.eps > 0:
            raise ValueError(f"eps must be positive, got {self.eps!r}.")
        if self.max_draws is not None:
            self.max_draws = checks.positive_int("max_draws", self.max_draws)
        self.seed = checks.positive_int("seed", self.seed, minimum=0)


def drs_score(d: torch.Tensor, d_max: float, eps: float = 1e-6) -> torch.Tensor:
    """F(x) = d − d_M − log(1 − exp(d − d_M − ε)) for logits d (d ≤ d_M)."""
    a = d - d_max
    return a - torch.log1p(-torch.exp(a - eps))  # log(1 − e^{a−ε}) computed as log1p(−e^{a−ε})


def drs_acceptance(d: torch.Tensor, d_max: float, gamma: float = 0.0, eps: float = 1e-6) -> torch.Tensor:
    """The probability σ(F(x) − γ) with which :func:`drs` accepts a sample of logit d (lecture 5 integrates it
    to get the law DRS samples: p_g·σ(F − γ)/Z)."""
    return torch.sigmoid(drs_score(d, d_max, eps) - gamma)


@register("drs")
@torch.no_grad()
def drs(generator: Generator, discriminator: Discriminator, n: int, config: DRSConfig | None = None,
        **overrides) -> SampleResult:
    """n samples by Discriminator Rejection Sampling (options: :class:`DRSConfig`).

    Cost: burn_in + draws forward passes of G and of D (and the probe of :func:`check_logits` for D); ``stats.acceptance_rate`` = accepted / draws;
    ``stats.extra`` holds ``d_max``, ``gamma`` and ``draws``.
    """
    cfg = resolve_config(DRSConfig, config, overrides)
    n = check_models(generator, discriminator, n)
    rng = torch.Generator().manual_seed(cfg.seed)
    max_draws = cfg.max_draws or 1000 * n
    with eval_mode(generator, discriminator):
        x0 = generator.sample(cfg.burn_in, rng=rng)
        d0 = torch.cat([discriminator(x0[i:i + cfg.batch_size]) for i in range(0, cfg.burn_in, cfg.batch_size)])
        probe = SamplerStats(n)
        check_logits(d0, discriminator, probe)
        d_max = float(d0.max())                                       # d_M, updated as a running maximum
        gamma = 0.0 if cfg.gamma_percentile is None else float(
            torch.quantile(drs_score(d0, d_max, cfg.eps).double(), cfg.gamma_percentile / 100))
        accepted: list[torch.Tensor] = []
        n_acc = draws = 0
        while n_acc < n:
            if draws >= max_draws:
                raise SamplerError(f"DRS accepted only {n_acc} of {n} samples in {draws} proposals; lower "
                                   "gamma_percentile or raise max_draws.")
            x = generator.sample(cfg.batch_size, rng=rng)
            d = discriminator(x)
            draws += cfg.batch_size
            d_max = max(d_max, float(d.max()))
            p_accept = drs_acceptance(d, d_max, gamma, cfg.eps)                # σ(F(x) − γ)
            keep = torch.rand(cfg.batch_size, generator=rng).to(d.device) < p_accept
            accepted.append(x[keep])
            n_acc += int(keep.sum())
    evals = cfg.burn_in + draws
    stats = SamplerStats(n, generator_forward=evals, discriminator_forward=evals + probe.discriminator_forward,
                         acceptance_rate=n_acc / draws,
                         extra=dict(d_max=d_max, gamma=gamma, draws=draws))
    return SampleResult(torch.cat(accepted)[:n], stats)


__all__ = ["DRSConfig", "drs", "drs_score", "drs_acceptance"]
