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
(chains leaving narrow regions of the latent space) disappears, at the price of rejected steps.
"""

from __future__ import annotations

from typing import Sequence

import torch

from ..models.base import Discriminator, Generator
from .common import LangevinDivergedError, SamplerStats, check_models


def latent_energy(generator: Generator, discriminator: Discriminator, z: torch.Tensor,
                  beta: float = 1.0) -> torch.Tensor:
    """E(z) = ½‖z‖² − β·d(G(z)) for each row of z (up to the constant of log p₀)."""
    return 0.5 * z.pow(2).sum(1) - beta * discriminator(generator(z))


def _diversity(z: torch.Tensor) -> torch.Tensor:
    """1 / mean pairwise distance between the rows of z (large when the chains crowd together)."""
    if len(z) < 2:
        return torch.zeros((), device=z.device)
    return 1.0 / torch.pdist(z).mean().clamp_min(1e-8)


def ddls(generator: Generator, discriminator: Discriminator, n: int, step_size: float = 0.01,
         n_steps: int = 100, noise_scale: float = 1.0, beta: float = 1.0, decay: float = 1.0,
         dims: Sequence[int] | None = None, diversity_weight: float = 0.0, z0: torch.Tensor | None = None,
         metropolis: bool = False, batch_size: int = 1000, record_every: int = 0, seed: int = 0,
         return_stats: bool = False):
    """n samples G(z_T) after ``n_steps`` Langevin steps on E(z), started from z_0 ~ p₀ (or ``z0``).

    Args:
        step_size: η > 0.   n_steps: T ≥ 0.   noise_scale: s ≥ 0 (1: Langevin).   beta: β of the energy.
        decay: η_t = η·decay^t, 0 < decay ≤ 1.
        dims: latent coordinates to move (default: all); the others keep their initial values.
        diversity_weight: λ ≥ 0 of the diversity regulariser (added to each chain's energy; the mean
            pairwise distance is over the chains of one batch of ``batch_size``).
        metropolis: accept or reject each step (MALA); needs ``noise_scale=1`` and ``diversity_weight=0``.
            ``stats.acceptance_rate`` is then the share of accepted steps.
        record_every: keep z every this many steps in ``stats.extra["trajectory"]`` (T+1 × n × latent_dim
            at most); 0 records nothing.  ``stats.extra`` always holds ``"energy"`` (mean E(z_t) per step)
            and ``"final_z"`` (z_T of every chain).

    Raises:
        LangevinDivergedError: a latent or energy became NaN/inf (use a smaller ``step_size``).
    """
    check_models(generator, discriminator, n)
    if not step_size > 0:
        raise ValueError(f"step_size must be positive, got {step_size}.")
    if n_steps < 0 or noise_scale < 0 or diversity_weight < 0:
        raise ValueError("n_steps, noise_scale and diversity_weight must be ≥ 0.")
    if not 0 < decay <= 1:
        raise ValueError(f"decay must be in (0, 1], got {decay}.")
    if metropolis and (noise_scale != 1 or diversity_weight):
        raise ValueError("metropolis=True corrects the Langevin diffusion of one chain's energy: it needs "
                         f"noise_scale=1 and diversity_weight=0, got {noise_scale} and {diversity_weight}.")
    k = generator.latent_dim
    mask = torch.ones(k)
    if dims is not None:
        dims = list(dims)
        if not dims or any(not 0 <= i < k for i in dims):
            raise ValueError(f"dims must be a non-empty subset of 0…{k - 1} (the latent dimensions), got {dims}.")
        mask = torch.zeros(k)
        mask[dims] = 1.0
    rng = torch.Generator().manual_seed(seed)
    device = generator.device
    mask = mask.to(device)
    generator.eval(); discriminator.eval()
    if z0 is None:
        z0 = generator.sample_latent(n, rng)
    elif tuple(z0.shape) != (n, k):
        raise ValueError(f"z0 must have shape {n}×{k}, got {tuple(z0.shape)}.")
    stats = SamplerStats(n)
    outputs, energies, trajectory, finals = [], [], [], []
    accepted = 0

    def energy_and_grad(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = z.detach().requires_grad_(True)
        energy = latent_energy(generator, discriminator, z, beta)
        # λ / (mean pairwise distance) is added to the energy of every chain of the batch: its force on each
        # chain does not shrink as the batch grows
        total = energy.sum() + (diversity_weight * len(z) * _diversity(z) if diversity_weight else 0.0)
        (grad,) = torch.autograd.grad(total, z)
        return energy.detach(), grad

    for start in range(0, n, batch_size):
        z = z0[start:start + batch_size].to(device).clone()
        traj, e_trace = [z.detach().cpu()] if record_every else [], []
        if n_steps:
            energy, grad = energy_and_grad(z)                                       # E(z_0), ∇E(z_0)
        for t in range(n_steps):
            e_trace.append(energy.mean().item())                                    # mean E(z_t)
            eta = step_size * decay ** t
            with torch.no_grad():
                noise = torch.randn(z.shape, generator=rng).to(device)
                mean = z - 0.5 * eta * grad * mask                                  # z − (η/2)∇E(z)
                proposal = mean + noise_scale * eta ** 0.5 * noise * mask           # Langevin step
            if metropolis:  # MALA: accept with min(1, e^{E(z) − E(z')} q(z | z') / q(z' | z))
                energy_new, grad_new = energy_and_grad(proposal)
                with torch.no_grad():
                    log_q_forward = -((proposal - mean) * mask).pow(2).sum(1) / (2 * eta)
                    log_q_backward = -((z - proposal + 0.5 * eta * grad_new * mask) * mask).pow(2).sum(1) / (2 * eta)
                    log_alpha = energy - energy_new + log_q_backward - log_q_forward
                    accept = torch.rand(len(z), generator=rng).to(device).log() < log_alpha
                    accepted += int(accept.sum())
                    z = torch.where(accept[:, None], proposal, z)
                    energy = torch.where(accept, energy_new, energy)
                    grad = torch.where(accept[:, None], grad_new, grad)
            else:
                z = proposal
                if t < n_steps - 1:
                    energy, grad = energy_and_grad(z)
            if not (torch.isfinite(z).all() and torch.isfinite(energy).all()):
                raise LangevinDivergedError(
                    f"The Langevin chain diverged at step {t + 1} (NaN/inf latent or energy) with step_size="
                    f"{step_size}; use a smaller step_size (e.g. {step_size / 10:g}) or a decay < 1.")
            if record_every and (t + 1) % record_every == 0:
                traj.append(z.detach().cpu())
        with torch.no_grad():
            outputs.append(generator(z.detach()))
        finals.append(z.detach().cpu())
        energies.append(e_trace)
        trajectory.append(traj)
        m = len(z)  # chains in this batch; MALA also evaluates the energy at the last proposal
        stats.generator_evals += m * (n_steps + 1 + (metropolis and n_steps > 0))
        stats.discriminator_evals += m * (n_steps + (metropolis and n_steps > 0))
    if metropolis:
        stats.acceptance_rate = accepted / (n * n_steps) if n_steps else None
    sizes = [len(o) for o in outputs]
    stats.extra["energy"] = [sum(e[t] * m for e, m in zip(energies, sizes)) / n for t in range(n_steps)]  # mean E(z_t)
    stats.extra["final_z"] = torch.cat(finals)                                  # z_T of every chain
    if record_every:
        stats.extra["trajectory"] = torch.stack([torch.cat(parts) for parts in zip(*trajectory)])
    out = torch.cat(outputs)
    return (out, stats) if return_stats else out
