"""SAN (Takida et al., 2024): the direction head, the split of gradients, and direction optimality."""

import pytest
import torch
from scipy.stats import wasserstein_distance

from gancourse import toy
from gancourse.losses import bce_discriminator_loss, get_loss, hinge_discriminator_loss, san_discriminator_loss
from gancourse.models import MLPDiscriminator, SANLinear, ToyDiscriminator, ToyGenerator
from gancourse.train import fit_discriminator, train


def test_head_is_a_unit_direction_without_bias():
    head = SANLinear(5)
    torch.nn.init.normal_(head.weight, std=3.0)
    assert head.direction.norm().item() == pytest.approx(1.0, abs=1e-6)
    h = torch.randn(7, 5)
    assert torch.allclose(head(h).squeeze(1), h @ (head.weight / head.weight.norm()), atol=1e-6)
    assert torch.allclose(head(torch.zeros(3, 5)), torch.zeros(3, 1))  # no bias


def test_slices_equal_the_logit_and_route_gradients_apart():
    torch.manual_seed(0)
    D = MLPDiscriminator(head="san")
    x = torch.rand(4, 1, 28, 28) * 2 - 1                       # images in [-1, 1]
    fun, dir_ = D.slice_outputs(x)
    assert torch.allclose(fun, D(x), atol=1e-5) and torch.allclose(dir_, D(x), atol=1e-5)
    head, features = D.net[-1], [p for p in D.net[:-1].parameters()]
    fun.sum().backward()                                      # ⟨ω⁻, h⟩: features only
    assert head.weight.grad is None or head.weight.grad.abs().max() == 0
    assert all(p.grad is not None and p.grad.abs().max() > 0 for p in features[:1])
    D.zero_grad(set_to_none=True)
    D.slice_outputs(x).dir.sum().backward()                   # ⟨ω, h⁻⟩: direction only
    assert head.weight.grad.abs().max() > 0
    assert all(p.grad is None for p in features)


def test_san_loss_is_hinge_minus_the_sliced_wasserstein_term():
    torch.manual_seed(0)
    D = ToyDiscriminator(head="san")
    real, fake = torch.randn(64, 2) + 1, torch.randn(64, 2)
    r, f = D.slice_outputs(real), D.slice_outputs(fake)
    expected = hinge_discriminator_loss(D(real), D(fake)) - 0.5 * (D(real).mean() - D(fake).mean())
    assert san_discriminator_loss(r, f, lam=0.5).item() == pytest.approx(expected.item(), abs=1e-5)
    expected_gan = bce_discriminator_loss(D(real), D(fake)) - (D(real).mean() - D(fake).mean())
    assert get_loss("san-gan").discriminator(r, f).item() == pytest.approx(expected_gan.item(), abs=1e-5)
    assert get_loss("san").san and get_loss("san-gan").san and not get_loss("hinge").san


def test_direction_converges_to_the_normalised_mean_difference():
    """For frozen features the Wasserstein term's maximiser on the sphere is (m_data - m_g)/‖m_data - m_g‖."""
    torch.manual_seed(0)
    D = ToyDiscriminator(head="san", hidden=16, depth=1)
    for p in D.net[:-1].parameters():
        p.requires_grad_(False)
    real, fake = torch.randn(4000, 2) + torch.tensor([2.0, -1.0]), torch.randn(4000, 2)
    fit_discriminator(D, real, fake, steps=400, batch_size=512, loss="san", lr_d=1e-2)
    with torch.no_grad():
        h = D.net[:-1]
        m = h(real).mean(0) - h(fake).mean(0)
    cosine = torch.dot(D.net[-1].direction.detach(), m / m.norm()).item()
    assert cosine > 0.99


def test_san_gan_learns_a_1d_mixture():
    """Trained with the SAN loss, the generator moves onto the data (thresholds from seeds 0–4: W₁ ratio
    0.17–0.29, relative spread error 0.01–0.17)."""
    dist = toy.get("gauss1d")
    torch.manual_seed(0)
    G, D = ToyGenerator(latent_dim=1, data_dim=1, hidden=64), ToyDiscriminator(data_dim=1, hidden=64, head="san")
    before = G.sample(4000, torch.Generator().manual_seed(1))
    train(G, D, dist, steps=1500, batch_size=128, lr_g=1e-3, lr_d=1e-3, loss="san", progress=False, device="cpu")
    after = G.sample(4000, torch.Generator().manual_seed(1))
    real = dist.sample(4000, torch.Generator().manual_seed(2))
    w_before = wasserstein_distance(before.squeeze(1), real.squeeze(1))
    w_after = wasserstein_distance(after.squeeze(1), real.squeeze(1))
    assert w_after < 0.5 * w_before, (w_before, w_after)                  # W₁(p_g, p_data) more than halves
    assert abs(float(after.std()) - float(real.std())) / float(real.std()) < 0.3
    assert D.net[-1].direction.norm().item() == pytest.approx(1.0, abs=1e-5)   # ω stays on the sphere


def test_san_loss_needs_a_san_head():
    with pytest.raises(TypeError, match="head='san'"):
        train(ToyGenerator(latent_dim=2), ToyDiscriminator(), toy.get("ring8"), steps=1, loss="san",
              progress=False, device="cpu")
    with pytest.raises(ValueError, match="head must be"):
        ToyDiscriminator(head="sliced")
