"""What the samplers share: their statistics and input checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from ..models.base import Discriminator, Generator


class LangevinDivergedError(FloatingPointError):
    """A Langevin chain produced NaN or inf."""


@dataclass
class SamplerStats:
    """Cost and behaviour of one call of a sampler.

    ``generator_evals`` and ``discriminator_evals`` count forward passes of single samples (a gradient
    step of DDLS counts one evaluation of each); divide by ``n`` for the cost per returned sample.
    """

    n: int
    generator_evals: int = 0
    discriminator_evals: int = 0
    acceptance_rate: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cost(self) -> float:
        """Generator evaluations per returned sample (1 for the plain generator)."""
        return self.generator_evals / self.n

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "cost": self.cost, "discriminator_evals_per_sample": self.discriminator_evals / self.n,
                "acceptance_rate": self.acceptance_rate, **self.extra}


def check_models(generator: Generator, discriminator: Discriminator, n: int) -> None:
    """Shapes agree, n is positive, and the discriminator returns logits (not probabilities)."""
    if not isinstance(n, int) or n <= 0:
        raise ValueError(f"n must be a positive integer, got {n!r}.")
    if tuple(generator.data_shape) != tuple(discriminator.data_shape):
        raise ValueError(f"The generator makes samples of shape {generator.data_shape} but the discriminator "
                         f"expects {discriminator.data_shape}.")
    with torch.no_grad():
        rng = torch.Generator().manual_seed(12345)
        x = generator.sample(64, generator=rng)
        far = 10 * torch.randn(64, *generator.data_shape, generator=rng).to(x.device)
        d, d_far = discriminator(x), discriminator(far)   # far from the data a logit grows large, D(x) cannot
    if d.ndim != 1:
        raise ValueError(f"The discriminator must return one logit per sample (shape n), got {tuple(d.shape)}.")
    ends_in_sigmoid = isinstance(list(discriminator.modules())[-1], torch.nn.Sigmoid)
    in_unit_interval = bool(((torch.cat([d, d_far]) >= 0) & (torch.cat([d, d_far]) <= 1)).all())
    if ends_in_sigmoid or in_unit_interval:
        raise ValueError("The discriminator's outputs all lie in [0, 1]: it seems to return probabilities D(x). "
                         "The samplers need logits d(x) = log D(x) − log(1 − D(x)); remove the final sigmoid.")
