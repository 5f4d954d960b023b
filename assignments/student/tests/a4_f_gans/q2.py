from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=None, hidden=False)
def test_values(reverse_kl_conjugate):
    import numpy as np
    v = reverse_kl_conjugate(np.array([-1.0, -np.e]))
    assert np.allclose(v, [-1.0, -2.0]), f'f*(-1) = -1 and f*(-e) = -2; got {v}'
    assert np.isinf(reverse_kl_conjugate(np.array([0.0, 2.0]))).all(), 'for t ≥ 0, u·t + log u is unbounded: return inf'

