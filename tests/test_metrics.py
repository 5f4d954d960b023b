"""Metrics: the classifier, FID, IS, precision/recall, density/coverage, toy quality — including the sanity
properties a metric must have (floor on real data, monotone in corruption) and the InceptionV3 loading path."""

import time
import urllib.error

import numpy as np
import pytest
import scipy.linalg
import torch
import torchvision.transforms.functional as TF

from gancourse import metrics, toy
from gancourse.checkpoint import sha256
from gancourse.metrics import classifier as clf_module
from gancourse.metrics import features as features_module
from gancourse.metrics.frechet import FeatureStatistics
from gancourse.metrics import unbiased


@pytest.fixture(scope="module")
def test_features(mnist_test):
    return metrics.extract_features(mnist_test.images)


@pytest.fixture(scope="module")
def mnist_train10k():
    from gancourse.data import mnist
    return mnist(train=True, download=False).images[:10_000]


def _noisy(x, s, seed=0):
    return (x + s * torch.randn(x.shape, generator=torch.Generator().manual_seed(seed))).clamp(-1, 1)


# ---------------------------------------------------------------- classifier and features
def test_classifier_accuracy_at_least_99_percent(mnist_test):
    model = metrics.mnist_classifier("cpu")
    acc = clf_module.accuracy(model, mnist_test.images, mnist_test.targets)
    assert acc >= 0.99
    assert model.features(mnist_test.images[:5]).shape == (5, 128)
    assert model(mnist_test.images[:5]).shape == (5, 10)


def test_features_reject_bad_input():
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        metrics.extract_features(torch.full((2, 1, 28, 28), 255.0))
    with pytest.raises(ValueError, match="n×1×28×28"):
        metrics.extract_features(torch.zeros(2, 3, 32, 32))
    with pytest.raises(ValueError, match="N×C×H×W|n×C×H×W"):
        metrics.extract_features(torch.zeros(2, 784))


def test_shipped_reference_statistics_match_the_test_set(test_features):
    ref = metrics.mnist_reference_statistics()
    here = FeatureStatistics.of(test_features)
    assert ref.n == 10_000
    np.testing.assert_allclose(ref.mu, here.mu, atol=1e-4)
    assert metrics.frechet_distance(ref, here) < 1e-3


# ---------------------------------------------------------------- FID
def test_frechet_distance_matches_independent_computation():
    """W2² between Gaussians: pytorch-fid's closed form vs Tr(A + B − 2(A^½ B A^½)^½) by eigendecomposition."""
    rng = np.random.default_rng(0)
    la, lb = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
    A, B = la @ la.T + 0.1 * np.eye(6), lb @ lb.T + 0.1 * np.eye(6)
    mu_a, mu_b = rng.normal(size=6), rng.normal(size=6)
    w, v = np.linalg.eigh(A)
    root_a = v @ np.diag(np.sqrt(w)) @ v.T
    m = np.linalg.eigvalsh(root_a @ B @ root_a)
    expected = np.sum((mu_a - mu_b) ** 2) + np.trace(A) + np.trace(B) - 2 * np.sum(np.sqrt(m))
    got = metrics.frechet_distance(FeatureStatistics(mu_a, A, 10), FeatureStatistics(mu_b, B, 10))
    assert got == pytest.approx(expected, rel=1e-8)
    # diagonal covariances: Σ (μ_a − μ_b)² + Σ (σ_a − σ_b)²
    sa, sb = rng.uniform(0.5, 2, 4), rng.uniform(0.5, 2, 4)
    got = metrics.frechet_distance(FeatureStatistics(np.zeros(4), np.diag(sa**2), 2),
                                   FeatureStatistics(np.ones(4), np.diag(sb**2), 2))
    assert got == pytest.approx(4 + np.sum((sa - sb) ** 2), rel=1e-8)


def test_frechet_distance_rejects_mismatched_dimensions():
    with pytest.raises(ValueError, match="same feature network"):
        metrics.frechet_distance(FeatureStatistics(np.zeros(3), np.eye(3), 2), FeatureStatistics(np.zeros(4), np.eye(4), 2))


def test_fid_floor_and_monotone_in_noise_and_blur(mnist_test, mnist_train10k):
    floor = metrics.fid("mnist-test", mnist_train10k)
    assert floor < 5  # two real samples: the floor
    noise = [metrics.fid("mnist-test", _noisy(mnist_train10k, s)) for s in (0.1, 0.2, 0.4, 0.8)]
    blur = [metrics.fid("mnist-test", TF.gaussian_blur(mnist_train10k, 5, s)) for s in (0.6, 1.0, 1.5)]
    assert floor < noise[0] and all(a < b for a, b in zip(noise, noise[1:])), noise
    assert floor < blur[0] and all(a < b for a, b in zip(blur, blur[1:])), blur


@pytest.mark.timing
def test_fid_10k_vs_10k_is_fast(mnist_test, mnist_train10k):
    metrics.fid(mnist_test.images[:200], mnist_train10k[:200])  # load the classifier first
    start = time.perf_counter()
    metrics.fid(mnist_test.images, mnist_train10k)
    elapsed = time.perf_counter() - start
    print(f"FID 10k vs 10k with classifier features: {elapsed:.2f} s")
    assert elapsed < 10  # the target is ≤ 5 s on 2 CPU cores; slack for busy CI machines


# ---------------------------------------------------------------- IS, precision/recall, density/coverage
def test_inception_score_of_real_digits_is_near_ten(mnist_test):
    scores = metrics.evaluate(mnist_test.images, mnist_test.images[:5000], metrics=("is",))
    assert 9.5 < scores["is"] <= 10


def test_inception_score_extremes():
    one_hot = torch.eye(10).repeat(100, 1)
    assert metrics.inception_score(one_hot, splits=1)[0] == pytest.approx(10, rel=1e-6)  # sharp and diverse
    assert metrics.inception_score(torch.eye(10)[[3] * 500], splits=1)[0] == pytest.approx(1)  # collapsed
    assert metrics.inception_score(torch.full((500, 10), 0.1), splits=1)[0] == pytest.approx(1)  # unsure
    with pytest.raises(ValueError, match="softmax"):
        metrics.inception_score(torch.randn(20, 10))


def test_prdc_identical_and_disjoint_sets():
    x = torch.randn(400, 8, generator=torch.Generator().manual_seed(0))
    same = metrics.prdc(x, x.clone())
    assert same["precision"] == same["recall"] == same["coverage"] == 1.0
    assert same["density"] == pytest.approx(1.0 + 1 / 5, rel=0.01)  # each point also lies in its own ball
    far = metrics.prdc(x, x + 100)
    assert far == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}
    with pytest.raises(ValueError, match="N×d and M×d"):
        metrics.prdc(x, torch.randn(10, 3))


def test_precision_falls_with_noise_and_recall_with_missing_digits(mnist_test, mnist_train10k):
    from gancourse.data import mnist

    clean = metrics.evaluate(mnist_test, mnist_train10k, metrics=("precision", "recall"))
    precision = [clean["precision"]] + [metrics.evaluate(mnist_test, _noisy(mnist_train10k, s),
                                                         metrics=("precision",))["precision"] for s in (0.5, 1.0, 1.5)]
    print("precision under noise 0, 0.5, 1, 1.5:", precision)
    assert all(a > b for a, b in zip(precision, precision[1:])) and precision[-1] < precision[0] - 0.1
    labels = mnist(train=True, download=False).targets[:10_000]
    five_digits = mnist_train10k[labels < 5]
    fewer = metrics.evaluate(mnist_test, five_digits, metrics=("precision", "recall"))
    assert fewer["recall"] < clean["recall"] - 0.3           # half the digits are missing
    assert fewer["precision"] > clean["precision"] - 0.05    # what is there is still real


def test_evaluate_entry_point(mnist_test, mnist_train10k):
    scores = metrics.evaluate("mnist-test", mnist_train10k[:2000])
    assert set(scores) == {"fid", "is", "precision", "recall", "density", "coverage"}   # metrics only
    # the test digits' features are extracted once and reused; precomputed sets give the same numbers
    test_set = metrics.features_of(mnist_test)
    again = metrics.evaluate(test_set, metrics.features_of(mnist_train10k[:2000]))
    assert again == pytest.approx(scores, rel=1e-6)
    assert metrics.evaluate(None, mnist_train10k[:2000], metrics=("is",))["is"] == pytest.approx(scores["is"])
    with pytest.raises(ValueError, match="real is None"):
        metrics.evaluate(None, mnist_train10k[:10], metrics=("fid",))
    fid_only = metrics.evaluate("mnist-test", mnist_train10k[:2000], metrics=("fid",))
    # The shipped statistics were computed from the test-set features on another machine: float32
    # kernels differ in their last bits between CPUs, so the two FIDs agree to 1e-6, not bit for bit.
    assert fid_only["fid"] == pytest.approx(scores["fid"], rel=1e-6)
    with pytest.raises(ValueError, match="Unknown metrics"):
        metrics.evaluate("mnist-test", mnist_train10k[:10], metrics=("fidd",))
    with pytest.raises(TypeError, match="tensor of images"):
        metrics.evaluate("mnist-test", [1, 2, 3])


# ---------------------------------------------------------------- toys
def test_toy_quality_of_data_and_of_a_collapsed_generator():
    grid = toy.get("grid25")
    q = metrics.toy_quality(grid.sample(20_000, torch.Generator().manual_seed(0)), grid)
    assert q["modes_covered"] == 25 and q["high_quality"] > 0.999  # P(‖ε‖ < 4) = 1 − e⁻⁸ in 2-D
    assert q["mode_kl"] < 0.01
    collapsed = grid.modes[7] + 0.01 * torch.randn(1000, 2)
    q = metrics.toy_quality(collapsed, grid)
    assert q["modes_covered"] == 1 and q["mode_kl"] == pytest.approx(np.log(25))
    with pytest.raises(TypeError, match="GaussianMixture"):
        metrics.toy_quality(torch.zeros(3, 2), toy.get("swissroll"))


# ---------------------------------------------------------------- InceptionV3 through pytorch-fid
def test_inception_offline_gives_a_clear_error(monkeypatch, tmp_path):
    import pytorch_fid.inception as pi

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))      # nothing cached there
    monkeypatch.setattr(torch.hub, "download_url_to_file", offline)
    with pytest.raises(metrics.FeatureNetworkUnavailableError, match="features='mnist'"):
        metrics.inception_v3("cpu")


def test_inception_loads_cached_weights_through_pytorch_fid(monkeypatch, tmp_path):
    """Stand-in weights with the FID Inception's exact structure are placed in the torch hub cache, where
    pytorch-fid's own loader (the code path users run) finds them instead of downloading."""
    import pytorch_fid.inception as pi

    captured = {}
    real_builder = pi._inception_v3

    class Stop(Exception):
        pass

    def capture(*args, **kwargs):
        captured["model"] = real_builder(*args, **kwargs)
        return captured["model"]

    def stop(*args, **kwargs):
        raise Stop

    with monkeypatch.context() as m:  # build pytorch-fid's architecture, stopping before it downloads
        m.setattr(pi, "_inception_v3", capture)
        m.setattr(pi, "load_state_dict_from_url", stop)
        with pytest.raises(Stop):
            pi.fid_inception_v3()
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    (tmp_path / "checkpoints").mkdir()
    path = tmp_path / "checkpoints" / pi.FID_WEIGHTS_URL.rsplit("/", 1)[-1]
    torch.save(captured["model"].state_dict(), path)
    # the stand-in is not the published file: its hash is refused ...
    with pytest.raises(metrics.FeatureNetworkUnavailableError, match="not the published"):
        metrics.inception_v3("cpu")
    # ... and accepted once the expected hash is the stand-in's own
    monkeypatch.setattr(features_module, "INCEPTION_SHA256_PREFIX", sha256(path)[:8])
    net = metrics.inception_v3("cpu")
    feats = metrics.extract_features(torch.rand(3, 1, 28, 28) * 2 - 1, features=net, batch_size=2)
    assert feats.shape == (3, 2048) and torch.isfinite(feats).all()


class _Planted:
    def __reduce__(self):
        return (print, ("code ran while loading",))


def test_inception_weights_are_never_unpickled(monkeypatch, tmp_path):
    """A planted file whose hash passes is still read as tensors only: its pickled code does not run."""
    import pickle

    import pytorch_fid.inception as pi

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    (tmp_path / "checkpoints").mkdir()
    path = tmp_path / "checkpoints" / pi.FID_WEIGHTS_URL.rsplit("/", 1)[-1]
    torch.save({"planted": _Planted()}, path)
    monkeypatch.setattr(features_module, "INCEPTION_SHA256_PREFIX", sha256(path)[:8])
    with pytest.raises(pickle.UnpicklingError, match="[Ww]eights only"):
        metrics.inception_v3("cpu")


def test_unbiased_mmd_matches_a_double_loop():
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(7, 3, generator=gen, dtype=torch.float64), torch.randn(5, 3, generator=gen, dtype=torch.float64) + 1
    k = lambda a, b: (float(a @ b) / 3 + 1) ** 3
    xx = sum(k(x[i], x[j]) for i in range(7) for j in range(7) if i != j) / (7 * 6)
    yy = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j) / (5 * 4)
    xy = sum(k(x[i], y[j]) for i in range(7) for j in range(5)) / 35
    assert unbiased.mmd2_unbiased(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-12)


def test_kid_is_unbiased_where_the_diagonal_would_bias_it():
    """Same distribution: KID's mean over subsets is 0 within 4 standard errors, at a size where keeping the
    diagonal terms k(x_i, x_i) would add a clearly positive bias."""
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(2000, 16, generator=gen), torch.randn(2000, 16, generator=gen)
    mean, std = unbiased.kid_from_features(x, y, n_subsets=200, subset_size=50, seed=0)
    assert abs(mean) < 4 * std / np.sqrt(200)
    k = unbiased.polynomial_kernel(x[:50].double(), x[:50].double())
    biased_extra = 2 * (k.diagonal().mean() - k.mean()) / 50          # what the diagonals would add, roughly
    assert biased_extra > 10 * std / np.sqrt(200)
    shifted, _ = unbiased.kid_from_features(x, y + 0.3, n_subsets=50, subset_size=50, seed=0)
    assert shifted > mean + 4 * std / np.sqrt(50)


def test_fid_infinity_fits_the_line_in_one_over_n():
    exact = unbiased.fit_inverse_n([250, 500, 1000, 2000], [3 + 500 / n for n in (250, 500, 1000, 2000)])
    assert exact.fid_infinity == pytest.approx(3) and exact.slope == pytest.approx(500)
    assert exact.r_squared == pytest.approx(1) and exact.predict(100) == pytest.approx(8)
    with pytest.raises(ValueError, match="two or more distinct sizes"):
        unbiased.fit_inverse_n([500, 500], [1.0, 2.0])


def test_fid_infinity_and_kid_on_digits(mnist_test, mnist_train10k):
    real, fake = mnist_test.images[:2000], _noisy(mnist_train10k[:2000], 0.3)
    reference = metrics.features_of(real)
    ext = metrics.fid_infinity(reference, fake, sizes=[250, 500, 1000, 2000], seed=0)
    assert ext.sizes == [250, 500, 1000, 2000] and ext.fids[0] > ext.fids[-1] > ext.fid_infinity
    assert ext.r_squared > 0.9
    clean, _ = metrics.kid(reference, mnist_train10k[:2000], n_subsets=20, subset_size=500)
    noisy, _ = metrics.kid(reference, fake, n_subsets=20, subset_size=500)
    assert noisy > clean
    with pytest.raises(ValueError, match="sizes go up to 5000"):
        metrics.fid_infinity(reference, fake, sizes=[500, 5000])


def test_digit_shares_match_the_labels_of_real_digits(mnist_test):
    digits = mnist_test.images[:2000]
    shares = metrics.digit_shares(digits, "cpu")
    truth = torch.bincount(mnist_test.targets[:2000], minlength=10).double() / 2000
    assert shares.dtype == torch.float64 and shares.shape == (10,) and float(shares.sum()) == pytest.approx(1.0)
    assert float((shares - truth).abs().max()) < 0.01                 # the classifier is ≥ 99% accurate
