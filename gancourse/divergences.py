"""Divergences between distributions, for discrete probability vectors and for 1D densities.

* KL(p ‖ q) = Σ p log(p/q)
* JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m),  m = ½(p + q);   0 ≤ JSD ≤ log 2
* f-divergence D_f(p ‖ q) = Σ q f(p/q) for convex f with f(1) = 0.  ``F_GENERATORS`` lists the
  generators f of the divergences used in lecture 2 (KL, reverse KL, JS, total variation, Pearson χ²),
  normalised so that ``f_divergence(p, q, F_GENERATORS["js"]) == js_divergence(p, q)``; the whole
  f-GAN family, with conjugates, is :mod:`gancourse.fgan` (lecture 4).

The ``*_1d`` variants integrate densities given as callables with ``scipy.integrate.quad``.
:func:`wasserstein1_samples` is W₁ between two equal-size samples by exact optimal transport (lecture 6).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy import integrate, optimize
import torch
from scipy.special import xlogy

from . import checks, fgan


def _probs(p, name: str = "p") -> np.ndarray:
    try:
        p = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a vector of probabilities, got {type(p).__name__}.") from None
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector of probabilities, got shape {p.shape}.")
    if not np.isfinite(p).all() or (p < 0).any() or abs(p.sum() - 1) > 1e-6:
        raise ValueError(f"{name} must be non-negative, finite and sum to 1 (a discrete distribution); "
                         f"got sum {p.sum():.6g}, min {p.min():.3g}. Normalise with p / p.sum().")
    return p


def _pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p, q = _probs(p, "p"), _probs(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must be distributions over the same outcomes, got {p.size} and {q.size} of them.")
    return p, q


def _density(name: str, density: Callable[[float], float], x: float) -> float:
    value = float(density(x))
    if not value >= 0 or not math.isfinite(value):
        raise ValueError(f"{name}({x:.4g}) = {value}: a density must be finite and non-negative.")
    return value


def _check_1d(p, q, lo: float, hi: float) -> None:
    """The arguments every 1D integral takes: two densities as callables and a finite interval lo < hi."""
    checks.function("p", p, "the density p(x) of one float")
    checks.function("q", q, "the density q(x) of one float")
    _interval(lo, hi)


def _interval(lo: float, hi: float) -> None:
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"the integration interval needs finite lo < hi, got [{lo}, {hi}].")


def kl_divergence(p, q) -> float:
    """KL(p ‖ q) for discrete distributions; ``inf`` when p puts mass where q has none."""
    p, q = _pair(p, q)
    if ((p > 0) & (q == 0)).any():
        return math.inf
    return float(xlogy(p, p).sum() - xlogy(p, q).sum())


def js_divergence(p, q) -> float:
    """Jensen–Shannon divergence in nats (between 0 and log 2)."""
    p, q = _pair(p, q)
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)


F_GENERATORS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "kl": fgan.get("kl").f,                                  # f(u) = u log u
    "reverse-kl": fgan.get("reverse-kl").f,                  # f(u) = -log u
    "js": lambda u: 0.5 * fgan.get("js").f(u),               # ½ of the f-GAN paper's f: D_f = JSD
    "total-variation": fgan.get("total-variation").f,        # f(u) = ½|u - 1|
    "pearson": fgan.get("pearson").f,                        # f(u) = (u - 1)²
}


def f_divergence(p, q, f: Callable[[np.ndarray], np.ndarray]) -> float:
    """D_f(p ‖ q) = Σ_x q(x) f(p(x)/q(x)) for discrete p, q with q > 0 wherever p > 0."""
    p, q = _pair(p, q)
    checks.function("f", f, "the convex generator f(u) with f(1) = 0, e.g. F_GENERATORS['kl']")
    if ((p > 0) & (q == 0)).any():
        raise ValueError("D_f(p ‖ q) needs q > 0 wherever p > 0 (absolute continuity).")
    mask = q > 0
    return float((q[mask] * f(p[mask] / q[mask])).sum())


def f_divergence_1d(p: Callable[[float], float], q: Callable[[float], float], f: Callable[[np.ndarray], np.ndarray],
                    lo: float, hi: float) -> float:
    """D_f(p ‖ q) = ∫ q f(p/q) over [lo, hi] for 1D densities with q > 0 on [lo, hi] (lecture 4).

    ``f`` is a generator such as ``gancourse.fgan.get("kl").f``; the integral is ``scipy.integrate.quad``'s.
    """
    _check_1d(p, q, lo, hi)
    checks.function("f", f, "the convex generator f(u), e.g. gancourse.fgan.get('kl').f")

    def integrand(x: float) -> float:
        px, qx = _density("p", p, x), _density("q", q, x)
        if qx == 0:
            if px > 0:
                raise ValueError(f"q({x:.4g}) = 0 where p({x:.4g}) > 0: D_f(p ‖ q) needs q > 0 wherever p > 0.")
            return 0.0
        return qx * float(f(np.array([px / qx]))[0])
    return integrate.quad(integrand, lo, hi, limit=1000)[0]


def kl_divergence_1d(p: Callable[[float], float], q: Callable[[float], float], lo: float, hi: float) -> float:
    """∫ p log(p/q) over [lo, hi] for densities given as callables; an error where q = 0 < p (KL = ∞)."""
    _check_1d(p, q, lo, hi)

    def integrand(x: float) -> float:
        px, qx = _density("p", p, x), _density("q", q, x)
        if px > 0 and qx == 0:
            raise ValueError(f"q({x:.4g}) = 0 where p({x:.4g}) > 0: KL(p ‖ q) is infinite.")
        return px * (math.log(px) - math.log(qx)) if px > 0 else 0.0
    return integrate.quad(integrand, lo, hi, limit=500)[0]


def js_divergence_1d(p: Callable[[float], float], q: Callable[[float], float], lo: float, hi: float,
                     points: list[float] | None = None) -> float:
    """JSD of two 1D densities by numerical integration over [lo, hi]."""
    _check_1d(p, q, lo, hi)

    def integrand(x: float) -> float:
        px, qx = _density("p", p, x), _density("q", q, x)
        m = 0.5 * (px + qx)
        out = 0.0
        if px > 0:
            out += 0.5 * px * math.log(px / m)
        if qx > 0:
            out += 0.5 * qx * math.log(qx / m)
        return out
    return integrate.quad(integrand, lo, hi, limit=1000, points=points)[0]


def wasserstein1_samples(a, b) -> float:
    """W₁ between the empirical laws of two samples of equal size n (n × d), by exact optimal transport.

    Between two uniform laws on n points an optimal coupling is a permutation (Birkhoff–von Neumann), so
    W₁ = min over permutations σ of (1/n) Σ ‖a_i − b_σ(i)‖, solved exactly by ``linear_sum_assignment``
    (O(n³): keep n ≤ a few thousand).  Used by lecture 6 to score transported samples.
    """
    a, b = (np.asarray(torch.as_tensor(v).detach().cpu().double().reshape(len(v), -1)) for v in (a, b))
    if a.shape != b.shape or len(a) == 0:
        raise ValueError(f"a and b must be samples of the same shape n × d, got {a.shape} and {b.shape}; "
                         "subsample the larger one.")
    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    rows, cols = optimize.linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())
