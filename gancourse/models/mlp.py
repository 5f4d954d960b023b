"""Fully connected generators and discriminators.

* :class:`ToyGenerator` / :class:`ToyDiscriminator` — small MLPs for the 1D/2D toy distributions.
* :class:`MLPGenerator` / :class:`MLPDiscriminator` — the course's MNIST pair:
  G: 100 → 256 → 512 → 1024 → 784 with LeakyReLU(0.2) and a final tanh (images in [-1, 1]);
  D: 784 → 1024 → 512 → 256 → 1 with LeakyReLU(0.2), returning the logit d(x).
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Discriminator, Generator
from .san import SANLinear


def _mlp(sizes: list[int], activation: type[nn.Module], dropout: float = 0.0, head: str = "linear",
         spectral_norm: bool = False, **act_kwargs) -> nn.Sequential:
    """Linear layers of the given sizes with an activation (and dropout, if > 0) between them.

    ``head="san"`` makes the last layer a :class:`~gancourse.models.san.SANLinear` direction (one output).
    ``spectral_norm=True`` divides every linear layer's weight W by its largest singular value σ(W),
    estimated by one power iteration per forward pass (Miyato et al., 2018, Alg. 1; torch's
    ``parametrizations.spectral_norm``); lecture 3 trains toy discriminators with it.
    """
    if head not in ("linear", "san"):
        raise ValueError(f"head must be 'linear' or 'san', got {head!r}.")
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = i == len(sizes) - 2
        if last and head == "san":
            layers.append(SANLinear(a))
        else:
            linear = nn.Linear(a, b)
            layers.append(nn.utils.parametrizations.spectral_norm(linear) if spectral_norm else linear)
        if not last:
            layers.append(activation(**act_kwargs))
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class ToyGenerator(Generator):
    """G(z) = MLP(z) for toy data: ``depth`` hidden layers of width ``hidden`` with ReLU."""

    def __init__(self, latent_dim: int = 2, data_dim: int = 2, hidden: int = 128, depth: int = 3):
        super().__init__()
        self.latent_dim, self.data_shape = latent_dim, (data_dim,)
        self.net = _mlp([latent_dim] + [hidden] * depth + [data_dim], nn.ReLU)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        self._check_latent(z)
        return self.net(z)


class ToyDiscriminator(Discriminator):
    """d(x) = MLP(x) for toy data: ``depth`` hidden layers of width ``hidden``, LeakyReLU(0.2).

    ``head="san"`` ends it with a SAN direction (lecture 3) instead of a linear layer;
    ``spectral_norm=True`` normalises every linear layer by its spectral norm (Miyato et al., 2018).
    """

    def __init__(self, data_dim: int = 2, hidden: int = 128, depth: int = 3, head: str = "linear",
                 spectral_norm: bool = False):
        super().__init__()
        self.data_shape = (data_dim,)
        self.net = _mlp([data_dim] + [hidden] * depth + [1], nn.LeakyReLU, head=head, spectral_norm=spectral_norm,
                        negative_slope=0.2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.net(x).squeeze(1)


class MLPGenerator(Generator):
    """MNIST MLP generator: z (100) → 256 → 512 → 1024 → 784 → tanh, reshaped to 1×28×28."""

    def __init__(self, latent_dim: int = 100, image_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.latent_dim, self.data_shape = latent_dim, tuple(image_shape)
        n_pixels = int(torch.tensor(image_shape).prod())
        self.net = nn.Sequential(_mlp([latent_dim, 256, 512, 1024, n_pixels], nn.LeakyReLU, negative_slope=0.2),
                                 nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        self._check_latent(z)
        return self.net(z).view(-1, *self.data_shape)


class MLPDiscriminator(Discriminator):
    """MNIST MLP discriminator: x (784) → 1024 → 512 → 256 → 1 logit.

    ``dropout`` > 0 adds dropout after each hidden layer while training, as in the MNIST discriminator of
    Goodfellow et al. (2014); it is off in evaluation mode (and so for the samplers of lecture 5).
    ``head="san"`` replaces the last linear layer by a SAN direction ω on the unit sphere (lecture 3).
    ``spectral_norm=True`` normalises every linear layer by its spectral norm (Miyato et al., 2018).
    """

    def __init__(self, image_shape: tuple[int, int, int] = (1, 28, 28), dropout: float = 0.0, head: str = "linear",
                 spectral_norm: bool = False):
        super().__init__()
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}.")
        self.data_shape = tuple(image_shape)
        n_pixels = int(torch.tensor(image_shape).prod())
        self.net = _mlp([n_pixels, 1024, 512, 256, 1], nn.LeakyReLU, dropout=dropout, head=head,
                        spectral_norm=spectral_norm, negative_slope=0.2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.net(x.flatten(1)).squeeze(1)
