import math

import numpy as np
import pytest
from scipy import stats

from gancourse import divergences as dv


def test_kl_and_jsd_on_hand_examples():
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert abs(dv.kl_divergence(p, q) - (0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1))) < 1e-12
    assert dv.kl_divergence([1, 0], [0, 1]) == math.inf
    assert abs(dv.js_divergence([1, 0], [0, 1]) - math.log(2)) < 1e-12  # disjoint supports
    assert dv.js_divergence(p, p) == 0


@pytest.mark.parametrize("name, reference", [
    ("kl", dv.kl_divergence),
    ("js", dv.js_divergence),
    ("reverse-kl", lambda p, q: dv.kl_divergence(q, p)),
    ("total-variation", lambda p, q: 0.5 * np.abs(np.subtract(p, q)).sum()),
    ("pearson", lambda p, q: float(np.sum((np.subtract(p, q)) ** 2 / np.asarray(q)))),   # χ² = Σ (p − q)² / q
])
def test_f_divergences_match_their_closed_forms(name, reference):
    rng = np.random.default_rng(0)
    for _ in range(20):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        assert abs(dv.f_divergence(p, q, dv.F_GENERATORS[name]) - reference(p, q)) < 1e-10
        assert abs(dv.F_GENERATORS[name](np.array([1.0]))[0]) < 1e-12  # f(1) = 0


def test_1d_divergences_by_quadrature():
    p, q = stats.norm(0, 1).pdf, stats.norm(1, 1).pdf
    assert abs(dv.kl_divergence_1d(p, q, -12, 12) - 0.5) < 1e-6  # KL(N(0,1) ‖ N(1,1)) = ½
    # two Gaussians of equal variance σ² at distance Δ: JSD has no closed form, but it is the JSD of the
    # 1D problem in the coordinate along Δ, which the discrete JSD on a fine grid approximates
    grid = np.linspace(-12, 12, 200_001)
    pg, qg = p(grid) / p(grid).sum(), q(grid) / q(grid).sum()
    assert dv.js_divergence_1d(p, q, -12, 12) == pytest.approx(dv.js_divergence(pg, qg), abs=1e-6)
    # uniform densities on [0, 1] and [½, 3/2]: m = ½, 1, ½ on the three thirds, so JSD = ½ log 2 exactly
    u1 = lambda x: float(0 <= x <= 1)
    u2 = lambda x: float(0.5 <= x <= 1.5)
    assert dv.js_divergence_1d(u1, u2, 0, 1.5) == pytest.approx(0.5 * math.log(2), abs=1e-4)


def test_invalid_distribution():
    with pytest.raises(ValueError, match="sum to 1"):
        dv.js_divergence([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ValueError, match="absolute continuity"):
        dv.f_divergence([0.5, 0.5], [1.0, 0.0], dv.F_GENERATORS["kl"])
