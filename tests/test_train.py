import math

import numpy as np
import pytest
import torch
from scipy.stats import wasserstein_distance

from gancourse import losses, models, toy
from gancourse.checkpoint import load_checkpoint
from gancourse.train import TrainConfig, TrainingDivergedError, fit_discriminator, train


def small_pair(seed=0, latent_dim=2):
    torch.manual_seed(seed)
    return models.ToyGenerator(latent_dim=latent_dim, hidden=32, depth=2), models.ToyDiscriminator(hidden=32, depth=2)


def test_nonsaturating_gan_learns_a_1d_mixture():
    dist = toy.get("gauss1d")
    G, D = models.ToyGenerator(latent_dim=1, data_dim=1, hidden=64), models.ToyDiscriminator(data_dim=1, hidden=64)
    before = G.sample(4000, torch.Generator().manual_seed(1))
    h = train(G, D, dist, steps=1500, batch_size=128, lr_g=1e-3, lr_d=1e-3, progress=False, device="cpu")
    after = G.sample(4000, torch.Generator().manual_seed(1))
    real = dist.sample(4000, torch.Generator().manual_seed(2))
    # the generated distribution moves towards the data: W₁(p_g, p_data) shrinks by more than half
    w_before = wasserstein_distance(before.squeeze(1), real.squeeze(1))
    w_after = wasserstein_distance(after.squeeze(1), real.squeeze(1))
    assert w_after < 0.5 * w_before, (w_before, w_after)
    # and its spread matches the data's standard deviation (≈ 2.4) within 25%
    assert abs(float(after.std()) - float(real.std())) / float(real.std()) < 0.25
    assert len(h.d_loss) == len(h.g_loss) == 1500 and all(map(math.isfinite, h.d_loss))


def test_history_snapshots_and_determinism():
    dist = toy.get("ring8")
    runs = []
    for _ in range(2):
        G, D = small_pair()
        runs.append(train(G, D, dist, steps=30, snapshot_every=10, n_snapshot=16, progress=False, device="cpu"))
    a, b = runs
    assert a.d_loss == b.d_loss and a.g_loss == b.g_loss  # same seed, same numbers
    assert [s for s, _ in a.snapshots] == [0, 10, 20, 30] and a.snapshots[0][1].shape == (16, 2)
    assert torch.equal(a.snapshots[-1][1], b.snapshots[-1][1])


def test_n_critic_clipping_and_gradient_penalty():
    dist = toy.get("grid25")
    G, D = small_pair()
    calls = []
    h = train(G, D, dist, steps=5, loss="wasserstein", n_critic=3, clip_value=0.01, optimizer="rmsprop",
              progress=False, device="cpu", callback=lambda step, hist: calls.append(step))
    assert calls == [1, 2, 3, 4, 5]
    assert max(float(p.detach().abs().max()) for p in D.parameters()) <= 0.01 + 1e-8  # weights stay in the box
    G, D = small_pair()
    h = train(G, D, dist, steps=5, loss="wasserstein", n_critic=2, gp_weight=10.0, progress=False, device="cpu")
    assert all(g > 0 for g in h.gp) and len(h.wasserstein_estimate) == 5


def test_r1_penalty_enters_the_discriminator_loss(monkeypatch):
    """With r1_gamma = γ the first recorded discriminator loss is the plain one + (γ/2)·r1_penalty (same seed and batches)."""
    import gancourse.train as train_module
    penalties = []
    def recording(discriminator, x):
        value = losses.r1_penalty(discriminator, x)
        penalties.append(float(value.detach()))
        return value
    monkeypatch.setattr(train_module, "r1_penalty", recording)
    dist = toy.get("ring8")
    runs = {}
    for gamma in (0.0, 10.0):
        G, D = small_pair()
        runs[gamma] = train(G, D, dist, steps=1, r1_gamma=gamma, progress=False, device="cpu", seed=0)
    assert len(penalties) == 1 and penalties[0] > 0                   # computed only when γ > 0
    assert runs[10.0].d_loss[0] == pytest.approx(runs[0.0].d_loss[0] + 5.0 * penalties[0], rel=1e-5)
    with pytest.raises(ValueError, match="r1_gamma"):
        TrainConfig(r1_gamma=-1.0)


def test_data_tensor_and_checkpoint(tmp_path):
    G, D = small_pair()
    data = toy.get("ring8").sample(512, torch.Generator().manual_seed(0))
    train(G, D, data, steps=10, checkpoint_path=str(tmp_path / "ck"), progress=False, device="cpu")
    ck = load_checkpoint(tmp_path / "ck")
    z = torch.randn(3, 2)
    assert torch.equal(ck["generator"](z), G(z)) and ck.card["step"] == 10
    assert ck.card["train_config"]["steps"] == 10


def test_divergence_is_detected():
    G, D = small_pair()
    with torch.no_grad():
        for p in D.parameters():
            p.fill_(float("nan"))
    with pytest.raises(TrainingDivergedError, match="step 1.*Lower the learning rates") as err:
        train(G, D, toy.get("ring8"), steps=5, progress=False, device="cpu")
    assert err.value.step == 1


def test_bad_config_and_inputs():
    with pytest.raises(KeyError, match="Unknown loss"):
        TrainConfig(loss="least-squares")
    with pytest.raises(ValueError, match="n_critic must be a positive integer"):
        TrainConfig(n_critic=0)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        TrainConfig(steps=2.5)                          # was silently accepted
    assert TrainConfig(steps=np.int64(7)).steps == 7
    with pytest.raises(ValueError, match="optimizer"):
        TrainConfig(optimizer="sgd")
    G, D = small_pair()
    with pytest.raises(TypeError, match="data must be"):
        train(G, D, [1, 2, 3], steps=1, progress=False, device="cpu")
    with pytest.raises(ValueError, match="expects"):
        train(G, models.MLPDiscriminator(), toy.get("ring8"), steps=1, progress=False, device="cpu")


def test_fit_discriminator_approaches_the_optimal_discriminator():
    """D* = p/(p+q) for p = N(-1, 1), q = N(1, 1) is σ(-2x): the logit is -2x."""
    torch.manual_seed(0)
    D = models.ToyDiscriminator(data_dim=1, hidden=32, depth=2)
    real = torch.randn(20000, 1, generator=torch.Generator().manual_seed(0)) - 1
    fake = torch.randn(20000, 1, generator=torch.Generator().manual_seed(1)) + 1
    losses = fit_discriminator(D, real, fake, steps=800, device="cpu")
    x = torch.linspace(-2, 2, 41)[:, None]
    with torch.no_grad():
        err = (torch.sigmoid(D(x)) - torch.sigmoid(-2 * x[:, 0])).abs().max()
    assert float(err) < 0.08 and losses[-1] < losses[0]


def test_train_leaves_the_callers_random_stream_alone():
    """Training is reproducible from its seed, and models built after it still differ (no global reseed)."""
    torch.manual_seed(0)
    inits = []
    for _ in range(2):
        G, D = models.ToyGenerator(latent_dim=2), models.ToyDiscriminator()
        inits.append(next(G.parameters()).detach().clone())
        train(G, D, toy.get("ring8"), steps=3, batch_size=16, progress=False, device="cpu")
    assert not torch.equal(inits[0], inits[1])


def test_failed_training_restores_the_modes():
    G, D = models.ToyGenerator(latent_dim=2), models.ToyDiscriminator()
    G.eval(), D.train()
    with pytest.raises(TrainingDivergedError):
        train(G, D, toy.get("ring8"), steps=5, batch_size=16, lr_d=1e9, lr_g=1e9, divergence_threshold=1e-3,
              progress=False, device="cpu")
    assert not G.training and D.training


def test_with_several_critic_steps_the_last_critic_loss_is_recorded(monkeypatch):
    import gancourse.train as train_module

    losses = []
    step = train_module._discriminator_step

    def recording(*args, **kwargs):
        out = step(*args, **kwargs)
        losses.append(out[0].item())
        return out

    monkeypatch.setattr(train_module, "_discriminator_step", recording)
    h = train(models.ToyGenerator(latent_dim=2), models.ToyDiscriminator(), toy.get("ring8"), steps=4, n_critic=3,
              batch_size=16, progress=False, device="cpu")
    assert len(losses) == 12 and h.d_loss == losses[2::3]
