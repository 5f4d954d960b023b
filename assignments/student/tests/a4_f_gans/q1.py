from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_quadratic(numerical_conjugate):
    import numpy as np
    u = np.linspace(-10, 10, 20001)
    t = np.array([-2.0, 0.0, 1.0, 3.0])
    v = numerical_conjugate(lambda u: u ** 2 / 2, t, u)
    assert v.shape == t.shape and np.allclose(v, t ** 2 / 2, atol=1e-06), f'f(u) = u²/2 is its own conjugate: expected {t ** 2 / 2}, got {v}'

