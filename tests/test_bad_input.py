"""Bad input gets a clear error: each test is one kind of mistake a student or instructor makes, run
through the entry points it concerns; each asserts the exception type and that the message names the
argument (and says what was expected)."""

import json
import shutil

import numpy as np
import pytest
import torch

from gancourse import metrics, models, samplers, toy
from gancourse.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from gancourse.data import DataNotFoundError, mnist
from gancourse.train import fit_discriminator, train
from gancourse.widgets import LangevinExplorer

MNIST_D = models.MLPDiscriminator()


# ---- range and dtype ------------------------------------------------------------------------------
@pytest.mark.parametrize("images, error, match", [
    (torch.full((4, 1, 28, 28), 255.0), ValueError, r"\[-1, 1\].*x / 127.5 - 1"),
    (torch.zeros(4, 1, 28, 28, dtype=torch.uint8), TypeError, "float.*127.5"),
    (torch.full((4, 1, 28, 28), float("nan")), ValueError, "NaN"),
])
def test_discriminator_refuses_images_outside_its_range(images, error, match):
    with pytest.raises(error, match=match):
        MNIST_D(images)


@pytest.mark.parametrize("data, error, match", [
    (torch.rand(64, 1, 28, 28) * 255, ValueError, r"image data must lie in \[-1, 1\]"),
    (torch.randint(0, 255, (64, 1, 28, 28), dtype=torch.uint8), TypeError, "data must be float"),
])
def test_train_refuses_unscaled_images(data, error, match):
    with pytest.raises(error, match=match):
        train(models.MLPGenerator(), models.MLPDiscriminator(), data, steps=1, progress=False, device="cpu")


def test_metrics_warn_on_images_in_zero_one():
    x = torch.rand(300, 1, 28, 28)                                 # [0, 1] instead of [-1, 1]
    with pytest.warns(UserWarning, match=r"\[0, 1\].*2x - 1"):
        metrics.features_of(x, features="pixels")
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        metrics.features_of(x * 255, features="pixels")


# ---- finiteness -----------------------------------------------------------------------------------
def test_training_data_with_nan_rows_is_named():
    data = torch.randn(500, 2)
    data[::50] = float("nan")                                      # 2% of the rows
    for call in (lambda: train(models.ToyGenerator(), models.ToyDiscriminator(), data, steps=1, progress=False,
                               device="cpu"),
                 lambda: fit_discriminator(models.ToyDiscriminator(), data, torch.randn(100, 2), steps=1, device="cpu")):
        with pytest.raises(ValueError, match=r"data holds NaN or inf in 10 of its 500 rows \(2.0%\)"):
            call()


# ---- sample size ----------------------------------------------------------------------------------
def test_sample_sizes_are_checked():
    g, d = models.ToyGenerator(), models.ToyDiscriminator()
    with pytest.raises(ValueError, match="gamma_percentile=0.95 looks like a fraction"):
        samplers.drs(g, d, 10, gamma_percentile=0.95)
    with pytest.raises(ValueError, match="real holds 20 samples; Platt calibration needs at least 100"):
        samplers.mh(g, d, 10, real=torch.randn(20, 2))
    with pytest.warns(UserWarning, match="n = 50 samples of 784-dimensional features"):
        metrics.fid(torch.rand(50, 1, 28, 28) * 2 - 1, torch.rand(50, 1, 28, 28) * 2 - 1, features="pixels")


# ---- types ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("options, match", [(dict(n_steps=2.5), "n_steps must be an integer ≥ 0"),
                                            (dict(dims=5), "dims must be a collection"),
                                            (dict(step_size="0.1"), "step_size must be a number")])
def test_wrong_types_are_named(options, match):
    with pytest.raises(ValueError, match=match):
        samplers.ddls(models.ToyGenerator(), models.ToyDiscriminator(), 10, **options)


def test_numpy_integers_are_valid_numbers():
    g, d = models.ToyGenerator(), models.ToyDiscriminator()
    x, st = samplers.ddls(g, d, np.int64(12), n_steps=np.int64(3), seed=np.int64(1), dims=np.arange(1))
    assert x.shape == (12, 2) and st.n == 12


# ---- data on disk ---------------------------------------------------------------------------------
def test_a_corrupt_mnist_file_is_named(tmp_path, mnist_test):
    from gancourse.config import data_root

    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for f in (data_root() / "MNIST" / "raw").iterdir():
        if not f.name.endswith(".gz"):
            shutil.copy(f, raw / f.name)
    (raw / "t10k-labels-idx1-ubyte").write_bytes((raw / "t10k-labels-idx1-ubyte").read_bytes()[:500])  # truncated
    with pytest.raises(DataNotFoundError, match="t10k-labels-idx1-ubyte is corrupt or truncated.*delete it"):
        mnist(train=False, root=tmp_path, download=False)


# ---- state ----------------------------------------------------------------------------------------
def test_unavailable_device_is_a_clear_error():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ValueError, match="'cuda' was requested but is not available"):
        train(models.ToyGenerator(), models.ToyDiscriminator(), toy.get("ring8"), steps=1, progress=False, device="cuda")


@pytest.mark.parametrize("damage, match", [
    (lambda meta: {k: v for k, v in meta.items() if k != "sha256"}, "lacks 'sha256'"),
    (lambda meta: "{ truncated", "not valid JSON"),
    (lambda meta: {**meta, "models": {"generator": {"class": "ToyGenerator", "config": {"latent_dim": 2, "widht": 3}}}},
     "Cannot rebuild 'generator'.*widht"),
])
def test_damaged_checkpoint_metadata_is_a_checkpoint_error(tmp_path, damage, match):
    path = save_checkpoint(tmp_path / "ck", {"generator": models.ToyGenerator()})
    meta_path = path.with_suffix(".json")
    damaged = damage(json.loads(meta_path.read_text()))
    meta_path.write_text(damaged if isinstance(damaged, str) else json.dumps(damaged))
    with pytest.raises(CheckpointError, match=match):
        load_checkpoint(path, verify=False)


# ---- widgets --------------------------------------------------------------------------------------
def test_widget_arguments_are_checked():
    g, d = models.ToyGenerator(latent_dim=2), models.ToyDiscriminator()
    with pytest.raises(ValueError, match="n_chains must be a positive integer"):
        LangevinExplorer(g, d, n_chains=0)
    with pytest.raises(ValueError, match="dist makes samples of shape"):
        LangevinExplorer(g, d, dist=toy.get("gauss1d"))


def test_a_bad_slider_value_does_not_stick():
    import matplotlib.pyplot as plt

    explorer = LangevinExplorer(models.ToyGenerator(latent_dim=2), models.ToyDiscriminator(), n_chains=4)
    with pytest.raises(ValueError, match="step_size must be positive"):
        explorer.update(step_size=-1.0)
    run = explorer.update(n_steps=5)                       # the next valid update works
    assert run.values["step_size"] > 0
    plt.close("all")
