"""Interactive figures: watch Discriminator Driven Latent Sampling (lecture 5) move its chains.

:class:`LangevinExplorer` runs :func:`gancourse.samplers.ddls` on a few chains with the values of five
sliders — step size η, number of steps T, noise scale s, diversity weight λ and seed — and redraws:

* for a 2-dimensional latent space (the toy GANs of the zoo): the chains' paths over the latent energy
  landscape E(z) = ½‖z‖² − β·d(G(z)), and their images G(z_t) in data space over the true density;
* for images (MNIST): the mean energy of the chains per step, and a few digits G(z_t) along each chain.

The figure is drawn once; an update only replaces the data of its artists, so it is fast enough to drag
a slider (:meth:`LangevinExplorer.update` returns what it drew, which the tests check headlessly).
:meth:`LangevinExplorer.animation` renders the same chains as a Matplotlib animation for the static book.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.animation import FuncAnimation
from torchvision.utils import make_grid

from .models.base import Discriminator, Generator
from .plotting import density_2d
from .samplers import ddls, latent_energy
from .toy import ToyDistribution

DEFAULTS = dict(step_size=0.01, n_steps=100, noise_scale=1.0, diversity_weight=0.0, seed=0)


@dataclass
class ChainRun:
    """One run of the chains: latents z_t (T/record+1 × chains × latent_dim), images, mean energies."""

    values: dict[str, Any]
    trajectory: torch.Tensor
    images: torch.Tensor
    energy: list[float]
    seconds: float


class LangevinExplorer:
    """DDLS chains under slider control, for a generator with a 2-D latent space or an image generator.

    Args:
        generator, discriminator: a trained pair (the discriminator returns logits).
        n_chains: chains drawn (16 for toys; 4 digit rows for images is readable).
        dist: the toy's true distribution, drawn under the data-space panel.
        beta: β of the energy (for a WGAN critic, the scale of the critic).
        latent_bounds: extent of the latent landscape panel (2-D latents).
        frames: images shown along each chain (image generators).
    """

    def __init__(self, generator: Generator, discriminator: Discriminator, n_chains: int = 16,
                 dist: ToyDistribution | None = None, beta: float = 1.0, latent_bounds: float = 3.0,
                 frames: int = 6, resolution: int = 80):
        if isinstance(n_chains, bool) or not isinstance(n_chains, (int, np.integer)) or n_chains < 1:
            raise ValueError(f"n_chains must be a positive integer (the number of chains drawn), got {n_chains!r}.")
        if isinstance(frames, bool) or not isinstance(frames, (int, np.integer)) or frames < 2:
            raise ValueError(f"frames must be an integer ≥ 2 (images shown along each chain), got {frames!r}.")
        if dist is not None and tuple(dist.sample(1).shape[1:]) != tuple(generator.data_shape):
            raise ValueError(f"dist makes samples of shape {tuple(dist.sample(1).shape[1:])} but the generator makes "
                             f"{tuple(generator.data_shape)}: pass the toy distribution the GAN was trained on "
                             "(zoo entries have it as .data).")
        self.generator, self.discriminator = generator.eval(), discriminator.eval()
        self.n_chains, self.dist, self.beta, self.frames = int(n_chains), dist, beta, int(frames)
        self.is_image = len(generator.data_shape) == 3
        if not self.is_image and generator.latent_dim != 2:
            raise ValueError(f"LangevinExplorer draws latent landscapes for 2-D latents or images; this generator "
                             f"has latent_dim={generator.latent_dim} and data shape {generator.data_shape}.")
        self.values = dict(DEFAULTS)
        self.fig, (self.ax_left, self.ax_right) = plt.subplots(1, 2, figsize=(10, 4.6))
        self.last: ChainRun | None = None
        if self.is_image:
            self._init_images()
        else:
            self._init_landscape(latent_bounds, resolution)
        self.update()

    # ---- drawing ---------------------------------------------------------------------------------
    def _init_landscape(self, bound: float, resolution: int) -> None:
        xs = torch.linspace(-bound, bound, resolution)
        grid = torch.cartesian_prod(xs, xs).flip(1)                    # rows: (z1, z2) with z1 fastest
        with torch.no_grad():
            energy = latent_energy(self.generator, self.discriminator, grid.to(self.generator.device), self.beta)
        self.energy_grid = energy.cpu().reshape(resolution, resolution).numpy()
        self.ax_left.contourf(xs.numpy(), xs.numpy(), self.energy_grid, levels=30, cmap="viridis")
        self.ax_left.set(title="latent energy E(z) and chains", xlabel="z₁", ylabel="z₂", aspect="equal",
                         xlim=(-bound, bound), ylim=(-bound, bound))
        self.paths = [self.ax_left.plot([], [], "-", color="white", lw=0.8, alpha=0.8)[0] for _ in range(self.n_chains)]
        self.starts = self.ax_left.scatter(np.zeros(self.n_chains), np.zeros(self.n_chains), c="white", s=12)
        self.ends = self.ax_left.scatter(np.zeros(self.n_chains), np.zeros(self.n_chains), c="red", s=18)
        if self.dist is not None:
            density_2d(self.dist, ax=self.ax_right)
        with torch.no_grad():
            base = self.generator.sample(1000, generator=torch.Generator().manual_seed(0)).cpu().numpy()
        self.ax_right.scatter(base[:, 0], base[:, 1], s=2, c="tab:blue", alpha=0.2, label="G(z), z ~ p₀")
        self.data_paths = [self.ax_right.plot([], [], "-", color="tab:red", lw=0.8, alpha=0.7)[0]
                           for _ in range(self.n_chains)]
        self.data_ends = self.ax_right.scatter(np.zeros(self.n_chains), np.zeros(self.n_chains), c="red", s=18,
                                               label="G(z_T)")
        self.ax_right.legend(loc="upper right", fontsize=8)
        self.ax_right.set(title="data space", aspect="equal")

    def _init_images(self) -> None:
        self.energy_line, = self.ax_left.plot([], [], "-")
        self.ax_left.set(title="mean latent energy of the chains", xlabel="Langevin step t", ylabel="E(z_t)")
        self.image = self.ax_right.imshow(np.ones((10, 10, 3)), interpolation="nearest")
        self.ax_right.set_axis_off()

    # ---- computation -----------------------------------------------------------------------------
    def run(self, **values: Any) -> ChainRun:
        """Run the chains with the given slider values (missing ones keep their current value)."""
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"Unknown slider(s) {sorted(unknown)}; the sliders are {list(DEFAULTS)}.")
        v = {**self.values, **values}      # committed only once the chains ran: a bad value does not stick
        n_steps = int(v["n_steps"])
        record = max(1, n_steps // max(1, self.frames - 1)) if self.is_image else 1   # every step for toys
        start = time.perf_counter()
        images, stats = ddls(self.generator, self.discriminator, self.n_chains, step_size=float(v["step_size"]),
                             n_steps=n_steps, noise_scale=float(v["noise_scale"]), beta=self.beta,
                             diversity_weight=float(v["diversity_weight"]), seed=int(v["seed"]),
                             record_every=record)
        self.values.update(values)
        return ChainRun(dict(v), stats.extra["trajectory"], images.cpu(), stats.extra["energy"],
                        time.perf_counter() - start)

    def update(self, **values: Any) -> ChainRun:
        """Run the chains and redraw the figure; returns the run (what the figure now shows)."""
        run = self.run(**values)
        if self.is_image:
            self._draw_images(run)
        else:
            self._draw_landscape(run)
        self.last = run
        return run

    def _draw_landscape(self, run: ChainRun) -> None:
        traj = run.trajectory.numpy()                                   # (T+1) × chains × 2
        with torch.no_grad():
            flat = torch.as_tensor(traj.reshape(-1, 2), device=self.generator.device)
            xs = self.generator(flat).cpu().numpy().reshape(traj.shape[0], traj.shape[1], -1)
        for i in range(self.n_chains):
            self.paths[i].set_data(traj[:, i, 0], traj[:, i, 1])
            self.data_paths[i].set_data(xs[:, i, 0], xs[:, i, 1])
        self.starts.set_offsets(traj[0])
        self.ends.set_offsets(traj[-1])
        self.data_ends.set_offsets(xs[-1])
        self._title(run)

    def _chain_images(self, run: ChainRun, frame_steps: list[int]) -> torch.Tensor:
        rows = min(self.n_chains, 4)
        z = run.trajectory[frame_steps, :rows]                          # frames × rows × latent_dim
        with torch.no_grad():
            x = self.generator(z.reshape(-1, z.shape[-1]).to(self.generator.device)).cpu()
        x = x.reshape(len(frame_steps), rows, *x.shape[1:]).transpose(0, 1).reshape(-1, *x.shape[1:])
        return make_grid(x.clamp(-1, 1), nrow=len(frame_steps), normalize=True, value_range=(-1, 1), pad_value=1)

    def _draw_images(self, run: ChainRun) -> None:
        frames = list(range(run.trajectory.shape[0]))[: self.frames]
        grid = self._chain_images(run, frames)
        self.image.set_data(grid.permute(1, 2, 0).numpy())
        self.image.set_extent((0, grid.shape[2], grid.shape[1], 0))
        self.ax_right.set_title("digits along 4 chains (left: z₀ ~ p₀, right: z_T)")
        steps = np.arange(1, len(run.energy) + 1)
        self.energy_line.set_data(steps, run.energy)
        if len(run.energy):
            self.ax_left.set_xlim(0, max(steps[-1], 1))
            lo, hi = min(run.energy), max(run.energy)
            self.ax_left.set_ylim(lo - 0.05 * (hi - lo + 1), hi + 0.05 * (hi - lo + 1))
        self._title(run)

    def _title(self, run: ChainRun) -> None:
        v = run.values
        self.fig.suptitle(f"η = {v['step_size']:g}, T = {v['n_steps']}, s = {v['noise_scale']:g}, "
                          f"λ = {v['diversity_weight']:g}, seed {v['seed']}   ({1000 * run.seconds:.0f} ms)")

    # ---- widgets and animation -------------------------------------------------------------------
    def sliders(self) -> dict[str, Any]:
        """The five ipywidgets sliders, keyed by the argument they set."""
        import ipywidgets as w

        v = self.values
        style = dict(continuous_update=False, style={"description_width": "110px"})
        return {
            "step_size": w.FloatLogSlider(value=v["step_size"], base=10, min=-4, max=0, description="step size η",
                                          **style),
            "n_steps": w.IntSlider(value=v["n_steps"], min=0, max=500, step=10, description="steps T", **style),
            "noise_scale": w.FloatSlider(value=v["noise_scale"], min=0, max=2, step=0.1, description="noise s",
                                         **style),
            "diversity_weight": w.FloatSlider(value=v["diversity_weight"], min=0, max=20, step=0.5,
                                              description="diversity λ", **style),
            "seed": w.IntSlider(value=v["seed"], min=0, max=20, description="seed", **style),
        }

    def widget(self):
        """Sliders and the live figure; moving a slider reruns the chains (needs a running kernel)."""
        import sys

        import ipywidgets as w
        from IPython.display import display

        if "google.colab" in sys.modules:  # Colab renders ipywidgets 8 only through its custom widget manager
            from google.colab import output
            output.enable_custom_widget_manager()
        sliders = self.sliders()
        out = w.Output()

        def show() -> None:
            with out:
                out.clear_output(wait=True)
                display(self.fig)

        def on_change(change: dict) -> None:
            self.update(**{name: s.value for name, s in sliders.items()})
            show()

        for s in sliders.values():
            s.observe(on_change, names="value")
        plt.close(self.fig)  # shown through the Output widget only
        show()
        box = w.VBox([w.HBox([w.VBox(list(sliders.values())[:3]), w.VBox(list(sliders.values())[3:])]), out])
        box.sliders = sliders  # for programmatic control (and the tests)
        return box

    def animation(self, frames: int = 40, interval: int = 100, **values: Any) -> FuncAnimation:
        """The chains of one run revealed step by step (``to_jshtml()`` embeds it in a static page)."""
        run = self.update(**values)
        if self.is_image:
            n = run.trajectory.shape[0]

            def draw(i: int):
                grid = self._chain_images(run, list(range(min(i + 1, n))))
                self.image.set_data(grid.permute(1, 2, 0).numpy())
                self.image.set_extent((0, grid.shape[2], grid.shape[1], 0))
                return (self.image,)
            frames = n
        else:
            traj = run.trajectory.numpy()
            with torch.no_grad():
                xs = self.generator(torch.as_tensor(traj.reshape(-1, 2), device=self.generator.device)).cpu()
            xs = xs.numpy().reshape(traj.shape[0], traj.shape[1], -1)
            t_of = np.linspace(0, traj.shape[0] - 1, frames).round().astype(int)

            def draw(i: int):
                t = t_of[i] + 1
                for c in range(self.n_chains):
                    self.paths[c].set_data(traj[:t, c, 0], traj[:t, c, 1])
                    self.data_paths[c].set_data(xs[:t, c, 0], xs[:t, c, 1])
                self.ends.set_offsets(traj[t - 1])
                self.data_ends.set_offsets(xs[t - 1])
                return (*self.paths, *self.data_paths, self.ends, self.data_ends)
        return FuncAnimation(self.fig, draw, frames=frames, interval=interval, blit=False)


__all__ = ["LangevinExplorer", "ChainRun", "DEFAULTS"]
