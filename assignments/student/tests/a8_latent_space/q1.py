from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_vectors(joint_batches):
    import torch
    x, z = (torch.tensor([[1.0, 2.0]]), torch.tensor([[5.0]]))
    encoder = lambda v: v.sum(1, keepdim=True)
    generator = lambda c: torch.cat([c, -c], 1)
    real, fake = joint_batches(x, z, encoder, generator)
    assert real.tolist() == [[1.0, 2.0, 3.0]], f'the real pair is [x, E(x)] = [1, 2, 3]; got {real.tolist()}'
    assert fake.tolist() == [[5.0, -5.0, 5.0]], f'the fake pair is [G(z), z] = [5, -5, 5]; got {fake.tolist()}'

