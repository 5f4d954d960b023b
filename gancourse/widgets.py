"""Interactive figures: watch Discriminator Driven Latent Sampling (lecture 5) move its chains.

Three parts, each with one job:

* :func:`run_chains` — the computation: :func:`gancourse.samplers.ddls` on a few chains with the values
  of five sliders (step size η, number of steps T, noise scale s, diversity weight λ, seed), recording
  every step, then G once on the recorded latents.  It returns a :class:`ChainRun`.
* a *view* draws a :class:`ChainRun`, whole or up to step t:

  - :class:`LandscapeView` for a 2-dimensional latent space (the toy GANs of the zoo): the chains' paths
    over the latent energy landscape E(z) = ½‖z‖² − β·d(G(z)), and their images G(z_t) in data space
    over the true density;
  - :class:`DigitsView` for images (MNIST): the mean energy of the chains per step, and digits
    G(z_t) at evenly spaced steps along four chains.

* :class:`LangevinExplorer` — the controller: holds the slider values, picks the view for the generator,
  and offers the live ipywidgets sliders (:meth:`~LangevinExplorer.widget`, needs a kernel), sliders over
  a precomputed grid of runs that work without a kernel (:meth:`~LangevinExplorer.precompute`, the static
  book's explorer: a :class:`FrameGrid`) and a Matplotlib animation (:meth:`~LangevinExplorer.animation`).

The figure is drawn once; an update only replaces the data of its artists, so it is fast enough to drag
a slider (:meth:`LangevinExplorer.update` returns what it drew, which the tests check headlessly).
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.animation import FuncAnimation
from PIL import Image
from torchvision.utils import make_grid

from .models.base import Discriminator, Generator
from .plotting import density_2d
from .samplers import ddls, latent_energy
from . import checks
from .toy import ToyDistribution

DEFAULTS = dict(step_size=0.01, n_steps=100, noise_scale=1.0, diversity_weight=0.0, seed=0)


@dataclass
class ChainRun:
    """One run of the chains.

    Attributes:
        values: the slider values it ran with.
        trajectory: z_t at every step t = 0..T, shape (T+1) × chains × latent_dim.
        outputs: G(z_t) for the chains a view shows, shape (T+1) × shown × data shape.
        energy: mean latent energy E(z_t) of all chains, one value per step t = 1..T.
        seconds: wall-clock time of the sampler and G.
    """

    values: dict[str, Any]
    trajectory: torch.Tensor
    outputs: torch.Tensor
    energy: list[float]
    seconds: float


def run_chains(generator: Generator, discriminator: Discriminator, n_chains: int, values: dict[str, Any],
               beta: float = 1.0, shown: int | None = None) -> ChainRun:
    """DDLS on ``n_chains`` chains with the slider ``values``; G evaluated once on the first ``shown`` chains."""
    shown = n_chains if shown is None else min(shown, n_chains)
    start = time.perf_counter()
    _, stats = ddls(generator, discriminator, n_chains, step_size=float(values["step_size"]),
                    n_steps=values["n_steps"], noise_scale=float(values["noise_scale"]), beta=beta,
                    diversity_weight=float(values["diversity_weight"]), seed=values["seed"], record_every=1)
    trajectory = stats.extra["trajectory"]                              # (T+1) × chains × latent_dim
    z = trajectory[:, :shown]
    with torch.no_grad():
        x = generator(z.reshape(-1, z.shape[-1]).to(generator.device)).cpu()
    outputs = x.reshape(z.shape[0], shown, *x.shape[1:])
    return ChainRun(dict(values), trajectory, outputs, stats.extra["energy"], time.perf_counter() - start)


class LandscapeView:
    """Chains on the latent energy landscape (left) and their images in data space (right); 2-D latents."""

    shown: int | None = None                                           # every chain is drawn

    def __init__(self, fig: plt.Figure, axes: tuple[plt.Axes, plt.Axes], generator: Generator,
                 discriminator: Discriminator, n_chains: int, dist: ToyDistribution | None, beta: float,
                 bound: float = 3.0, resolution: int = 80):
        self.fig, (self.ax_latent, self.ax_data) = fig, axes
        xs = torch.linspace(-bound, bound, resolution)
        grid = torch.cartesian_prod(xs, xs).flip(1)                    # rows: (z1, z2) with z1 fastest
        with torch.no_grad():
            energy = latent_energy(generator, discriminator, grid.to(generator.device), beta)   # E(z) on a grid
        self.ax_latent.contourf(xs.numpy(), xs.numpy(), energy.cpu().reshape(resolution, resolution).numpy(),
                                levels=30, cmap="viridis")
        self.ax_latent.set(title="latent energy E(z) and chains", xlabel="z₁", ylabel="z₂", aspect="equal",
                           xlim=(-bound, bound), ylim=(-bound, bound))
        self.paths = [self.ax_latent.plot([], [], "-", color="white", lw=0.8, alpha=0.8)[0] for _ in range(n_chains)]
        self.starts = self.ax_latent.scatter(np.zeros(n_chains), np.zeros(n_chains), c="white", s=12)
        self.ends = self.ax_latent.scatter(np.zeros(n_chains), np.zeros(n_chains), c="red", s=18)
        if dist is not None:
            density_2d(dist, ax=self.ax_data)
        with torch.no_grad():
            base = generator.sample(1000, rng=torch.Generator().manual_seed(0)).cpu().numpy()
        self.ax_data.scatter(base[:, 0], base[:, 1], s=2, c="tab:blue", alpha=0.2, label="G(z), z ~ p₀")
        self.data_paths = [self.ax_data.plot([], [], "-", color="tab:red", lw=0.8, alpha=0.7)[0]
                           for _ in range(n_chains)]
        self.data_ends = self.ax_data.scatter(np.zeros(n_chains), np.zeros(n_chains), c="red", s=18, label="G(z_T)")
        self.ax_data.legend(loc="upper right", fontsize=8)
        self.ax_data.set(title="data space", aspect="equal")

    def draw(self, run: ChainRun, upto: int | None = None) -> tuple:
        """Draw the paths of steps 0..``upto`` (default: all of them); returns the changed artists."""
        t = run.trajectory.shape[0] if upto is None else upto + 1
        z, x = run.trajectory[:t].numpy(), run.outputs[:t].numpy()
        for c, (path, data_path) in enumerate(zip(self.paths, self.data_paths)):
            path.set_data(z[:, c, 0], z[:, c, 1])
            data_path.set_data(x[:, c, 0], x[:, c, 1])
        self.starts.set_offsets(z[0])
        self.ends.set_offsets(z[-1])
        self.data_ends.set_offsets(x[-1])
        return (*self.paths, *self.data_paths, self.starts, self.ends, self.data_ends)


class DigitsView:
    """Mean energy per step (left) and digits at ``frames`` evenly spaced steps along four chains (right)."""

    shown = 4                                                           # chains drawn as rows of digits

    def __init__(self, fig: plt.Figure, axes: tuple[plt.Axes, plt.Axes], frames: int):
        self.fig, (self.ax_energy, self.ax_digits), self.frames = fig, axes, frames
        self.energy_line, = self.ax_energy.plot([], [], "-")
        self.ax_energy.set(title="mean latent energy of the chains", xlabel="Langevin step t", ylabel="E(z_t)")
        self.image = self.ax_digits.imshow(np.ones((10, 10, 3)), interpolation="nearest")
        self.ax_digits.set_axis_off()

    def draw(self, run: ChainRun, upto: int | None = None) -> tuple:
        """Digits at steps evenly spaced in 0..``upto`` (default T) and the energy up to it."""
        n_steps = run.trajectory.shape[0] - 1
        upto = n_steps if upto is None else upto
        steps = np.unique(np.linspace(0, upto, self.frames).round().astype(int))
        x = run.outputs[steps].transpose(0, 1).reshape(-1, *run.outputs.shape[2:])   # chain-major: one row a chain
        grid = make_grid(x.clamp(-1, 1), nrow=len(steps), normalize=True, value_range=(-1, 1), pad_value=1)
        self.image.set_data(grid.permute(1, 2, 0).numpy())
        self.image.set_extent((0, grid.shape[2], grid.shape[1], 0))
        rows = run.outputs.shape[1]
        self.ax_digits.set_title(f"digits along {rows} chains at steps {', '.join(map(str, steps))}", fontsize=9)
        energy = run.energy[:upto]
        self.energy_line.set_data(np.arange(1, len(energy) + 1), energy)
        if run.energy:                                                  # axes fixed to the whole run
            lo, hi = min(run.energy), max(run.energy)
            self.ax_energy.set_xlim(0, max(n_steps, 1))
            self.ax_energy.set_ylim(lo - 0.05 * (hi - lo + 1), hi + 0.05 * (hi - lo + 1))
        return (self.image, self.energy_line)


def _title(v: dict[str, Any]) -> str:
    """The slider values a figure shows, as its title."""
    return (f"η = {v['step_size']:g}, T = {v['n_steps']}, s = {v['noise_scale']:g}, λ = {v['diversity_weight']:g}, "
            f"seed {v['seed']}")


class LangevinExplorer:
    """DDLS chains under slider control, for a generator with a 2-D latent space or an image generator.

    Args:
        generator, discriminator: a trained pair (the discriminator returns logits).
        n_chains: chains drawn (16 for toys; 4 digit rows for images is readable).
        dist: the toy's true distribution, drawn under the data-space panel.
        beta: β of the energy (for a WGAN critic, the scale of the critic).
        latent_bounds: extent of the latent landscape panel (2-D latents).
        frames: images shown along each chain (image generators).
        resolution: grid points per axis of the latent landscape (2-D latents).
    """

    def __init__(self, generator: Generator, discriminator: Discriminator, n_chains: int = 16,
                 dist: ToyDistribution | None = None, beta: float = 1.0, latent_bounds: float = 3.0,
                 frames: int = 6, resolution: int = 80):
        self.n_chains = checks.positive_int("n_chains", n_chains, what="the number of chains drawn")
        frames = checks.positive_int("frames", frames, minimum=2, what="images shown along each chain")
        if dist is not None and tuple(dist.sample(1).shape[1:]) != tuple(generator.data_shape):
            raise ValueError(f"dist makes samples of shape {tuple(dist.sample(1).shape[1:])} but the generator makes "
                             f"{tuple(generator.data_shape)}: pass the toy distribution the GAN was trained on "
                             "(zoo entries have it as .data).")
        is_image = len(generator.data_shape) == 3
        if not is_image and generator.latent_dim != 2:
            raise ValueError(f"LangevinExplorer draws latent landscapes for 2-D latents or images; this generator "
                             f"has latent_dim={generator.latent_dim} and data shape {generator.data_shape}.")
        self.generator, self.discriminator, self.beta = generator.eval(), discriminator.eval(), beta
        self.values = dict(DEFAULTS)
        self.fig, axes = plt.subplots(1, 2, figsize=(10, 4.6))
        self.view = (DigitsView(self.fig, axes, frames) if is_image else
                     LandscapeView(self.fig, axes, generator, discriminator, self.n_chains, dist, beta,
                                   latent_bounds, resolution))
        self.last: ChainRun | None = None
        self.update()

    def run(self, **values: Any) -> ChainRun:
        """Run the chains with the given slider values (missing ones keep their current value)."""
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"Unknown slider(s) {sorted(unknown)}; the sliders are {list(DEFAULTS)}.")
        merged = {**self.values, **values}
        run = run_chains(self.generator, self.discriminator, self.n_chains, merged, self.beta, self.view.shown)
        self.values = merged                    # committed only once the chains ran: a bad value does not stick
        return run

    def update(self, **values: Any) -> ChainRun:
        """Run the chains and redraw the figure; returns the run (what the figure now shows)."""
        run = self.run(**values)
        self.view.draw(run)
        self.fig.suptitle(f"{_title(run.values)}   ({1000 * run.seconds:.0f} ms)")
        self.last = run
        return run

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

    def precompute(self, step_size: Sequence[float], n_steps: Sequence[int], seed: Sequence[int],
                   dpi: int = 60) -> FrameGrid:
        """The explorer for a page without a kernel: one frame per combination of the three sliders' values.

        The chains run once per (step size, seed) pair for the largest T; the frame for a smaller T draws the
        same run up to step T (a chain's first T steps do not depend on how long it runs on). The other sliders
        keep their current values (noise scale, diversity weight). Frames are WebP pictures at ``dpi``.
        Lecture 5's static explorer.
        """
        axes = {"step_size": [checks.positive_float("step_size", v, what="a step size η") for v in step_size],
                "n_steps": [checks.positive_int("n_steps", v, minimum=0, what="a number of steps T") for v in n_steps],
                "seed": [checks.positive_int("seed", v, minimum=0, what="a seed") for v in seed]}
        for name, values in axes.items():
            if not values or len(set(values)) != len(values):
                raise ValueError(f"precompute needs distinct values for {name}; got {list(values)}.")
        frames: dict[str, str] = {}
        longest = max(axes["n_steps"])
        values_before = dict(self.values)
        for (i, eta), (k, s) in itertools.product(enumerate(axes["step_size"]), enumerate(axes["seed"])):
            run = self.run(step_size=eta, n_steps=longest, seed=s)
            for j, t in enumerate(axes["n_steps"]):
                self.view.draw(run, upto=t)
                self.fig.suptitle(_title({**run.values, "n_steps": t}))
                png = io.BytesIO()
                self.fig.savefig(png, format="png", dpi=dpi)
                webp = io.BytesIO()
                Image.open(png).convert("RGB").save(webp, "WEBP", quality=80)    # a fifth of the PNG's size
                frames[f"{i}-{j}-{k}"] = "data:image/webp;base64," + base64.b64encode(webp.getvalue()).decode()
        self.update(**values_before)                                   # the live figure and sliders as they were
        shown = {**DEFAULTS, "seed": axes["seed"][0]}                 # the picture the page opens on
        start = {name: values.index(shown[name]) if shown[name] in values else len(values) // 2
                 for name, values in axes.items()}
        return FrameGrid(axes, frames, start)

    def animation(self, frames: int = 40, interval: int = 100, **values: Any) -> FuncAnimation:
        """One run revealed in ``frames`` frames at evenly spaced steps (``to_jshtml()`` embeds it in a page)."""
        frames = checks.positive_int("frames", frames, what="frames of the animation")
        run = self.update(**values)
        t_of = np.linspace(0, run.trajectory.shape[0] - 1, frames).round().astype(int)
        return FuncAnimation(self.fig, lambda i: self.view.draw(run, upto=int(t_of[i])), frames=frames,
                             interval=interval, blit=False)


SLIDER_LABELS = {"step_size": "step size η", "n_steps": "steps T", "seed": "seed"}


@dataclass(repr=False)
class FrameGrid:
    """Pre-rendered frames of the explorer over a grid of slider values, shown with sliders that need no kernel.

    Displayed in a notebook (or rendered into the book) it is a picture with one range slider per axis; moving a
    slider swaps the picture in the browser (a few lines of JavaScript, no server). Made by
    :meth:`LangevinExplorer.precompute`.

    Attributes:
        axes: the values of each slider, in order (``step_size``, ``n_steps``, ``seed``).
        frames: WebP data URLs keyed ``"i-j-k"`` by the index of each slider's value.
        start: the index of each slider's value when the page opens.
    """

    axes: dict[str, list]
    frames: dict[str, str]
    start: dict[str, int]

    def __repr__(self) -> str:
        sizes = " × ".join(f"{len(v)} {name}" for name, v in self.axes.items())
        return f"FrameGrid({sizes}: {len(self.frames)} frames)"

    def frame(self, **values: Any) -> str:
        """The data URL drawn for these slider values (each must be one of the grid's)."""
        index = []
        for name, options in self.axes.items():
            if values.get(name) not in options:
                raise KeyError(f"{name}={values.get(name)!r} is not on the grid; its values are {options}.")
            index.append(str(options.index(values[name])))
        return self.frames["-".join(index)]

    def _repr_html_(self) -> str:
        names = list(self.axes)
        start = [self.start[n] for n in names]
        sliders = "".join(
            f'<label style="margin-right:1.5em;white-space:nowrap">{html.escape(SLIDER_LABELS.get(n, n))} '
            f'<input type="range" min="0" max="{len(self.axes[n]) - 1}" step="1" value="{i}" '
            f'aria-label="{html.escape(SLIDER_LABELS.get(n, n))}" style="vertical-align:middle"> '
            f'<output>{self.axes[n][i]:g}</output></label>'
            for n, i in zip(names, start))
        first = self.frames["-".join(map(str, start))]
        data = json.dumps({"values": [self.axes[n] for n in names], "frames": self.frames})
        return (f'<div class="gc-explorer"><div class="gc-explorer-sliders">{sliders}</div>'
                f'<img class="gc-explorer-frame" style="max-width:100%" alt="Langevin chains for the chosen '
                f'sliders" src="{first}"><script type="application/json" class="gc-explorer-data">{data}</script>'
                f'<script>(function () {{'
                f'var root = document.currentScript.parentElement;'
                f'var grid = JSON.parse(root.querySelector(".gc-explorer-data").textContent);'
                f'var inputs = root.querySelectorAll("input[type=range]");'
                f'function show() {{'
                f'  var key = [];'
                f'  inputs.forEach(function (input, a) {{'
                f'    key.push(input.value);'
                f'    input.nextElementSibling.textContent = grid.values[a][input.value];'
                f'  }});'
                f'  root.querySelector("img").src = grid.frames[key.join("-")];'
                f'}}'
                f'inputs.forEach(function (input) {{ input.addEventListener("input", show); }});'
                f'}})();</script></div>')


__all__ = ["LangevinExplorer", "FrameGrid", "ChainRun", "run_chains", "LandscapeView", "DigitsView", "DEFAULTS"]
