"""Discriminator Rejection Sampling (Azadi, Olsson, Darrell, Goodfellow & Odena, ICLR 2019).

With the optimal discriminator, p_data(x) = p_g(x)·e^{d(x)}, so rejection sampling from p_g with
acceptance probability e^{d(x) − d_M} (d_M = max_x d(x)) returns exact samples of p_data.  In practice
d_M is estimated by a running maximum and most samples would be rejected, so the paper accepts with

    p(x) = σ(F(x) − γ),   F(x) = d(x) − d_M − log(1 − exp(d(x) − d_M − ε))

(for ε → 0, σ(F) = e^{d − d_M} exactly: σ(F) = e^{a}/(1 − e^{a} + e^{a}) with a = d − d_M).  The shift
γ — the ``gamma_percentile``-th percentile of F over a burn-in batch — sets how selective the sampler is
(a sample at that percentile is accepted with probability ½; a higher percentile rejects more) at the
price of exactness; γ = 0 is the exact rule.
"""

from __future__ import annotations


import torch

from ..models.base import Discriminator, Generator
from .common import SamplerStats, check_models


def drs_score(d: torch.Tensor, d_max: float, eps: float = 1e-6) -> torch.Tensor:
    """F(x) = d − d_M − log(1 − exp(d − d_M − ε)) for logits d (d ≤ d_M)."""
    a = d - d_max
    return a - torch.log1p(-torch.exp(a - eps))  # log(1 − e^{a−ε}) computed as log1p(−e^{a−ε})


@torch.no_grad()
def drs(generator: Generator, discriminator: Discriminator, n: int, gamma_percentile: float | None = 80.0,
        burn_in: int = 10_000, batch_size: int = 1000, eps: float = 1e-6, max_draws: int | None = None,
        seed: int = 0, return_stats: bool = False):
    """n samples by Discriminator Rejection Sampling.

    Args:
        gamma_percentile: γ is this percentile of F over the burn-in samples (the paper uses the 80th…95th
            percentile); ``None`` sets γ = 0, the exact rule σ(F) ≈ e^{d − d_M}.
        burn_in: generated samples used to initialise d_M (the running maximum) and γ.
        max_draws: stop with an error after this many proposals (default 1000·n).

    Returns:
        samples (n × data shape), or ``(samples, stats)`` with ``return_stats=True``.
    """
    check_models(generator, discriminator, n)
    if gamma_percentile is not None and not 0 <= gamma_percentile <= 100:
        raise ValueError(f"gamma_percentile must be in [0, 100] (or None), got {gamma_percentile}.")
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}.")
    rng = torch.Generator().manual_seed(seed)
    generator.eval(); discriminator.eval()
    max_draws = max_draws or 1000 * n
    x0 = generator.sample(burn_in, generator=rng)
    d0 = torch.cat([discriminator(x0[i:i + batch_size]) for i in range(0, burn_in, batch_size)])
    d_max = float(d0.max())                                       # d_M, updated as a running maximum
    gamma = 0.0 if gamma_percentile is None else float(torch.quantile(drs_score(d0, d_max, eps).double(),
                                                                        gamma_percentile / 100))
    stats = SamplerStats(n, generator_evals=burn_in, discriminator_evals=burn_in)
    accepted: list[torch.Tensor] = []
    n_acc = draws = 0
    while n_acc < n:
        if draws >= max_draws:
            raise RuntimeError(f"DRS accepted only {n_acc} of {n} samples in {draws} proposals; lower "
                               "gamma_percentile or check that the discriminator returns logits.")
        x = generator.sample(batch_size, generator=rng)
        d = discriminator(x)
        draws += batch_size
        d_max = max(d_max, float(d.max()))
        p_accept = torch.sigmoid(drs_score(d, d_max, eps) - gamma)  # σ(F(x) − γ)
        keep = torch.rand(batch_size, generator=rng).to(d.device) < p_accept
        accepted.append(x[keep])
        n_acc += int(keep.sum())
    stats.generator_evals += draws
    stats.discriminator_evals += draws
    stats.acceptance_rate = n_acc / draws
    stats.extra.update(d_max=d_max, gamma=gamma, draws=draws)
    out = torch.cat(accepted)[:n]
    return (out, stats) if return_stats else out


__all__ = ["drs", "drs_score"]
