from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_linear_critic(k_eff):
    import torch
    critic = lambda y: y.flatten(1) @ torch.tensor([3.0, 4.0])
    y1, y2 = (torch.randn(200, 2), torch.randn(200, 2))
    v = k_eff(critic, y1, y2)
    assert 4.5 < v <= 5 + 1e-05, f'for D(y) = 3y₁ + 4y₂ the slopes approach 5 along (3, 4) and never exceed it; got {v}'

