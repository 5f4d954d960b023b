"""The Langevin widget, driven headlessly: moving a slider must change what the figure shows."""

import statistics
import time

import numpy as np
import pytest
import torch

from gancourse import toy, zoo
from gancourse.models import MLPDiscriminator, MLPGenerator
from gancourse.widgets import LangevinExplorer


@pytest.fixture(scope="module")
def toy_explorer():
    model = zoo.load("grid25-gan", "cpu")
    return LangevinExplorer(model.generator, model.discriminator, dist=toy.get("grid25"))


def drawn(explorer):
    return [np.array(line.get_xydata()) for line in explorer.paths] + [explorer.ends.get_offsets().copy()]


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
    first = explorer.image.get_array().copy()
    explorer.update(seed=1, n_steps=20)
    second = explorer.image.get_array()
    assert second.shape[1] > second.shape[0]           # 6 frames wide, 4 chains high
    assert not np.allclose(first, second)
    assert len(explorer.energy_line.get_xdata()) == 20
    html = explorer.animation(n_steps=10).to_jshtml()        # rendered frame by frame: digits appear column by column
    assert "<script" in html and html.count("data:image/png") >= 6


def test_animation_and_errors(toy_explorer):
    anim = toy_explorer.animation(frames=5, n_steps=20)
    html = anim.to_jshtml()
    assert "<script" in html and len(html) > 10_000
    with pytest.raises(TypeError, match="Unknown slider"):
        toy_explorer.update(temperature=2.0)
    with pytest.raises(ValueError, match="2-D latents or images"):
        from gancourse.models import ToyDiscriminator, ToyGenerator
        LangevinExplorer(ToyGenerator(latent_dim=3), ToyDiscriminator())
