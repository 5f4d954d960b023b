"""Adversarial losses, all written on discriminator *logits* d(x) with D(x) = σ(d(x)).

Working with logits keeps every loss finite: log σ(d) = -softplus(-d) and log(1 - σ(d)) = -softplus(d).
Each loss is a pair (discriminator/critic loss, generator loss), both to be *minimised*.

=================  ====================================================  =================================
name               discriminator / critic loss                           generator loss
=================  ====================================================  =================================
``minimax``        -E[log D(x)] - E[log(1 - D(G(z)))]                    E[log(1 - D(G(z)))]   (saturating)
``nonsaturating``  same as minimax                                       -E[log D(G(z))]
``wasserstein``    E[d(G(z))] - E[d(x)]                                  -E[d(G(z))]
``hinge``          E[max(0, 1 - d(x))] + E[max(0, 1 + d(G(z)))]          -E[d(G(z))]
=================  ====================================================  =================================

References: Goodfellow et al. (2014) for minimax and non-saturating; Arjovsky et al. (2017) for
Wasserstein; Lim & Ye (2017) / Miyato et al. (2018) for hinge; Gulrajani et al. (2017) for the
gradient penalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

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


# --- gradient penalty -----------------------------------------------------------------------------

def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor, fake: torch.Tensor,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    """WGAN-GP penalty E_x̂[(‖∇_x̂ f(x̂)‖₂ - 1)²] on random interpolates (Gulrajani et al., 2017).

    x̂ = ε·x + (1 - ε)·x̃ with ε ~ U[0, 1] drawn once per pair (x real, x̃ fake), as in Algorithm 1
    of the paper.  Returns the penalty *without* its weight λ (the training loop multiplies by λ).
    The graph is kept (``create_graph=True``) so that the penalty can be back-propagated.
    """
    if real.shape != fake.shape:
        raise ValueError(f"real and fake batches must have the same shape, got {tuple(real.shape)} "
                         f"and {tuple(fake.shape)}.")
    eps = torch.rand(real.shape[0], *([1] * (real.ndim - 1)), generator=generator).to(real.device)
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)  # x̂
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)  # ∇_x̂ f(x̂)
    return (grad.flatten(1).norm(2, dim=1) - 1).pow(2).mean()


# --- registry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdversarialLoss:
    """A named pair of losses, both minimised: ``discriminator(d_real, d_fake)``, ``generator(d_fake)``."""

    name: str
    discriminator: LossFn
    generator: LossFn


LOSSES: dict[str, AdversarialLoss] = {
    "minimax": AdversarialLoss("minimax", bce_discriminator_loss, minimax_generator_loss),
    "nonsaturating": AdversarialLoss("nonsaturating", bce_discriminator_loss, nonsaturating_generator_loss),
    "wasserstein": AdversarialLoss("wasserstein", wasserstein_critic_loss, wasserstein_generator_loss),
    "hinge": AdversarialLoss("hinge", hinge_discriminator_loss, wasserstein_generator_loss),
}


def get_loss(name: str) -> AdversarialLoss:
    """The loss pair called ``name``: one of ``minimax``, ``nonsaturating``, ``wasserstein``, ``hinge``."""
    if name not in LOSSES:
        raise KeyError(f"Unknown loss {name!r}; choose one of {', '.join(LOSSES)}.")
    return LOSSES[name]
