from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_clip(clip_):
    import torch
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape))
    clip_(net, 0.1)
    for name, p in net.named_parameters():
        assert p.abs().max() <= 0.1 + 1e-07, f'{name} still has entries outside [-0.1, 0.1] (biases too)'
        assert p.min() < -0.09, f'{name}: clipping keeps the sign — clamp to [-c, c], not [0, c]'

@test_case(points=None, hidden=False)
def test_bound_diagonal(lipschitz_bound):
    import torch
    lin = torch.nn.Linear(2, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[3.0, 0.0], [0.0, -1.0]]))
    v = lipschitz_bound(torch.nn.Sequential(lin, torch.nn.ReLU()))
    assert abs(v - 3) < 1e-05, f'diag(3, -1) has spectral norm 3; got {v}'

