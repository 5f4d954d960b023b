"""Adversarial losses, all written on discriminator *logits* d(x) with D(x) = σ(d(x)).

Working with logits keeps every loss finite: log σ(d) = -softplus(-d) and log(1 - σ(d)) = -softplus(d).
Each loss is a pair (discriminator/critic loss, generator loss), both to be *minimised*::

    name             discriminator / critic loss                             generator loss
    minimax          -E[log D(x)] - E[log(1 - D(G(z)))]                      E[log(1 - D(G(z)))]  (saturating)
    nonsaturating    same as minimax                                         -E[log D(G(z))]
    wasserstein      E[d(G(z))] - E[d(x)]                                    -E[d(G(z))]
    hinge            E[max(0, 1 - d(x))] + E[max(0, 1 + d(G(z)))]            -E[d(G(z))]
    san              hinge on ⟨ω⁻, h⟩ - λ·(E⟨ω, h⁻(x)⟩ - E⟨ω, h⁻(G(z))⟩)       -E[d(G(z))]
    san-gan          cross-entropy on ⟨ω⁻, h⟩ - λ·(same Wasserstein term)      -E[log D(G(z))]
    fgan-NAME        -(E[g_f(V(x))] - E[f*(g_f(V(G(z))))])                    -E[g_f(V(G(z)))]
    fgan-NAME-minimax  same                                                   -E[f*(g_f(V(G(z))))]  (saddle point)

For the f-GAN losses (Nowozin et al., 2016, eq. 6) NAME is an f-divergence of :mod:`gancourse.fgan`
(``kl``, ``reverse-kl``, ``pearson``, ``neyman``, ``hellinger``, ``js``, ``gan``, ``total-variation``) and
V is the discriminator's logit. ``fgan-NAME`` uses the generator objective the paper trains with
(its Section 3.2, "maximise E[g_f(V(G(z)))]", the analogue of the non-saturating loss); ``fgan-NAME-minimax``
the saddle-point objective F itself. ``fgan-gan`` equals ``nonsaturating`` and ``fgan-gan-minimax`` equals
``minimax``.

The SAN losses (Takida et al., 2024) need a discriminator with a SAN head (``head="san"``); they take
the :class:`~gancourse.models.san.SliceOutputs` of real and fake samples instead of plain logits.

References: Goodfellow et al. (2014) for minimax and non-saturating; Nowozin et al. (2016) for f-GAN; Arjovsky et al. (2017) for
Wasserstein; Lim & Ye (2017) / Miyato et al. (2018) for hinge; Takida et al. (2024) for SAN;
Gulrajani et al. (2017) for the gradient penalty; Mescheder et al. (2018) for the R1 penalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import torch
import torch.nn.functional as F

from . import fgan
from .models.san import SliceOutputs

LossFn = Callable[..., torch.Tensor]


# --- discriminator / critic losses: arguments are logits on real and on fake samples ------------

def bce_discriminator_loss(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """-E[log D(x)] - E[log(1 - D(G(z)))]: binary cross-entropy, real = 1, fake = 0."""
    return F.softplus(-d_real).mean() + F.softplus(d_fake).mean()


def wasserstein_critic_loss(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """E[f(G(z))] - E[f(x)]: minus the Kantorovich–Rubinstein estimate of W₁ (times K)."""
    return d_fake.mean() - d_real.mean()


def hinge_discriminator_loss(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """E[max(0, 1 - d(x))] + E[max(0, 1 + d(G(z)))]."""
    return F.relu(1 - d_real).mean() + F.relu(1 + d_fake).mean()


def san_discriminator_loss(real: SliceOutputs, fake: SliceOutputs,
                           base: LossFn = hinge_discriminator_loss, lam: float = 1.0) -> torch.Tensor:
    """-V_SAN: the base loss on ⟨ω⁻, h⟩ (trains the features h) minus λ·(E_data⟨ω, h⁻⟩ - E_g⟨ω, h⁻⟩).

    The second term is the Wasserstein objective of the slice along ω; it trains only the direction ω
    (Takida et al., 2024, eq. for V^SAN with λ = 1 by default).
    """
    loss_h = base(real.fun, fake.fun)                     # L^h(h; ω⁻): the usual GAN loss on the features
    loss_omega = -(real.dir.mean() - fake.dir.mean())     # L^ω(ω; h⁻): minus the sliced Wasserstein estimate
    return loss_h + lam * loss_omega


# --- generator losses: argument is the logit on fake samples ----------------------------------

def minimax_generator_loss(d_fake: torch.Tensor) -> torch.Tensor:
    """E[log(1 - D(G(z)))], the original (saturating) generator objective, to be minimised."""
    return -F.softplus(d_fake).mean()


def nonsaturating_generator_loss(d_fake: torch.Tensor) -> torch.Tensor:
    """-E[log D(G(z))], the non-saturating heuristic: same fixed point, strong early gradients."""
    return F.softplus(-d_fake).mean()


def wasserstein_generator_loss(d_fake: torch.Tensor) -> torch.Tensor:
    """-E[f(G(z))], used by both the Wasserstein and the hinge GAN."""
    return -d_fake.mean()


# --- f-GAN losses (Nowozin et al., 2016): V is the logit, T = g_f(V) -----------------------------

def fgan_discriminator_loss(d_real: torch.Tensor, d_fake: torch.Tensor, divergence: str = "gan") -> torch.Tensor:
    """-F = -(E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))]): minus the variational bound on D_f(P ‖ Q_θ)."""
    return -fgan.variational_objective(divergence, d_real, d_fake)


def fgan_generator_loss(d_fake: torch.Tensor, divergence: str = "gan") -> torch.Tensor:
    """-E_Q[g_f(V(G(z)))]: the paper's alternative generator objective (maximise E[g_f(V(G(z)))])."""
    return -fgan.get(divergence).activation(d_fake).mean()


def fgan_minimax_generator_loss(d_fake: torch.Tensor, divergence: str = "gan") -> torch.Tensor:
    """-E_Q[f*(g_f(V(G(z))))]: the generator's part of the saddle-point objective F (minimised)."""
    return -fgan.get(divergence).conjugate_of_activation(d_fake).mean()


# --- gradient penalty -----------------------------------------------------------------------------

def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor, fake: torch.Tensor,
                     rng: torch.Generator | None = None, one_sided: bool = False) -> torch.Tensor:
    """WGAN-GP penalty E_x̂[(‖∇_x̂ f(x̂)‖₂ - 1)²] on random interpolates (Gulrajani et al., 2017).

    x̂ = ε·x + (1 - ε)·x̃ with ε ~ U[0, 1] drawn once per pair (x real, x̃ fake), as in Algorithm 1
    of the paper.  ``one_sided=True`` penalises only norms above 1, E[max(0, ‖∇f‖ - 1)²] — the variant
    the paper mentions (and Petzka et al., 2018 advocate), which lets the critic's slope pass through 0.
    Returns the penalty *without* its weight λ (the training loop multiplies by λ).
    The graph is kept (``create_graph=True``) so that the penalty can be back-propagated.
    """
    if real.shape != fake.shape:
        raise ValueError(f"real and fake batches must have the same shape, got {tuple(real.shape)} "
                         f"and {tuple(fake.shape)}.")
    eps = torch.rand(real.shape[0], *([1] * (real.ndim - 1)), generator=rng).to(real.device)
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)  # x̂
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)  # ∇_x̂ f(x̂)
    excess = grad.flatten(1).norm(2, dim=1) - 1                                    # ‖∇f(x̂)‖ - 1
    return (excess.clamp_min(0) if one_sided else excess).pow(2).mean()


def r1_penalty(discriminator: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor) -> torch.Tensor:
    """R1 penalty E_{x ~ p_data}[‖∇_x d(x)‖²] on real samples only (Mescheder, Geiger & Nowozin, 2018, eq. 9).

    The paper's regulariser is R₁(ψ) = (γ/2)·E_{p_data}‖∇_x D_ψ(x)‖²; this returns the expectation *without*
    γ/2 (the training loop multiplies by ``r1_gamma / 2``).  On the Dirac-GAN of lecture 2, d(x) = ψ·x, it is
    ψ², which turns the undamped rotation of simultaneous gradient descent into a convergent spiral.
    The graph is kept (``create_graph=True``) so that the penalty can be back-propagated.
    """
    x = real.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(x).sum(), x, create_graph=True)   # ∇_x d(x)
    return grad.flatten(1).pow(2).sum(1).mean()


# --- registry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdversarialLoss:
    """A named pair of losses, both minimised: ``discriminator(d_real, d_fake)``, ``generator(d_fake)``."""

    name: str
    discriminator: LossFn
    generator: LossFn
    san: bool = False   # the discriminator loss takes SliceOutputs (discriminator.slice_outputs) instead of logits


LOSSES: dict[str, AdversarialLoss] = {
    "minimax": AdversarialLoss("minimax", bce_discriminator_loss, minimax_generator_loss),
    "nonsaturating": AdversarialLoss("nonsaturating", bce_discriminator_loss, nonsaturating_generator_loss),
    "wasserstein": AdversarialLoss("wasserstein", wasserstein_critic_loss, wasserstein_generator_loss),
    "hinge": AdversarialLoss("hinge", hinge_discriminator_loss, wasserstein_generator_loss),
    "san": AdversarialLoss("san", san_discriminator_loss, wasserstein_generator_loss, san=True),
    "san-gan": AdversarialLoss("san-gan", partial(san_discriminator_loss, base=bce_discriminator_loss),
                               nonsaturating_generator_loss, san=True),
}
LOSSES.update({f"fgan-{name}{suffix}": AdversarialLoss(f"fgan-{name}{suffix}",
                                                        partial(fgan_discriminator_loss, divergence=name),
                                                        partial(generator, divergence=name))
               for name in fgan.available()
               for suffix, generator in (("", fgan_generator_loss), ("-minimax", fgan_minimax_generator_loss))})

def get_loss(name: str) -> AdversarialLoss:
    """The loss pair called ``name``: ``minimax``, ``nonsaturating``, ``wasserstein``, ``hinge``, ``san``,
    ``san-gan``, or an f-GAN loss ``fgan-NAME`` / ``fgan-NAME-minimax`` (NAME: ``kl``, ``reverse-kl``,
    ``pearson``, ``neyman``, ``hellinger``, ``js``, ``gan``, ``total-variation``)."""
    if name not in LOSSES:
        raise KeyError(f"Unknown loss {name!r}; choose one of {', '.join(LOSSES)}.")
    return LOSSES[name]
