"""Discriminator Optimal Transport (Tanaka, NeurIPS 2019, "Discriminator optimal transport") — lecture 6.

By Kantorovich–Rubinstein duality (lecture 3) the optimal critic D* of W₁(p, p_g) is 1-Lipschitz, and the
paper's Theorem 1 places the optimal-transport image T(y) of every p_g-sample y among the minimisers

    T(y) ∈ argmin_x { ‖x − y‖ − D*(x) }.

The argmin is not unique (the paper's errata of 2023, after Song et al., 2020; lecture 6 checks it exactly in
1D): every point on the segment between y and T(y) attains it — y itself included, since D* is 1-Lipschitz.
A trained D is K-Lipschitz for some unknown K; the paper's Theorem 2 assumes this and shows that training
such a D raises a lower bound of K times the dual W₁ objective of D/K, which is why D/K is read as an
approximate D*.  The paper divides D by an estimate

    K_eff = max over random pairs y₁, y₂ ~ p_g of ``|D(y₁) − D(y₂)|`` / ‖y₁ − y₂‖          (its Eq. 20)

and minimises by gradient descent, from x = y:

* target space (Algorithm 1):   x ← x − ε ∇_x { ‖x − y + δ‖ − D(x) / K_eff },
* latent space (Algorithm 2):   z ← z − ε ∇_z { ‖z − z_y + δ‖ − D(G(z)) / k_eff },   output G(z),

with k_eff the same maximum slope of D∘G over pairs of latents z₁, z₂ ~ p₀ (:func:`effective_lipschitz`).
δ (a small constant added to every coordinate) keeps the norm's gradient defined at x = y.  For a Gaussian
prior in high dimension, z should stay where p₀ puts its mass — near the sphere ‖z‖ = √dim.  The reference
code (github.com/AkinoriTanaka-phys/DOT) subtracts g ← g − (g·z) z / √dim (11.31 = √128); that leaves the
radial part of g multiplied by 1 − ‖z‖²/√dim, which removes it only where ‖z‖² = √dim, reverses it wherever
‖z‖² > √dim and amplifies it wherever ‖z‖² > 2√dim — on the shell ‖z‖² ≈ dim the factor is ≈ 1 − √dim.
``prior="reference"`` reproduces it (lecture 6 shows where it takes z); ``prior="sphere"`` (the default) is
the course's exact form of what that line intends: g ← g − (g·z) z / ‖z‖², so that a small step keeps ‖z‖
to first order.  A low-dimensional Gaussian has no such shell (the 2D toy latents): use ``prior="none"``.

Arguments as the paper names them: ``y`` is a generated sample G(z_y); ``lipschitz`` is K_eff (target) or
k_eff (latent); ``step_size`` is ε; ``n_updates`` is N_updates; ``delta`` is δ.  Defaults follow the
example command of the reference code's README for latent-space DOT: plain gradient descent (its default;
``optimizer="adam"`` is its Adam with β = (0, 0.9)), ε = 0.01, 10 updates, K_eff the maximum over one batch of
100 pairs, δ = 0.001.  (The script's own defaults are 100 updates, and ``make_image``'s ε = 0.05; its 2D demo
divides the 25-Gaussian data by 2.828, then runs Adam(0.01, β = (0, 0.9)) for 100 updates, clips x to
[−2, 2] and averages K_eff over ten such batches.)  ``squared=True`` replaces ‖x − y‖ by ‖x − y‖² — not the
paper's transport problem (lecture 6 shows what it changes); it is there because the course's source material
writes it so.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..models.base import Discriminator, Generator
from .. import checks
from .base import SampleResult, SamplerStats, check_logits, check_models, eval_mode, register, resolve_config

SPACES = ("target", "latent")
OPTIMIZERS = ("adam", "sgd")
PRIORS = ("sphere", "reference", "none")


class TransportDivergedError(FloatingPointError):
    """A DOT update produced NaN or inf; ``update`` is the number of the update that did."""

    def __init__(self, message: str, update: int):
        super().__init__(message)
        self.update = update


def max_slope(fn, a: torch.Tensor, b: torch.Tensor) -> float:
    """max_i ``|fn(a_i) − fn(b_i)|`` / ‖a_i − b_i‖ over paired rows of ``a`` and ``b``: a lower bound on fn's
    Lipschitz constant (the paper's K_eff when the rows are samples of p_g, k_eff for latents)."""
    checks.function("fn", fn, "a map from n inputs to n outputs")
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)) or a.shape != b.shape or len(a) == 0:
        raise ValueError(f"a and b must be tensors of the same shape n × …, got "
                         f"{getattr(a, 'shape', type(a).__name__)} and {getattr(b, 'shape', type(b).__name__)}.")
    with torch.no_grad():
        rise = (fn(a) - fn(b)).abs().double()
        run = (a - b).flatten(1).norm(dim=1).double()
    keep = run > 0
    if not bool(keep.any()):
        raise ValueError("a and b coincide in every row: a slope needs distinct pairs.")
    return float((rise[keep] / run[keep]).max())


def effective_lipschitz(generator: Generator, discriminator: Discriminator, space: str = "target",
                        n_pairs: int = 100, seed: int = 0) -> float:
    """The paper's K_eff (``space="target"``: slopes of D between pairs of samples G(z₁), G(z₂)) or k_eff
    (``space="latent"``: slopes of D∘G between pairs of latents z₁, z₂ ~ p₀), over ``n_pairs`` pairs."""
    if space not in SPACES:
        raise ValueError(f"space must be one of {SPACES}, got {space!r}.")
    n_pairs = checks.positive_int("n_pairs", n_pairs)
    rng = torch.Generator().manual_seed(checks.positive_int("seed", seed, minimum=0))
    with eval_mode(generator, discriminator), torch.no_grad():
        z1, z2 = generator.sample_latent(n_pairs, rng), generator.sample_latent(n_pairs, rng)
        if space == "latent":
            return max_slope(lambda z: discriminator(generator(z)), z1, z2)
        return max_slope(discriminator, generator(z1), generator(z2))


@dataclass
class DOTConfig:
    """Options of :func:`dot`.

    Attributes:
        space: ``"latent"`` (Algorithm 2, the paper's choice for images) or ``"target"`` (Algorithm 1).
        n_updates: N_updates ≥ 0 gradient steps.
        step_size: ε > 0, the optimiser's learning rate.
        optimizer: ``"sgd"`` (plain gradient descent, the reference code's default) or ``"adam"`` (β = (0, 0.9),
            its alternative).
        lipschitz: K_eff / k_eff to divide D by; ``None`` estimates it with :func:`effective_lipschitz`.
        n_pairs: pairs for that estimate (the reference code uses 100).
        delta: δ ≥ 0 added to every coordinate of x − y inside the norm.
        squared: use ‖x − y‖² instead of ‖x − y‖ (not the paper's problem; see the module docstring).
        prior: latent space only: ``"sphere"`` removes the gradient's radial part (the course's exact form of
            the reference code's Gaussian-prior handling; for high-dimensional Gaussian latents),
            ``"reference"`` subtracts (g·z) z / √dim as the reference code does, ``"none"`` neither (use it for
            low-dimensional latents, which have no shell to stay on).
        clip: target space: clamp x to (lo, hi) after each step; images are always kept in [-1, 1].
        z0: latents z_y to start from (n × latent_dim); default z_y ~ p₀ from the sampler's stream.
        batch_size: samples transported at once.
        record_every: keep x (target) or z (latent) every this many updates in ``stats.extra["trajectory"]``.
        seed: seed of the sampler's random stream (z_y and the K_eff pairs).
    """

    space: str = "latent"
    n_updates: int = 10
    step_size: float = 0.01
    optimizer: str = "sgd"
    lipschitz: float | None = None
    n_pairs: int = 100
    delta: float = 1e-3
    squared: bool = False
    prior: str = "sphere"
    clip: tuple[float, float] | None = None
    z0: torch.Tensor | None = None
    batch_size: int = 1000
    record_every: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        for name, valid in (("space", SPACES), ("optimizer", OPTIMIZERS), ("prior", PRIORS)):
            if getattr(self, name) not in valid:
                raise ValueError(f"{name} must be one of {valid}, got {getattr(self, name)!r}.")
        self.n_updates = checks.positive_int("n_updates", self.n_updates, minimum=0)
        self.step_size = checks.positive_float("step_size", self.step_size, "the learning rate ε")
        if self.lipschitz is not None:
            self.lipschitz = checks.positive_float("lipschitz", self.lipschitz,
                                                   "K_eff or k_eff; None estimates it from n_pairs pairs")
        self.n_pairs = checks.positive_int("n_pairs", self.n_pairs)
        self.delta = checks.positive_float("delta", self.delta, "δ", allow_zero=True)
        if not isinstance(self.squared, bool):
            raise ValueError(f"squared must be True or False, got {self.squared!r}.")
        if self.clip is not None:
            if self.space == "latent":
                raise ValueError("clip applies to target-space DOT (space='target'); latent DOT keeps z near the "
                                 "prior's sphere instead (prior='sphere').")
            self.clip = checks.interval("clip", self.clip)
        self.batch_size = checks.positive_int("batch_size", self.batch_size)
        self.record_every = checks.positive_int("record_every", self.record_every, minimum=0)
        self.seed = checks.positive_int("seed", self.seed, minimum=0)


def transport_cost(x: torch.Tensor, y: torch.Tensor, delta: float, squared: bool) -> torch.Tensor:
    """‖x − y + δ‖ per row (δ added to every coordinate), or ‖x − y‖² with ``squared``."""
    diff = (x - y).flatten(1)
    return diff.pow(2).sum(1) if squared else (diff + delta).norm(dim=1)


def sphere_tangent(grad: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """g − (g·z) z / ‖z‖²: the gradient without its radial part, so that a step keeps ‖z‖ to first order."""
    radial = (grad * z).sum(1, keepdim=True) / z.pow(2).sum(1, keepdim=True).clamp_min(1e-12)
    return grad - radial * z


@register("dot")
def dot(generator: Generator, discriminator: Discriminator, n: int, config: DOTConfig | None = None,
        **overrides) -> SampleResult:
    """n samples transported by DOT from y = G(z_y) (options: :class:`DOTConfig`).

    Cost per sample: one forward pass of G for y (target) or for the output (latent), and per update one
    forward and one backward pass of D (target) or of D and G (latent); estimating K_eff adds 2·n_pairs
    forward passes of G and D, and the check that D returns logits (:func:`check_logits`) a few probe passes
    of D.  ``stats.extra`` holds ``"lipschitz"`` (the K_eff used), ``"start"`` (y or z_y),
    ``"displacement"`` (‖x_N − y‖ or ‖z_N − z_y‖ per sample), ``"objective"`` (its mean per update) and, in
    latent space, ``"final_z"``; with ``record_every``, ``"trajectory"`` (recorded updates × n × …).

    Raises:
        TransportDivergedError: an update produced NaN/inf (use a smaller ``step_size``).
    """
    cfg = resolve_config(DOTConfig, config, overrides)
    n = check_models(generator, discriminator, n)
    latent = cfg.space == "latent"
    k = generator.latent_dim
    rng = torch.Generator().manual_seed(cfg.seed)
    z0 = cfg.z0
    if z0 is None:
        z0 = generator.sample_latent(n, rng)
    elif not isinstance(z0, torch.Tensor) or tuple(z0.shape) != (n, k):
        raise ValueError(f"z0 must be a tensor of shape {n}×{k}, got {getattr(z0, 'shape', z0)!r}.")
    stats = SamplerStats(n)
    lipschitz = cfg.lipschitz
    if lipschitz is None:
        lipschitz = effective_lipschitz(generator, discriminator, cfg.space, cfg.n_pairs, seed=cfg.seed + 1)
        stats.generator_forward += 2 * cfg.n_pairs
        stats.discriminator_forward += 2 * cfg.n_pairs
    clip = cfg.clip                                                   # target space only (checked by DOTConfig)
    if clip is None and not latent and len(generator.data_shape) == 3:
        clip = (-1.0, 1.0)                                            # images stay in the generator's range
    device = generator.device
    outputs, starts, finals, displacement, traces, trajectory = [], [], [], [], [], []

    def potential(v: torch.Tensor) -> torch.Tensor:           # D(x) in target space, D(G(z)) in latent space
        return discriminator(generator(v) if latent else v)

    with eval_mode(generator, discriminator):
        for start in range(0, n, cfg.batch_size):
            z_y = z0[start:start + cfg.batch_size].to(device)
            with torch.no_grad():
                y = z_y if latent else generator(z_y)                        # the point the cost is measured from
            m = len(y)
            v = y.clone().requires_grad_(True)                                # x (or z), initialised at y (or z_y)
            opt = (torch.optim.Adam([v], lr=cfg.step_size, betas=(0.0, 0.9)) if cfg.optimizer == "adam"
                   else torch.optim.SGD([v], lr=cfg.step_size))
            trace, traj = [], [v.detach().cpu().clone()] if cfg.record_every else []
            for t in range(cfg.n_updates):
                d = potential(v)
                if start == 0 and t == 0:
                    check_logits(d, discriminator, stats)
                objective = transport_cost(v, y, cfg.delta, cfg.squared) - d / lipschitz   # ‖x − y + δ‖ − D(x)/K_eff
                opt.zero_grad()
                objective.sum().backward()                                     # each sample's own gradient
                if latent and cfg.prior == "sphere":
                    v.grad = sphere_tangent(v.grad, v.detach())
                elif latent and cfg.prior == "reference":                       # the reference code's formula
                    v.grad = v.grad - v.detach() * (v.grad * v.detach()).sum(1, keepdim=True) / k ** 0.5
                opt.step()
                if clip is not None:
                    with torch.no_grad():
                        v.clamp_(*clip)
                if not (torch.isfinite(v).all() and torch.isfinite(objective).all()):
                    raise TransportDivergedError(
                        f"DOT diverged at update {t + 1} (NaN/inf) with step_size={cfg.step_size}; use a smaller "
                        f"step_size (e.g. {cfg.step_size / 10:g}) or fewer updates.", update=t + 1)
                trace.append(float(objective.detach().mean()))
                if cfg.record_every and (t + 1) % cfg.record_every == 0:
                    traj.append(v.detach().cpu().clone())
            with torch.no_grad():
                v = v.detach()
                outputs.append(generator(v) if latent else v)
                displacement.append((v - y).flatten(1).norm(dim=1).cpu())
            starts.append(y.cpu())
            finals.append(v.cpu())
            traces.append((m, trace))
            trajectory.append(traj)
            stats.generator_forward += m                                       # y = G(z_y), or the output G(z_N)
            stats.discriminator_forward += m * cfg.n_updates
            stats.discriminator_backward += m * cfg.n_updates
            if latent:
                stats.generator_forward += m * cfg.n_updates
                stats.generator_backward += m * cfg.n_updates
    stats.extra.update(lipschitz=lipschitz, start=torch.cat(starts), displacement=torch.cat(displacement),
                       objective=[sum(m * tr[t] for m, tr in traces) / n for t in range(cfg.n_updates)])
    if latent:
        stats.extra["final_z"] = torch.cat(finals)
    if cfg.record_every:
        stats.extra["trajectory"] = torch.stack([torch.cat(parts) for parts in zip(*trajectory)])
    return SampleResult(torch.cat(outputs), stats)


__all__ = ["DOTConfig", "dot", "effective_lipschitz", "max_slope", "transport_cost", "sphere_tangent",
           "TransportDivergedError"]
