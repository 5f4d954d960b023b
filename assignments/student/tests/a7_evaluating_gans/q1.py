from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=None, hidden=False)
def test_statistics(feature_statistics):
    import numpy as np
    f = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 4.0]])
    mu, sigma = feature_statistics(f)
    assert np.allclose(mu, [2.0, 2.0]), f'the mean of the rows is [2, 2]; got {mu}'
    assert sigma.shape == (2, 2), f'the covariance of 2 features is 2 × 2 (rows are samples: rowvar=False); got {sigma.shape}'
    assert np.allclose(sigma, [[4.0, 3.0], [3.0, 3.0]]), f'expected [[4, 3], [3, 3]] (1/(N - 1)); got {sigma}'

@test_case(points=None, hidden=False)
def test_one_dimensional(frechet_distance):
    import numpy as np
    v = frechet_distance(np.array([0.0]), np.array([[4.0]]), np.array([1.0]), np.array([[1.0]]))
    assert abs(v - 2.0) < 1e-09, f'N(0, 4) vs N(1, 1): 1 + (2 - 1)² = 2; got {v}'

