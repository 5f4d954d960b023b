"""The Langevin widget, driven headlessly: moving a slider must change what the figure shows."""

import statistics
import time

import numpy as np
import pytest
import torch

from gancourse import toy, widgets, zoo
from gancourse.models import MLPDiscriminator, MLPGenerator
from gancourse.widgets import LangevinExplorer, run_chains


@pytest.fixture(scope="module")
def toy_explorer():
    model = zoo.load("grid25-gan", "cpu")
    return LangevinExplorer(model.generator, model.discriminator, dist=toy.get("grid25"))


def drawn(explorer):
    return [np.array(line.get_xydata()) for line in explorer.view.paths] + [explorer.view.ends.get_offsets().copy()]


def changed(a, b):
    return any(x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("slider, value", [("step_size", 0.05), ("n_steps", 30), ("noise_scale", 0.0),
                                           ("diversity_weight", 10.0), ("seed", 3)])
def test_each_slider_changes_the_plotted_chains(toy_explorer, slider, value):
    toy_explorer.update(step_size=0.01, n_steps=100, noise_scale=1.0, diversity_weight=0.0, seed=0)
    before = drawn(toy_explorer)
    run = toy_explorer.update(**{slider: value})
    after = drawn(toy_explorer)
    assert changed(before, after), slider
    assert run.trajectory.shape == (run.values["n_steps"] + 1, 16, 2)
    np.testing.assert_allclose(after[-1], run.trajectory[-1].numpy(), rtol=1e-6)   # red dots = z_T


def test_ipywidgets_sliders_drive_the_figure(toy_explorer):
    box = toy_explorer.widget()
    assert set(box.sliders) == {"step_size", "n_steps", "noise_scale", "diversity_weight", "seed"}
    before = drawn(toy_explorer)
    box.sliders["seed"].value = 7                                     # as if the user dragged it
    assert toy_explorer.last.values["seed"] == 7
    assert changed(before, drawn(toy_explorer))


@pytest.mark.timing
def test_toy_update_is_fast(toy_explorer):
    times = []
    for seed in range(5):
        start = time.perf_counter()
        toy_explorer.update(seed=seed, n_steps=100)
        toy_explorer.fig.canvas.draw()
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.3, times


def test_same_values_same_picture(toy_explorer):
    a = toy_explorer.update(seed=2, n_steps=50).trajectory
    b = toy_explorer.update(seed=2, n_steps=50).trajectory
    torch.testing.assert_close(a, b)


def test_image_explorer_shows_digits_along_chains():
    torch.manual_seed(0)
    explorer = LangevinExplorer(MLPGenerator(), MLPDiscriminator(), n_chains=4, frames=6)
    first = explorer.view.image.get_array().copy()
    run = explorer.update(seed=1, n_steps=20)
    second = explorer.view.image.get_array()
    assert second.shape[1] > second.shape[0]           # 6 frames wide, 4 chains high
    assert not np.allclose(first, second)
    assert len(explorer.view.energy_line.get_xdata()) == 20
    assert run.outputs.shape == (21, 4, 1, 28, 28)
    # the digits drawn are G(z_t) of the recorded latents: the last column of the first row is G(z_T)
    with torch.no_grad():
        last = explorer.generator(run.trajectory[-1, :1])
    torch.testing.assert_close(run.outputs[-1, :1], last)


def test_generator_runs_once_per_update(monkeypatch):
    """G is evaluated once on all recorded latents (by run_chains), not again by the view."""
    model = zoo.load("grid25-gan", "cpu")
    explorer = LangevinExplorer(model.generator, model.discriminator, n_chains=4, dist=toy.get("grid25"))
    calls = []
    monkeypatch.setattr(widgets, "run_chains", lambda *a, **k: calls.append(1) or run_chains(*a, **k))
    forward = type(model.generator).forward
    seen = []
    monkeypatch.setattr(type(model.generator), "forward", lambda self, z: seen.append(len(z)) or forward(self, z))
    explorer.update(seed=1, n_steps=10)
    assert calls == [1]
    assert seen[-1] == 11 * 4                          # the last G pass: (T+1) steps × 4 chains, nothing after it


@pytest.mark.parametrize("frames", [3, 7])
def test_image_animation_has_the_frames_asked_for(frames):
    torch.manual_seed(0)
    explorer = LangevinExplorer(MLPGenerator(), MLPDiscriminator(), n_chains=4, frames=5)
    anim = explorer.animation(frames=frames, n_steps=12)
    html = anim.to_jshtml()
    assert "<script" in html and html.count("data:image/png") == frames
    with pytest.raises(ValueError, match="frames must be a positive integer"):
        explorer.animation(frames=0)


def test_animation_and_errors(toy_explorer):
    anim = toy_explorer.animation(frames=5, n_steps=20)
    html = anim.to_jshtml()
    assert "<script" in html and len(html) > 10_000
    with pytest.raises(TypeError, match="Unknown slider"):
        toy_explorer.update(temperature=2.0)
    with pytest.raises(ValueError, match="2-D latents or images"):
        from gancourse.models import ToyDiscriminator, ToyGenerator
        LangevinExplorer(ToyGenerator(latent_dim=3), ToyDiscriminator())


def _picture(data_url: str) -> np.ndarray:
    """A frame as pixels, without the title strip (which names the slider values)."""
    import base64
    import io

    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1]))).convert("L"), float)
    return pixels[pixels.shape[0] // 8:]


def test_precomputed_grid_indexes_its_frames(toy_explorer):
    """The static explorer: one frame per combination, each what a run of exactly that many steps draws (a
    frame for T is the longest run drawn up to step T); below the title, the picture changes with η and with the
    seed once the chains move, by far more than the WebP noise between two frames of one start (T = 0)."""
    toy_explorer.update(step_size=0.01, n_steps=100, seed=0)
    grid = toy_explorer.precompute(step_size=[0.01, 0.05], n_steps=[0, 5, 20], seed=[0, 1])
    assert toy_explorer.values["step_size"] == 0.01 and toy_explorer.last.values["n_steps"] == 100  # restored
    assert len(grid.frames) == 12 and all(f.startswith("data:image/webp;base64,") for f in grid.frames.values())
    alone = toy_explorer.precompute(step_size=[0.05], n_steps=[5], seed=[1])
    assert grid.frame(step_size=0.05, n_steps=5, seed=1) == alone.frame(step_size=0.05, n_steps=5, seed=1)
    picture = lambda eta, t, s: _picture(grid.frame(step_size=eta, n_steps=t, seed=s))  # noqa: E731
    noise = np.abs(picture(0.01, 0, 0) - picture(0.05, 0, 0)).mean()  # T = 0: one start, only WebP's noise differs
    other_eta = np.abs(picture(0.01, 20, 0) - picture(0.05, 20, 0)).mean()
    other_seed = np.abs(picture(0.01, 20, 0) - picture(0.01, 20, 1)).mean()
    assert 5 * noise < min(other_eta, other_seed), (noise, other_eta, other_seed)
    page = grid._repr_html_()
    assert page.count('type="range"') == 3 and all(f in page for f in grid.frames.values())
    assert repr(grid) == "FrameGrid(2 step_size × 3 n_steps × 2 seed: 12 frames)"
    with pytest.raises(KeyError, match="not on the grid"):
        grid.frame(step_size=0.02, n_steps=0, seed=0)


@pytest.mark.parametrize("bad, match", [(dict(step_size=[0.01, 0.01]), "distinct"), (dict(n_steps=[-1]), "n_steps"),
                                        (dict(seed=[]), "distinct")])
def test_precompute_rejects_bad_grids(toy_explorer, bad, match):
    with pytest.raises(ValueError, match=match):
        toy_explorer.precompute(**{**dict(step_size=[0.01], n_steps=[0, 5], seed=[0]), **bad})
