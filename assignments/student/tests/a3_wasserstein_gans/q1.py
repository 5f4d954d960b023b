from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_small(w1_samples):
    import torch
    v = w1_samples(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([4.0, 3.0, 0.0]))
    assert abs(v - 4 / 3) < 1e-06, f'pair the sorted values: (|0-0| + |1-3| + |2-4|)/3 = 4/3; got {v}'

