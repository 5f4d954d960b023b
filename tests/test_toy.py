import math

import numpy as np
import pytest
import torch
from scipy import integrate, stats

from gancourse import toy


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_registry_and_errors():
    assert set(toy.available()) >= {"gauss1d", "ring8", "grid25", "swissroll"}
    with pytest.raises(KeyError, match="available"):
        toy.get("moons3d")
    with pytest.raises(ValueError, match="positive integer"):
        toy.get("grid25").sample(0)


def test_grid25_convention():
    d = toy.get("grid25")
    assert d.modes.shape == (25, 2) and d.std == 0.05
    assert sorted(set(d.modes[:, 0].tolist())) == [-4, -2, 0, 2, 4]


@pytest.mark.parametrize("name", ["gauss1d", "ring8", "grid25"])
def test_mixture_samples_match_density(name):
    d = toy.get(name)
    n = 40_000
    x, k = d.sample_with_labels(n, gen())
    # each sample lies within 5.5σ of a mode, and (but for the 1D mixture's overlapping tails,
    # P(|ε| > 3σ) ≈ 0.3%) the nearest mode is the one it was drawn from
    idx, dist = d.nearest_mode(x)
    assert float(dist.max()) < 5.5 * d.std
    assert float((idx == k).float().mean()) > 0.99
    # mode frequencies match the weights (chi-square test)
    counts = torch.bincount(idx, minlength=len(d.weights)).numpy()
    assert stats.chisquare(counts, d.weights.numpy() * n).pvalue > 1e-3
    # moments: mean and covariance of the mixture
    w, mu = d.weights, d.modes
    mean = (w[:, None] * mu).sum(0)
    cov = (w[:, None, None] * (mu[:, :, None] * mu[:, None, :])).sum(0) - mean[:, None] * mean[None] + d.std**2 * torch.eye(d.dim)
    emp_cov = torch.cov(x.T).reshape(d.dim, d.dim)
    assert torch.allclose(x.mean(0), mean, atol=0.05)
    assert torch.allclose(emp_cov, cov, rtol=0.05, atol=0.02 * float(cov.abs().max()))


def test_log_prob_is_exact():
    d = toy.get("gauss1d")
    # integrates to one
    total, _ = integrate.quad(lambda t: math.exp(float(d.log_prob(torch.tensor([[t]])))), -10, 10, limit=200)
    assert abs(total - 1) < 1e-5
    # equals scipy's mixture density
    x = torch.linspace(-5, 5, 101)
    ref = sum(float(wk) * stats.norm(float(m), d.std).pdf(x.numpy()) for wk, m in zip(d.weights, d.modes[:, 0]))
    assert torch.allclose(d.log_prob(x).exp(), torch.tensor(ref, dtype=torch.float32), rtol=1e-4, atol=1e-7)
    # 2D: at a mode of grid25 the density is (1/25)·N(0; 0, σ²I)
    g = toy.get("grid25")
    expected = math.log(1 / 25) - math.log(2 * math.pi * g.std**2)
    assert abs(float(g.log_prob(g.modes[:1])) - expected) < 1e-4
    with pytest.raises(ValueError, match="n×2"):
        g.log_prob(torch.zeros(3, 3))


def test_swissroll_geometry_and_determinism():
    d = toy.get("swissroll")
    a, b = d.sample(5000, gen(1)), d.sample(5000, gen(1))
    assert torch.equal(a, b)
    r = a.norm(dim=1)  # radius t/5 with t in [1.5π, 4.5π], blurred by σ = 0.05
    assert float(r.min()) > 1.5 * math.pi / 5 - 0.25 and float(r.max()) < 4.5 * math.pi / 5 + 0.25
    assert not hasattr(d, "log_prob")


def test_coverage_counts_high_quality_samples_and_modes():
    d = toy.get("grid25")
    real = d.sample(5000, gen(4))
    cov = d.coverage(real)
    # within 4σ in 2D: P(χ²₂ < 16) = 1 - e^{-8} ≈ 0.99966
    assert cov.high_quality > 0.998 and cov.modes_covered == 25 and int(cov.counts.sum()) == round(5000 * cov.high_quality)
    # all samples on two modes, plus points far from every mode
    x = torch.cat([d.modes[:2].repeat(10, 1), torch.full((5, 2), 1.0)])
    cov = d.coverage(x)
    assert cov.modes_covered == 2 and abs(cov.high_quality - 20 / 25) < 1e-9
    assert cov.counts[:2].tolist() == [10, 10]


def test_log_prob_in_float64():
    d = toy.get("gauss1d")
    far = torch.tensor([[20.0]], dtype=torch.float64)  # density ≈ e^-578: zero in float32, not in float64
    assert float(d.log_prob(far.float()).exp()) == 0.0 and float(d.log_prob(far).exp()) > 0.0
    assert d.log_prob(far).dtype == torch.float64 and abs(float(d.log_prob(far)) - float(d.log_prob(far.float()))) < 1e-3


def test_density_is_exp_log_prob_in_float64():
    bimodal = toy.get("bimodal1d")
    x = np.linspace(-4, 4, 9)
    exact = 0.3 * stats.norm.pdf(x, -1.5, 0.6) + 0.7 * stats.norm.pdf(x, 1.5, 0.6)
    np.testing.assert_allclose(bimodal.density(x), exact, rtol=1e-6)   # weights and modes are stored in float32
    assert bimodal.density(0.5).shape == () and bimodal.density(x).dtype == np.float64
    ring = toy.get("ring8")
    points = ring.modes.double().numpy()[:3]
    np.testing.assert_allclose(ring.density(points), ring.log_prob(torch.from_numpy(points)).exp().numpy(), rtol=1e-12)
