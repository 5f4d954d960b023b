import math

import pytest
import torch

from gancourse import losses
from gancourse.losses import get_loss, gradient_penalty, r1_penalty

# hand-made logits
d_real = torch.tensor([2.0, -1.0, 0.0])
d_fake = torch.tensor([-3.0, 0.5])


def sig(t):
    return 1 / (1 + math.exp(-t))


def test_bce_discriminator_loss_closed_form():
    expected = -sum(math.log(sig(t)) for t in d_real) / 3 - sum(math.log(1 - sig(t)) for t in d_fake) / 2
    assert abs(float(losses.bce_discriminator_loss(d_real, d_fake)) - expected) < 1e-6
    # both GAN variants share it
    assert get_loss("minimax").discriminator is get_loss("nonsaturating").discriminator


def test_generator_losses_closed_form():
    sat = sum(math.log(1 - sig(t)) for t in d_fake) / 2
    nonsat = -sum(math.log(sig(t)) for t in d_fake) / 2
    assert abs(float(get_loss("minimax").generator(d_fake)) - sat) < 1e-6
    assert abs(float(get_loss("nonsaturating").generator(d_fake)) - nonsat) < 1e-6
    assert abs(float(get_loss("wasserstein").generator(d_fake)) - (-(-3.0 + 0.5) / 2)) < 1e-6
    assert get_loss("hinge").generator is get_loss("wasserstein").generator


def test_wasserstein_and_hinge_closed_form():
    assert abs(float(losses.wasserstein_critic_loss(d_real, d_fake)) - ((-3 + 0.5) / 2 - (2 - 1 + 0) / 3)) < 1e-6
    hinge = (max(0, 1 - 2) + max(0, 1 + 1) + max(0, 1 - 0)) / 3 + (max(0, 1 - 3) + max(0, 1 + 0.5)) / 2
    assert abs(float(losses.hinge_discriminator_loss(d_real, d_fake)) - hinge) < 1e-6


def test_losses_are_stable_for_extreme_logits():
    huge = torch.tensor([1e4, -1e4])
    for name in ("minimax", "nonsaturating", "hinge", "wasserstein"):
        loss = get_loss(name)
        assert torch.isfinite(loss.discriminator(huge, huge)) and torch.isfinite(loss.generator(huge))
    # the saturating loss has (almost) no gradient when D confidently rejects fakes; the non-saturating one does
    x = torch.tensor([-10.0], requires_grad=True)
    (g_sat,) = torch.autograd.grad(get_loss("minimax").generator(x), x)
    (g_ns,) = torch.autograd.grad(get_loss("nonsaturating").generator(x), x)
    assert abs(float(g_sat)) < 1e-4 and abs(float(g_ns)) > 0.99


def test_unknown_loss():
    with pytest.raises(KeyError, match="nonsaturating"):
        get_loss("lsgan")


def test_gradient_penalty_of_a_linear_critic():
    """For f(x) = w·x + b the gradient is w everywhere, so the penalty is (‖w‖ - 1)² exactly."""
    w = torch.tensor([3.0, 4.0])  # ‖w‖ = 5

    def critic(x):
        return x @ w + 1.0

    real, fake = torch.randn(16, 2), torch.randn(16, 2)
    gp = gradient_penalty(critic, real, fake, rng=torch.Generator().manual_seed(0))
    assert abs(float(gp) - (5 - 1) ** 2) < 1e-5
    # a 1-Lipschitz linear critic has zero penalty
    assert float(gradient_penalty(lambda x: x @ (w / 5), real, fake)) < 1e-10
    # one-sided: slopes below 1 are free, slopes above are penalised as before
    assert float(gradient_penalty(lambda x: x @ (w / 10), real, fake, one_sided=True)) == 0.0
    assert float(gradient_penalty(lambda x: x @ (w / 10), real, fake)) == pytest.approx(0.25, abs=1e-5)
    assert float(gradient_penalty(critic, real, fake, one_sided=True)) == pytest.approx(16.0, abs=1e-4)


def test_gradient_penalty_uses_interpolates_and_is_differentiable():
    """f(x) = ½‖x‖² has ∇f(x̂) = x̂: the penalty must equal the hand computation on x̂ = εx + (1-ε)x̃."""
    real, fake = torch.randn(8, 3), torch.randn(8, 3)
    g = torch.Generator().manual_seed(3)
    eps = torch.rand(8, 1, generator=torch.Generator().manual_seed(3))
    x_hat = eps * real + (1 - eps) * fake
    expected = ((x_hat.norm(dim=1) - 1) ** 2).mean()
    scale = torch.tensor(1.0, requires_grad=True)
    gp = gradient_penalty(lambda x: 0.5 * scale * (x**2).sum(1), real, fake, rng=g)
    assert torch.allclose(gp, expected, atol=1e-5)
    (grad,) = torch.autograd.grad(gp, scale)  # back-propagates to the critic's parameters
    assert torch.isfinite(grad) and float(grad) != 0
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(lambda x: x.sum(1), real, fake[:4])


def test_r1_penalty_closed_forms():
    """R1 is E‖∇d(x)‖² on the real batch: ‖w‖² for a linear d, E‖x‖² for d = ½‖x‖², ψ² on the Dirac-GAN."""
    w = torch.tensor([3.0, 4.0])
    real = torch.randn(16, 2)
    assert float(r1_penalty(lambda x: x @ w + 1.0, real).detach()) == pytest.approx(25.0, abs=1e-5)
    assert float(r1_penalty(lambda x: 0.5 * (x**2).sum(1), real).detach()) == pytest.approx(float((real**2).sum(1).mean()), rel=1e-5)
    psi = torch.tensor(0.7, requires_grad=True)
    penalty = r1_penalty(lambda x: psi * x.squeeze(1), torch.zeros(4, 1))   # p_data = δ₀, d(x) = ψx
    assert float(penalty.detach()) == pytest.approx(0.49, abs=1e-6)
    (grad,) = torch.autograd.grad(penalty, psi)                           # d(ψ²)/dψ = 2ψ: differentiable
    assert float(grad) == pytest.approx(1.4, abs=1e-5)
