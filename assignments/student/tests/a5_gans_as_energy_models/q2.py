from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=None, hidden=False)
def test_energy(latent_energy):
    import torch
    e = latent_energy(torch.tensor([[3.0, 4.0], [0.0, 0.0]]), torch.tensor([2.0, -1.0]))
    assert torch.allclose(e, torch.tensor([10.5, 1.0])), f'E = ½‖z‖² - d: [12.5 - 2, 0 + 1]; got {e}'

@test_case(points=None, hidden=False)
def test_step(langevin_step):
    import torch
    z, grad, noise = (torch.tensor([[1.0]]), torch.tensor([[2.0]]), torch.tensor([[1.0]]))
    v = langevin_step(z, grad, 0.04, noise)
    assert torch.allclose(v, torch.tensor([[1.0 - 0.04 + 0.2]])), f'1 - (0.04/2)·2 + √0.04·1 = 1.16; got {v}'

