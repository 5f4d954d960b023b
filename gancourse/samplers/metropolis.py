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

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..models.base import Discriminator, Generator
from .. import checks
from .base import (SampleResult, SamplerStats, check_logits, check_models, eval_mode, register,
                   resolve_config)


def calibrate(discriminator: Discriminator, real: torch.Tensor, fake: torch.Tensor, steps: int = 500
              ) -> tuple[float, float]:
    """Platt scaling: (a, b) minimising the cross-entropy of σ(a·d(x) + b) on held-out real (1) and fake (0)."""
    with torch.no_grad():
        return platt_scaling(discriminator(real), discriminator(fake), steps)


def platt_scaling(d_real: torch.Tensor, d_fake: torch.Tensor, steps: int = 500) -> tuple[float, float]:
    """(a, b) of :func:`calibrate` from the logits of the real and the fake samples."""
    d = torch.cat([d_real, d_fake]).double().cpu()
    y = torch.cat([torch.ones(len(d_real)), torch.zeros(len(d_fake))]).double()
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
    values are not log density ratios: ``CalibratedDiscriminator.fit(critic, real, fake)`` (lecture 5).
    It wraps a live model and is not a checkpointable module: save the inner discriminator and (a, b).
    """

    def __init__(self, discriminator: Discriminator, a: float, b: float):
        super().__init__()
        self.inner, self.a, self.b = discriminator, float(a), float(b)
        self.data_shape = tuple(discriminator.data_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.a * self.inner(x) + self.b

    @classmethod
    def fit(cls, discriminator: Discriminator, real: torch.Tensor, fake: torch.Tensor) -> "CalibratedDiscriminator":
        """Calibrate on held-out ``real`` and ``fake`` samples (:func:`calibrate`) and wrap the result."""
        device = discriminator.device
        return cls(discriminator, *calibrate(discriminator, real.to(device), fake.to(device)))


MIN_CALIBRATION = 100  # real samples below which Platt scaling is refused (two parameters, noisy fit)


@dataclass
class MHConfig:
    """Options of :func:`mh`.

    Attributes:
        real: held-out real samples (m × data shape, required); the first ``n_calibration`` calibrate the
            discriminator (unless ``calibration=(a, b)`` is given) and chains start at real samples drawn
            from all of them.
        k: proposals per chain (the paper's K).
        calibration: a fixed (a, b) instead of fitting one.
        n_calibration: real and generated samples used for Platt scaling (at least 100 are required).
        max_restarts: restarts of chains still sitting on their real starting point.
        seed: seed of the sampler's random stream.
    """

    real: torch.Tensor | None = None
    k: int = 100
    calibration: tuple[float, float] | None = None
    n_calibration: int = 1000
    max_restarts: int = 10
    seed: int = 0

    def __post_init__(self) -> None:
        if self.real is None:
            raise ValueError("MH needs held-out real samples to start its chains: pass real=<tensor m × data shape>.")
        if not isinstance(self.real, torch.Tensor) or self.real.ndim < 2:
            raise ValueError(f"real must be held-out data of shape m × data shape, got {getattr(self.real, 'shape', self.real)!r}.")
        self.k = checks.positive_int("k (chain length)", self.k)
        self.n_calibration = checks.positive_int("n_calibration", self.n_calibration, minimum=2)
        self.max_restarts = checks.positive_int("max_restarts", self.max_restarts, minimum=0)
        self.seed = checks.positive_int("seed", self.seed, minimum=0)


@register("mh")
@torch.no_grad()
def mh(generator: Generator, discriminator: Discriminator, n: int, config: MHConfig | None = None,
       **overrides) -> SampleResult:
    """n samples, each the final state of an independent MH chain of K proposals (options: :class:`MHConfig`).

    Cost: n_calibration forward passes of G (and 2·n_calibration of D) for the calibration, then K per
    chain run (restarted chains run again); ``stats.extra`` holds the calibration, K and the restarts.
    """
    if isinstance(config, torch.Tensor):
        raise TypeError("mh's fourth argument is its config; pass the held-out real samples as real=<tensor>.")
    cfg = resolve_config(MHConfig, config, overrides)
    n = check_models(generator, discriminator, n)
    if tuple(cfg.real.shape[1:]) != tuple(generator.data_shape):
        raise ValueError(f"real must be held-out data of shape m×{generator.data_shape}, got {tuple(cfg.real.shape)}.")
    if cfg.calibration is None and len(cfg.real) < min(cfg.n_calibration, MIN_CALIBRATION):
        raise ValueError(f"real holds {len(cfg.real)} samples; Platt calibration needs at least {MIN_CALIBRATION} "
                         "(or pass calibration=(a, b)).")
    rng = torch.Generator().manual_seed(cfg.seed)
    device = generator.device
    real = cfg.real.to(device)
    stats = SamplerStats(n)
    with eval_mode(generator, discriminator):
        calibration = cfg.calibration
        if calibration is None:
            fake_cal = generator.sample(cfg.n_calibration, rng=rng)
            d_fake = discriminator(fake_cal)
            check_logits(d_fake, discriminator, stats)
            calibration = platt_scaling(discriminator(real[:cfg.n_calibration]), d_fake)
            stats.generator_forward += cfg.n_calibration
            stats.discriminator_forward += len(real[:cfg.n_calibration]) + cfg.n_calibration
        a, b = calibration
        logit = lambda x: a * discriminator(x) + b                       # calibrated logit d_cal(x)

        out = torch.empty(n, *generator.data_shape, device=device)
        todo = torch.arange(n)
        accepted_total = proposals_total = restarts = 0
        for attempt in range(cfg.max_restarts + 1):
            m = len(todo)
            x = real[torch.randint(len(real), (m,), generator=rng).to(device)]   # x_0: a real sample
            d_raw = discriminator(x)
            if attempt == 0 and cfg.calibration is not None:
                check_logits(d_raw, discriminator, stats)
            d_x = a * d_raw + b
            moved = torch.zeros(m, dtype=torch.bool, device=device)
            for _ in range(cfg.k):
                x_new = generator.sample(m, rng=rng)
                d_new = logit(x_new)
                u = torch.rand(m, generator=rng).to(device)
                accept = torch.log(u) < d_new - d_x                           # u < min(1, e^{d' − d})
                x = torch.where(accept.view(-1, *[1] * (x.ndim - 1)), x_new, x)
                d_x = torch.where(accept, d_new, d_x)
                moved |= accept
                accepted_total += int(accept.sum())
            proposals_total += m * cfg.k
            stats.generator_forward += m * cfg.k
            stats.discriminator_forward += m * (cfg.k + 1)
            if attempt == cfg.max_restarts:  # never return the real starting point: fall back to the last proposal
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
    stats.extra.update(calibration=(a, b), k=cfg.k, restarts=restarts)
    return SampleResult(out, stats)


__all__ = ["MHConfig", "mh", "calibrate", "platt_scaling", "CalibratedDiscriminator"]
