from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 1

@test_case(points=None, hidden=False)
def test_objective(dot_objective):
    import torch
    critic = lambda x: 2 * x[:, 0]
    x, y = (torch.tensor([[3.0, 4.0]]), torch.zeros(1, 2))
    v = dot_objective(x, y, critic, 2.0, 0.0)
    assert torch.allclose(v, torch.tensor([5.0 - 3.0])), f'‖(3, 4)‖ - D(x)/K = 5 - 6/2 = 2; got {v}'

