"""The plain generator as a sampler: x = G(z), z ~ p₀ — the baseline of every comparison table."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..models.base import Discriminator, Generator
from .. import checks
from .base import SampleResult, SamplerStats, check_models, register, resolve_config


@dataclass
class GeneratorConfig:
    """Options of :func:`generator_samples`: the seed of the latent codes."""

    seed: int = 0

    def __post_init__(self) -> None:
        self.seed = checks.positive_int("seed", self.seed, minimum=0)


@register("generator")
def generator_samples(generator: Generator, discriminator: Discriminator | None, n: int,
                      config: GeneratorConfig | None = None, **overrides) -> SampleResult:
    """n samples of G alone (the discriminator is ignored; it may be None). Cost: one pass of G each."""
    cfg = resolve_config(GeneratorConfig, config, overrides)
    n = check_models(generator, discriminator, n) if discriminator is not None else checks.positive_int("n", n)
    x = generator.sample(n, rng=torch.Generator().manual_seed(cfg.seed))
    return SampleResult(x, SamplerStats(n, generator_forward=n))


__all__ = ["GeneratorConfig", "generator_samples"]
