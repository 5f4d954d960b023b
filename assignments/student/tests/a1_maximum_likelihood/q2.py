from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 1

@test_case(points=None, hidden=False)
def test_bits_per_dim(bits_per_dim):
    import numpy as np
    v = bits_per_dim(-np.log(2) * 10, 10)
    assert np.isclose(v, 1.0), f'a log-likelihood of -10 log 2 nats over 10 dimensions is 1 bit per dimension; got {v}'

@test_case(points=None, hidden=False)
def test_gap(gap_bpd):
    assert gap_bpd is not ... and 0.01 < gap_bpd < 0.02, "gap_bpd: log(1000) nats spread over 784 dimensions, in bits — a positive number (the mixture's bpd minus p's)"

