"""Sample-based evaluation of generative models — one entry point, :func:`evaluate`.

    from gancourse import metrics
    scores = metrics.evaluate("mnist-test", fake_images)          # classifier features
    scores["fid"], scores["is"], scores["precision"], scores["recall"], scores["density"], scores["coverage"]

The pieces, each in its own module:

* :mod:`~gancourse.metrics.features` — the feature networks φ (MNIST classifier, pytorch-fid's InceptionV3, pixels)
* :mod:`~gancourse.metrics.classifier` — the course's MNIST classifier and its training
* :mod:`~gancourse.metrics.fid` — Fréchet distance of feature Gaussians, shipped MNIST test statistics
* :mod:`~gancourse.metrics.inception_score` — IS from class probabilities
* :mod:`~gancourse.metrics.prdc` — improved precision/recall (k = 3) and density/coverage (k = 5)
* :mod:`~gancourse.metrics.toy` — modes covered and high-quality share on the 2-D mixtures
"""

from __future__ import annotations

from typing import Any, Iterable

import torch

from .classifier import MNISTClassifier, mnist_classifier
from .features import FeatureNetworkUnavailable, InceptionFeatures, extract_features, inception_v3
from .fid import FeatureStatistics, fid, frechet_distance, mnist_reference_statistics, statistics
from .inception_score import inception_score
from .prdc import prdc
from .toy import toy_quality

ALL_METRICS = ("fid", "is", "precision", "recall", "density", "coverage")

__all__ = ["evaluate", "ALL_METRICS", "MNISTClassifier", "mnist_classifier", "FeatureNetworkUnavailable",
           "InceptionFeatures", "extract_features", "inception_v3", "FeatureStatistics", "fid",
           "frechet_distance", "mnist_reference_statistics", "statistics", "inception_score", "prdc",
           "toy_quality"]


def _images(x: Any, what: str) -> torch.Tensor:
    if hasattr(x, "images") and isinstance(x.images, torch.Tensor):  # gancourse.data.ImageDataset
        return x.images
    if isinstance(x, torch.Tensor):
        return x
    raise TypeError(f"{what} must be a tensor of images in [-1, 1] or a dataset with .images, "
                    f"got {type(x).__name__}.")


def evaluate(real: Any, fake: Any, metrics: Iterable[str] = ALL_METRICS, features: Any = "mnist",
             k: int = 3, k_dc: int = 5, batch_size: int = 1000,
             device: torch.device | str | None = None) -> dict[str, float]:
    """Compare generated images with real ones; returns ``{metric: value}`` plus ``n_real``, ``n_fake``.

    Args:
        real: real images (n×C×H×W in [-1, 1]), a dataset with ``.images``, or ``"mnist-test"`` for the
            10,000 MNIST test digits (their shipped statistics serve FID; the digits themselves are loaded
            only for the nearest-neighbour metrics).
        fake: generated images, e.g. ``generator.sample(10_000)``.
        metrics: any of ``fid``, ``is`` (Inception Score, from the MNIST classifier's softmax),
            ``precision``, ``recall`` (k = ``k``), ``density``, ``coverage`` (k = ``k_dc``).
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
    fake = _images(fake, "fake")
    fake_features = extract_features(fake, features, batch_size=batch_size, device=device)
    out: dict[str, float] = {"n_fake": len(fake)}
    needs_real_samples = bool({"precision", "recall", "density", "coverage"} & set(metrics))
    if isinstance(real, str):
        if real != "mnist-test":
            raise ValueError(f"The only named reference set is 'mnist-test', got {real!r}.")
        if needs_real_samples or features != "mnist":
            from ..data import mnist
            real = mnist(train=False).images
    real_features = None
    if not isinstance(real, str):
        real = _images(real, "real")
        real_features = extract_features(real, features, batch_size=batch_size, device=device)
        out["n_real"] = len(real)
    else:
        out["n_real"] = mnist_reference_statistics().n
    if "fid" in metrics:
        ref = FeatureStatistics.of(real_features) if real_features is not None else mnist_reference_statistics()
        out["fid"] = frechet_distance(ref, FeatureStatistics.of(fake_features))
    if "is" in metrics:
        head = mnist_classifier("cpu").head
        with torch.no_grad():
            probs = head(fake_features).softmax(1)
        out["is"] = inception_score(probs)[0]
    if needs_real_samples:
        scores = prdc(real_features, fake_features, k_pr=k, k_dc=k_dc)
        out.update({m: scores[m] for m in ("precision", "recall", "density", "coverage") if m in metrics})
    return out
