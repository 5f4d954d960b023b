import pytest
import torch

from gancourse.two_sample import classifier_test, mean_difference_test, mmd2, mmd_test


def g(seed):
    return torch.Generator().manual_seed(seed)


def test_mean_test_detects_a_shift_but_not_a_variance_change():
    x = torch.randn(400, 2, generator=g(0))
    assert mean_difference_test(x, torch.randn(400, 2, generator=g(1)) + 0.5).rejects(0.01)
    assert not mean_difference_test(x, 3 * torch.randn(400, 2, generator=g(1))).rejects(0.05)


def test_mmd_and_classifier_detect_a_variance_change():
    x, y = torch.randn(200, 2, generator=g(0)), 3 * torch.randn(200, 2, generator=g(1))
    assert mmd_test(x, y, n_permutations=200, rng=g(2)).p_value < 0.01
    res = classifier_test(x, y, rng=g(3))
    assert res.statistic > 0.7 and res.p_value < 0.01


def test_mmd_is_calibrated_under_the_null():
    """Under H0 the permutation p-value is (nearly) uniform: rejections at 5% stay near 5%."""
    rejections = sum(
        mmd_test(torch.randn(60, 2, generator=g(2 * i)), torch.randn(60, 2, generator=g(2 * i + 1)),
                 n_permutations=100, rng=g(1000 + i)).rejects(0.05)
        for i in range(60)
    )
    assert rejections <= 8  # expected 3; P(Binomial(60, 0.05) > 8) < 1%


def test_unbiased_mmd2_on_a_hand_example():
    # linear kernel k(a, b) = ab on X = {0, 2}, Y = {1, 3}: MMD² = (mean X - mean Y)² unbiasedly estimated
    z = torch.tensor([0.0, 2.0, 1.0, 3.0])
    k = z[:, None] * z[None, :]
    expected = (0 * 2 * 2) / 2 + (1 * 3 * 2) / 2 - 2 * (0 + 0 + 2 + 6) / 4
    assert abs(float(mmd2(k, 2)) - expected) < 1e-6


def test_shape_errors():
    with pytest.raises(ValueError, match="same dimension"):
        mmd_test(torch.zeros(5, 2), torch.zeros(5, 3))
