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
    ("reverse_kl", lambda p, q: dv.kl_divergence(q, p)),
    ("total_variation", lambda p, q: 0.5 * np.abs(np.subtract(p, q)).sum()),
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
    js = dv.js_divergence_1d(p, q, -12, 12)
    assert 0 < js < math.log(2)


def test_invalid_distribution():
    with pytest.raises(ValueError, match="sum to 1"):
        dv.js_divergence([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ValueError, match="absolute continuity"):
        dv.f_divergence([0.5, 0.5], [1.0, 0.0], dv.F_GENERATORS["kl"])
