"""BiGAN (Donahue, Krähenbühl & Darrell, ICLR 2017; ALI, Dumoulin et al., 2017) — lecture 8.

A GAN has no inverse of G. BiGAN learns one: an encoder E: x → z is trained with G against a discriminator
on the *joint* space of pairs (x, z), which sees

    real pairs (x, E(x)),  x ~ p_data,        and        fake pairs (G(z), z),  z ~ p_0,

and plays the GAN game V(D, E, G) = E_x[log D(x, E(x))] + E_z[log(1 − D(G(z), z))] (the paper's Eq. 3). At the
optimum the two joint distributions are equal, and the paper's Theorem 2 gives E = G⁻¹ on the support:
E(G(z)) = z and G(E(x)) = x. The training loop is the course's one loop, :func:`gancourse.train.train`, called with
``encoder=E``; the discriminator of a BiGAN takes the pair as one vector, [x flattened, z] (:func:`pair`).

* :class:`MLPEncoder` — x (784) → 1024 → 512 → latent_dim (LeakyReLU(0.2)), the mirror of the MNIST generator;
* :class:`JointDiscriminator` — [x, z] (784 + latent_dim) → 1024 → 512 → 256 → 1 logit, with dropout like the
  MNIST discriminator; ``features`` is its penultimate layer, as for every course discriminator;
* :class:`ToyEncoder` / :class:`ToyJointDiscriminator` — the same for the 1D/2D toys of lecture 8.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import CourseModule, Discriminator
from .mlp import _mlp


def pair(x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """The joint discriminator's input [x flattened, z], n × (prod(x shape) + latent_dim)."""
    if len(x) != len(z):
        raise ValueError(f"x and z must hold the same number of rows, got {len(x)} and {len(z)}.")
    return torch.cat([x.flatten(1), z], dim=1)


class Encoder(CourseModule):
    """Base class of encoders E: data → R^latent_dim (BiGAN's inverse of G)."""

    latent_dim: int
    data_shape: tuple[int, ...]

    def _check_input(self, x: torch.Tensor) -> None:
        if not isinstance(x, torch.Tensor) or tuple(x.shape[1:]) != tuple(self.data_shape):
            raise ValueError(f"{type(self).__name__} expects inputs of shape n×{'×'.join(map(str, self.data_shape))}, "
                             f"got {tuple(getattr(x, 'shape', ()))}.")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.net(x.flatten(1))


class MLPEncoder(Encoder):
    """MNIST encoder: x (784) → 1024 → 512 → latent_dim, LeakyReLU(0.2), a linear output (z is unbounded)."""

    def __init__(self, latent_dim: int = 100, image_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.latent_dim, self.data_shape = latent_dim, tuple(image_shape)
        n_pixels = int(torch.tensor(image_shape).prod())
        self.net = _mlp([n_pixels, 1024, 512, latent_dim], nn.LeakyReLU, negative_slope=0.2)


class ToyEncoder(Encoder):
    """Toy encoder: x (data_dim) → hidden × depth → latent_dim, LeakyReLU(0.2)."""

    def __init__(self, latent_dim: int = 2, data_dim: int = 2, hidden: int = 128, depth: int = 3):
        super().__init__()
        self.latent_dim, self.data_shape = latent_dim, (data_dim,)
        self.net = _mlp([data_dim] + [hidden] * depth + [latent_dim], nn.LeakyReLU, negative_slope=0.2)


class JointDiscriminator(Discriminator):
    """BiGAN's discriminator on pairs: [x, z] (784 + latent_dim) → 1024 → 512 → 256 → 1 logit.

    Its input is one vector per pair (:func:`pair`), so that the course's losses, penalties and samplers apply
    unchanged; ``data_shape`` is (784 + latent_dim,). ``dropout`` as in :class:`~gancourse.models.MLPDiscriminator`.
    """

    def __init__(self, latent_dim: int = 100, image_shape: tuple[int, int, int] = (1, 28, 28), dropout: float = 0.0):
        super().__init__()
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}.")
        self.latent_dim, self.image_shape = latent_dim, tuple(image_shape)
        self.data_shape = (int(torch.tensor(image_shape).prod()) + latent_dim,)
        self.net = _mlp([self.data_shape[0], 1024, 512, 256, 1], nn.LeakyReLU, dropout=dropout, negative_slope=0.2)

    def forward(self, xz: torch.Tensor) -> torch.Tensor:
        self._check_input(xz)
        return self.net(xz).squeeze(1)


class ToyJointDiscriminator(Discriminator):
    """Toy joint discriminator: [x, z] (data_dim + latent_dim) → hidden × depth → 1 logit."""

    def __init__(self, latent_dim: int = 2, data_dim: int = 2, hidden: int = 128, depth: int = 3):
        super().__init__()
        self.latent_dim, self.data_shape = latent_dim, (data_dim + latent_dim,)
        self.net = _mlp([data_dim + latent_dim] + [hidden] * depth + [1], nn.LeakyReLU, negative_slope=0.2)

    def forward(self, xz: torch.Tensor) -> torch.Tensor:
        self._check_input(xz)
        return self.net(xz).squeeze(1)
