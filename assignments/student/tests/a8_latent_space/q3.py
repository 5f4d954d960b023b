from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_tall_matrix(invert_linear):
    import torch
    A = torch.tensor([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    b = torch.tensor([1.0, 1.0, 1.0])
    x = torch.tensor([[2.0, 5.0, 7.0]])
    z = invert_linear(A, b, x)
    assert z.shape == (1, 2), f'one code of dimension k = 2 per row of x; got shape {tuple(z.shape)}'
    assert torch.allclose(z, torch.tensor([[1.0, 2.0]])), f'Az + b matches x in its first two coordinates for z = (1, 2) (the third cannot be matched); got {z.tolist()}'

