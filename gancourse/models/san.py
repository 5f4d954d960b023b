"""The SAN head: the discriminator's last linear layer as a *direction* on the unit sphere.

Slicing Adversarial Network (Takida et al., "SAN: Inducing Metrizability of GAN with Discriminative
Normalized Linear Layer", ICLR 2024).  A discriminator is split into features and a last layer,

    f(x) = ⟨ω, h(x)⟩,   ω ∈ S^{D-1}  (ω = w / ‖w‖, no bias),

so that f slices the feature distributions h#p_data and h#p_g along one direction ω.  SAN maximises

    V_SAN(ω, h) = V(⟨ω⁻, h⟩)  +  λ · ( E_{p_data}[⟨ω, h⁻(x)⟩] - E_{p_g}[⟨ω, h⁻(x)⟩] ),

where ⁻ means "no gradient" (stop-gradient): the features h are trained by the usual GAN objective V
(hinge, or the binary cross-entropy) with the direction frozen, and the direction ω by the Wasserstein
term with the features frozen.  For fixed features that term is maximised on the sphere by the normalised
difference of the feature means, ω* = (m_data - m_g)/‖m_data - m_g‖ — the *direction optimality* the
paper's metrizability result asks for.  The generator's loss is unchanged (e.g. -E[f(G(z))] for hinge).

:class:`SANLinear` is the head; ``Discriminator.slice_outputs(x)`` returns the two slices
(⟨ω⁻, h⟩, ⟨ω, h⁻⟩) of a discriminator whose ``head`` it is; :func:`gancourse.losses.san_discriminator_loss`
combines them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn


class SliceOutputs(NamedTuple):
    """The two copies of f(x) = ⟨ω, h(x)⟩ that SAN trains separately (equal in value)."""

    fun: torch.Tensor   # ⟨ω⁻, h(x)⟩: gradients reach the features h only
    dir: torch.Tensor   # ⟨ω, h⁻(x)⟩: gradients reach the direction ω only


class SANLinear(nn.Module):
    """f = ⟨ω, h⟩ with ω = w/‖w‖ on the unit sphere S^{D-1} and no bias."""

    def __init__(self, in_features: int):
        super().__init__()
        bound = 1 / math.sqrt(in_features)  # nn.Linear's initialisation, before normalising
        self.weight = nn.Parameter(torch.empty(in_features).uniform_(-bound, bound))

    @property
    def direction(self) -> torch.Tensor:
        """ω = w / ‖w‖."""
        return self.weight / self.weight.norm()

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return (h @ self.direction).unsqueeze(1)  # ⟨ω, h⟩, shape n×1 like nn.Linear(D, 1)

    def slice(self, h: torch.Tensor) -> SliceOutputs:
        """(⟨ω⁻, h⟩, ⟨ω, h⁻⟩), each of shape n."""
        omega = self.direction
        return SliceOutputs(fun=h @ omega.detach(), dir=h.detach() @ omega)
