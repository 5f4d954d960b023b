from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_line(precision_recall):
    import torch
    real = torch.arange(10.0)[:, None]
    fake = torch.tensor([[0.5], [1.5], [20.0], [21.0]])
    p, r = precision_recall(real, fake, 1)
    assert abs(p - 0.5) < 1e-06, f'0.5 and 1.5 lie in real balls, 20 and 21 do not: precision 0.5; got {p}'
    assert abs(r - 0.3) < 1e-06, f'the fake balls around 0.5 and 1.5 contain the reals 0, 1, 2: recall 0.3; got {r}'

