"""Figures used across the lectures: image grids, 2D samples over the true density, discriminator
heat maps and loss curves.  Every function draws on a Matplotlib ``Axes`` (created if not given)
and returns it, so figures compose with ``plt.subplots``.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from torchvision.utils import make_grid

from . import checks
from .toy import GaussianMixture, ToyDistribution


def _ax(ax: Axes | None, figsize: tuple[float, float] = (4, 4)) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=figsize)[1]


def image_grid(images: torch.Tensor, nrow: int = 8, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Show images in [-1, 1] (shape n×C×H×W) as one grid.

    Values a little outside [-1, 1] (the noise of a kernel density sample, lecture 1) are clipped for
    display; values far outside it (0…255 pixels) are refused with the conversion to use.
    """
    images = checks.images("images", images, tolerance=0.5)
    nrow = checks.positive_int("nrow", nrow, what="images per row")
    grid = make_grid(images.detach().cpu().clamp(-1, 1), nrow=nrow, normalize=True, value_range=(-1, 1), pad_value=1)
    ax = _ax(ax)
    ax.imshow(grid.permute(1, 2, 0).numpy(), interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def _mesh(bounds: tuple[float, float], resolution: int) -> tuple[np.ndarray, np.ndarray, torch.Tensor]:
    xs = np.linspace(bounds[0], bounds[1], resolution)
    gx, gy = np.meshgrid(xs, xs)
    pts = torch.tensor(np.stack([gx.ravel(), gy.ravel()], 1), dtype=torch.float32)
    return gx, gy, pts


def density_2d(dist: ToyDistribution, ax: Axes | None = None, resolution: int = 200, cmap: str = "Greys") -> Axes:
    """Filled contours of a 2D mixture's exact density (or, for other toys, a histogram of samples)."""
    if not isinstance(dist, ToyDistribution) or dist.dim != 2:
        raise TypeError(f"dist must be a 2-D toy distribution (gancourse.toy.get('grid25') …), got {dist!r}.")
    resolution = checks.positive_int("resolution", resolution, minimum=2, what="grid points per axis")
    ax = _ax(ax)
    if isinstance(dist, GaussianMixture):
        gx, gy, pts = _mesh(dist.bounds, resolution)
        dens = dist.log_prob(pts).exp().reshape(gx.shape).numpy()
        ax.contourf(gx, gy, dens, levels=20, cmap=cmap)
    else:
        x = dist.sample(20000, rng=torch.Generator().manual_seed(0)).numpy()
        ax.hist2d(x[:, 0], x[:, 1], bins=resolution // 2, range=[dist.bounds, dist.bounds], cmap=cmap)
    ax.set_xlim(*dist.bounds)
    ax.set_ylim(*dist.bounds)
    ax.set_aspect("equal")
    return ax


def samples_2d(samples: torch.Tensor, dist: ToyDistribution | None = None, ax: Axes | None = None,
               title: str | None = None, s: float = 3, color: str = "tab:red", alpha: float = 0.5) -> Axes:
    """Scatter 2D samples, over the true density of ``dist`` when given."""
    samples = torch.as_tensor(samples).detach().cpu()
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(f"samples must have shape n×2, got {tuple(samples.shape)}.")
    ax = _ax(ax)
    if dist is not None:
        density_2d(dist, ax=ax)
    ax.scatter(samples[:, 0], samples[:, 1], s=s, c=color, alpha=alpha, linewidths=0)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


@torch.no_grad()
def discriminator_heatmap(discriminator: torch.nn.Module, bounds: tuple[float, float], ax: Axes | None = None,
                          resolution: int = 150, probability: bool = True, samples: torch.Tensor | None = None,
                          title: str | None = None) -> Axes:
    """Heat map of a 2D discriminator: D(x) = σ(d(x)) if ``probability`` else the logit/critic d(x)."""
    bounds = checks.interval("bounds", bounds)
    resolution = checks.positive_int("resolution", resolution, minimum=2, what="grid points per axis")
    if samples is not None:
        samples = checks.samples("samples", torch.as_tensor(samples).detach().cpu(), dim=2)
    gx, gy, pts = _mesh(bounds, resolution)
    device = next(discriminator.parameters()).device
    out = discriminator(pts.to(device)).cpu()
    values = torch.sigmoid(out) if probability else out
    ax = _ax(ax)
    im = ax.imshow(values.reshape(gx.shape).numpy(), origin="lower", extent=(*bounds, *bounds), cmap="coolwarm",
                   vmin=0 if probability else None, vmax=1 if probability else None)
    plt.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="D(x)" if probability else "d(x)")
    if samples is not None:
        ax.scatter(samples[:, 0], samples[:, 1], s=2, c="k", alpha=0.4, linewidths=0)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def loss_curves(history, ax: Axes | None = None, smooth: int = 20, title: str | None = None) -> Axes:
    """Discriminator and generator losses per generator step (moving average over ``smooth`` steps)."""
    if not (hasattr(history, "d_loss") and hasattr(history, "g_loss")):
        raise TypeError(f"history must be what train() returns (a History with d_loss and g_loss), "
                        f"got {type(history).__name__}.")
    smooth = checks.positive_int("smooth", smooth, what="steps in the moving average")
    ax = _ax(ax, figsize=(6, 3.5))
    for values, label in ((history.d_loss, "discriminator"), (history.g_loss, "generator")):
        v = np.asarray(values, dtype=float)
        k = max(1, min(smooth, len(v)))
        ax.plot(np.arange(1, len(v) + 1), v, alpha=0.25)
        ax.plot(np.arange(k, len(v) + 1), np.convolve(v, np.ones(k) / k, mode="valid"),
                label=f"{label} loss", color=ax.lines[-1].get_color())
    ax.set_xlabel("generator step")
    ax.set_ylabel("loss")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def _snapshots(history) -> list:
    snaps = getattr(history, "snapshots", None)
    if snaps is None:
        raise TypeError(f"history must be what train() returns, got {type(history).__name__}.")
    if not snaps:
        raise ValueError("this history has no snapshots: train with snapshot_every=k (and n_snapshot=m) "
                         "to record samples every k steps.")
    return snaps


def snapshots_2d(history, dist: ToyDistribution | None = None, n_cols: int | None = None,
                 steps: Sequence[int] | None = None):
    """One panel of 2D samples per snapshot in a :class:`~gancourse.train.History`; returns the figure."""
    snaps = [(s, x) for s, x in _snapshots(history) if steps is None or s in steps]
    if not snaps:
        raise ValueError(f"none of the steps {list(steps)} has a snapshot; the history has "
                         f"{[s for s, _ in history.snapshots]}.")
    n_cols = len(snaps) if n_cols is None else checks.positive_int("n_cols", n_cols, what="panels per row")
    n_rows = int(np.ceil(len(snaps) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(2.6 * n_cols, 2.6 * n_rows), squeeze=False)
    for ax, (step, x) in zip(axes.flat, snaps):
        samples_2d(x, dist, ax=ax, title=f"step {step}")
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in list(axes.flat)[len(snaps):]:
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def snapshots_images(history, nrow: int = 6):
    """One image grid per snapshot of a :class:`~gancourse.train.History` of an image GAN, side by side
    (lectures 0 and 2: digits emerging during training); returns the figure."""
    snaps = _snapshots(history)
    fig, axes = plt.subplots(1, len(snaps), figsize=(3.2 * len(snaps), 3.4), squeeze=False)
    for ax, (step, images) in zip(axes.flat, snaps):
        image_grid(images, nrow=nrow, ax=ax, title=f"step {step}")
    fig.tight_layout()
    return fig


def glue_figure(name: str, fig: plt.Figure) -> None:
    """Keep ``fig`` under ``name`` for another page of the book (myst-nb's ``glue``): the landing page shows one
    figure of each lecture this way. Where myst-nb is not installed (Colab) it does nothing; the figure itself
    is shown as usual either way."""
    try:
        from myst_nb import glue
    except ImportError:
        return
    glue(name, fig, display=False)
