"""The zoo: pretrained GANs that load in a second, so that lectures spend CPU time on ideas, not training.

    from gancourse import zoo
    zoo.available()                      # ['grid25-gan', …, 'mnist-mlp-wgan-gp']
    gan = zoo.load("mnist-mlp-gan")
    x = gan.sample(16)                   # 16 generated digits in [-1, 1]
    d = gan.discriminator(x)             # its discriminator's logits (the samplers of lecture 5 use both)
    gan.card["metrics"]                  # FID, precision, recall … measured at release

Each entry is ``gancourse/zoo/NAME.safetensors`` (weights in float16) with ``NAME.json`` beside it
(architectures, the model card and the SHA-256 of the weights, checked at load).  The recipes are in
:mod:`gancourse.zoo.recipes`; ``python -m gancourse.zoo build NAME`` (:mod:`gancourse.zoo.build`, which
this module does not import) retrains an entry and rewrites both files, ``python -m gancourse.zoo list``
prints the cards' metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..checkpoint import load_checkpoint
from ..config import get_device
from ..models.base import Discriminator, Generator
from .recipes import RECIPES, ZOO_DIR, Recipe


@dataclass
class ZooModel:
    """A pretrained generator with its discriminator (or critic) and model card."""

    name: str
    generator: Generator
    discriminator: Discriminator
    card: dict[str, Any]

    @property
    def recipe(self) -> Recipe:
        return RECIPES[self.name]

    @property
    def data(self) -> Any:
        """The toy distribution it was trained on (``None`` for MNIST entries; use ``gancourse.data.mnist()``)."""
        from .. import toy
        return None if self.recipe.data == "mnist" else toy.get(self.recipe.data)

    def sample(self, n: int, seed: int = 0) -> torch.Tensor:
        """n samples G(z), z ~ N(0, I) drawn with ``seed``."""
        return self.generator.sample(n, generator=torch.Generator().manual_seed(seed))

    def __repr__(self) -> str:
        return f"ZooModel({self.name!r}: {self.recipe.description})"


def path(name: str) -> Path:
    """Where the weights of entry ``name`` live (``.json`` beside them)."""
    return ZOO_DIR / f"{name}.safetensors"


def available() -> list[str]:
    """Names of the shipped checkpoints."""
    return sorted(name for name in RECIPES if path(name).exists())


def load(name: str, device: torch.device | str | None = None) -> ZooModel:
    """Load entry ``name`` (see :func:`available`) onto ``device``, in eval mode.

    Raises:
        KeyError: unknown name.
        gancourse.checkpoint.CheckpointError: the files are missing or their hash does not match.
    """
    if name not in RECIPES:
        raise KeyError(f"No zoo entry {name!r}; available: {', '.join(available())}.")
    device = torch.device(device) if device is not None else get_device()
    ckpt = load_checkpoint(path(name), map_location=device)
    return ZooModel(name, ckpt["generator"], ckpt["discriminator"], ckpt.card)


__all__ = ["ZooModel", "RECIPES", "Recipe", "available", "load", "path"]
