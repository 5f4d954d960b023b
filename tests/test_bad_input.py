"""Bad input gets a clear error: each test is one kind of mistake a student or instructor makes, run
through the entry points it concerns; each asserts the exception type and that the message names the
argument (and says what was expected)."""

import json
import math
import shutil

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from gancourse import claims, critics, data, divergences, fgan, metrics, models, plotting, samplers, toy, two_sample, zoo
from gancourse.tables import format_table
from gancourse.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from gancourse.data import DataNotFoundError, mnist
from gancourse.train import TrainConfig, fit_discriminator, train
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
@pytest.mark.parametrize("options, match", [(dict(n_steps=2.5), "n_steps must be a non-negative integer"),
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
    with pytest.raises(ValueError, match="not available here"):
        zoo.load("ring8-gan", "cuda")


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
    explorer = LangevinExplorer(models.ToyGenerator(latent_dim=2), models.ToyDiscriminator(), n_chains=4)
    with pytest.raises(ValueError, match="step_size must be positive"):
        explorer.update(step_size=-1.0)
    run = explorer.update(n_steps=5)                       # the next valid update works
    assert run.values["step_size"] > 0
    plt.close("all")


# ---- every remaining entry point, one row per kind of mistake -------------------------------------
X, Y = torch.randn(50, 2), torch.randn(50, 2) + 1
X_NAN = X.clone()
X_NAN[3, 0] = float("nan")
GRID = toy.get("grid25")
NORMAL = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
History = lambda **fields: type("History", (), fields)()          # noqa: E731

ENTRY_POINT_MISTAKES = {
    # two-sample tests (lecture 1)
    "test on text": (lambda: two_sample.mean_difference_test("abc", Y), TypeError, "x must be a tensor"),
    "test on NaN": (lambda: two_sample.mmd_test(X_NAN, Y, n_permutations=10), ValueError, "x holds NaN"),
    "test on one point": (lambda: two_sample.mean_difference_test(X[:1], Y), ValueError, "at least 2"),
    "C2ST on 4 points": (lambda: two_sample.classifier_test(X[:4], Y[:4]), ValueError, "at least 10"),
    "fractional permutations": (lambda: two_sample.mmd_test(X, Y, n_permutations=2.5), ValueError,
                                "n_permutations must be a positive integer"),
    "negative bandwidth": (lambda: two_sample.mmd_test(X, Y, bandwidth=-1.0), ValueError, "bandwidth must be a pos"),
    "identical points": (lambda: two_sample.mmd_test(torch.zeros(10, 2), torch.zeros(10, 2)), ValueError,
                         "pass bandwidth="),
    "seed for rng": (lambda: two_sample.mmd_test(X, Y, rng=3), TypeError, r"manual_seed\(3\)"),
    "zero classifier steps": (lambda: two_sample.classifier_test(X, Y, steps=0), ValueError, "steps must be"),
    "negative learning rate": (lambda: two_sample.classifier_test(X, Y, lr=-1.0), ValueError, "lr must be"),
    "level 5": (lambda: two_sample.TestResult(1.0, 0.01).rejects(5), ValueError, "alpha must be a number strictly"),
    # divergences (lectures 2 and 4)
    "outcomes differ": (lambda: divergences.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5]), ValueError, "same outcomes"),
    "NaN probability": (lambda: divergences.js_divergence([math.nan, 1.0], [0.5, 0.5]), ValueError, "finite"),
    "matrix of probabilities": (lambda: divergences.kl_divergence([[0.5, 0.5]], [[0.5, 0.5]]), ValueError, "1-D"),
    "f by name": (lambda: divergences.f_divergence([0.5, 0.5], [0.2, 0.8], "kl"), TypeError, "F_GENERATORS"),
    "f of the 1D integral by name": (lambda: divergences.f_divergence_1d(NORMAL, NORMAL, "kl", -5, 5), TypeError,
                                     "fgan.get"),
    "unknown f-divergence": (lambda: fgan.get("chi2"), KeyError, "pearson"),
    "conjugate of a name": (lambda: fgan.numerical_conjugate("kl", [0.0]), TypeError, "fgan.get"),
    "conjugate at a word": (lambda: fgan.numerical_conjugate(fgan.get("kl").f, "one"), TypeError, "numbers"),
    "2-D density at 1-D points": (lambda: toy.get("ring8").density(np.zeros(3)), ValueError, "one 2-D point per row"),
    "density at NaN": (lambda: toy.get("bimodal1d").density(math.nan), ValueError, "NaN"),
    "f-GAN bound on probabilities as a list": (lambda: fgan.variational_objective("kl", [0.2], torch.zeros(1)),
                                               TypeError, "logits"),
    "unknown f-GAN loss": (lambda: TrainConfig(loss="fgan-chi2"), KeyError, "fgan-pearson"),
    "reversed interval": (lambda: divergences.kl_divergence_1d(NORMAL, NORMAL, 5, -5), ValueError, "lo < hi"),
    "q vanishes under p": (lambda: divergences.kl_divergence_1d(NORMAL, lambda x: 0.0, -5, 5), ValueError, "infinite"),
    "negative density": (lambda: divergences.js_divergence_1d(lambda x: -0.1, NORMAL, -5, 5), ValueError,
                         "non-negative"),
    # toy distributions
    "seed for rng (toy)": (lambda: GRID.sample(5, rng=3), TypeError, "rng must be a torch.Generator"),
    "fractional sample size": (lambda: toy.get("swissroll").sample(2.5), ValueError, "n must be a positive integer"),
    "coverage of 3-D points": (lambda: GRID.coverage(torch.randn(5, 3)), ValueError, "samples must have shape n×2"),
    "coverage of nothing": (lambda: GRID.coverage(torch.randn(0, 2)), ValueError, "at least 1"),
    "coverage of NaN": (lambda: GRID.coverage(X_NAN), ValueError, "samples holds NaN"),
    "negative radius": (lambda: GRID.coverage(X, n_std=-1), ValueError, "n_std must be a positive"),
    "weights of the wrong length": (lambda: toy.GaussianMixture("m", torch.zeros(2, 1), std=1.0,
                                                                weights=torch.tensor([1.0])), ValueError, "K = 2"),
    "latent codes for 2.5": (lambda: models.ToyGenerator().sample(2.5), ValueError, "n must be a positive integer"),
    # plotting
    "0…255 images drawn": (lambda: plotting.image_grid(torch.rand(4, 1, 28, 28) * 255), ValueError, "x / 127.5 - 1"),
    "no images drawn": (lambda: plotting.image_grid(torch.rand(0, 1, 28, 28)), ValueError, "n ≥ 1"),
    "zero images per row": (lambda: plotting.image_grid(torch.rand(4, 1, 28, 28), nrow=0), ValueError, "nrow must"),
    "NaN images drawn": (lambda: plotting.image_grid(torch.full((4, 1, 28, 28), math.nan)), ValueError, "NaN"),
    "1-D density drawn": (lambda: plotting.density_2d(toy.get("gauss1d")), TypeError, "2-D toy distribution"),
    "zero resolution": (lambda: plotting.density_2d(GRID, resolution=0), ValueError, "resolution must be"),
    "reversed bounds": (lambda: plotting.discriminator_heatmap(models.ToyDiscriminator(), (1, -1)), ValueError,
                        "lo < hi"),
    "bounds as one number": (lambda: plotting.discriminator_heatmap(models.ToyDiscriminator(), 3.0), TypeError,
                             r"pair \(lo, hi\)"),
    "losses of a dict": (lambda: plotting.loss_curves({"d_loss": [1.0]}), TypeError, "what train\\(\\) returns"),
    "no snapshots": (lambda: plotting.snapshots_2d(History(snapshots=[])), ValueError, "snapshot_every"),
    # critics, data
    "critic on no samples": (lambda: critics.critic_estimate(models.ToyDiscriminator(), torch.zeros(0, 2), Y),
                             ValueError, "x_p must be a non-empty"),
    "gradient of a list": (lambda: critics.input_gradient(models.ToyDiscriminator(), [[0.0, 0.0]]), TypeError,
                           "x must be a float tensor"),
    "mean of no images": (lambda: data.mean_image_distance(torch.rand(0, 1, 28, 28), torch.rand(4, 1, 28, 28)),
                          ValueError, "at least one image"),
    "train as text": (lambda: data.mnist(train="yes"), TypeError, "train must be True"),
    # comparisons, claims, zoo
    "claim on text": (lambda: claims.check("x", "1", "<", 2), TypeError, "value must be a number"),
    "claim on NaN": (lambda: claims.check("x", math.nan, "<", 2), claims.ClaimError, "NaN"),
    "score without columns": (lambda: zoo.compare(["ring8-gan"], 10, lambda x: 3.0), TypeError,
                              "score must return a mapping"),
    "run without options": (lambda: samplers.compare(models.ToyGenerator(), models.ToyDiscriminator(), 10,
                                                     {"DRS": ("drs",)}), TypeError, "pair \\(sampler name"),
    "table of a list": (lambda: format_table([1, 2]), TypeError, "rows must map"),
}


@pytest.mark.parametrize("mistake", list(ENTRY_POINT_MISTAKES))
def test_entry_point_mistakes_are_named(mistake):
    call, error, match = ENTRY_POINT_MISTAKES[mistake]
    try:
        with pytest.raises(error, match=match):
            call()
    finally:
        plt.close("all")


def test_numpy_numbers_work_across_entry_points():
    n = np.int64(20)
    assert GRID.sample(n).shape == (20, 2) and models.ToyGenerator().sample(n).shape == (20, 2)
    assert two_sample.mmd_test(X, Y, n_permutations=np.int64(10), bandwidth=np.float32(1.0)).p_value > 0
    assert two_sample.TestResult(1.0, 0.01).rejects(np.float64(0.05))
    assert GRID.coverage(np.zeros((5, 2), dtype=np.float32), n_std=np.float64(4.0)).modes_covered == 1
