"""The lecture's DCGAN for 28×28 images (Radford et al., 2016, in the small form used in class).

Generator: z → Linear → 128×7×7 → ConvT(4×4, stride 2) → 128×14×14 → ConvT(4×4, stride 2) →
128×28×28 → Conv(3×3) → 1×28×28 → tanh, with LeakyReLU(0.2) between layers (and, with ``batch_norm=True``,
batch normalisation before each of them).
Discriminator: Conv(4×4, stride 2) → 64×14×14 → Conv(4×4, stride 2) → 64×7×7 → Linear → logit;
``spectral_norm=True`` divides each of its three weights by a power-iteration estimate of its largest singular
value — for a convolution, the σ of the kernel reshaped to out × in·k², not the layer's own norm (Miyato et al.,
2018; lecture 3's ``mnist-dcgan-sn`` zoo entry).
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Discriminator, Generator


class DCGANGenerator(Generator):
    """DCGAN generator of the lecture (latent_dim = 128 by default).

    Args:
        latent_dim: dimension of z ~ N(0, I).
        channels: feature maps of the 7×7, 14×14 and 28×28 stages.
        batch_norm: batch normalisation before each hidden LeakyReLU. Radford et al. (2016) normalise the
            hidden layers of both G and D; the course does it in G only. Both DCGAN entries of the zoo use it:
            without it, one run of their recipe (seed 0) had this G's tanh at −1 (black images) by step 100, and
            at step 1,000 it still drew one class only.
    """

    sample_batch_size = 64   # 2,000 samples of a zoo DCGAN on 2 CPU cores: 2.2–3.6 s in batches of 64, 3.5–4.1 s in
                             # batches of 1,000, and the same samples

    def __init__(self, latent_dim: int = 128, channels: int = 128, batch_norm: bool = False):
        super().__init__()
        self.latent_dim, self.data_shape, self.channels = latent_dim, (1, 28, 28), channels

        def norm() -> list[nn.Module]:
            return [nn.BatchNorm2d(channels)] if batch_norm else []

        self.linear = nn.Linear(latent_dim, channels * 7 * 7)
        self.deconv = nn.Sequential(
            *norm(),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(channels, channels, 4, stride=2, padding=1),  # 7 → 14
            *norm(),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(channels, channels, 4, stride=2, padding=1),  # 14 → 28
            *norm(),
            nn.LeakyReLU(0.2),
            nn.Conv2d(channels, 1, 3, padding=1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        self._check_latent(z)
        return self.deconv(self.linear(z).view(-1, self.channels, 7, 7))


class DCGANDiscriminator(Discriminator):
    """DCGAN discriminator of the lecture, returning the logit d(x) (no sigmoid).

    Args:
        channels: feature maps of both convolutions.
        spectral_norm: normalise every weight W to W / σ̂(W), σ̂ estimated by one power iteration per
            training-mode forward pass (Miyato et al., 2018, Alg. 1; torch's ``parametrizations.spectral_norm``,
            which for a convolution normalises the kernel reshaped to a matrix, as the paper does).
    """

    def __init__(self, channels: int = 64, spectral_norm: bool = False):
        super().__init__()
        self.data_shape = (1, 28, 28)
        sn = nn.utils.parametrizations.spectral_norm if spectral_norm else (lambda layer: layer)
        self.conv = nn.Sequential(
            sn(nn.Conv2d(1, channels, 4, stride=2, padding=1)),  # 28 → 14
            nn.LeakyReLU(0.2),
            sn(nn.Conv2d(channels, channels, 4, stride=2, padding=1)),  # 14 → 7
            nn.LeakyReLU(0.2),
        )
        self.linear = sn(nn.Linear(channels * 7 * 7, 1))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """h(x): the flattened output of the two convolutions, n × (channels·7·7)."""
        self._check_input(x)
        return self.conv(x).flatten(1)

    @property
    def head(self) -> nn.Module:
        return self.linear

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.features(x)).squeeze(1)
