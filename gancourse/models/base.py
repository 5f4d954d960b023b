"""What every generator and discriminator of the course shares.

A generator maps a latent code z ~ p_0 = N(0, I) to a sample x = G(z); it exposes ``latent_dim`` and
``sample_latent(n)``.  A discriminator (or WGAN critic) maps x to one real number per sample — a
*logit* d(x), never a probability: D(x) = σ(d(x)) is applied by the losses, which is both
numerically stable and what the samplers of lecture 5 need (they use d(x) itself).

Each model remembers the keyword arguments it was built with (``config``) so that a checkpoint can
rebuild it and refuse to load into a model of another shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import nn

if TYPE_CHECKING:
    from .san import SliceOutputs

MODEL_REGISTRY: dict[str, type["CourseModule"]] = {}


class CourseModule(nn.Module):
    """An ``nn.Module`` that records its constructor arguments and registers its class by name."""

    config: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        MODEL_REGISTRY[cls.__name__] = cls

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device


class Generator(CourseModule):
    """Base class of generators G: R^latent_dim → data space."""

    latent_dim: int
    data_shape: tuple[int, ...]

    def sample_latent(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n latent codes from the prior p_0(z) = N(0, I), on the model's device."""
        if not isinstance(n, int) or n <= 0:
            raise ValueError(f"n must be a positive integer, got {n!r}.")
        z = torch.randn(n, self.latent_dim, generator=generator)
        return z.to(self.device)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """n samples x = G(z), z ~ p_0, computed in batches without gradients."""
        was_training = self.training
        self.eval()
        z = self.sample_latent(n, generator)
        out = torch.cat([self(z[i:i + batch_size]) for i in range(0, n, batch_size)])
        self.train(was_training)
        return out

    def _check_latent(self, z: torch.Tensor) -> None:
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"{type(self).__name__} expects latent codes of shape n×{self.latent_dim}, got "
                f"{tuple(z.shape)}; draw them with .sample_latent(n)."
            )


class Discriminator(CourseModule):
    """Base class of discriminators / critics: data → one logit per sample (shape ``n``)."""

    data_shape: tuple[int, ...]

    def slice_outputs(self, x: torch.Tensor) -> "SliceOutputs":
        """(⟨ω⁻, h(x)⟩, ⟨ω, h⁻(x)⟩), the two slices the SAN loss trains (lecture 3; see ``models/san.py``).

        Works for discriminators whose ``net`` maps flattened inputs through features h to a
        :class:`~gancourse.models.san.SANLinear` head (``head="san"``); others raise a ``TypeError``.
        """
        from .san import san_outputs

        self._check_input(x)
        net = getattr(self, "net", None)
        if not isinstance(net, nn.Sequential):
            raise TypeError(f"{type(self).__name__} has no SAN head; use MLPDiscriminator(head='san') or "
                            "ToyDiscriminator(head='san').")
        return san_outputs(net, x.flatten(1))

    def _check_input(self, x: torch.Tensor) -> None:
        if tuple(x.shape[1:]) != tuple(self.data_shape):
            raise ValueError(
                f"{type(self).__name__} expects inputs of shape n×{'×'.join(map(str, self.data_shape))}, "
                f"got {tuple(x.shape)}."
            )
