"""Discriminator optimal transport (gancourse.samplers.transport) against the exact 1D case (lecture 6)."""

import numpy as np
import pytest
import torch
from scipy import stats

from gancourse import samplers, toy
from gancourse.divergences import wasserstein1_samples
from gancourse.models import AffineGenerator, Discriminator, KantorovichCritic1D, ToyDiscriminator, ToyGenerator
from gancourse.samplers import TransportDivergedError

P_DATA = toy.get("bimodal1d")


def rng(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


@pytest.fixture(scope="module")
def exact_pair():
    generator = AffineGenerator(dim=1, mu=0.0, sigma=1.5)
    return generator, KantorovichCritic1D(P_DATA, generator)


class LinearCritic(Discriminator):
    """f(x) = w·x, whose Lipschitz constant is ‖w‖."""

    def __init__(self, w):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor(w))
        self.data_shape = (len(w),)

    def forward(self, x):
        return x @ self.w


def test_kantorovich_critic_is_1_lipschitz_and_attains_w1(exact_pair):
    generator, critic = exact_pair
    x = torch.linspace(-6, 6, 24_001, dtype=torch.float64)[:, None]
    f = critic(x).squeeze()
    assert (f.diff().abs() / x.squeeze().diff()).max() <= 1 + 1e-9
    data, fake = P_DATA.sample(100_000, rng=rng(0)), generator.sample(100_000, rng=rng(1))
    assert stats.wasserstein_distance(data.squeeze(1), fake.squeeze(1)) == pytest.approx(critic.w1, abs=0.02)
    dual = float(critic(data.double()).mean() - critic(fake.double()).mean())       # E_p f* − E_q f* = W₁
    assert dual == pytest.approx(critic.w1, abs=0.02)


def test_transport_map_pushes_the_generator_onto_the_data(exact_pair):
    generator, critic = exact_pair
    moved = critic.transport_map(generator.sample(4000, rng=rng(2)))
    assert stats.ks_2samp(moved.squeeze(1), P_DATA.sample(4000, rng=rng(3)).squeeze(1)).pvalue > 0.01
    y = torch.linspace(-4, 4, 101)[:, None]
    assert bool((critic.transport_map(y).diff(dim=0) >= 0).all())                     # monotone


def test_every_point_between_y_and_its_image_minimises_the_dot_objective(exact_pair):
    """Theorem 1 with the errata: ‖x − y‖ − f*(x) is minimal, = −f*(y), on the whole segment [y, T(y)]."""
    _, critic = exact_pair
    xs = torch.linspace(-6, 6, 60_001, dtype=torch.float64)[:, None]
    f = critic(xs).squeeze()
    for y in (-2.5, -1.0, 0.3, 1.0, 2.0, 3.0):
        y_t = torch.tensor([[y]], dtype=torch.float64)
        objective = (xs.squeeze() - y).abs() - f
        t = float(critic.transport_map(y_t))
        on_segment = (xs.squeeze() >= min(y, t)) & (xs.squeeze() <= max(y, t))
        assert float(objective.min()) == pytest.approx(-float(critic(y_t)), abs=1e-9)
        assert float((objective[on_segment] + float(critic(y_t))).abs().max()) < 1e-9


def test_dot_with_the_exact_critic_stays_on_the_ot_segment(exact_pair):
    """With K = 1 gradient descent stays on [y, T(y)] (at its y end, up to δ and ε)."""
    generator, critic = exact_pair
    x, st = samplers.dot(generator, critic, 1000, space="target", lipschitz=1.0, n_updates=200, seed=0)
    y = st.extra["start"]
    t = critic.transport_map(y)
    lo, hi = torch.minimum(y, t), torch.maximum(y, t)
    assert bool(((x >= lo - 0.05) & (x <= hi + 0.05)).all())
    assert samplers.effective_lipschitz(generator, critic, "target", seed=3) == pytest.approx(1.0, abs=1e-4)


def test_an_underestimated_k_drifts_at_a_constant_speed(exact_pair):
    """Where f*′ = 1, the gradient of |x − y + δ| − f*(x)/K is 1 − 1/K: SGD moves ε(1/K − 1) per step."""
    generator, critic = exact_pair
    K, eps, n_updates = 0.8, 0.01, 100
    x, st = samplers.dot(generator, critic, 500, space="target", lipschitz=K, step_size=eps, optimizer="sgd",
                         n_updates=n_updates, seed=0)
    y = st.extra["start"].squeeze(1)
    drift = n_updates * eps * (1 / K - 1)
    kink = float(critic.kinks[0])
    free = y + drift < kink - 0.05                       # never reach the local maximum of f*
    assert int(free.sum()) > 300
    torch.testing.assert_close((x.squeeze(1) - y)[free], torch.full((int(free.sum()),), drift), atol=2e-3, rtol=0)


@pytest.mark.parametrize("w", [[0.7], [3.0, -4.0]])
def test_k_eff_of_a_linear_critic_is_its_weight_norm(w):
    critic = LinearCritic(w)
    generator = AffineGenerator(dim=len(w), mu=0.0, sigma=2.0)
    norm = float(np.linalg.norm(w))
    target = samplers.effective_lipschitz(generator, critic, "target", n_pairs=100, seed=0)
    latent = samplers.effective_lipschitz(generator, critic, "latent", n_pairs=100, seed=0)
    assert target <= norm * (1 + 1e-6) and target == pytest.approx(norm, rel=1e-2)
    assert latent == pytest.approx(2.0 * norm, rel=1e-2)                        # D∘G has slope σ‖w‖


def test_latent_dot_with_zero_updates_returns_g_of_z_exactly():
    torch.manual_seed(0)
    generator, critic = ToyGenerator(latent_dim=2), ToyDiscriminator()
    z0 = generator.sample_latent(30, rng(5))
    x, st = samplers.dot(generator, critic, 30, n_updates=0, z0=z0, lipschitz=1.0)
    with torch.no_grad():
        assert torch.equal(x, generator(z0))
    assert st.passes_per_sample == {"generator_forward": 1.0, "generator_backward": 0.0,
                                    "discriminator_forward": 0.0, "discriminator_backward": 0.0}


def test_dot_counts_its_passes_and_is_deterministic():
    torch.manual_seed(0)
    generator, critic = ToyGenerator(latent_dim=2), ToyDiscriminator()
    a = samplers.dot(generator, critic, 40, n_updates=7, n_pairs=10, seed=2, record_every=7)
    b = samplers.get("dot")(generator, critic, 40, n_updates=7, n_pairs=10, seed=2)
    torch.testing.assert_close(a.samples, b.samples)
    st = a.stats
    assert st.generator_forward == 40 + 7 * 40 + 2 * 10 and st.generator_backward == 7 * 40
    assert st.discriminator_backward == 7 * 40
    assert st.extra["trajectory"].shape == (2, 40, 2) and len(st.extra["objective"]) == 7
    assert st.network_passes == pytest.approx(sum(st.passes_per_sample.values()))


def test_sphere_prior_removes_the_radial_part_of_the_gradient():
    from gancourse.samplers.transport import sphere_tangent
    g, z = torch.randn(50, 8, generator=rng(0)), torch.randn(50, 8, generator=rng(1))
    tangent = sphere_tangent(g, z)
    torch.testing.assert_close((tangent * z).sum(1), torch.zeros(50), atol=1e-5, rtol=0)
    torch.testing.assert_close(sphere_tangent(tangent, z), tangent)             # a projection
    torch.manual_seed(0)
    generator, critic = ToyGenerator(latent_dim=8), ToyDiscriminator()
    runs = {prior: samplers.dot(generator, critic, 200, n_updates=5, optimizer="sgd", step_size=0.01,
                                lipschitz=0.1, prior=prior, seed=0) for prior in ("sphere", "none")}
    change = {prior: float((r.stats.extra["final_z"].norm(dim=1) - r.stats.extra["start"].norm(dim=1)).abs().mean())
              for prior, r in runs.items()}
    assert change["sphere"] < 0.1 * change["none"]                              # ‖z‖ kept to first order in ε


@pytest.mark.parametrize("bad, match", [
    (dict(space="pixel"), "space must be one of"),
    (dict(optimizer="rmsprop"), "optimizer must be one of"),
    (dict(prior="uniform"), "prior must be one of"),
    (dict(n_updates=-1), "n_updates"),
    (dict(step_size=0.0), "step_size must be a positive number"),
    (dict(lipschitz=0.0), "lipschitz must be a positive number"),
    (dict(clip=(-1.0, 1.0)), "clip applies to target-space DOT"),
    (dict(z0=torch.zeros(3, 2)), "z0 must be a tensor of shape 10×2"),
])
def test_dot_bad_options(bad, match):
    torch.manual_seed(0)
    with pytest.raises(ValueError, match=match):
        samplers.dot(ToyGenerator(latent_dim=2), ToyDiscriminator(), 10, **bad)


def test_dot_divergence_is_reported():
    torch.manual_seed(0)
    generator, critic = ToyGenerator(latent_dim=2), ToyDiscriminator()
    with torch.no_grad():
        critic.net[-1].weight.mul_(1e35)
    with pytest.raises(TransportDivergedError, match="smaller step_size") as info:
        samplers.dot(generator, critic, 10, space="target", optimizer="sgd", step_size=1e3, lipschitz=1e-3,
                     n_updates=20)
    assert 1 <= info.value.update <= 20


def test_exact_w1_on_samples():
    a = torch.randn(300, 1, generator=rng(0))
    b = 2 * torch.randn(300, 1, generator=rng(1)) + 1
    assert wasserstein1_samples(a, b) == pytest.approx(stats.wasserstein_distance(a[:, 0], b[:, 0]), rel=1e-9)
    shift = torch.tensor([3.0, 4.0])
    assert wasserstein1_samples(a.repeat(1, 2), a.repeat(1, 2) + shift) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="same shape"):
        wasserstein1_samples(a, b[:10])
