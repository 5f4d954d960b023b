from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_small(kid):
    import torch
    real, fake = (torch.tensor([[1.0], [0.0]]), torch.tensor([[0.0], [-1.0], [2.0]]))
    k = lambda a, b: (a * b + 1) ** 3
    kxx = 2 * k(1, 0) / 2
    kyy = 2 * (k(0, -1) + k(0, 2) + k(-1, 2)) / 6
    kxy = sum((k(a, b) for a in (1, 0) for b in (0, -1, 2))) / 6
    v = kid(real, fake)
    assert abs(v - (kxx + kyy - 2 * kxy)) < 1e-05, f'expected {kxx + kyy - 2 * kxy:.4f} (diagonal left out); got {v:.4f}'

