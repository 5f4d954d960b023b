"""Discriminator-guided samplers.

The exactness tests use a generator and discriminator known in closed form (p_g = N(0, 1.5²), d* =
log p_data − log p_g): with the optimal discriminator DRS, MH and DDLS must sample p_data itself, which a
Kolmogorov–Smirnov test checks, while the generator alone must fail the same test.
"""

import numpy as np
import pytest
import torch
from scipy import stats

from gancourse import samplers, toy, zoo
from gancourse.models import AffineGenerator, OptimalDiscriminator, ToyDiscriminator, ToyGenerator
from gancourse.samplers import LangevinDivergedError, SamplerStats
from gancourse.samplers import drs_score
from gancourse.samplers.base import N_PROBE

# the bimodal p_data of lectures 3 and 5, and a Gaussian generator that covers it
P_DATA = toy.get("bimodal1d")
N = 2000


@pytest.fixture(scope="module")
def exact_gan():
    generator = AffineGenerator(dim=1, mu=0.0, sigma=1.5)
    return generator, OptimalDiscriminator(P_DATA, generator)


@pytest.fixture(scope="module")
def reference():
    return P_DATA.sample(20_000, rng=torch.Generator().manual_seed(99)).squeeze(1)


def ks_p(x: torch.Tensor, ref: torch.Tensor) -> float:
    return float(stats.ks_2samp(x.detach().squeeze(1).numpy(), ref.numpy()).pvalue)


def test_optimal_discriminator_is_the_log_density_ratio(exact_gan):
    generator, discriminator = exact_gan
    x = torch.linspace(-4, 4, 101)[:, None]
    ratio = (P_DATA.log_prob(x) - generator.log_prob(x)).exp()
    d_prob = torch.sigmoid(discriminator(x))                       # D*(x) = p_data / (p_data + p_g)
    expected = P_DATA.log_prob(x).exp() / (P_DATA.log_prob(x).exp() + generator.log_prob(x).exp())
    torch.testing.assert_close(d_prob, expected, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(discriminator(x).exp(), ratio, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(generator.log_prob(x).exp(),
                               torch.tensor(stats.norm.pdf(x.squeeze(1).numpy(), 0, 1.5), dtype=torch.float32))


def test_generator_alone_fails_the_two_sample_test(exact_gan, reference):
    generator, _ = exact_gan
    assert ks_p(generator.sample(N, rng=torch.Generator().manual_seed(0)), reference) < 1e-6


def test_drs_score_is_exact_rejection_sampling_without_shift():
    d = torch.linspace(-8, 0, 50, dtype=torch.float64)
    # σ(F(x)) = e^{d − d_M} (up to ε): the acceptance probability of exact rejection sampling
    torch.testing.assert_close(torch.sigmoid(drs_score(d, 0.0, eps=1e-12)), d.exp(), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1])
def test_drs_with_the_optimal_discriminator_samples_p_data(exact_gan, reference, seed):
    generator, discriminator = exact_gan
    x, st = samplers.drs(generator, discriminator, N, gamma_percentile=None, seed=seed)
    assert x.shape == (N, 1)
    assert ks_p(x, reference) > 0.01
    # exact rejection sampling accepts 1/M of the proposals, M = max p_data/p_g
    grid = torch.linspace(-6, 6, 20001)[:, None]
    m = float(discriminator(grid).detach().max().exp())
    assert st.acceptance_rate == pytest.approx(1 / m, rel=0.1)
    assert st.cost == pytest.approx((10_000 + st.extra["draws"]) / N)


def test_drs_higher_gamma_percentile_is_more_selective(exact_gan):
    generator, discriminator = exact_gan
    rates = [samplers.drs(generator, discriminator, 500, gamma_percentile=p).stats.acceptance_rate
             for p in (20, 50, 80, 95)]
    assert rates == sorted(rates, reverse=True) and rates[0] > 2 * rates[-1]


@pytest.mark.parametrize("seed", [0, 1])
def test_mh_with_the_optimal_discriminator_samples_p_data(exact_gan, reference, seed):
    generator, discriminator = exact_gan
    real = P_DATA.sample(1000, rng=torch.Generator().manual_seed(5))
    x, st = samplers.mh(generator, discriminator, N, real=real, k=20, calibration=(1.0, 0.0), seed=seed)
    assert ks_p(x, reference) > 0.01
    assert 0.2 < st.acceptance_rate < 0.9
    assert st.cost == pytest.approx(20 * (1 + st.extra["restarts"] / N))


def test_mh_calibration_recovers_an_already_calibrated_discriminator(exact_gan):
    generator, discriminator = exact_gan
    g = torch.Generator().manual_seed(3)
    a, b = samplers.calibrate(discriminator, P_DATA.sample(20_000, rng=g), generator.sample(20_000, rng=g))
    assert a == pytest.approx(1.0, abs=0.1) and b == pytest.approx(0.0, abs=0.1)
    real = P_DATA.sample(20_000, rng=torch.Generator().manual_seed(3))
    fitted = samplers.CalibratedDiscriminator.fit(discriminator, real, generator.sample(20_000, rng=g))
    assert fitted.a == pytest.approx(1.0, abs=0.1) and fitted.b == pytest.approx(0.0, abs=0.1)


def test_calibrated_discriminator_is_affine_in_the_logit(exact_gan):
    generator, discriminator = exact_gan
    x = torch.randn(9, 1)
    cal = samplers.CalibratedDiscriminator(discriminator, 2.0, -0.5)
    torch.testing.assert_close(cal(x), 2.0 * discriminator(x) - 0.5)
    assert cal.data_shape == (1,)


def test_mh_never_returns_the_real_starting_point(exact_gan):
    generator, discriminator = exact_gan
    # real starts far outside p_g's support and a reversed calibration (a = −1): the starts look far more
    # real than any proposal, so no chain ever moves; the fallback returns the last proposal instead
    real = torch.full((50, 1), 100.0)
    x, st = samplers.mh(generator, discriminator, 50, real=real, k=5, calibration=(-1.0, 0.0), max_restarts=1)
    assert st.extra["chains_never_accepted"] == 50 and st.acceptance_rate == 0.0
    assert x.abs().max() < 20


@pytest.mark.parametrize("seed", [0, 1])
def test_ddls_with_the_optimal_discriminator_samples_p_data(exact_gan, reference, seed):
    generator, discriminator = exact_gan
    x, st = samplers.ddls(generator, discriminator, N, step_size=0.05, n_steps=1000, seed=seed)
    assert ks_p(x, reference) > 0.01
    assert st.cost == 1001 and st.discriminator_backward == 1000 * N
    assert st.discriminator_forward == 1000 * N + N_PROBE   # + the probe of the logits check
    # the latent target p_t(z) ∝ p0(z)·e^{d*(G(z))} ∝ p_data(G(z)): its mean energy falls from the start
    assert st.extra["energy"][-1] < st.extra["energy"][0]


@pytest.mark.parametrize("seed", [0, 1])
def test_mala_removes_the_discretisation_bias_of_a_large_step(exact_gan, reference, seed):
    """At η = 0.6 plain DDLS samples a visibly wrong distribution; the Metropolis-adjusted chain does not."""
    generator, discriminator = exact_gan
    plain = samplers.ddls(generator, discriminator, N, step_size=0.6, n_steps=200, seed=seed).samples
    x, st = samplers.ddls(generator, discriminator, N, step_size=0.6, n_steps=200, seed=seed, metropolis=True)
    assert ks_p(plain, reference) < 1e-6
    assert ks_p(x, reference) > 0.01
    assert 0.3 < st.acceptance_rate < 0.9
    assert st.cost == 202 and st.discriminator_forward == 201 * N + N_PROBE  # + the energy at the last proposal


def test_mala_rejects_steps_that_would_diverge(exact_gan):
    generator, discriminator = exact_gan
    with pytest.raises(LangevinDivergedError):
        samplers.ddls(generator, discriminator, 200, step_size=1.0, n_steps=200)
    x = samplers.ddls(generator, discriminator, 200, step_size=1.0, n_steps=200, metropolis=True).samples
    assert torch.isfinite(x).all()


def test_mala_needs_plain_langevin_noise(exact_gan):
    generator, discriminator = exact_gan
    for bad in (dict(noise_scale=0.5), dict(diversity_weight=1.0)):
        with pytest.raises(ValueError, match="metropolis=True"):
            samplers.ddls(generator, discriminator, 10, metropolis=True, **bad)


def test_latent_energy_is_prior_minus_logit(exact_gan):
    generator, discriminator = exact_gan
    z = torch.randn(7, 1)
    e = samplers.latent_energy(generator, discriminator, z, beta=2.0)
    torch.testing.assert_close(e, 0.5 * z.squeeze(1) ** 2 - 2.0 * discriminator(generator(z)))


def test_ddls_without_noise_descends_the_energy(exact_gan):
    generator, discriminator = exact_gan
    _, st = samplers.ddls(generator, discriminator, 200, step_size=0.01, n_steps=50, noise_scale=0.0)
    energy = torch.tensor(st.extra["energy"])
    assert (energy[1:] <= energy[:-1] + 1e-6).all()


def test_ddls_options_dims_decay_trajectory_diversity():
    torch.manual_seed(0)
    generator = ToyGenerator(latent_dim=4)
    discriminator = ToyDiscriminator()
    z0 = generator.sample_latent(64, torch.Generator().manual_seed(0))
    x, st = samplers.ddls(generator, discriminator, 64, step_size=0.1, n_steps=10, dims=[1, 3], z0=z0,
                          record_every=5)
    traj = st.extra["trajectory"]
    assert traj.shape == (3, 64, 4)
    torch.testing.assert_close(traj[-1][:, [0, 2]], z0[:, [0, 2]])          # frozen coordinates
    assert not torch.allclose(traj[-1][:, [1, 3]], z0[:, [1, 3]])
    # the diversity regulariser pushes chains apart (noise off to isolate its gradient)
    spread = [torch.pdist(samplers.ddls(generator, discriminator, 64, step_size=0.05, n_steps=20, noise_scale=0.0,
                                        diversity_weight=w, z0=z0).stats.extra["final_z"]).mean()
              for w in (0.0, 50.0)]
    assert spread[1] > spread[0]
    # decay shrinks the steps: the chains move less
    moved = [(samplers.ddls(generator, discriminator, 64, step_size=0.1, n_steps=20, decay=d, z0=z0).stats.extra["final_z"] - z0).norm(dim=1).mean() for d in (1.0, 0.8)]
    assert moved[1] < moved[0]


def test_samplers_are_deterministic(exact_gan):
    generator, discriminator = exact_gan
    real = P_DATA.sample(200, rng=torch.Generator().manual_seed(1))
    for run in (lambda: samplers.drs(generator, discriminator, 100, seed=3),
                lambda: samplers.mh(generator, discriminator, 100, real=real, k=5, seed=3),
                lambda: samplers.ddls(generator, discriminator, 100, n_steps=5, seed=3)):
        torch.testing.assert_close(run().samples, run().samples)


@pytest.mark.parametrize("bad, match", [
    (dict(step_size=0.0), "step_size must be positive"),
    (dict(step_size=-1.0), "step_size must be positive"),
    (dict(dims=[0, 5]), "dims must be a non-empty subset of 0…1"),
    (dict(dims=[]), "dims must be a non-empty subset"),
    (dict(decay=1.5), "decay must be in"),
    (dict(noise_scale=-1.0), "must be ≥ 0"),
])
def test_ddls_bad_options(bad, match):
    torch.manual_seed(0)
    generator, discriminator = ToyGenerator(latent_dim=2), ToyDiscriminator()
    with pytest.raises(ValueError, match=match):
        samplers.ddls(generator, discriminator, 10, **bad)


def test_ddls_divergence_is_reported():
    torch.manual_seed(0)
    generator, discriminator = ToyGenerator(latent_dim=2), ToyDiscriminator()
    with torch.no_grad():
        discriminator.net[-1].weight.mul_(1e30)  # a wildly steep energy
    with pytest.raises(LangevinDivergedError, match="smaller step_size"):
        samplers.ddls(generator, discriminator, 10, step_size=1e3, n_steps=50)


def test_probability_discriminator_is_detected():
    torch.manual_seed(0)
    generator = ToyGenerator(latent_dim=2)
    discriminator = ToyDiscriminator()
    discriminator.net.append(torch.nn.Sigmoid())      # returns D(x) in (0, 1) instead of the logit d(x)
    for call in (lambda: samplers.drs(generator, discriminator, 10),
                 lambda: samplers.ddls(generator, discriminator, 10),
                 lambda: samplers.mh(generator, discriminator, 10, real=torch.zeros(200, 2))):
        with pytest.raises(ValueError, match="probabilities"):
            call()


def test_untrained_discriminators_are_not_mistaken_for_probabilities():
    """Far from the data (1000σ out) even a random network's logit leaves [0, 1]."""
    for seed in range(100):
        torch.manual_seed(seed)
        generator, discriminator = ToyGenerator(latent_dim=2), ToyDiscriminator()
        samplers.drs(generator, discriminator, 4, burn_in=100)


def test_probability_valued_function_without_a_sigmoid_module_is_detected():
    class Squashed(ToyDiscriminator):
        def forward(self, x):
            return torch.sigmoid(super().forward(x))
    torch.manual_seed(0)
    with pytest.raises(ValueError, match="probabilities"):
        samplers.drs(ToyGenerator(latent_dim=2), Squashed(), 10)


def test_shape_and_n_errors(exact_gan):
    generator, discriminator = exact_gan
    with pytest.raises(ValueError, match="positive integer"):
        samplers.drs(generator, discriminator, 0)
    with pytest.raises(ValueError, match="shape"):
        samplers.drs(ToyGenerator(latent_dim=2), discriminator, 10)
    with pytest.raises(ValueError, match="held-out data"):
        samplers.mh(generator, discriminator, 10, real=torch.zeros(500, 3))
    with pytest.raises(ValueError, match=r"gamma_percentile"):
        samplers.drs(generator, discriminator, 10, gamma_percentile=150)
    with pytest.raises(ValueError, match="k"):
        samplers.mh(generator, discriminator, 10, real=torch.zeros(5, 1), k=0)


def test_stats_as_dict():
    st = SamplerStats(10, generator_forward=30, discriminator_forward=40, generator_backward=20,
                      discriminator_backward=20, acceptance_rate=0.5)
    assert st.as_dict() == {"n": 10, "cost": 3.0, "generator_forward": 3.0, "generator_backward": 2.0,
                            "discriminator_forward": 4.0, "discriminator_backward": 2.0, "acceptance_rate": 0.5}


def test_samplers_improve_the_zoo_gan_on_grid25():
    """On a typical imperfect GAN every sampler raises the share of high-quality samples (2,000 samples,
    seed 0); DRS and MH keep all 25 modes.  (How far they close the gap to the data is limited by the
    discriminator, whose logits separate on- from off-mode samples by less than one nat: lecture 5.)"""
    model = zoo.load("grid25-gan", "cpu")
    dist = toy.get("grid25")
    g, d = model.generator, model.discriminator
    n = 2000
    base = dist.coverage(model.sample(n, seed=0)).high_quality
    held_out = dist.sample(2000, rng=torch.Generator().manual_seed(1))
    results = {
        "drs": samplers.drs(g, d, n, seed=0),
        "mh": samplers.mh(g, d, n, real=held_out, k=50, seed=0),
        "ddls": samplers.ddls(g, d, n, step_size=0.01, n_steps=100, seed=0),
    }
    for name, (x, _) in results.items():
        cov = dist.coverage(x)
        assert cov.high_quality > base + 0.015, (name, base, cov.high_quality)
        if name != "ddls":
            assert cov.modes_covered == 25, name


def test_every_sampler_has_one_call_and_one_result(exact_gan):
    """samplers.get(name)(G, D, n, config=None, **overrides) → SampleResult for every registered name."""
    generator, discriminator = exact_gan
    real = P_DATA.sample(500, rng=torch.Generator().manual_seed(2))
    assert samplers.available() == ["generator", "drs", "mh", "ddls", "dot"]
    options = {"mh": dict(real=real, k=5), "ddls": dict(n_steps=5), "dot": dict(n_updates=5)}
    for name in samplers.available():
        result = samplers.get(name)(generator, discriminator, np.int64(50), seed=1, **options.get(name, {}))
        assert isinstance(result, samplers.SampleResult) and result.samples.shape == (50, 1)
        x, st = result
        assert x is result.samples and st.n == 50 and st.cost >= 1
        assert st.generator_forward >= 50
    with pytest.raises(KeyError, match="available: generator, drs, mh, ddls, dot"):
        samplers.get("rejection")


def test_sampler_config_object_and_overrides(exact_gan):
    generator, discriminator = exact_gan
    config = samplers.DDLSConfig(step_size=0.05, n_steps=10, seed=4)
    a = samplers.ddls(generator, discriminator, 20, config)
    b = samplers.ddls(generator, discriminator, 20, step_size=0.05, n_steps=10, seed=4)
    torch.testing.assert_close(a.samples, b.samples)
    c = samplers.ddls(generator, discriminator, 20, config, n_steps=0)        # overrides replace fields
    torch.testing.assert_close(c.samples, generator(config.z0 if config.z0 is not None
                                                    else generator.sample_latent(20, torch.Generator().manual_seed(4))))
    with pytest.raises(TypeError, match="Unknown option.*valid options"):
        samplers.ddls(generator, discriminator, 20, stepsize=0.1)
    with pytest.raises(TypeError, match="config must be a DDLSConfig"):
        samplers.ddls(generator, discriminator, 20, samplers.DRSConfig())
    with pytest.raises(TypeError, match="real="):
        samplers.mh(generator, discriminator, 20, torch.zeros(200, 1))


@pytest.mark.parametrize("bad, match", [
    (dict(gamma_percentile=0.95), "looks like a fraction"),
    (dict(gamma_percentile=150), r"percentile in \[0, 100\]"),
    (dict(burn_in=2.5), "burn_in must be a positive integer"),
])
def test_drs_bad_options(exact_gan, bad, match):
    generator, discriminator = exact_gan
    with pytest.raises(ValueError, match=match):
        samplers.drs(generator, discriminator, 10, **bad)


@pytest.mark.parametrize("bad, match", [(dict(n_steps=2.5), "n_steps must be a non-negative integer"),
                                        (dict(dims=5), "dims must be a collection")])
def test_ddls_bad_types_are_named(exact_gan, bad, match):
    generator, discriminator = exact_gan
    with pytest.raises(ValueError, match=match):
        samplers.ddls(generator, discriminator, 10, **bad)


def test_mh_refuses_too_few_calibration_samples(exact_gan):
    generator, discriminator = exact_gan
    with pytest.raises(ValueError, match="at least 100"):
        samplers.mh(generator, discriminator, 10, real=torch.zeros(20, 1))


def test_samplers_restore_the_modes_they_found():
    torch.manual_seed(0)
    generator, discriminator = ToyGenerator(latent_dim=2), ToyDiscriminator()
    real = torch.randn(200, 2)
    for name, options in [("drs", {}), ("mh", dict(real=real, k=3)), ("ddls", dict(n_steps=3))]:
        for mode in (True, False):
            generator.train(mode), discriminator.train(not mode)
            samplers.get(name)(generator, discriminator, 16, **options)
            assert generator.training is mode and discriminator.training is (not mode), name
    # also when the sampler fails
    generator.train(), discriminator.train()
    with pytest.raises(LangevinDivergedError):
        samplers.ddls(generator, discriminator, 10, step_size=1e6, n_steps=50)
    assert generator.training and discriminator.training


def test_langevin_step_is_the_discretised_diffusion():
    """z' = z − (η/2)∇E + s√η ξ, coordinate by coordinate, and masked coordinates do not move."""
    z, grad, noise = torch.tensor([[1.0, -2.0]]), torch.tensor([[0.5, 4.0]]), torch.tensor([[0.3, -1.0]])
    z_new, mean = samplers.langevin_step(z, grad, eta=0.04, noise=noise, noise_scale=1.0, mask=torch.tensor([1.0, 0.0]))
    torch.testing.assert_close(mean, torch.tensor([[1.0 - 0.01, -2.0]]))
    torch.testing.assert_close(z_new, torch.tensor([[1.0 - 0.01 + 0.2 * 0.3, -2.0]]))


def test_compare_runs_each_sampler_as_a_direct_call_would(exact_gan):
    generator, discriminator = exact_gan
    real = P_DATA.sample(500, rng=torch.Generator().manual_seed(2))
    runs = {"plain": ("generator", {}), "DRS γ=0": ("drs", dict(gamma_percentile=None)),
            "MH": ("mh", dict(real=real, k=5, seed=9))}
    results = samplers.compare(generator, discriminator, 100, runs, seed=3)
    torch.testing.assert_close(results["DRS γ=0"].samples,
                               samplers.drs(generator, discriminator, 100, gamma_percentile=None, seed=3).samples)
    torch.testing.assert_close(results["MH"].samples, samplers.mh(generator, discriminator, 100, real=real, k=5, seed=9).samples)
    text = samplers.comparison_table(results, lambda x: {"mean": float(x.mean())}, extra_rows={"data": {"mean": 0.6}})
    lines = text.splitlines()
    assert "mean" in lines[0] and "cost (G passes/sample)" in lines[0] and "acceptance" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ["plain", "DRS", "MH", "data"]
    assert f"{results['DRS γ=0'].stats.cost:.1f}" in lines[2]   # ≥ 100: one decimal


def test_drs_acceptance_is_exp_d_minus_d_max_without_shift():
    """σ(F(x)) = e^{d − d_M} (up to ε) with γ = 0, and a positive γ only lowers the acceptance."""
    from gancourse.samplers import drs_acceptance
    d = torch.linspace(-8, -0.01, 200, dtype=torch.float64)
    assert torch.allclose(drs_acceptance(d, 0.0), d.exp(), rtol=1e-4)
    assert (drs_acceptance(d, 0.0, gamma=1.0) < drs_acceptance(d, 0.0)).all()
