"""The f-GAN family (Nowozin, Cseke & Tomioka, 2016) — lecture 4.

An f-divergence D_f(P ‖ Q) = ∫ q(x) f(p(x)/q(x)) dx is fixed by a convex generator f with f(1) = 0.
Its Fenchel conjugate f*(t) = sup_u {u·t − f(u)} gives the variational lower bound (paper, eq. 4)

    D_f(P ‖ Q) ≥ sup_T  E_P[T(x)] − E_Q[f*(T(x))],   tight at T*(x) = f′(p(x)/q(x)).

An f-GAN writes T = g_f(V(x)): V is the network's unconstrained logit and the *output activation* g_f maps
it into the domain of f*. The two players play (eq. 6)

    F(θ, ω) = E_P[g_f(V_ω(x))] − E_{Q_θ}[f*(g_f(V_ω(x)))]        (the discriminator maximises F).

Each :class:`FDivergence` carries f, f*, f′, dom f*, g_f and the threshold f′(1) of the paper's
Tables 1 and 2 — the value of T where p = q, so a sample x counts as "real" when g_f(V(x)) > f′(1).
Losses for the training loop are built from them in :mod:`gancourse.losses` (``loss="fgan-kl"``, …).

Two rows differ from the usual normalisation, as in the paper: Jensen–Shannon's f gives
D_f = 2·JSD (the paper's Table 1 writes JSD with a factor ½ in front of an f without it; its
conjugate −log(2 − eᵗ) belongs to this f), and the "GAN" row's f(u) = u log u − (u+1) log(u+1) has
f(1) = −log 4, so D_GAN = 2·JSD − log 4 — the value of the original GAN game at the optimal D.

Used by lecture 4 (all of it) and its assignment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from scipy.special import xlogy

from . import checks

Array = Callable[[np.ndarray], np.ndarray]
TensorFn = Callable[[torch.Tensor], torch.Tensor]

LOG2 = math.log(2.0)


@dataclass(frozen=True)
class FDivergence:
    """One row of the f-GAN tables: f, its conjugate f*, the output activation g_f and f′(1).

    Attributes:
        name: registry key (``"kl"``, ``"reverse-kl"``, …).
        label: the name the paper's tables use.
        f: the generator f(u) on u > 0 (NumPy, vectorised).
        f_prime: its derivative f′(u) (a subgradient for total variation), so T* = f′(p/q).
        conjugate: f*(t) on dom f* (NumPy; ``inf`` outside the domain).
        domain: dom f* as an interval (lo, hi); endpoints may be infinite (``conjugate`` is +inf outside
            [lo, hi] and at an endpoint where it diverges).
        activation: g_f(v), a map from R into dom f* (torch).
        conjugate_of_activation: f*(g_f(v)) written in a numerically stable closed form (torch).
        threshold: f′(1), the value of T where p = q.
        formulas: f, f*, dom f* and g_f written out as in the paper's tables, for the lecture's table.
    """

    name: str
    label: str
    f: Array
    f_prime: Array
    conjugate: Array
    domain: tuple[float, float]
    activation: TensorFn
    conjugate_of_activation: TensorFn
    threshold: float
    formulas: tuple[str, str, str, str]

    def __post_init__(self) -> None:
        for field in ("f", "f_prime", "conjugate"):          # the NumPy functions take any array-like, in float64
            object.__setattr__(self, field, _float64(getattr(self, field)))

    @property
    def short_label(self) -> str:
        """The label without its note on normalisation, e.g. ``"Jensen–Shannon"``."""
        return self.label.split(" (")[0]

    def __repr__(self) -> str:
        return f"FDivergence({self.name!r}: f(u) = {self.formulas[0]})"


def _float64(fn: Array) -> Array:
    """``fn`` applied to its argument as a float64 array."""
    return lambda x: fn(np.asarray(x, dtype=np.float64))


def _on_domain(fn: Array, lo: float, hi: float) -> Array:
    """``fn`` on the closed interval [lo, hi] and +inf outside it: the convention for a conjugate's domain."""
    def wrapped(t):
        t = np.asarray(t, dtype=np.float64)
        out = np.full(t.shape, np.inf)
        inside = (t >= lo) & (t <= hi)
        with np.errstate(all="ignore"):
            out[inside] = fn(t[inside])
        return out
    return wrapped


INF = math.inf

_ROWS = [
    FDivergence(
        "kl", "Kullback–Leibler",
        f=lambda u: xlogy(u, u), f_prime=lambda u: np.log(u) + 1,
        conjugate=lambda t: np.exp(t - 1), domain=(-INF, INF),
        activation=lambda v: v, conjugate_of_activation=lambda v: torch.exp(v - 1),
        threshold=1.0, formulas=("u log u", "exp(t − 1)", "R", "v")),
    FDivergence(
        "reverse-kl", "Reverse KL",
        f=lambda u: -np.log(u), f_prime=lambda u: -1 / u,
        conjugate=_on_domain(lambda t: -1 - np.log(-t), -INF, 0.0), domain=(-INF, 0.0),
        activation=lambda v: -torch.exp(-v), conjugate_of_activation=lambda v: v - 1,   # −1 − log(e^{−v})
        threshold=-1.0, formulas=("−log u", "−1 − log(−t)", "(−∞, 0)", "−exp(−v)")),
    FDivergence(
        "pearson", "Pearson χ²",
        f=lambda u: (u - 1) ** 2, f_prime=lambda u: 2 * (u - 1.0),
        conjugate=lambda t: t ** 2 / 4 + t, domain=(-INF, INF),
        activation=lambda v: v, conjugate_of_activation=lambda v: v * v / 4 + v,
        threshold=0.0, formulas=("(u − 1)²", "t²/4 + t", "R", "v")),
    FDivergence(
        "neyman", "Neyman χ²",
        f=lambda u: (1 - u) ** 2 / u,
        f_prime=lambda u: 1 - 1 / u ** 2,
        conjugate=_on_domain(lambda t: 2 - 2 * np.sqrt(1 - t), -INF, 1.0), domain=(-INF, 1.0),
        activation=lambda v: 1 - torch.exp(-v), conjugate_of_activation=lambda v: 2 - 2 * torch.exp(-v / 2),
        threshold=0.0, formulas=("(1 − u)²/u", "2 − 2√(1 − t)", "(−∞, 1]", "1 − exp(−v)")),
    FDivergence(
        "hellinger", "Squared Hellinger",
        f=lambda u: (np.sqrt(u) - 1) ** 2,
        f_prime=lambda u: 1 - 1 / np.sqrt(u),
        conjugate=_on_domain(lambda t: t / (1 - t), -INF, 1.0), domain=(-INF, 1.0),
        activation=lambda v: 1 - torch.exp(-v), conjugate_of_activation=lambda v: torch.expm1(v),  # (1−e^{−v})/e^{−v}
        threshold=0.0, formulas=("(√u − 1)²", "t/(1 − t)", "(−∞, 1)", "1 − exp(−v)")),
    FDivergence(
        "js", "Jensen–Shannon (D_f = 2·JSD)",
        f=lambda u: xlogy(u, u) - xlogy(u + 1, (u + 1.0) / 2),
        f_prime=lambda u: np.log(2 * u / (u + 1.0)),
        conjugate=_on_domain(lambda t: -np.log(2 - np.exp(t)), -INF, LOG2), domain=(-INF, LOG2),
        activation=lambda v: LOG2 - F.softplus(-v),
        conjugate_of_activation=lambda v: F.softplus(v) - LOG2,   # −log(2 − 2σ(v))
        threshold=0.0, formulas=("u log u − (u + 1) log((u + 1)/2)", "−log(2 − exp t)", "(−∞, log 2)",
                  "log 2 − log(1 + exp(−v))")),
    FDivergence(
        "gan", "GAN (D_f = 2·JSD − log 4)",
        f=lambda u: xlogy(u, u) - xlogy(u + 1, u + 1.0),
        f_prime=lambda u: np.log(u / (u + 1.0)),
        conjugate=_on_domain(lambda t: -np.log(1 - np.exp(t)), -INF, 0.0), domain=(-INF, 0.0),
        activation=lambda v: -F.softplus(-v),                  # log σ(v) = log D
        conjugate_of_activation=lambda v: F.softplus(v),       # −log(1 − σ(v))
        threshold=-LOG2, formulas=("u log u − (u + 1) log(u + 1)", "−log(1 − exp t)", "(−∞, 0)", "−log(1 + exp(−v))")),
    FDivergence(
        "total-variation", "Total variation",
        f=lambda u: 0.5 * np.abs(u - 1),
        f_prime=lambda u: 0.5 * np.sign(u - 1),
        conjugate=_on_domain(lambda t: t, -0.5, 0.5), domain=(-0.5, 0.5),
        activation=lambda v: 0.5 * torch.tanh(v), conjugate_of_activation=lambda v: 0.5 * torch.tanh(v),
        threshold=0.0, formulas=("½|u − 1|", "t", "[−½, ½]", "½ tanh v")),
]

DIVERGENCES: dict[str, FDivergence] = {row.name: row for row in _ROWS}


def available() -> list[str]:
    """Names accepted by :func:`get`, in the order of the paper's tables."""
    return list(DIVERGENCES)


def get(name: str) -> FDivergence:
    """The f-divergence called ``name`` (one of :func:`available`)."""
    if not isinstance(name, str) or name not in DIVERGENCES:
        raise KeyError(f"Unknown f-divergence {name!r}; choose one of {', '.join(DIVERGENCES)}.")
    return DIVERGENCES[name]


U_GRID = np.concatenate([[0.0], np.logspace(-8, 8, 200_001)])
"""The ratios u = p/q ≥ 0 over which :func:`numerical_conjugate` takes its supremum by default."""


def numerical_conjugate(fn: Array, s: np.ndarray, grid: np.ndarray = U_GRID) -> np.ndarray:
    """max over ``grid`` of {g·s − fn(g)}, for each s: the Fenchel conjugate fn*(s) restricted to the grid.

    With fn = f and the default grid of ratios u ≥ 0 it approximates f*(t); with fn = f* and a grid of t
    inside dom f* it approximates f**(u), which equals f(u) for a convex, closed f (Fenchel–Moreau).
    Where the supremum is attained inside the grid the result is exact to the grid's resolution.
    Used by lecture 4 and the unit tests to check the tables' closed forms.
    """
    checks.function("fn", fn, "a convex function of a NumPy array, e.g. fgan.get('kl').f or its .conjugate")
    try:
        s = np.atleast_1d(np.asarray(s, dtype=np.float64))
        grid = np.asarray(grid, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("s and grid must be numbers or arrays of numbers (the points t, or u, and the grid to "
                        "maximise over).") from None
    if grid.ndim != 1 or grid.size == 0:
        raise ValueError(f"grid must be a non-empty 1-D array of points, got shape {grid.shape}.")
    with np.errstate(all="ignore"):
        values = fn(grid)
    keep = np.isfinite(values)
    grid, values = grid[keep], values[keep]
    return np.array([np.max(grid * si - values) for si in s])


def conjugate_points(divergence: FDivergence | str, n: int = 41) -> np.ndarray:
    """n points t inside dom f* (clipped to [−6, 3]) where the table's f* is the supremum over ratios u ≥ 0.

    For Pearson χ² that is t ≥ −2 only: below, sup_{u ≥ 0}{ut − (u − 1)²} = −1 (attained at u = 0) while the
    table's t²/4 + t is the conjugate of (u − 1)² over all of R. Used by lecture 4 and the unit tests.
    """
    div = divergence if isinstance(divergence, FDivergence) else get(divergence)
    n = checks.positive_int("n", n)
    lo, hi = div.domain
    return np.linspace(max(lo, -1.9 if div.name == "pearson" else -6.0), min(hi, 3.0), n + 2)[1:-1]


def numerical_biconjugate(divergence: FDivergence | str, u: np.ndarray) -> np.ndarray:
    """f**(u) = max over a grid of t in dom f* of {t·u − f*(t)}: equals f(u) by Fenchel–Moreau.

    The grid is dense near a finite upper end of dom f*, where the maximisers t = f′(u) of large u lie
    (200,000 points), or uniform on [−60, 30] when dom f* is R (400,001 points); [−½, ½] for total variation.
    Used by lecture 4 and the unit tests.
    """
    div = divergence if isinstance(divergence, FDivergence) else get(divergence)
    lo, hi = div.domain
    if math.isfinite(lo):
        t_grid = np.linspace(lo, hi, 100_001)
    elif math.isfinite(hi):
        t_grid = hi - np.logspace(-7, 2, 200_000)
    else:
        t_grid = np.linspace(-60.0, 30.0, 400_001)
    return numerical_conjugate(div.conjugate, u, t_grid[(t_grid >= lo) & (t_grid <= hi)])


def variational_objective(divergence: FDivergence | str, v_p: torch.Tensor, v_q: torch.Tensor) -> torch.Tensor:
    """E_P[g_f(V)] − E_Q[f*(g_f(V))] from logits V on samples of P (``v_p``) and of Q (``v_q``).

    The f-GAN objective F(θ, ω) of the paper (eq. 6); a lower bound on D_f(P ‖ Q) for every V.
    """
    div = divergence if isinstance(divergence, FDivergence) else get(divergence)
    for name, v in (("v_p", v_p), ("v_q", v_q)):
        if not (torch.is_tensor(v) and v.is_floating_point()):
            raise TypeError(f"{name} must be a float tensor of logits V(x) (the discriminator's output), got "
                            f"{type(v).__name__}{'' if not torch.is_tensor(v) else ' of dtype ' + str(v.dtype)}.")
    return div.activation(v_p).mean() - div.conjugate_of_activation(v_q).mean()
