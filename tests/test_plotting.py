import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from gancourse import models, plotting, toy
from gancourse.train import train


def test_image_grid_shows_the_images():
    imgs = -torch.ones(4, 1, 28, 28)
    imgs[0, 0, :14] = 1.0  # one half-white image
    ax = plotting.image_grid(imgs, nrow=2, title="t")
    arr = ax.images[0].get_array()
    assert arr.shape[0] == arr.shape[1] == 2 * 28 + 3 * 2  # 2×2 grid with padding 2
    assert arr.max() == 1 and ax.get_title() == "t"
    with pytest.raises(ValueError, match="n×C×H×W"):
        plotting.image_grid(torch.zeros(28, 28))
    plt.close("all")


def test_samples_over_density_and_heatmap():
    dist = toy.get("ring8")
    x = dist.sample(100)
    ax = plotting.samples_2d(x, dist)
    assert np.allclose(ax.collections[-1].get_offsets(), x.numpy())
    with pytest.raises(ValueError, match="n×2"):
        plotting.samples_2d(torch.zeros(5, 3))
    D = models.ToyDiscriminator()
    ax = plotting.discriminator_heatmap(D, dist.bounds, resolution=20)
    values = ax.images[0].get_array()
    assert values.shape == (20, 20) and 0 <= values.min() and values.max() <= 1
    plotting.density_2d(toy.get("swissroll"))
    plt.close("all")


def test_loss_curves_and_snapshots():
    torch.manual_seed(0)
    h = train(models.ToyGenerator(hidden=16, depth=1), models.ToyDiscriminator(hidden=16, depth=1), toy.get("ring8"),
              steps=40, snapshot_every=20, progress=False, device="cpu")
    ax = plotting.loss_curves(h, smooth=5)
    assert len(ax.lines) == 4 and np.allclose(ax.lines[0].get_ydata(), h.d_loss)
    fig = plotting.snapshots_2d(h, toy.get("ring8"))
    assert len([a for a in fig.axes if a.collections]) == 3
    plt.close("all")


def test_image_snapshots_show_each_snapshot():
    torch.manual_seed(0)
    h = train(models.MLPGenerator(latent_dim=8), models.MLPDiscriminator(), -torch.ones(64, 1, 28, 28), steps=4,
              snapshot_every=2, n_snapshot=4, batch_size=8, progress=False, device="cpu")
    fig = plotting.snapshots_images(h, nrow=2)
    titles = [a.get_title() for a in fig.axes]
    assert titles == ["step 0", "step 2", "step 4"]
    np.testing.assert_allclose(fig.axes[-1].images[0].get_array()[2:30, 2:30, 0], (h.snapshots[-1][1][0, 0] + 1) / 2,
                               atol=1e-6)
    plt.close("all")
