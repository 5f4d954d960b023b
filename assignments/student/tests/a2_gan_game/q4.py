from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 3

@test_case(points=None, hidden=False)
def test_at_one_one(dirac_field):
    import numpy as np
    s = 1 / (1 + np.exp(-1.0))
    t, p = dirac_field(1.0, 1.0, 0.0)
    assert np.isclose(t, s), f'θ̇ at (θ, ψ) = (1, 1) is ψσ(ψθ) = {s:.4f}; got {t}'
    assert np.isclose(p, -s), f'ψ̇ at (θ, ψ) = (1, 1), γ = 0 is -θσ(ψθ) = {-s:.4f}; got {p}'

@test_case(points=None, hidden=False)
def test_r1_term(dirac_field):
    import numpy as np
    t, p = dirac_field(0.0, 2.0, 0.5)
    assert np.isclose(t, 1.0) and np.isclose(p, -1.0), f'at θ = 0, ψ = 2, γ = 0.5: θ̇ = ψσ(0) = 1 and ψ̇ = -γψ = -1 (R1 = ψ² pulls ψ to 0); got {(t, p)}'

