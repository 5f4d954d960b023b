"""Train a zoo entry from its recipe, measure it, and write its checkpoint and model card."""

from __future__ import annotations

import platform
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

import torch

from .. import toy
from ..checkpoint import save_checkpoint
from ..config import get_device, seed_everything
from ..models.base import Generator
from ..train import TrainConfig, train
from .recipes import RECIPES, ZOO_DIR, Recipe

N_EVAL, EVAL_SEED = 10_000, 0


@torch.no_grad()
def release_metrics(recipe: Recipe, generator: Generator, n: int = N_EVAL, seed: int = EVAL_SEED) -> dict[str, Any]:
    """The metrics a card reports, on n samples drawn with ``seed``.

    MNIST: FID, IS, precision, recall, density, coverage against the 10,000 test digits (classifier
    features), the share of each digit class (classifier arg-max), and the real-data floor (FID etc. of
    10,000 training digits against the test digits).  Toys: :func:`gancourse.metrics.toy_quality`.
    """
    from .. import metrics

    x = generator.sample(n, rng=torch.Generator().manual_seed(seed)).cpu()
    if recipe.data != "mnist":
        return metrics.toy_quality(x, toy.get(recipe.data))
    from ..data import mnist

    test, train_digits = mnist(train=False).images, mnist(train=True).images[:n]
    out = {k: round(v, 4) for k, v in metrics.evaluate(test, x).items()}
    out["class_shares"] = [round(v, 4) for v in metrics.digit_shares(x, "cpu").tolist()]
    out["real_floor"] = {k: round(v, 4) for k, v in metrics.evaluate(test, train_digits).items()}
    return out


@torch.no_grad()
def representation_metrics(generator: Generator, encoder: torch.nn.Module) -> dict[str, float]:
    """A BiGAN card's numbers for its encoder E (lecture 8), on all 60,000 training and 10,000 test digits.

    ``linear_probe`` / ``nearest_neighbour``: test accuracy of a linear probe and of 1-NN (Euclidean) on the
    codes E(x); ``reconstruction_class_agreement``: the share of test digits whose reconstruction G(E(x)) the
    course's classifier puts in the digit's own class; ``reconstruction_mse``: mean squared error per pixel
    of G(E(x)) (images in [-1, 1]).
    """
    from .. import latent, metrics
    from ..data import mnist

    train_set, test_set = mnist(train=True), mnist(train=False)
    codes_train, codes_test = (latent.features(encoder, d.images) for d in (train_set, test_set))
    recon = torch.cat([generator(encoder(x)) for x in test_set.images.split(2000)])
    classes = metrics.mnist_classifier("cpu")(recon).argmax(1)
    return {
        "linear_probe": round(latent.linear_probe(codes_train, train_set.targets, codes_test, test_set.targets), 4),
        "nearest_neighbour": round(latent.nearest_neighbour_accuracy(codes_train, train_set.targets, codes_test,
                                                                     test_set.targets), 4),
        "reconstruction_class_agreement": round(float((classes == test_set.targets).float().mean()), 4),
        "reconstruction_mse": round(float((recon - test_set.images).pow(2).mean()), 4),
    }


def _round_to_half(*modules: torch.nn.Module) -> None:
    """Round weights to float16 precision in place, so that measured metrics are those of the shipped file."""
    with torch.no_grad():
        for m in modules:
            for t in m.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.half().float())


def build(name: str, out_dir: str | Path | None = None, device: torch.device | str | None = None,
          progress: bool = True, steps: int | None = None, seed: int | None = None,
          callback: Callable[[int, Any], None] | None = None) -> dict[str, Any]:
    """Train entry ``name`` from scratch, evaluate it and write ``NAME.safetensors`` / ``NAME.json``.

    ``steps`` and ``seed`` override the recipe's number of generator steps and its seed (for quick trials
    and seed studies; the shipped entries use the recipe); ``callback(step, history)`` is handed to
    :func:`~gancourse.train.train` (e.g. to log class shares while an MNIST entry trains).  Returns the model card.
    """
    from ..data import mnist

    if name not in RECIPES:
        raise KeyError(f"No recipe {name!r}; recipes: {', '.join(RECIPES)}.")
    recipe = RECIPES[name]
    overrides = {"steps": steps} if steps else {}
    if seed is not None:
        overrides["seed"] = seed
    config = TrainConfig(**{**recipe.train, **overrides}, progress=progress)
    seed_everything(config.seed)
    generator = recipe.generator(**recipe.generator_kwargs)
    discriminator = recipe.discriminator(**recipe.discriminator_kwargs)
    encoder = recipe.encoder(**recipe.encoder_kwargs) if recipe.encoder is not None else None
    data = mnist(train=True) if recipe.data == "mnist" else toy.get(recipe.data)
    device = torch.device(device) if device is not None else get_device()
    history = train(generator, discriminator, data, config, device=device, callback=callback, encoder=encoder)
    models = {"generator": generator, "discriminator": discriminator} | ({"encoder": encoder} if encoder else {})
    for m in models.values():
        m.cpu().eval()
    _round_to_half(*models.values())
    metrics = release_metrics(recipe, generator)
    if encoder is not None:
        metrics["representation"] = representation_metrics(generator, encoder)
    card = {
        "name": name, "description": recipe.description, "data": recipe.data,
        "train_config": asdict(config), "seed": config.seed, "steps": config.steps,
        "wall_time_s": round(history.wall_time, 1), "device": str(device),
        "hardware": f"{platform.machine()} {torch.get_num_threads()} thread{'s' * (torch.get_num_threads() != 1)}",
        "torch": torch.__version__,
        "final_d_loss": round(sum(history.d_loss[-100:]) / 100, 4),
        "evaluation": f"{N_EVAL} samples, sampling seed {EVAL_SEED}",
        "metrics": metrics,
        "reproduce": f"python -m gancourse.zoo build {name}",
    }
    save_checkpoint(Path(out_dir or ZOO_DIR) / name, models, card=card, dtype=torch.float16)
    return card
