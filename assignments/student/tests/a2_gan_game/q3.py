from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_value_at_zero(nonsaturating_loss):
    import math, torch
    v = nonsaturating_loss(torch.zeros(5))
    assert torch.is_tensor(v) and v.dim() == 0, 'return a 0-dimensional tensor (the mean over the batch)'
    assert abs(v.item() - math.log(2)) < 1e-06, f'at d = 0, D = 1/2 and the loss is log 2 = 0.6931; got {v.item()}'

@test_case(points=None, hidden=False)
def test_does_not_saturate(nonsaturating_loss):
    import torch
    d = torch.tensor([-200.0, -50.0], requires_grad=True)
    v = nonsaturating_loss(d)
    assert torch.isfinite(v), 'the loss is inf for d = -200: write -log σ(d) as softplus(-d)'
    v.backward()
    assert torch.allclose(d.grad, torch.tensor([-0.5, -0.5])), f'where D(G(z)) ≈ 0 the gradient with respect to each logit should be -1/N = -0.5; got {d.grad}'

