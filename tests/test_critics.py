"""gancourse.critics: power iteration, spectral norms and the spectral Lipschitz bound (lecture 3)."""

import pytest
import torch

from gancourse import critics, models


def matrix_with_singular_values(values, m=40, n=30, seed=0):
    """U diag(values) Vᵀ with random orthonormal U (m × k) and V (n × k)."""
    g = torch.Generator().manual_seed(seed)
    k = len(values)
    U, _ = torch.linalg.qr(torch.randn(m, k, generator=g, dtype=torch.float64))
    V, _ = torch.linalg.qr(torch.randn(n, k, generator=g, dtype=torch.float64))
    return U @ torch.diag(torch.tensor(values, dtype=torch.float64)) @ V.T


def test_power_iteration_rises_to_the_top_singular_value_at_the_predicted_rate():
    W = matrix_with_singular_values([3.0, 2.4, 1.0, 0.5])
    estimates, u = [], None
    for _ in range(60):
        s, u = critics.power_iteration(W, 1, u=u, rng=torch.Generator().manual_seed(1))
        estimates.append(s)
    estimates = torch.tensor(estimates, dtype=torch.float64)
    assert (estimates <= 3.0 + 1e-12).all()                        # a Rayleigh quotient never overshoots σ₁
    assert (estimates.diff() >= -1e-12).all()                      # and never decreases
    assert estimates[-1] == pytest.approx(3.0, rel=1e-9)
    error = 3.0 - estimates
    rate = (error[15] / error[5]) ** (1 / 10)                      # per-round contraction, measured
    assert rate == pytest.approx((2.4 / 3.0) ** 4, rel=0.01)       # (σ₂/σ₁)⁴ per round: σ̂² is a Rayleigh quotient


def test_power_iteration_continues_from_its_vector():
    W = matrix_with_singular_values([2.0, 1.9, 1.0], seed=3)
    start = torch.randn(40, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    s5, _ = critics.power_iteration(W, 5, u=start)
    _, u3 = critics.power_iteration(W, 3, u=start)
    s_continued, _ = critics.power_iteration(W, 2, u=u3)
    assert s_continued == pytest.approx(s5, rel=1e-12)


def test_spectral_norms_and_the_bound_hold_for_an_mlp():
    torch.manual_seed(0)
    D = models.ToyDiscriminator(data_dim=3, hidden=32, depth=3)
    sigmas = critics.spectral_norms(D)
    linears = [m for m in D.net if isinstance(m, torch.nn.Linear)]
    assert sigmas == pytest.approx([torch.linalg.svdvals(m.weight.double())[0].item() for m in linears])
    bound = critics.lipschitz_bound(D)
    assert bound == pytest.approx(torch.tensor(sigmas).prod().item(), rel=1e-6)
    x = torch.randn(2000, 3)
    grad = critics.input_gradient(D, x).norm(dim=1)
    assert grad.max() <= bound                                     # the proposition
    assert grad.max() > 0.01 * bound                               # not vacuous for a random MLP


def test_spectral_norms_of_a_normalised_network_are_one_and_reading_them_runs_no_iteration():
    torch.manual_seed(0)
    D = models.ToyDiscriminator(data_dim=2, spectral_norm=True)
    x = torch.randn(64, 2)
    for _ in range(300):                                           # training-mode passes: one round each
        D(x)
    u_before = [m.parametrizations.weight[0]._u.clone() for m in D.net if isinstance(m, torch.nn.Linear)]
    assert critics.spectral_norms(D) == pytest.approx([1.0] * 4, abs=1e-3)
    assert D.training                                              # the mode is restored …
    u_after = [m.parametrizations.weight[0]._u for m in D.net if isinstance(m, torch.nn.Linear)]
    assert all(torch.equal(a, b) for a, b in zip(u_before, u_after))   # … and u untouched
    assert critics.lipschitz_bound(D) == pytest.approx(1.0, abs=5e-3)


def explicit_matrix(fn, shape):
    """The matrix of a linear map on inputs of ``shape``, column by column (its Jacobian)."""
    n = int(torch.tensor(shape).prod())
    return torch.autograd.functional.jacobian(lambda h: fn(h.view(1, *shape)).flatten(),
                                              torch.zeros(n, dtype=torch.float64))


class HeadFirst(torch.nn.Module):
    """Registers its head before its body: operator_norms must follow the calls, not the registration."""

    def __init__(self):
        super().__init__()
        self.head = torch.nn.Linear(3 * 4 * 4, 5)
        self.body = torch.nn.Conv2d(2, 3, 4, stride=2, padding=1)

    def forward(self, x):
        return self.head(torch.nn.functional.leaky_relu(self.body(x), 0.2).flatten(1))


def test_operator_norms_are_the_layers_norms_as_linear_maps():
    torch.manual_seed(0)
    net = HeadFirst().eval()
    norms = critics.operator_norms(net, torch.zeros(1, 2, 8, 8), rng=torch.Generator().manual_seed(1))
    weight = net.body.weight.double()
    matrix = explicit_matrix(lambda h: torch.nn.functional.conv2d(h, weight, stride=2, padding=1), (2, 8, 8))
    assert norms[0] == pytest.approx(torch.linalg.matrix_norm(matrix, ord=2).item(), rel=1e-6)   # bias left out
    assert norms[1] == pytest.approx(torch.linalg.svdvals(net.head.weight.double())[0].item(), rel=1e-6)
    assert not net.training                                        # the mode is restored
    with torch.no_grad():                                          # works under no_grad too
        assert critics.operator_norms(net, torch.zeros(1, 2, 8, 8), steps=5)[1] > 0


def test_a_normalised_convolution_is_not_1_lipschitz_but_within_the_patch_count_bound():
    """Spectral normalisation divides a convolution by its reshaped kernel's σ; the convolution itself has up
    to ⌈k/s⌉ times that norm (each input pixel lies in at most ⌈k/s⌉² patches), lecture 3."""
    torch.manual_seed(0)
    D = models.DCGANDiscriminator(channels=8, spectral_norm=True)
    x = torch.rand(16, 1, 28, 28) * 2 - 1
    for _ in range(100):                                           # training-mode passes: one round each
        D(x)
    conv_norms = critics.operator_norms(D, x, rng=torch.Generator().manual_seed(0))[:2]
    D.eval()
    kernel_sigmas = [torch.linalg.matrix_norm(c.weight.flatten(1).double(), ord=2).item() for c in D.conv[::2]]
    assert kernel_sigmas == pytest.approx([1.0, 1.0], abs=1e-2)
    D.train()
    u_before = [c.parametrizations.weight[0]._u.clone() for c in D.conv[::2]]
    critics.operator_norms(D, x, steps=3)
    assert D.training and all(torch.equal(a, c.parametrizations.weight[0]._u) for a, c in zip(u_before, D.conv[::2]))
    assert all(n > 1.1 * s for n, s in zip(conv_norms, kernel_sigmas))        # more than the normalised kernel
    assert all(n <= 2 * s * (1 + 1e-9) for n, s in zip(conv_norms, kernel_sigmas))   # ⌈4/2⌉ = 2


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="matrix"):
        critics.power_iteration(torch.ones(3), 1)
    with pytest.raises(ValueError, match="length 4"):
        critics.power_iteration(torch.ones(4, 2), 1, u=torch.ones(2))
    with pytest.raises(ValueError, match="MLP"):
        critics.spectral_norms(models.DCGANDiscriminator())
    with pytest.raises(ValueError, match="got none"):
        critics.operator_norms(torch.nn.Tanh(), torch.zeros(1, 2))
    with pytest.raises(ValueError, match="ConvTranspose2d"):
        critics.operator_norms(models.DCGANGenerator(), torch.zeros(1, 128))
    unused = torch.nn.ModuleDict({"used": torch.nn.Linear(2, 2), "spare": torch.nn.Linear(2, 2)})
    unused.forward = lambda x: unused["used"](x)
    with pytest.raises(ValueError, match="does not call 1 of its layers"):
        critics.operator_norms(unused, torch.zeros(1, 2))
