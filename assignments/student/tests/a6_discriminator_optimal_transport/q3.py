from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_update_moves_up_the_critic(dot_update):
    import torch
    critic = lambda x: 3 * x[:, 0]
    y = torch.zeros(4, 2)
    x = dot_update(y.clone(), y, critic, 1.0, 0.1, 0.001)
    assert x.shape == y.shape and (x[:, 0] > 0.1).all(), f'from x = y the step must go up the critic (descend -D/K); got {x}'

