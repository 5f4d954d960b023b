"""What every generator and discriminator of the course shares.

A generator maps a latent code z ~ p_0 = N(0, I) to a sample x = G(z); it exposes ``latent_dim`` and
``sample_latent(n)``.  A discriminator (or WGAN critic) maps x to one real number per sample — a
*logit* d(x), never a probability: D(x) = σ(d(x)) is applied by the losses, which is both
numerically stable and what the samplers of lecture 5 need (they use d(x) itself).

Each model remembers the arguments it was built with (``config``, recorded automatically with the
defaults filled in) so that a checkpoint can rebuild it and refuse to load into a model of another
shape. A discriminator exposes its penultimate layer ``features(x)`` and its last layer ``head``, which
the SAN loss (lecture 3), linear probes and DOT use.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from .. import checks

if TYPE_CHECKING:
    from .san import SliceOutputs

MODEL_REGISTRY: dict[str, type["CourseModule"]] = {}


def _plain(value: Any) -> Any:
    """Tuples as lists, as JSON stores them, so that a saved and a rebuilt config compare equal."""
    return [_plain(v) for v in value] if isinstance(value, (tuple, list)) else value


class CourseModule(nn.Module):
    """An ``nn.Module`` that records its constructor arguments and registers its class by name.

    ``config`` holds every argument of ``__init__`` (defaults filled in), recorded when the object is
    built; a checkpoint stores it and rebuilds the model as ``cls(**config)``.
    """

    config: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        MODEL_REGISTRY[cls.__name__] = cls
        if "__init__" in cls.__dict__:
            init = cls.__init__

            @functools.wraps(init)
            def recording_init(self, *args: Any, **kw: Any) -> None:
                init(self, *args, **kw)
                if type(self) is cls:            # the most derived class records its own arguments
                    self.config = cls.complete_config(*args, **kw)

            cls.__init__ = recording_init

    @classmethod
    def complete_config(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The constructor arguments as a dict, defaults filled in (what ``config`` records)."""
        init = inspect.unwrap(cls.__init__)
        bound = inspect.signature(init).bind(None, *args, **kwargs)
        bound.apply_defaults()
        return {k: _plain(v) for k, v in list(bound.arguments.items())[1:]}

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device


class Generator(CourseModule):
    """Base class of generators G: R^latent_dim → data space."""

    latent_dim: int
    data_shape: tuple[int, ...]
    sample_batch_size: int = 1000
    """How many samples :meth:`sample` computes at once unless told otherwise (a subclass may pick its own)."""

    def sample_latent(self, n: int, rng: torch.Generator | None = None) -> torch.Tensor:
        """n latent codes from the prior p_0(z) = N(0, I), on the model's device."""
        n = checks.positive_int("n", n, what="the number of latent codes")
        z = torch.randn(n, self.latent_dim, generator=checks.random_generator("rng", rng))
        return z.to(self.device)

    @torch.no_grad()
    def sample(self, n: int, rng: torch.Generator | None = None, batch_size: int | None = None) -> torch.Tensor:
        """n samples x = G(z), z ~ p_0, computed in batches of ``batch_size`` (default: the class's
        ``sample_batch_size``) without gradients."""
        was_training = self.training
        self.eval()
        z = self.sample_latent(n, rng)
        batch_size = checks.positive_int("batch_size", self.sample_batch_size if batch_size is None else batch_size)
        out = torch.cat([self(z[i:i + batch_size]) for i in range(0, len(z), batch_size)])
        self.train(was_training)
        return out

    def _check_latent(self, z: torch.Tensor) -> None:
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"{type(self).__name__} expects latent codes of shape n×{self.latent_dim}, got "
                f"{tuple(z.shape)}; draw them with .sample_latent(n)."
            )


class Discriminator(CourseModule):
    """Base class of discriminators / critics: data → one logit per sample (shape ``n``).

    ``d(x) = head(features(x))``: ``features`` maps a batch to the penultimate layer h(x) (n × D) and
    ``head`` is the last layer (a linear map or a SAN direction). Discriminators built on one
    ``nn.Sequential`` ``net`` of flattened inputs get both from it.
    """

    data_shape: tuple[int, ...]

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """h(x): the penultimate layer, n × D (lecture 3's SAN direction acts on it; lecture 8 probes it)."""
        self._check_input(x)
        net = getattr(self, "net", None)
        if not isinstance(net, nn.Sequential):
            raise TypeError(f"{type(self).__name__} does not expose features(x).")
        return net[:-1](x.flatten(1))

    @property
    def head(self) -> nn.Module:
        """The last layer, mapping features(x) to the logit."""
        net = getattr(self, "net", None)
        if not isinstance(net, nn.Sequential):
            raise TypeError(f"{type(self).__name__} does not expose a head.")
        return net[-1]

    def slice_outputs(self, x: torch.Tensor) -> "SliceOutputs":
        """(⟨ω⁻, h(x)⟩, ⟨ω, h⁻(x)⟩), the two slices the SAN loss trains (lecture 3; see ``models/san.py``).

        Works for discriminators whose ``net`` maps flattened inputs through features h to a
        :class:`~gancourse.models.san.SANLinear` head (``head="san"``); others raise a ``TypeError``.
        """
        from .san import SANLinear

        head = self.head
        if not isinstance(head, SANLinear):
            raise TypeError("The SAN loss needs a discriminator whose last layer is a SANLinear direction; build it "
                            "with head='san', e.g. MLPDiscriminator(head='san') or ToyDiscriminator(head='san').")
        return head.slice(self.features(x))

    def _check_input(self, x: torch.Tensor) -> None:
        """Shape n × data_shape, floating point, finite; images (C×H×W) in [-1, 1]."""
        name = type(self).__name__
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"{name} expects a tensor, got {type(x).__name__}.")
        if tuple(x.shape[1:]) != tuple(self.data_shape):
            raise ValueError(
                f"{name} expects inputs of shape n×{'×'.join(map(str, self.data_shape))}, got {tuple(x.shape)}."
            )
        if not x.is_floating_point():
            raise TypeError(f"{name} expects float inputs, got dtype {x.dtype}; convert 0…255 images with "
                            "x.float() / 127.5 - 1.")
        x = x.detach()
        if x.numel() and not bool(torch.isfinite(x).all()):
            raise ValueError(f"{name} received inputs holding NaN or inf.")
        if len(self.data_shape) == 3 and x.numel():
            checks.images(f"the input of {name}", x)
