from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=None, hidden=False)
def test_never_zero(permutation_pvalue):
    import torch
    stat = lambda a, b: (a.mean() - b.mean()).abs()
    x, y = (torch.zeros(20, 1), 10 + torch.zeros(20, 1) + torch.linspace(0, 1, 20)[:, None])
    p = permutation_pvalue(x, y, stat, 99, torch.Generator().manual_seed(0))
    assert abs(p - 0.01) < 1e-12, f'no relabelling of two far-apart samples reaches T_obs, so p = 1/(1 + 99) = 0.01; got {p} (the + 1?)'

