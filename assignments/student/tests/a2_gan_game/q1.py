from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_values(optimal_discriminator):
    import numpy as np
    d = optimal_discriminator(np.array([3.0, 1.0, 0.0]), np.array([1.0, 3.0, 2.0]))
    assert np.allclose(d, [0.75, 0.25, 0.0]), f'for p_data = [3, 1, 0] and p_g = [1, 3, 2] D* is [0.75, 0.25, 0]; your function returned {d}'

@test_case(points=None, hidden=False)
def test_both_zero(optimal_discriminator):
    import numpy as np
    with np.errstate(all='raise'):
        d = optimal_discriminator(np.array([0.0, 2.0]), np.array([0.0, 0.0]))
    assert np.allclose(d, [0.5, 1.0]), f'where p_data = p_g = 0 return 1/2 (and 1 where only p_g = 0); got {d}'

