from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_small_values(mixture_log_likelihood):
    import numpy as np
    v = mixture_log_likelihood(np.log([0.2, 0.5]), np.log([1.0, 0.1]), 0.5)
    assert np.allclose(v, np.log([0.6, 0.3])), f'log(0.5·0.2 + 0.5·1) = log 0.6 and log(0.5·0.5 + 0.5·0.1) = log 0.3; got {v}'

@test_case(points=None, hidden=False)
def test_high_dimension(mixture_log_likelihood):
    import numpy as np
    v = mixture_log_likelihood(np.array([-3000.0]), np.array([-3500.0]), 0.001)
    assert np.isfinite(v).all(), 'got -inf: exp(-3000) underflows; combine the two terms with np.logaddexp'
    assert np.allclose(v, -3000 + np.log(0.001)), f'here the data term dominates: log 0.001 - 3000; got {v}'

