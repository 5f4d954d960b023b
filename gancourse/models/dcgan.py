"""The lecture's DCGAN for 28×28 images (Radford et al., 2016, in the small form used in class).

Generator: z → Linear → 128×7×7 → ConvT(4×4, stride 2) → 128×14×14 → ConvT(4×4, stride 2) →
128×28×28 → Conv(3×3) → 1×28×28 → tanh, with LeakyReLU(0.2) between layers.
Discriminator: Conv(4×4, stride 2) → 64×14×14 → Conv(4×4, stride 2) → 64×7×7 → Linear → logit.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Discriminator, Generator


class DCGANGenerator(Generator):
    """DCGAN generator of the lecture (latent_dim = 128 by default)."""

    def __init__(self, latent_dim: int = 128, channels: int = 128):
        super().__init__()
        self.latent_dim, self.data_shape, self.channels = latent_dim, (1, 28, 28), channels
        self.linear = nn.Linear(latent_dim, channels * 7 * 7)
        self.deconv = nn.Sequential(
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(channels, channels, 4, stride=2, padding=1),  # 7 → 14
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(channels, channels, 4, stride=2, padding=1),  # 14 → 28
            nn.LeakyReLU(0.2),
            nn.Conv2d(channels, 1, 3, padding=1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        self._check_latent(z)
        return self.deconv(self.linear(z).view(-1, self.channels, 7, 7))


class DCGANDiscriminator(Discriminator):
    """DCGAN discriminator of the lecture, returning the logit d(x) (no sigmoid)."""

    def __init__(self, channels: int = 64):
        super().__init__()
        self.data_shape = (1, 28, 28)
        self.conv = nn.Sequential(
            nn.Conv2d(1, channels, 4, stride=2, padding=1),  # 28 → 14
            nn.LeakyReLU(0.2),
            nn.Conv2d(channels, channels, 4, stride=2, padding=1),  # 14 → 7
            nn.LeakyReLU(0.2),
        )
        self.linear = nn.Linear(channels * 7 * 7, 1)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """h(x): the flattened output of the two convolutions, n × (channels·7·7)."""
        self._check_input(x)
        return self.conv(x).flatten(1)

    @property
    def head(self) -> nn.Module:
        return self.linear

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.features(x)).squeeze(1)
