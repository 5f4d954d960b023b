from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=None, hidden=False)
def test_equal_densities(value_at_optimum):
    import numpy as np
    x = np.linspace(-10, 10, 4001)
    p = np.exp(-x ** 2 / 2) / np.sqrt(2 * np.pi)
    v = value_at_optimum(p, p, x)
    assert abs(v - -np.log(4)) < 1e-06, f'for p_g = p_data, V(G, D*) = -log 4 = {-np.log(4):.6f}; got {v}'

@test_case(points=None, hidden=False)
def test_disjoint_supports(value_at_optimum):
    import numpy as np
    x = np.linspace(0, 3, 3001)
    p, q = (((x >= 0) & (x <= 1)).astype(float), ((x >= 2) & (x <= 3)).astype(float))
    v = value_at_optimum(p, q, x)
    assert np.isfinite(v), 'got nan or inf: take 0·log 0 = 0 (scipy.special.xlogy)'
    assert abs(v) < 1e-09, f'on disjoint supports D* is 1 on p_data and 0 on p_g, so V = 0; got {v}'

