"""The f-GAN family: each row of the paper's tables checked against its definition, and the losses."""

import math

import numpy as np
import pytest
import torch

from gancourse import divergences as dv
from gancourse import fgan, losses

NAMES = fgan.available()


def _discrete_pair(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))


def test_registry_names_and_errors():
    assert NAMES == ["kl", "reverse-kl", "pearson", "neyman", "hellinger", "js", "gan", "total-variation"]
    with pytest.raises(KeyError, match="reverse-kl"):
        fgan.get("rkl")
    for name in NAMES:
        assert f"fgan-{name}" in losses.LOSSES and f"fgan-{name}-minimax" in losses.LOSSES


@pytest.mark.parametrize("name", NAMES)
def test_f_is_convex_and_vanishes_at_one(name):
    div = fgan.get(name)
    u = np.logspace(-3, 3, 4001)
    fu = div.f(u)
    # convexity on a non-uniform grid: every chord lies above the graph (slopes increase)
    slopes = np.diff(fu) / np.diff(u)
    assert (np.diff(slopes) >= -1e-9 * np.abs(slopes[1:]).clip(1)).all()
    expected = -math.log(4) if name == "gan" else 0.0       # the GAN row is shifted by −log 4 (see module)
    assert div.f(np.array([1.0]))[0] == pytest.approx(expected, abs=1e-12)
    assert div.f_prime(np.array([1.0]))[0] == pytest.approx(div.threshold, abs=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_conjugate_is_the_numerical_supremum(name):
    div = fgan.get(name)
    t = fgan.conjugate_points(div)
    np.testing.assert_allclose(div.conjugate(t), fgan.numerical_conjugate(div.f, t), atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_biconjugate_is_f(name):
    u = np.array([0.1, 0.3, 0.7, 1.0, 1.5, 3.0, 8.0])
    np.testing.assert_allclose(fgan.numerical_biconjugate(name, u), fgan.get(name).f(u), atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_activation_maps_into_the_domain_and_composes_stably(name):
    div = fgan.get(name)
    v = torch.linspace(-15, 15, 301, dtype=torch.float64)
    t = div.activation(v).numpy()
    lo, hi = div.domain
    assert ((t >= lo) & (t <= hi)).all()
    np.testing.assert_allclose(div.conjugate_of_activation(v).numpy(), div.conjugate(t), rtol=1e-9, atol=1e-9)
    # v = 0 means "undecided": g_f(0) is the threshold f′(1) for every row but KL, where g_f(v) = v and f′(1) = 1
    g0 = div.activation(torch.zeros(1, dtype=torch.float64)).item()
    assert g0 == pytest.approx(0.0 if name == "kl" else div.threshold, abs=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_variational_bound_is_tight_at_f_prime_of_the_ratio(name):
    div = fgan.get(name)
    for seed in range(5):
        p, q = _discrete_pair(seed)
        exact = float(np.sum(q * div.f(p / q)))
        t_star = div.f_prime(p / q)                           # T* = f′(p/q)
        assert np.sum(p * t_star) - np.sum(q * div.conjugate(t_star)) == pytest.approx(exact, abs=1e-10)
        rng = np.random.default_rng(100 + seed)                # any other T inside the domain does worse
        for _ in range(20):
            v = torch.as_tensor(rng.normal(0, 2, size=p.size))
            t = div.activation(v).numpy()
            assert np.sum(p * t) - np.sum(q * div.conjugate(t)) <= exact + 1e-12


def test_js_and_gan_rows_are_shifted_and_scaled_jsd():
    for seed in range(5):
        p, q = _discrete_pair(seed)
        jsd = dv.js_divergence(p, q)
        assert dv.f_divergence(p, q, fgan.get("js").f) == pytest.approx(2 * jsd, abs=1e-12)
        assert float(np.sum(q * fgan.get("gan").f(p / q))) == pytest.approx(2 * jsd - math.log(4), abs=1e-12)


def test_f_divergence_1d_matches_closed_forms():
    from scipy import stats
    p, q = stats.norm(0, 1).pdf, stats.norm(1, 1).pdf
    assert dv.f_divergence_1d(p, q, fgan.get("kl").f, -15, 15) == pytest.approx(0.5, abs=1e-7)
    assert dv.f_divergence_1d(p, q, fgan.get("reverse-kl").f, -15, 15) == pytest.approx(0.5, abs=1e-7)
    # χ²(N(0,1) ‖ N(1,1)) = e^{Δ²} − 1 and H² = 2(1 − e^{−Δ²/8}) for unit variances at distance Δ = 1
    assert dv.f_divergence_1d(p, q, fgan.get("pearson").f, -15, 15) == pytest.approx(math.e - 1, abs=1e-6)
    assert dv.f_divergence_1d(p, q, fgan.get("hellinger").f, -15, 15) == pytest.approx(
        2 * (1 - math.exp(-1 / 8)), abs=1e-7)
    with pytest.raises(ValueError, match="q > 0"):
        dv.f_divergence_1d(p, lambda x: 0.0, fgan.get("kl").f, -1, 1)


# --- the losses on hand-made logits --------------------------------------------------------------

V_REAL = torch.tensor([-1.0, 0.0, 0.5, 2.0], dtype=torch.float64)
V_FAKE = torch.tensor([-2.0, -0.5, 0.3, 1.0], dtype=torch.float64)

CLOSED_FORMS = {   # (E_P g_f(v_real), E_Q f*(g_f(v_fake))) written by hand from the tables
    "kl": (lambda v: v, lambda v: torch.exp(v - 1)),
    "reverse-kl": (lambda v: -torch.exp(-v), lambda v: -1 - torch.log(torch.exp(-v))),
    "pearson": (lambda v: v, lambda v: v ** 2 / 4 + v),
    "neyman": (lambda v: 1 - torch.exp(-v), lambda v: 2 - 2 * torch.sqrt(torch.exp(-v))),
    "hellinger": (lambda v: 1 - torch.exp(-v), lambda v: (1 - torch.exp(-v)) / torch.exp(-v)),
    "js": (lambda v: math.log(2) - torch.log1p(torch.exp(-v)),
           lambda v: -torch.log(2 - torch.exp(math.log(2) - torch.log1p(torch.exp(-v))))),
    "gan": (lambda v: -torch.log1p(torch.exp(-v)), lambda v: -torch.log(1 - torch.sigmoid(v))),
    "total-variation": (lambda v: 0.5 * torch.tanh(v), lambda v: 0.5 * torch.tanh(v)),
}


@pytest.mark.parametrize("name", NAMES)
def test_fgan_losses_equal_their_closed_forms(name):
    g, conj_g = CLOSED_FORMS[name]
    objective = g(V_REAL).mean() - conj_g(V_FAKE).mean()                       # F of the paper, eq. 6
    alternative, saddle = losses.get_loss(f"fgan-{name}"), losses.get_loss(f"fgan-{name}-minimax")
    assert alternative.discriminator(V_REAL, V_FAKE).item() == pytest.approx(-objective.item(), abs=1e-12)
    assert saddle.discriminator(V_REAL, V_FAKE).item() == pytest.approx(-objective.item(), abs=1e-12)
    assert alternative.generator(V_FAKE).item() == pytest.approx(-g(V_FAKE).mean().item(), abs=1e-12)
    assert saddle.generator(V_FAKE).item() == pytest.approx(-conj_g(V_FAKE).mean().item(), abs=1e-12)


def test_fgan_gan_is_the_original_gan():
    for a, b in (("fgan-gan", "nonsaturating"), ("fgan-gan-minimax", "minimax")):
        la, lb = losses.get_loss(a), losses.get_loss(b)
        assert la.discriminator(V_REAL, V_FAKE).item() == pytest.approx(lb.discriminator(V_REAL, V_FAKE).item(),
                                                                         abs=1e-12)
        assert la.generator(V_FAKE).item() == pytest.approx(lb.generator(V_FAKE).item(), abs=1e-12)


def test_fgan_js_differs_from_the_nonsaturating_gan_by_constants_only():
    # lecture 4 uses the zoo's non-saturating mnist-dcgan-sn as its Jensen–Shannon f-GAN: same gradients
    js, ns = losses.get_loss("fgan-js"), losses.get_loss("nonsaturating")
    for player, args, constant in (("discriminator", (V_REAL, V_FAKE), -2 * math.log(2)),
                                   ("generator", (V_FAKE,), -math.log(2))):
        v = [a.clone().requires_grad_(True) for a in args]
        w = [a.clone().requires_grad_(True) for a in args]
        loss_js, loss_ns = getattr(js, player)(*v), getattr(ns, player)(*w)
        assert loss_js.item() == pytest.approx(loss_ns.item() + constant, abs=1e-12)
        for g_js, g_ns in zip(torch.autograd.grad(loss_js, v), torch.autograd.grad(loss_ns, w)):
            assert torch.allclose(g_js, g_ns, rtol=0, atol=1e-12)


def test_fgan_trains_in_the_loop():
    from gancourse import toy
    from gancourse.models import ToyDiscriminator, ToyGenerator
    from gancourse.train import train
    torch.manual_seed(0)
    history = train(ToyGenerator(latent_dim=2), ToyDiscriminator(), toy.get("ring8"), loss="fgan-reverse-kl",
                    steps=20, batch_size=32, progress=False, device="cpu")
    assert len(history.d_loss) == 20 and all(math.isfinite(x) for x in history.d_loss)
