"""Sample-based evaluation of generative models — one entry point, :func:`evaluate` (lectures 3, 5 and 7).

    from gancourse import metrics
    scores = metrics.evaluate("mnist-test", fake_images)          # classifier features
    scores["fid"], scores["is"], scores["precision"], scores["recall"], scores["density"], scores["coverage"]

What is expensive is computed once: ``"mnist-test"`` uses the shipped statistics of the 10,000 test
digits for FID and extracts their features (for precision/recall) once per process; for any other
reference set, :func:`features_of` extracts φ once into a :class:`FeatureSet` that every later call
reuses (its FID statistics are cached on it).

The pieces, each in its own module (none imports this one; no cycles):

* :mod:`~gancourse.metrics.frechet` — the Fréchet distance of feature Gaussians (pure mathematics)
* :mod:`~gancourse.metrics.classifier` — the course's MNIST classifier: weights, test-set statistics, loader
* :mod:`~gancourse.metrics.train_classifier` — its retraining script
* :mod:`~gancourse.metrics.features` — the feature networks φ (MNIST classifier, pytorch-fid's InceptionV3, pixels)
* :mod:`~gancourse.metrics.inception_score` — IS from class probabilities
* :mod:`~gancourse.metrics.precision_recall` — improved precision/recall (k = 3) and density/coverage (k = 5)
* :mod:`~gancourse.metrics.unbiased` — the Kernel Inception Distance and FID∞, two answers to FID's bias in N (:func:`kid`,
  :func:`fid_infinity`)
* :mod:`~gancourse.metrics.toy` — modes covered and high-quality share on the 2-D mixtures
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterable

import torch

from .. import checks
from .classifier import MNISTClassifier, accuracy, digit_shares, mnist_classifier, mnist_reference_statistics
from .features import (Features, FeatureNetworkUnavailableError, InceptionFeatures, check_images, extract_features,
                       inception_v3)
from .frechet import FeatureStatistics, frechet_distance
from .inception_score import inception_score
from .unbiased import FIDExtrapolation, fit_inverse_n, kid_from_features
from .precision_recall import prdc
from .toy import toy_quality

ALL_METRICS = ("fid", "is", "precision", "recall", "density", "coverage")
NEEDS_REAL = ("fid", "precision", "recall", "density", "coverage")

__all__ = ["evaluate", "fid", "features_of", "FeatureSet", "ALL_METRICS", "MNISTClassifier", "mnist_classifier",
           "digit_shares", "accuracy", "FeatureNetworkUnavailableError", "InceptionFeatures", "extract_features", "inception_v3",
           "FeatureStatistics", "frechet_distance", "mnist_reference_statistics", "inception_score", "prdc",
           "toy_quality", "kid", "fid_infinity", "FIDExtrapolation"]


@dataclass(eq=False)
class FeatureSet:
    """The features φ(x) of a set of images, computed once; its FID statistics are cached on first use."""

    features: torch.Tensor
    network: str

    def __len__(self) -> int:
        return len(self.features)

    @functools.cached_property
    def statistics(self) -> FeatureStatistics:
        return FeatureStatistics.of(self.features)


def _network_name(features: Features) -> str:
    return features if isinstance(features, str) else f"{type(features).__name__}@{id(features):x}"


def _images(x: Any, what: str) -> torch.Tensor:
    if hasattr(x, "images") and isinstance(x.images, torch.Tensor):  # gancourse.data.ImageDataset
        x = x.images
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{what} must be a tensor of images in [-1, 1], a dataset with .images, a FeatureSet "
                        f"(metrics.features_of) or 'mnist-test', got {type(x).__name__}.")
    return check_images(x, what)


def features_of(images: Any, features: Features = "mnist", batch_size: int = 1000,
                device: torch.device | str | None = None) -> FeatureSet:
    """Extract φ(images) once, for reuse in many calls of :func:`evaluate` and :func:`fid`."""
    return FeatureSet(extract_features(_images(images, "images"), features, batch_size=batch_size, device=device),
                      _network_name(features))


def _load_mnist_test() -> torch.Tensor:
    from ..data import mnist

    return mnist(train=False).images


@functools.lru_cache(maxsize=4)
def _mnist_test_features(features: str) -> FeatureSet:
    return features_of(_load_mnist_test(), features)


def _as_feature_set(x: Any, features: Features, what: str, **kwargs: Any) -> FeatureSet:
    if isinstance(x, FeatureSet):
        if x.network != _network_name(features):
            raise ValueError(f"{what} holds features of {x.network!r} but features={_network_name(features)!r} was "
                             "asked for: extract both sets with the same network.")
        return x
    if isinstance(x, str):
        if x != "mnist-test":
            raise ValueError(f"The only named reference set is 'mnist-test', got {x!r}.")
        if not isinstance(features, str):          # a user's network: not cached across calls
            return features_of(_load_mnist_test(), features, **kwargs)
        return _mnist_test_features(features)
    return features_of(x, features, **kwargs)


def _as_statistics(x: Any, features: Features, what: str, **kwargs: Any) -> FeatureStatistics:
    if isinstance(x, FeatureStatistics):
        return x
    if isinstance(x, str) and x == "mnist-test" and features == "mnist":
        return mnist_reference_statistics()        # shipped: no image is loaded or featurised
    return _as_feature_set(x, features, what, **kwargs).statistics


def fid(real: Any, fake: Any, features: Features = "mnist", **kwargs: Any) -> float:
    """FID between two sets, each given as images, a :class:`FeatureSet`, :class:`FeatureStatistics`, or
    (``real`` only) ``"mnist-test"`` — the shipped statistics of the MNIST test digits (classifier features)."""
    return frechet_distance(_as_statistics(real, features, "real", **kwargs),
                            _as_statistics(fake, features, "fake", **kwargs))


def kid(real: Any, fake: Any, features: Features = "mnist", n_subsets: int = 100, subset_size: int = 1000,
        seed: int = 0, **kwargs: Any) -> tuple[float, float]:
    """Kernel Inception Distance (unbiased MMD², cubic kernel) and its standard deviation over ``n_subsets``
    random subsets of ``subset_size`` (:mod:`~gancourse.metrics.unbiased`; lecture 7). ``real`` and ``fake`` as in
    :func:`evaluate`."""
    return kid_from_features(_as_feature_set(real, features, "real", **kwargs).features,
                             _as_feature_set(fake, features, "fake", **kwargs).features,
                             n_subsets=n_subsets, subset_size=subset_size, seed=seed)


def fid_infinity(real: Any, fake: Any, sizes: Iterable[int], features: Features = "mnist", seed: int = 0,
                 **kwargs: Any) -> FIDExtrapolation:
    """FID of random subsets of ``fake`` of each size in ``sizes`` against all of ``real``, and the line in 1/N
    through them extrapolated to N → ∞ (Chong & Forsyth, 2020; lecture 7). ``real`` and ``fake`` as in
    :func:`fid`; every size must be at most ``len(fake)``."""
    reference = _as_statistics(real, features, "real", **kwargs)
    fake_features = _as_feature_set(fake, features, "fake", **kwargs).features
    sizes = sorted(checks.positive_int("size", n, minimum=2) for n in sizes)
    if sizes and sizes[-1] > len(fake_features):
        raise ValueError(f"sizes go up to {sizes[-1]} but fake holds {len(fake_features)} samples; "
                         "draw more samples or use smaller sizes.")
    rng = torch.Generator().manual_seed(seed)
    fids = [frechet_distance(reference, FeatureStatistics.of(fake_features[torch.randperm(len(fake_features),
                                                                                             generator=rng)[:n]]))
            for n in sizes]
    return fit_inverse_n(sizes, fids)


def evaluate(real: Any, fake: Any, metrics: Iterable[str] = ALL_METRICS, features: Features = "mnist",
             k: int = 3, k_dc: int = 5, batch_size: int = 1000,
             device: torch.device | str | None = None) -> dict[str, float]:
    """Compare generated images with real ones; returns ``{metric: value}`` for the metrics asked for.

    Args:
        real: real images (n×C×H×W in [-1, 1]), a dataset with ``.images``, a :class:`FeatureSet`
            (:func:`features_of`, extracted once), or ``"mnist-test"`` for the 10,000 MNIST test digits
            (shipped statistics serve FID; their features are extracted once per process for the
            nearest-neighbour metrics). May be ``None`` when only ``"is"`` is asked for.
        fake: generated images, e.g. ``generator.sample(10_000)``, or a :class:`FeatureSet`.
        metrics: any of ``fid``, ``is`` (Inception Score, from the MNIST classifier's softmax — it uses
            the fake images only), ``precision``, ``recall`` (k = ``k``), ``density``, ``coverage``
            (k = ``k_dc``).
        features: ``"mnist"`` (default), ``"inception"``, ``"pixels"`` or a network; see
            :mod:`~gancourse.metrics.features`.
    """
    metrics = tuple(metrics)
    unknown = set(metrics) - set(ALL_METRICS)
    if unknown:
        raise ValueError(f"Unknown metrics {sorted(unknown)}; choose from {', '.join(ALL_METRICS)}.")
    if "is" in metrics and features != "mnist":
        raise ValueError("The Inception Score of this package uses the MNIST classifier; request 'is' with "
                         "features='mnist'.")
    if real is None and set(metrics) & set(NEEDS_REAL):
        raise ValueError(f"real is None, but {sorted(set(metrics) & set(NEEDS_REAL))} compare with real data; "
                         "pass real images, a FeatureSet or 'mnist-test' (only 'is' needs no real data).")
    opts = dict(batch_size=batch_size, device=device)
    fake_set = _as_feature_set(fake, features, "fake", **opts)
    out: dict[str, float] = {}
    if "fid" in metrics:
        out["fid"] = frechet_distance(_as_statistics(real, features, "real", **opts), fake_set.statistics)
    if "is" in metrics:
        head = mnist_classifier("cpu").head
        with torch.no_grad():
            probs = head(fake_set.features).softmax(1)
        out["is"] = inception_score(probs)[0]
    nearest = [m for m in ("precision", "recall", "density", "coverage") if m in metrics]
    if nearest:
        scores = prdc(_as_feature_set(real, features, "real", **opts).features, fake_set.features, k_pr=k, k_dc=k_dc)
        out.update({m: scores[m] for m in nearest})
    return out
