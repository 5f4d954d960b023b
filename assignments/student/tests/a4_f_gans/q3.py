from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 3

@test_case(points=None, hidden=False)
def test_value_function(gan_f_objective):
    import math, torch
    v = gan_f_objective(torch.zeros(4), torch.zeros(4))
    assert abs(float(v) + math.log(4)) < 1e-06, f'at v = 0, D = 1/2 and V = -log 4; got {float(v)}'
    v = gan_f_objective(torch.tensor([100.0]), torch.tensor([-100.0]))
    assert torch.isfinite(v) and abs(float(v)) < 1e-06, f'a perfect discriminator has V ≈ 0; got {float(v)} (finite?)'
    v = gan_f_objective(torch.tensor([-100.0]), torch.tensor([100.0]))
    assert torch.isfinite(v) and abs(float(v) + 200) < 0.001, f'a discriminator wrong by logits of 100 has V = log σ(-100) + log(1 - σ(100)) ≈ -200; got {float(v)} (simplify f*(g_f(v)) by hand: written literally it is log 0 in float32)'

