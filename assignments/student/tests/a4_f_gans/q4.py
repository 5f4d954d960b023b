from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=None, hidden=False)
def test_tight_for_gaussians(kl_bound, optimal_critic):
    import numpy as np
    x = np.linspace(-12, 12, 24001)
    p = np.exp(-(x - 1) ** 2 / 2) / np.sqrt(2 * np.pi)
    q = np.exp(-x ** 2 / 2) / np.sqrt(2 * np.pi)
    v = kl_bound(p, q, optimal_critic(p, q), x)
    assert abs(v - 0.5) < 1e-06, f'KL(N(1,1) ‖ N(0,1)) = 1/2 and the bound is tight at T*; got {v}'
    assert kl_bound(p, q, np.zeros_like(x), x) < v, 'any other T (here T = 0) gives a smaller bound'

