"""Metropolis–Hastings GAN (Turner, Hung, Frank, Saatci & Yosinski, ICML 2019).

Target p_data(x) = p_g(x)·e^{d(x)} (exact for the optimal discriminator), proposals x' ~ p_g independent
of the current state x_k.  The independence-sampler acceptance probability

    α(x', x_k) = min(1, [p_data(x') p_g(x_k)] / [p_data(x_k) p_g(x')]) = min(1, e^{d(x') − d(x_k)})
               = min(1, (D(x_k)⁻¹ − 1) / (D(x')⁻¹ − 1))

needs only the discriminator.  Because d is only approximately optimal, its probabilities are first
*calibrated*: a logistic regression D_cal(x) = σ(a·d(x) + b) fitted on held-out real and generated
samples (Platt scaling).  Each chain starts at a real sample (no burn-in needed), runs K proposals, and
returns its final state; a chain that never accepted a generated sample is restarted, as in the paper
(after ``max_restarts`` it returns its last proposal, never the real starting point).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..models.base import Discriminator, Generator
from .common import SamplerStats, check_models


def calibrate(discriminator: Discriminator, real: torch.Tensor, fake: torch.Tensor, steps: int = 500
              ) -> tuple[float, float]:
    """Platt scaling: (a, b) minimising the cross-entropy of σ(a·d(x) + b) on held-out real (1) and fake (0)."""
    with torch.no_grad():
        d = torch.cat([discriminator(real), discriminator(fake)]).double().cpu()
    y = torch.cat([torch.ones(len(real)), torch.zeros(len(fake))]).double()
    ab = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([ab], max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(ab[0] * d + ab[1], y)
        loss.backward()
        return loss

    opt.step(closure)
    a, b = ab.detach().tolist()
    return a, b


class CalibratedDiscriminator(Discriminator):
    """d_cal(x) = a·d(x) + b: a discriminator (or WGAN critic) turned into a calibrated logit.

    Use it to give DRS or DDLS the logit that :func:`calibrate` fits, e.g. for a WGAN critic, whose raw
    values are not log density ratios: ``CalibratedDiscriminator.fit(critic, real, fake)``.
    """

    def __init__(self, discriminator: Discriminator, a: float, b: float):
        super().__init__()
        self.config = dict(a=a, b=b)
        self.inner, self.a, self.b = discriminator, float(a), float(b)
        self.data_shape = tuple(discriminator.data_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.a * self.inner(x) + self.b

    @classmethod
    def fit(cls, discriminator: Discriminator, real: torch.Tensor, fake: torch.Tensor) -> "CalibratedDiscriminator":
        """Calibrate on held-out ``real`` and ``fake`` samples (:func:`calibrate`) and wrap the result."""
        device = discriminator.device
        return cls(discriminator, *calibrate(discriminator, real.to(device), fake.to(device)))


@torch.no_grad()
def mh(generator: Generator, discriminator: Discriminator, n: int, real: torch.Tensor, k: int = 100,
       calibration: tuple[float, float] | None = None, n_calibration: int = 1000, max_restarts: int = 10,
       seed: int = 0, return_stats: bool = False):
    """n samples, each the final state of an independent MH chain of length ``k``.

    Args:
        real: held-out real samples; the first ``n_calibration`` calibrate the discriminator (unless
            ``calibration=(a, b)`` is given) and chains start at real samples drawn from all of them.
        k: proposals per chain (the paper's K).
        max_restarts: restarts of chains still sitting on their real starting point.
    """
    check_models(generator, discriminator, n)
    if k <= 0:
        raise ValueError(f"k (chain length) must be positive, got {k}.")
    if real.ndim < 2 or tuple(real.shape[1:]) != tuple(generator.data_shape):
        raise ValueError(f"real must be held-out data of shape m×{generator.data_shape}, got {tuple(real.shape)}.")
    rng = torch.Generator().manual_seed(seed)
    generator.eval(); discriminator.eval()
    device = generator.device
    real = real.to(device)
    stats = SamplerStats(n)
    if calibration is None:
        fake_cal = generator.sample(n_calibration, generator=rng)
        calibration = calibrate(discriminator, real[:n_calibration], fake_cal)
        stats.generator_evals += n_calibration
        stats.discriminator_evals += 2 * n_calibration
    a, b = calibration
    logit = lambda x: a * discriminator(x) + b                       # calibrated logit d_cal(x)

    out = torch.empty(n, *generator.data_shape, device=device)
    todo = torch.arange(n)
    accepted_total = proposals_total = restarts = 0
    for attempt in range(max_restarts + 1):
        m = len(todo)
        x = real[torch.randint(len(real), (m,), generator=rng).to(device)]   # x_0: a real sample
        d_x = logit(x)
        moved = torch.zeros(m, dtype=torch.bool, device=device)
        for _ in range(k):
            x_new = generator.sample(m, generator=rng)
            d_new = logit(x_new)
            u = torch.rand(m, generator=rng).to(device)
            accept = torch.log(u) < d_new - d_x                           # u < min(1, e^{d' − d})
            x = torch.where(accept.view(-1, *[1] * (x.ndim - 1)), x_new, x)
            d_x = torch.where(accept, d_new, d_x)
            moved |= accept
            accepted_total += int(accept.sum())
        proposals_total += m * k
        stats.generator_evals += m * k
        stats.discriminator_evals += m * (k + 1)
        if attempt == max_restarts:  # never return the real starting point: fall back to the last proposal
            x = torch.where(moved.view(-1, *[1] * (x.ndim - 1)), x, x_new)
            stats.extra["chains_never_accepted"] = int((~moved).sum())
            moved = torch.ones_like(moved)
        done = moved
        out[todo[done.cpu()]] = x[done]
        todo = todo[~done.cpu()]
        restarts += len(todo)
        if len(todo) == 0:
            break
    stats.acceptance_rate = accepted_total / proposals_total
    stats.extra.update(calibration=(a, b), k=k, restarts=restarts)
    return (out, stats) if return_stats else out
