"""One training loop for every GAN of the course.

Algorithm (Goodfellow et al., 2014, Alg. 1; Arjovsky et al., 2017, Alg. 1; Gulrajani et al., 2017, Alg. 1)::

    for step in 1..steps:
        repeat n_critic times:                       # discriminator / critic update
            x ~ data, z ~ p_0,  L_D = loss.discriminator(d(x), d(G(z)))  [+ λ·gradient_penalty]
                                 (SAN losses get the slices (⟨ω⁻, h⟩, ⟨ω, h⁻⟩) of each batch instead of d)
            φ ← φ - lr_d · Adam(∇_φ L_D);  clip φ to [-c, c] if clip_value = c   # WGAN clipping
        z ~ p_0,  L_G = loss.generator(d(G(z)));  θ ← θ - lr_g · Adam(∇_θ L_G)   # generator update

BiGAN (lecture 8) is the same loop with an encoder E (``train(G, D, data, encoder=E)``): the discriminator sees
pairs, real (x, E(x)) and fake (G(z), z) (:func:`gancourse.models.bigan.pair`), and E is updated with G, by the
generator loss with inverted labels on the real pairs, L_E = loss.generator(−d(x, E(x))) — for the GAN loss
−log(1 − D(x, E(x))), the "inverted" objective the BiGAN paper trains E with (its §3.4).

``train`` records both losses at every generator step (and, for critics, the Wasserstein estimate
E[f(x)] - E[f(G(z))]), keeps image/sample snapshots of a fixed batch of latent codes, stops with
:class:`TrainingDivergedError` as soon as a loss is NaN/inf or explodes, and can write
safetensors checkpoints.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

import torch
from torch import nn

from . import checks
from .checkpoint import save_checkpoint
from .config import get_device, progress_bar
from .losses import AdversarialLoss, get_loss, gradient_penalty, r1_penalty
from .models.base import Discriminator, Generator
from .models.bigan import pair


class TrainingDivergedError(RuntimeError):
    """A loss became NaN/inf or exceeded ``divergence_threshold``; ``step`` is the generator step where it did."""

    def __init__(self, message: str, step: int | None = None):
        super().__init__(message)
        self.step = step


class Sampleable(Protocol):
    def sample(self, n: int, rng: torch.Generator | None = None) -> torch.Tensor: ...


@dataclass
class TrainConfig:
    """Settings of :func:`train`; the defaults are those of the DCGAN paper (Adam, lr 2e-4, β₁ = 0.5).

    For WGAN with clipping use ``loss="wasserstein", n_critic=5, clip_value=0.01, optimizer="rmsprop",
    lr_d=lr_g=5e-5``; for WGAN-GP ``loss="wasserstein", n_critic=5, gp_weight=10, betas=(0.0, 0.9),
    lr_d=lr_g=1e-4``.
    """

    loss: str = "nonsaturating"
    steps: int = 1000                    # generator updates
    batch_size: int = 64
    n_critic: int = 1                    # discriminator updates per generator update
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    optimizer: str = "adam"              # "adam" or "rmsprop"
    clip_value: float | None = None      # c of weight clipping (WGAN)
    gp_weight: float = 0.0               # λ of the gradient penalty (WGAN-GP)
    gp_one_sided: bool = False           # penalise only gradient norms above 1
    r1_gamma: float = 0.0                # γ of the R1 penalty (γ/2)·E‖∇d(x)‖² on real data (Mescheder et al., 2018)
    seed: int = 0
    snapshot_every: int = 0              # 0: snapshots only at the start and the end
    n_snapshot: int = 64                 # fixed latent codes used for snapshots
    divergence_threshold: float = 1e6
    checkpoint_path: str | None = None   # written at the end (and every checkpoint_every steps)
    checkpoint_every: int = 0
    progress: bool = True                # a tqdm bar (hidden anyway under GANCOURSE_PROGRESS=0)

    def __post_init__(self) -> None:
        get_loss(self.loss)  # raises on unknown names
        for name in ("steps", "batch_size", "n_critic", "n_snapshot"):
            setattr(self, name, checks.positive_int(f"TrainConfig.{name}", getattr(self, name)))
        if self.optimizer not in {"adam", "rmsprop"}:
            raise ValueError(f"optimizer must be 'adam' or 'rmsprop', got {self.optimizer!r}.")
        if self.clip_value is not None and self.clip_value <= 0:
            raise ValueError(f"clip_value must be positive (or None), got {self.clip_value}.")
        if self.gp_weight < 0:
            raise ValueError(f"gp_weight must be ≥ 0, got {self.gp_weight}.")
        if self.r1_gamma < 0:
            raise ValueError(f"r1_gamma must be ≥ 0 (0 switches the R1 penalty off), got {self.r1_gamma}.")


@dataclass
class History:
    """What :func:`train` recorded: per-step losses and snapshots ``(step, samples)``.

    Every list has one entry per *generator* step. With ``n_critic`` > 1 the discriminator entries
    (``d_loss``, ``d_real``, ``d_fake``, ``gp``) are those of the last of that step's critic updates.
    """

    config: TrainConfig
    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    d_real: list[float] = field(default_factory=list)   # mean logit on real data
    d_fake: list[float] = field(default_factory=list)   # mean logit on generated data
    gp: list[float] = field(default_factory=list)
    snapshots: list[tuple[int, torch.Tensor]] = field(default_factory=list)
    wall_time: float = 0.0

    @property
    def wasserstein_estimate(self) -> list[float]:
        """E[f(x)] - E[f(G(z))] per step: the critic's estimate of K·W₁ (meaningful for critics)."""
        return [r - f for r, f in zip(self.d_real, self.d_fake)]

    def as_dict(self) -> dict[str, Any]:
        return {"config": asdict(self.config), "d_loss": self.d_loss, "g_loss": self.g_loss,
                "wall_time": self.wall_time}


def _batch_source(data: torch.Tensor | Sampleable | Any, device: torch.device,
                  rng: torch.Generator) -> Callable[[int], torch.Tensor]:
    """A function n ↦ minibatch of real data, for a tensor, a dataset with ``.images`` or a sampler."""
    if hasattr(data, "images") and isinstance(data.images, torch.Tensor):
        data = data.images
    if isinstance(data, torch.Tensor):
        _check_data(data)
        tensor = data.to(device)
        return lambda n: tensor[torch.randint(len(tensor), (n,), generator=rng).to(device)]
    if hasattr(data, "sample"):
        return lambda n: data.sample(n, rng=rng).to(device)
    raise TypeError("data must be a tensor of samples, a dataset with .images (e.g. gancourse.data.mnist()), "
                    f"or a distribution with .sample(n); got {type(data).__name__}.")


def _check_data(data: torch.Tensor) -> None:
    """Training data must be a non-empty float tensor without NaN/inf rows (images in [-1, 1])."""
    if data.ndim < 2 or len(data) == 0:
        raise ValueError(f"data must hold n ≥ 1 samples of shape n × data shape, got {tuple(data.shape)}.")
    if not data.is_floating_point():
        raise TypeError(f"data must be float samples, got dtype {data.dtype}; convert 0…255 images with "
                        "x.float() / 127.5 - 1.")
    bad = ~torch.isfinite(data.flatten(1)).all(1)
    if bool(bad.any()):
        raise ValueError(f"data holds NaN or inf in {int(bad.sum())} of its {len(data)} rows "
                         f"({float(bad.float().mean()):.1%}); remove them first, e.g. "
                         "data[torch.isfinite(data.flatten(1)).all(1)].")
    if data.ndim == 4:
        checks.images("image data", data)


def _device(device: torch.device | str | None) -> torch.device:
    """``device`` checked by :func:`~gancourse.config.get_device` (a clear error when it is not available)."""
    return get_device(str(device)) if device is not None else get_device()


def _optimizer(params, lr: float, config: TrainConfig) -> torch.optim.Optimizer:
    if config.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.Adam(params, lr=lr, betas=config.betas)


def _discriminator_step(discriminator: Discriminator, opt: torch.optim.Optimizer, loss: AdversarialLoss,
                        x: torch.Tensor, fake: torch.Tensor, config: TrainConfig, rng: torch.Generator
                        ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """One update of the discriminator/critic φ on a real batch x and a fake batch.

    Minimises L_D (+ λ·gradient_penalty when ``config.gp_weight`` = λ > 0, + (γ/2)·r1_penalty when
    ``config.r1_gamma`` = γ > 0), then clips φ to [-c, c]
    when ``config.clip_value`` = c.  SAN losses get the two slices (⟨ω⁻, h⟩, ⟨ω, h⁻⟩) of each batch.
    Returns (L_D, d(x), d(fake), penalty).
    """
    if loss.san:
        out_real, out_fake = discriminator.slice_outputs(x), discriminator.slice_outputs(fake)
        loss_d = loss.discriminator(out_real, out_fake)
        d_real, d_fake = out_real.fun, out_fake.fun  # equal in value to d(x), d(fake)
    else:
        d_real, d_fake = discriminator(x), discriminator(fake)
        loss_d = loss.discriminator(d_real, d_fake)
    gp = torch.zeros((), device=x.device)
    if config.gp_weight > 0:
        gp = gradient_penalty(discriminator, x, fake, rng=rng, one_sided=config.gp_one_sided)
        loss_d = loss_d + config.gp_weight * gp  # L_D + λ·GP
    if config.r1_gamma > 0:
        loss_d = loss_d + config.r1_gamma / 2 * r1_penalty(discriminator, x)   # L_D + (γ/2)·E‖∇d(x)‖²
    opt.zero_grad(set_to_none=True)
    loss_d.backward()
    opt.step()
    if config.clip_value is not None:  # keep φ in the box [-c, c]^p (WGAN)
        with torch.no_grad():
            for p in discriminator.parameters():
                p.clamp_(-config.clip_value, config.clip_value)
    return loss_d, d_real, d_fake, gp


@contextlib.contextmanager
def _own_random_state(seed: int, device: torch.device) -> Iterator[None]:
    """Seed torch's global generator (dropout masks) for a run, then give the caller's state back.

    A training run is reproducible from its seed alone, and the caller's stream continues as if the run
    had not happened: training three models in a loop still gives three different initialisations.
    """
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def _check(value: float, what: str, step: int, config: TrainConfig) -> None:
    if not math.isfinite(value) or abs(value) > config.divergence_threshold:
        raise TrainingDivergedError(
            f"Training diverged at step {step}: {what} = {value}. Lower the learning rates "
            f"(lr_d={config.lr_d}, lr_g={config.lr_g}), use a bounded loss, or add a gradient penalty / clipping.",
            step=step)


def _run(generator: Generator, discriminator: Discriminator, data: Any, config: TrainConfig, loss: AdversarialLoss,
         device: torch.device, rng: torch.Generator, callback: Callable[[int, History], None] | None,
         encoder: nn.Module | None = None) -> History:
    """The loop of :func:`train` (the algorithm of the module docstring), on models already on ``device``."""
    real_batch = _batch_source(data, device, rng)
    players = list(generator.parameters()) + (list(encoder.parameters()) if encoder is not None else [])
    opt_g = _optimizer(players, config.lr_g, config)                     # G (and E, for a BiGAN)
    opt_d = _optimizer(discriminator.parameters(), config.lr_d, config)
    z_fixed = generator.sample_latent(config.n_snapshot, rng)
    history = History(config)

    def snapshot(step: int) -> None:
        with torch.no_grad():
            generator.eval()
            history.snapshots.append((step, generator(z_fixed).cpu()))
            generator.train()

    def checkpoint(step: int) -> None:
        if config.checkpoint_path:
            models = {"generator": generator, "discriminator": discriminator}
            save_checkpoint(config.checkpoint_path, models | ({"encoder": encoder} if encoder is not None else {}),
                            card={"train_config": asdict(config), "step": step})

    snapshot(0)
    start = time.perf_counter()
    # at most one refresh a second: a notebook's output channel drops messages beyond a backlog of 1,000
    bar = progress_bar(range(1, config.steps + 1), config.progress, desc=f"{config.loss} GAN", leave=False,
                       mininterval=1.0)
    for step in bar:
        # ---- discriminator / critic: n_critic updates --------------------------------------------
        for _ in range(config.n_critic):
            x = real_batch(config.batch_size)
            z = generator.sample_latent(config.batch_size, rng)
            with torch.no_grad():
                fake = generator(z)
                if encoder is not None:                                   # BiGAN: (x, E(x)) vs (G(z), z)
                    x, fake = pair(x, encoder(x)), pair(fake, z)
            loss_d, d_real, d_fake, gp = _discriminator_step(discriminator, opt_d, loss, x, fake, config, rng)
        # ---- generator (and encoder): one update -------------------------------------------------
        z = generator.sample_latent(config.batch_size, rng)
        fake = generator(z)
        if encoder is None:
            loss_g = loss.generator(discriminator(fake))
        else:
            x = real_batch(config.batch_size)
            loss_g = (loss.generator(discriminator(pair(fake, z)))                 # L_G on (G(z), z)
                      + loss.generator(-discriminator(pair(x, encoder(x)))))      # L_E: inverted labels on (x, E(x))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

        history.d_loss.append(loss_d.item())
        history.g_loss.append(loss_g.item())
        history.d_real.append(d_real.mean().item())
        history.d_fake.append(d_fake.mean().item())
        history.gp.append(gp.item())
        _check(history.d_loss[-1], "discriminator loss", step, config)
        _check(history.g_loss[-1], "generator loss", step, config)
        if step % 50 == 0:
            bar.set_postfix(d_loss=f"{history.d_loss[-1]:.3f}", g_loss=f"{history.g_loss[-1]:.3f}")
        if config.snapshot_every and step % config.snapshot_every == 0 and step != config.steps:
            snapshot(step)
        if config.checkpoint_every and step % config.checkpoint_every == 0 and step != config.steps:
            checkpoint(step)
        if callback is not None:
            callback(step, history)
    history.wall_time = time.perf_counter() - start
    snapshot(config.steps)
    checkpoint(config.steps)
    return history


def train(generator: Generator, discriminator: Discriminator, data: torch.Tensor | Sampleable | Any,
          config: TrainConfig | None = None, device: torch.device | str | None = None,
          callback: Callable[[int, History], None] | None = None, encoder: nn.Module | None = None,
          **overrides: Any) -> History:
    """Train ``generator`` against ``discriminator`` on ``data``; returns the :class:`History`.

    Args:
        generator, discriminator: course models (the discriminator returns logits).
        data: real samples as a tensor, a dataset with ``.images`` (``gancourse.data.mnist()``),
            or a toy distribution with ``.sample(n)``.
        config: a :class:`TrainConfig`; keyword ``overrides`` replace its fields,
            e.g. ``train(G, D, data, steps=500, loss="hinge")``.
        device: defaults to :func:`gancourse.config.get_device`.
        callback: called as ``callback(step, history)`` after every generator step.
        encoder: an encoder E (:mod:`gancourse.models.bigan`) makes this a BiGAN: ``discriminator`` then judges
            pairs [x, z] and E is trained with G (lecture 8).

    Raises:
        TrainingDivergedError: a loss became NaN/inf or exceeded ``config.divergence_threshold``.
    """
    config = TrainConfig(**{**(asdict(config) if config else {}), **overrides})
    loss = get_loss(config.loss)
    device = _device(device)
    _check_shapes(generator, discriminator, encoder)
    modules = [generator, discriminator] + ([encoder] if encoder is not None else [])
    modes = [m.training for m in modules]
    for m in modules:
        m.to(device).train()
    rng = torch.Generator().manual_seed(config.seed)
    try:
        with _own_random_state(config.seed, device):
            history = _run(generator, discriminator, data, config, loss, device, rng, callback, encoder)
    except BaseException:
        for m, mode in zip(modules, modes):   # a failed run leaves the models in the modes it found them in
            m.train(mode)
        raise
    for m in modules:
        m.eval()
    return history


def _check_shapes(generator: Generator, discriminator: Discriminator, encoder: nn.Module | None) -> None:
    """The discriminator takes what the generator makes — or, with an encoder, pairs [x, z]."""
    if encoder is None:
        if tuple(generator.data_shape) != tuple(discriminator.data_shape):
            raise ValueError(f"The generator makes samples of shape {generator.data_shape} but the discriminator "
                             f"expects {discriminator.data_shape}.")
        return
    k, x_size = generator.latent_dim, math.prod(generator.data_shape)
    if getattr(encoder, "latent_dim", None) != k or tuple(getattr(encoder, "data_shape", ())) != tuple(generator.data_shape):
        raise ValueError(f"A BiGAN's encoder must map the generator's samples {generator.data_shape} to its latent "
                         f"space (dimension {k}); got an encoder {getattr(encoder, 'data_shape', '?')} → "
                         f"{getattr(encoder, 'latent_dim', '?')}.")
    if tuple(discriminator.data_shape) != (x_size + k,):
        raise ValueError(f"A BiGAN's discriminator judges pairs [x, z] of size {x_size} + {k} = {x_size + k}, but it "
                         f"expects {discriminator.data_shape}; use models.bigan.JointDiscriminator(latent_dim={k}).")


FIT_DEFAULTS: dict[str, Any] = dict(steps=2000, batch_size=256, lr_d=1e-3, progress=False)
"""The settings :func:`fit_discriminator` starts from when no config is given (a fixed pair of
distributions tolerates a larger learning rate and batch than the game does)."""


def fit_discriminator(discriminator: Discriminator, real: torch.Tensor | Sampleable | Any,
                      fake: torch.Tensor | Sampleable | Any, config: TrainConfig | None = None,
                      device: torch.device | str | None = None, **overrides: Any) -> list[float]:
    """Train only the discriminator/critic to separate two *fixed* distributions; returns its losses.

    It takes the same :class:`TrainConfig` as :func:`train` (``loss``, ``steps``, ``batch_size``,
    ``lr_d``, ``betas``, ``optimizer``, ``gp_weight``, ``gp_one_sided``, ``r1_gamma``, ``clip_value``, ``seed``,
    ``progress``; the generator's fields are unused); without one it starts from ``FIT_DEFAULTS``
    (2,000 steps of batches of 256, Adam with lr_d = 1e-3). Keyword ``overrides`` replace fields, e.g.
    ``fit_discriminator(critic, p, q, loss="wasserstein", clip_value=0.01, optimizer="rmsprop", lr_d=5e-5)``.

    With the GAN loss this approximates the optimal discriminator D* = p_real / (p_real + p_fake)
    (lectures 2 and 5); with ``loss="wasserstein"`` and a gradient penalty or clipping it approximates
    the Kantorovich–Rubinstein critic (lecture 3). The training runs on its own random stream (seeded
    by ``config.seed``) and leaves the caller's global torch random state as it found it.
    """
    base = asdict(config) if config is not None else dict(FIT_DEFAULTS)
    config = TrainConfig(**{**base, **overrides})
    adversarial_loss = get_loss(config.loss)
    device = _device(device)
    was_training = discriminator.training
    discriminator.to(device).train()
    rng = torch.Generator().manual_seed(config.seed)
    real_batch, fake_batch = _batch_source(real, device, rng), _batch_source(fake, device, rng)
    opt = _optimizer(discriminator.parameters(), config.lr_d, config)
    losses: list[float] = []
    try:
        with _own_random_state(config.seed, device):
            for step in progress_bar(range(1, config.steps + 1), config.progress, desc="discriminator",
                                     leave=False, mininterval=1.0):
                x, y = real_batch(config.batch_size), fake_batch(config.batch_size)
                loss_d = _discriminator_step(discriminator, opt, adversarial_loss, x, y, config, rng)[0]
                losses.append(loss_d.item())
                _check(losses[-1], "discriminator loss", step, config)
    except BaseException:
        discriminator.train(was_training)   # a failed fit leaves the model in the mode it found it in
        raise
    discriminator.eval()
    return losses
