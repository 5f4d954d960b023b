from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_flat_energy(mala_log_alpha):
    import torch
    z, z_new = (torch.zeros(1, 2), torch.ones(1, 2))
    zero = torch.zeros(1, 2)
    v = mala_log_alpha(z, z_new, torch.tensor([0.0]), torch.tensor([0.0]), zero, zero, 0.5)
    assert torch.allclose(v, torch.zeros(1)), f'with a flat energy the proposal is symmetric: log α = 0; got {v}'

