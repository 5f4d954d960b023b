from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=None, hidden=False)
def test_at_zero_and_large(bigan_losses):
    import math, torch
    ld, lge = bigan_losses(torch.zeros(3), torch.zeros(3))
    assert abs(float(ld) - 2 * math.log(2)) < 1e-06 and abs(float(lge) - 2 * math.log(2)) < 1e-06, f'at d = 0 every term is log 2: both losses are 2 log 2; got {float(ld)}, {float(lge)}'
    ld, lge = bigan_losses(torch.tensor([200.0]), torch.tensor([-200.0]))
    assert torch.isfinite(lge) and abs(float(lge) - 400) < 0.001, f'a perfect discriminator (d_real = 200, d_fake = -200) costs G and E 200 + 200; got {float(lge)} (softplus?)'
    assert abs(float(ld)) < 1e-06, f'... and the discriminator nothing; got {float(ld)}'

