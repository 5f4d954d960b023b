from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_linear_critics(gradient_penalty):
    import torch
    real, fake, eps = (torch.randn(6, 2), torch.randn(6, 2), torch.rand(6))
    unit = lambda x: x @ torch.tensor([0.6, 0.8])
    steep = lambda x: x @ torch.tensor([0.0, 3.0])
    assert abs(float(gradient_penalty(unit, real, fake, eps))) < 1e-06, 'a 1-Lipschitz linear critic has penalty 0 (the - 1?)'
    v = float(gradient_penalty(steep, real, fake, eps))
    assert abs(v - 4) < 1e-05, f'a critic with gradient norm 3 has penalty (3 - 1)² = 4; got {v}'

@test_case(points=None, hidden=False)
def test_images_and_backward(gradient_penalty):
    import torch
    critic = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    real, fake = (torch.randn(4, 1, 28, 28), torch.randn(4, 1, 28, 28))
    gp = gradient_penalty(lambda x: critic(x).squeeze(1), real, fake, torch.rand(4))
    assert gp.dim() == 0, 'return the mean over the batch (a 0-dimensional tensor)'
    gp.backward()
    assert critic[1].weight.grad is not None, "the penalty must be differentiable in the critic's parameters (create_graph=True)"

