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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import torch

from ..checkpoint import load_checkpoint, read_metadata
from ..config import get_device
from ..models.base import Discriminator, Generator
from ..models.bigan import Encoder
from ..tables import format_table
from .recipes import RECIPES, ZOO_DIR, Recipe


@dataclass
class ZooModel:
    """A pretrained generator with its discriminator (or critic), model card and, for a BiGAN, its encoder.

    A BiGAN's ``discriminator`` judges pairs [x, z] (:func:`gancourse.models.bigan.pair`), not images.
    """

    name: str
    generator: Generator
    discriminator: Discriminator
    card: dict[str, Any]
    encoder: Encoder | None = None

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
        return self.generator.sample(n, rng=torch.Generator().manual_seed(seed))

    def __repr__(self) -> str:
        return f"ZooModel({self.name!r}: {self.recipe.description})"


def path(name: str) -> Path:
    """Where the weights of entry ``name`` live (``.json`` beside them)."""
    return ZOO_DIR / f"{name}.safetensors"


def available() -> list[str]:
    """Names of the shipped checkpoints."""
    return sorted(name for name in RECIPES if path(name).exists())


def _check_name(name: str) -> None:
    if name not in RECIPES:
        raise KeyError(f"No zoo entry {name!r}; available: {', '.join(available())}.")


def card(name: str) -> dict[str, Any]:
    """The model card of entry ``name`` (training config, metrics at release …), without loading weights."""
    _check_name(name)
    return read_metadata(path(name))["card"]


def load(name: str, device: torch.device | str | None = None) -> ZooModel:
    """Load entry ``name`` (see :func:`available`) onto ``device``, in eval mode.

    Raises:
        KeyError: unknown name.
        gancourse.checkpoint.CheckpointError: the files are missing or their hash does not match.
    """
    _check_name(name)
    device = get_device(str(device)) if device is not None else get_device()   # a clear error if unavailable
    ckpt = load_checkpoint(path(name), map_location=device)
    return ZooModel(name, ckpt["generator"], ckpt["discriminator"], ckpt.card, ckpt.models.get("encoder"))


@dataclass
class Comparison:
    """Zoo entries side by side (lectures 3 and 7): each entry's samples and its row of scores."""

    samples: dict[str, torch.Tensor]
    rows: dict[str, dict[str, Any]]
    extra_rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def table(self) -> str:
        """The rows (then ``extra_rows``, e.g. real data) as aligned text."""
        return format_table({**self.rows, **self.extra_rows})

    def ranks(self, column: str) -> dict[str, int]:
        """Each entry's rank by ``column`` (0 = smallest value)."""
        order = sorted(self.rows, key=lambda name: self.rows[name][column])
        return {name: order.index(name) for name in self.rows}


def _training_columns(card: Mapping[str, Any]) -> dict[str, Any]:
    tc = card["train_config"]
    return {"G steps": tc["steps"], "D steps/G": tc["n_critic"], "batch": tc["batch_size"],
            "train min": round(card["wall_time_s"] / 60)}


def compare(names: Sequence[str], n: int, score: Callable[[torch.Tensor], Mapping[str, Any]], seed: int = 0,
            device: torch.device | str | None = None, training: bool = False) -> Comparison:
    """Load each entry, draw ``n`` samples with ``seed`` and score them: ``score(samples)`` → {column: value}.

    With ``training=True`` each row starts with the entry's training budget (generator steps, critic
    steps per generator step, batch size, minutes of training on the card's hardware) from its card, so
    that a table states what each model cost.
    Samples are returned on the CPU.  Used by lectures 3, 4 and 7.
    """
    unknown = [name for name in names if name not in RECIPES]
    if unknown or not names:
        raise KeyError(f"compare needs zoo entries; unknown {unknown}, available: {', '.join(available())}.")
    samples, rows = {}, {}
    for name in names:
        entry = load(name, device)
        x = entry.sample(n, seed=seed)
        scores = score(x)
        if not isinstance(scores, Mapping):
            raise TypeError(f"score must return a mapping {{column: value}}, e.g. {{'FID': …}}; got "
                            f"{type(scores).__name__}.")
        rows[name] = {**(_training_columns(entry.card) if training else {}), **scores}
        samples[name] = x.cpu()
    return Comparison(samples, rows)


def card_metrics(names: Sequence[str], keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The release metrics ``keys`` from each entry's card, and the real data's floor as a last row.

    The floor (the metrics of 10,000 real training digits against the test digits) is the same on every
    MNIST card; it is what a perfect generator would score with the card's sample size.
    """
    rows = {name: {k: card(name)["metrics"][k] for k in keys} for name in names}
    floor = card(names[0])["metrics"].get("real_floor")
    if floor is not None:
        rows["real data (floor)"] = {k: floor.get(k) for k in keys}
    return rows


__all__ = ["ZooModel", "RECIPES", "Recipe", "Comparison", "available", "card", "card_metrics", "compare", "load", "path"]
