"""What every sampler shares: one call, one result type, one registry.

Every sampler of the course is called the same way and returns the same thing::

    result = samplers.get("drs")(G, D, n, config=None, **overrides)
    result.samples          # n samples in data space
    result.stats            # SamplerStats: network passes, acceptance, sampler-specific extras
    x, stats = result       # unpacks like a pair

``config`` is the sampler's options dataclass (``DRSConfig``, ``MHConfig``, ``DDLSConfig``,
``GeneratorConfig``, ``DOTConfig``); keyword overrides replace its fields and are validated by its ``__post_init__``,
as in :func:`gancourse.train.train`. The plain generator is a sampler too (``"generator"``), so a
comparison of samplers is one loop over :func:`available` (lectures 5 and 6).
"""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, NamedTuple, TypeVar

import torch
from torch import nn

from .. import checks
from ..models.base import Discriminator, Generator

C = TypeVar("C")


class LangevinDivergedError(FloatingPointError):
    """A Langevin chain produced NaN or inf."""


class SamplerError(RuntimeError):
    """A sampler could not return its n samples (e.g. rejection sampling accepted too few)."""


@dataclass
class SamplerStats:
    """What one call of a sampler cost, and how it behaved.

    The four counters count passes of single samples through each network: a forward pass of G or D,
    and a backward pass through it (a Langevin step differentiates d(G(z)) with respect to z: one
    forward and one backward pass of each network). Divide by ``n`` for the cost per returned sample.
    """

    n: int
    generator_forward: int = 0
    generator_backward: int = 0
    discriminator_forward: int = 0
    discriminator_backward: int = 0
    acceptance_rate: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cost(self) -> float:
        """Generator forward passes per returned sample (1 for the plain generator)."""
        return self.generator_forward / self.n

    @property
    def passes_per_sample(self) -> dict[str, float]:
        """Forward and backward passes of G and D per returned sample."""
        return {k: getattr(self, k) / self.n for k in
                ("generator_forward", "generator_backward", "discriminator_forward", "discriminator_backward")}

    @property
    def network_passes(self) -> float:
        """All forward and backward passes of G and D per returned sample: the cost axis of lecture 6."""
        return sum(self.passes_per_sample.values())

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "cost": self.cost, **self.passes_per_sample,
                "acceptance_rate": self.acceptance_rate, **self.extra}


class SampleResult(NamedTuple):
    """The samples a sampler returned and its statistics; unpacks as ``samples, stats``."""

    samples: torch.Tensor
    stats: SamplerStats


Sampler = Callable[..., SampleResult]
_REGISTRY: dict[str, Sampler] = {}


def register(name: str) -> Callable[[Sampler], Sampler]:
    """Decorator adding a sampler to the registry under ``name``."""

    def wrap(fn: Sampler) -> Sampler:
        _REGISTRY[name] = fn
        return fn

    return wrap


def get(name: str) -> Sampler:
    """The sampler registered as ``name``.

    Raises:
        KeyError: naming the valid samplers.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"Unknown sampler {name!r}; available: {', '.join(available())}.") from None


def available() -> list[str]:
    """Names of the registered samplers, in the order a comparison table lists them."""
    return list(_REGISTRY)


def resolve_config(cls: type[C], config: C | None, overrides: dict[str, Any]) -> C:
    """``config`` (or the defaults of ``cls``) with ``overrides`` applied and validated."""
    if config is not None and not isinstance(config, cls):
        raise TypeError(f"config must be a {cls.__name__}, got {type(config).__name__}.")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise TypeError(f"Unknown option(s) {unknown} for {cls.__name__}; valid options: {sorted(names)}.")
    return cls(**overrides) if config is None else dataclasses.replace(config, **overrides)


def check_models(generator: Generator, discriminator: Discriminator, n: Any) -> int:
    """Validate ``n`` and that G's samples have the shape D expects; return n as an int."""
    n = checks.positive_int("n", n)
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a gancourse Generator, got {type(generator).__name__}.")
    if not isinstance(discriminator, nn.Module):
        raise TypeError(f"discriminator must be a gancourse Discriminator, got {type(discriminator).__name__}.")
    if tuple(generator.data_shape) != tuple(getattr(discriminator, "data_shape", ())):
        raise ValueError(f"The generator makes samples of shape {generator.data_shape} but the discriminator "
                         f"expects {getattr(discriminator, 'data_shape', None)}.")
    return n


N_PROBE = 64  # far-away inputs on which check_logits evaluates the discriminator (counted in the stats)


def check_logits(d: torch.Tensor, discriminator: nn.Module, stats: SamplerStats) -> None:
    """Refuse a discriminator that returns probabilities D(x) instead of logits d(x).

    ``d`` holds logits the sampler computed anyway (on generated samples). Far from the data a logit
    grows large in magnitude while a probability cannot leave [0, 1], so the discriminator is also
    evaluated on ``N_PROBE`` points 1000 standard deviations out — far enough that even an untrained
    network's (piecewise-linear) logit leaves [0, 1] — or, for images, which must stay in [-1, 1], on
    black-and-white noise; those passes are added to ``stats``.
    A final Sigmoid module means probabilities (an error).  Every value in [0, 1] is an error for vector
    data; for images, whose probe cannot leave [-1, 1], an untrained network's small logits can also look
    like this (4 in 61 random initialisations of the MNIST MLP), so it is a warning.
    """
    if d.ndim != 1:
        raise ValueError(f"The discriminator must return one logit per sample (shape n), got {tuple(d.shape)}.")
    shape = tuple(discriminator.data_shape)
    far = 1000 * torch.randn(N_PROBE, *shape, generator=torch.Generator().manual_seed(12345))
    if len(shape) == 3:               # images must stay in [-1, 1]: the probe is then black-and-white noise
        far = far.sign()
    with torch.no_grad():
        d_far = discriminator(far.to(d.device))
    stats.discriminator_forward += N_PROBE
    values = torch.cat([d.detach()[:N_PROBE], d_far])
    message = ("The discriminator's outputs all lie in [0, 1]: it seems to return probabilities D(x). "
               "The samplers need logits d(x) = log D(x) − log(1 − D(x)); remove the final sigmoid.")
    if isinstance(list(discriminator.modules())[-1], nn.Sigmoid):
        raise ValueError(message)
    if bool(((values >= 0) & (values <= 1)).all()):
        if len(shape) != 3:
            raise ValueError(message)
        warnings.warn(message + " (An untrained discriminator can also give such small logits.)", stacklevel=3)


@contextlib.contextmanager
def eval_mode(*modules: nn.Module) -> Iterator[None]:
    """Put ``modules`` in eval mode and restore the train/eval mode each had, even on an error."""
    modes = [m.training for m in modules]
    try:
        for m in modules:
            m.eval()
        yield
    finally:
        for m, mode in zip(modules, modes):
            m.train(mode)
