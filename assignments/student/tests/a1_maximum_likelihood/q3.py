from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 3

@test_case(points=None, hidden=False)
def test_tiny_example(mmd2_unbiased):
    import math, torch
    x, y = (torch.tensor([[0.0], [1.0]]), torch.tensor([[3.0], [3.0], [4.0]]))
    v = float(mmd2_unbiased(x, y, 1.0))
    k = lambda t: math.exp(-t ** 2 / 2)
    ref = k(1) + (2 * k(0) + 4 * k(1)) / 6 - 2 * (k(3) + k(3) + k(4) + k(2) + k(2) + k(3)) / 6
    assert abs(v - ref) < 1e-06, f'expected {ref:.6f} for this small example; got {v:.6f} (diagonal terms left in?)'

@test_case(points=None, hidden=False)
def test_unbiased_under_the_null(mmd2_unbiased):
    import torch
    g = torch.Generator().manual_seed(0)
    values = torch.stack([mmd2_unbiased(torch.randn(8, 2, generator=g), torch.randn(8, 2, generator=g), 1.0) for _ in range(400)])
    assert abs(values.mean().item()) < 0.05, f'for two samples of the same distribution the mean over 400 repeats should be ≈ 0; got {values.mean().item():.4f}'

