"""Discriminator Driven Latent Sampling (Che, Zhang, Sohl-Dickstein, Larochelle, Paull, Cao & Bengio,
NeurIPS 2020, "Your GAN is secretly an energy-based model").

The corrected distribution p*_d(x) ∝ p_g(x)·e^{d(x)} is the push-forward through G of the latent
distribution p_t(z) ∝ p₀(z)·e^{d(G(z))}, i.e. of the energy-based model

    E(z) = −log p₀(z) − β·d(G(z)) = ½‖z‖² − β·d(G(z)) + const      (p₀ = N(0, I); β = 1 in the paper)

which Langevin dynamics samples without ever evaluating a normaliser:

    z_{t+1} = z_t − (η_t / 2)·∇_z E(z_t) + s·√η_t · ξ_t,    ξ_t ~ N(0, I),

with s = 1 (``noise_scale``) the exact Langevin diffusion; smaller s trades diversity for quality.  For
a WGAN critic f in place of d the same energy is used with f's scale set by β (the paper's WGAN variant).

Course options (not in the paper, off by default): step-size decay η_t = η·decay^t; updating only a
subset ``dims`` of the latent coordinates; a diversity regulariser adding λ / (mean pairwise
distance between the latents of a batch of chains) to the energy of every chain; and ``metropolis=True``,
the Metropolis-adjusted Langevin algorithm (MALA; Roberts & Tweedie, 1996), which treats each Langevin
step as a proposal z' and accepts it with probability

    min(1, exp(E(z) − E(z') + log q(z | z') − log q(z' | z))),   q(z' | z) = N(z'; z − (η/2)∇E(z), η I),

so that p_t is left exactly invariant whatever the step size: the discretisation bias of plain DDLS
(chains leaving narrow regions of the latent space) disappears, at the price of rejected steps.  MALA
is exact for the *stationary* law; a chain of finitely many steps from the prior is still on its way.

The module has two layers: :func:`langevin_step` and :func:`mala_step`, pure functions of the current
state, and :func:`ddls`, the driver that runs them on batches of chains and counts their cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import torch

from ..models.base import Discriminator, Generator
from .. import checks
from .base import (LangevinDivergedError, SampleResult, SamplerStats, check_logits, check_models,
                   eval_mode, register, resolve_config)

EnergyAndGrad = Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]]


def latent_energy(generator: Generator, discriminator: Discriminator, z: torch.Tensor,
                  beta: float = 1.0) -> torch.Tensor:
    """E(z) = ½‖z‖² − β·d(G(z)) for each row of z (up to the constant of log p₀)."""
    return 0.5 * z.pow(2).sum(1) - beta * discriminator(generator(z))


def langevin_step(z: torch.Tensor, grad: torch.Tensor, eta: float, noise: torch.Tensor,
                  noise_scale: float = 1.0, mask: torch.Tensor | float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    """One unadjusted Langevin step: returns (z', mean) with mean = z − (η/2)·∇E(z), z' = mean + s·√η·ξ.

    ``noise`` is ξ ~ N(0, I) of z's shape; ``mask`` zeroes the coordinates that do not move.
    """
    mean = z - 0.5 * eta * grad * mask                                  # z − (η/2)∇E(z)
    return mean + noise_scale * eta ** 0.5 * noise * mask, mean        # + s√η ξ


def mala_log_alpha(z: torch.Tensor, energy: torch.Tensor, mean: torch.Tensor, proposal: torch.Tensor,
                   energy_new: torch.Tensor, grad_new: torch.Tensor, eta: float,
                   mask: torch.Tensor | float = 1.0) -> torch.Tensor:
    """log of MALA's acceptance ratio E(z) − E(z') + log q(z | z') − log q(z' | z), per chain."""
    log_q_forward = -((proposal - mean) * mask).pow(2).sum(1) / (2 * eta)                       # log q(z' | z)
    log_q_backward = -((z - proposal + 0.5 * eta * grad_new * mask) * mask).pow(2).sum(1) / (2 * eta)  # log q(z | z')
    return energy - energy_new + log_q_backward - log_q_forward


def mala_step(z: torch.Tensor, energy: torch.Tensor, grad: torch.Tensor, eta: float, noise: torch.Tensor,
              uniform: torch.Tensor, energy_and_grad: EnergyAndGrad, mask: torch.Tensor | float = 1.0):
    """One Metropolis-adjusted Langevin step; returns (z, E(z), ∇E(z), accepted) after the accept/reject.

    ``uniform`` is one U(0, 1) draw per chain; ``energy_and_grad`` evaluates E and ∇E at the proposal.
    """
    proposal, mean = langevin_step(z, grad, eta, noise, 1.0, mask)
    energy_new, grad_new = energy_and_grad(proposal)
    with torch.no_grad():
        accept = uniform.log() < mala_log_alpha(z, energy, mean, proposal, energy_new, grad_new, eta, mask)
        z = torch.where(accept[:, None], proposal, z)
        energy = torch.where(accept, energy_new, energy)
        grad = torch.where(accept[:, None], grad_new, grad)
    return z, energy, grad, accept


def _diversity(z: torch.Tensor) -> torch.Tensor:
    """1 / mean pairwise distance between the rows of z (large when the chains crowd together)."""
    if len(z) < 2:
        return torch.zeros((), device=z.device)
    return 1.0 / torch.pdist(z).mean().clamp_min(1e-8)


@dataclass
class DDLSConfig:
    """Options of :func:`ddls`.

    Attributes:
        step_size: η > 0.
        n_steps: T ≥ 0.
        noise_scale: s ≥ 0 (1: Langevin).
        beta: β of the energy.
        decay: η_t = η·decay^t, 0 < decay ≤ 1.
        dims: latent coordinates to move (default: all); the others keep their initial values.
        diversity_weight: λ ≥ 0 of the diversity regulariser (added to each chain's energy; the mean
            pairwise distance is over the chains of one batch of ``batch_size``).
        z0: starting latents (n × latent_dim); default z_0 ~ p₀ drawn from the sampler's stream.
        metropolis: accept or reject each step (MALA); needs ``noise_scale=1`` and ``diversity_weight=0``.
        batch_size: chains run at once.
        record_every: keep z every this many steps in ``stats.extra["trajectory"]``; 0 records nothing.
        seed: seed of the sampler's random stream.
    """

    step_size: float = 0.01
    n_steps: int = 100
    noise_scale: float = 1.0
    beta: float = 1.0
    decay: float = 1.0
    dims: Sequence[int] | None = None
    diversity_weight: float = 0.0
    z0: torch.Tensor | None = None
    metropolis: bool = False
    batch_size: int = 1000
    record_every: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("step_size", "noise_scale", "beta", "decay", "diversity_weight"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
                raise ValueError(f"{name} must be a number, got {value!r}.")
            setattr(self, name, float(value))
        if not self.step_size > 0:
            raise ValueError(f"step_size must be positive, got {self.step_size}.")
        self.n_steps = checks.positive_int("n_steps", self.n_steps, minimum=0)
        if self.noise_scale < 0 or self.diversity_weight < 0:
            raise ValueError(f"noise_scale and diversity_weight must be ≥ 0, got {self.noise_scale} and "
                             f"{self.diversity_weight}.")
        if not 0 < self.decay <= 1:
            raise ValueError(f"decay must be in (0, 1], got {self.decay}.")
        if self.metropolis and (self.noise_scale != 1 or self.diversity_weight):
            raise ValueError("metropolis=True corrects the Langevin diffusion of one chain's energy: it needs "
                             f"noise_scale=1 and diversity_weight=0, got {self.noise_scale} and {self.diversity_weight}.")
        if self.dims is not None:
            if isinstance(self.dims, (int, float)) or not hasattr(self.dims, "__iter__"):
                raise ValueError(f"dims must be a collection of latent coordinates (e.g. range(50)), got {self.dims!r}.")
            self.dims = [checks.positive_int("each of dims", i, minimum=0) for i in self.dims]
            if not self.dims:
                raise ValueError("dims must be a non-empty subset of the latent coordinates (or None for all).")
        self.batch_size = checks.positive_int("batch_size", self.batch_size)
        self.record_every = checks.positive_int("record_every", self.record_every, minimum=0)
        self.seed = checks.positive_int("seed", self.seed, minimum=0)


@register("ddls")
def ddls(generator: Generator, discriminator: Discriminator, n: int, config: DDLSConfig | None = None,
         **overrides) -> SampleResult:
    """n samples G(z_T) after T Langevin steps on E(z) from z_0 ~ p₀ (options: :class:`DDLSConfig`).

    Cost per chain: T forward and T backward passes of G and D for the gradients (MALA: one more of
    each, for the last proposal) and one forward pass of G for the output.  ``stats.extra`` holds
    ``"energy"`` (mean E(z_t) per step), ``"final_z"`` (z_T of every chain) and, with ``record_every``,
    ``"trajectory"`` (recorded steps × n × latent_dim); with ``metropolis=True``,
    ``stats.acceptance_rate`` is the share of accepted steps.

    Raises:
        LangevinDivergedError: a latent or energy became NaN/inf (use a smaller ``step_size``).
    """
    cfg = resolve_config(DDLSConfig, config, overrides)
    n = check_models(generator, discriminator, n)
    k = generator.latent_dim
    mask = torch.ones(k)
    if cfg.dims is not None:
        if any(not 0 <= i < k for i in cfg.dims):
            raise ValueError(f"dims must be a non-empty subset of 0…{k - 1} (the latent dimensions), got {cfg.dims}.")
        mask = torch.zeros(k)
        mask[cfg.dims] = 1.0
    rng = torch.Generator().manual_seed(cfg.seed)
    device = generator.device
    mask = mask.to(device)
    z0 = cfg.z0
    if z0 is None:
        z0 = generator.sample_latent(n, rng)
    elif tuple(z0.shape) != (n, k):
        raise ValueError(f"z0 must have shape {n}×{k}, got {tuple(z0.shape)}.")
    stats = SamplerStats(n)
    outputs, energies, trajectory, finals = [], [], [], []
    accepted = 0
    steps, meta = cfg.n_steps, cfg.metropolis and cfg.n_steps > 0

    def energy_and_grad(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = z.detach().requires_grad_(True)
        energy = latent_energy(generator, discriminator, z, cfg.beta)
        # λ / (mean pairwise distance) is added to the energy of every chain of the batch: its force on each
        # chain does not shrink as the batch grows
        total = energy.sum() + (cfg.diversity_weight * len(z) * _diversity(z) if cfg.diversity_weight else 0.0)
        (grad,) = torch.autograd.grad(total, z)
        return energy.detach(), grad

    with eval_mode(generator, discriminator):
        for start in range(0, n, cfg.batch_size):
            z = z0[start:start + cfg.batch_size].to(device).clone()
            traj, e_trace = [z.detach().cpu()] if cfg.record_every else [], []
            if steps:
                energy, grad = energy_and_grad(z)                                   # E(z_0), ∇E(z_0)
                if start == 0 and cfg.beta:  # d(G(z_0)) = (½‖z‖² − E) / β, from the pass just made
                    check_logits((0.5 * z.pow(2).sum(1) - energy) / cfg.beta, discriminator, stats)
            for t in range(steps):
                e_trace.append(energy.mean().item())                                # mean E(z_t)
                eta = cfg.step_size * cfg.decay ** t
                with torch.no_grad():
                    noise = torch.randn(z.shape, generator=rng).to(device)
                if cfg.metropolis:
                    uniform = torch.rand(len(z), generator=rng).to(device)
                    z, energy, grad, accept = mala_step(z, energy, grad, eta, noise, uniform, energy_and_grad, mask)
                    accepted += int(accept.sum())
                else:
                    with torch.no_grad():
                        z, _ = langevin_step(z, grad, eta, noise, cfg.noise_scale, mask)
                    if t < steps - 1:
                        energy, grad = energy_and_grad(z)
                if not (torch.isfinite(z).all() and torch.isfinite(energy).all()):
                    raise LangevinDivergedError(
                        f"The Langevin chain diverged at step {t + 1} (NaN/inf latent or energy) with step_size="
                        f"{cfg.step_size}; use a smaller step_size (e.g. {cfg.step_size / 10:g}) or a decay < 1.")
                if cfg.record_every and (t + 1) % cfg.record_every == 0:
                    traj.append(z.detach().cpu())
            with torch.no_grad():
                outputs.append(generator(z.detach()))
            finals.append(z.detach().cpu())
            energies.append(e_trace)
            trajectory.append(traj)
            m = len(z)  # chains in this batch; MALA also evaluates the energy at the last proposal
            grads = m * (steps + meta)
            stats.generator_forward += grads + m
            stats.generator_backward += grads
            stats.discriminator_forward += grads
            stats.discriminator_backward += grads
    if cfg.metropolis:
        stats.acceptance_rate = accepted / (n * steps) if steps else None
    sizes = [len(o) for o in outputs]
    stats.extra["energy"] = [sum(e[t] * m for e, m in zip(energies, sizes)) / n for t in range(steps)]  # mean E(z_t)
    stats.extra["final_z"] = torch.cat(finals)                                  # z_T of every chain
    if cfg.record_every:
        stats.extra["trajectory"] = torch.stack([torch.cat(parts) for parts in zip(*trajectory)])
    return SampleResult(torch.cat(outputs), stats)


__all__ = ["DDLSConfig", "ddls", "latent_energy", "langevin_step", "mala_step", "mala_log_alpha"]
