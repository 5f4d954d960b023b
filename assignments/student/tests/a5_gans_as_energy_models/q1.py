from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_drs(drs_acceptance):
    import math, torch
    a = drs_acceptance(torch.tensor([2.0, 1.0, -30.0]), 2.0)
    assert torch.allclose(a, torch.tensor([1.0, math.exp(-1), math.exp(-32)])), f'accept with probability exp(d - d_M) = [1, e^-1, e^-32]; got {a} (probabilities instead of logits?)'

@test_case(points=None, hidden=False)
def test_mh(mh_acceptance):
    import math, torch
    a = mh_acceptance(torch.tensor([0.0, 0.0]), torch.tensor([1.0, -1.0]))
    assert torch.allclose(a, torch.tensor([1.0, math.exp(-1)])), f'a proposal with a higher logit is always accepted, one lower by 1 with probability e^-1; got {a}'

