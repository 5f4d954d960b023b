"""What a trained critic says: its estimate of W₁ and its slope (lectures 3 and 6).

By Kantorovich–Rubinstein duality (lecture 3), W₁(p, q) = sup over 1-Lipschitz f of E_p f − E_q f, so a
trained critic f gives the *estimate* ``critic_estimate(f, x_p, x_q)`` = mean f(x_p) − mean f(x_q), a
lower bound on K·W₁ when f is K-Lipschitz. Whether f is close to the optimal critic shows in its
slope: ``input_gradient(f, x)`` is ∇ₓf at each row of x (a unit vector along the optimal-transport
segments for the optimal critic — the theorem behind the gradient penalty).
"""

from __future__ import annotations

from typing import Callable

import torch

from . import checks

Critic = Callable[[torch.Tensor], torch.Tensor]


@torch.no_grad()
def critic_estimate(critic: Critic, x_p: torch.Tensor, x_q: torch.Tensor, batch_size: int = 10_000) -> float:
    """E_p f − E_q f from samples ``x_p`` ~ p and ``x_q`` ~ q: the critic's estimate of (K·)W₁(p, q)."""
    checks.function("critic", critic, "the critic f, mapping n inputs to n outputs")
    for name, x in (("x_p", x_p), ("x_q", x_q)):
        if not isinstance(x, torch.Tensor) or x.ndim == 0 or len(x) == 0:
            raise ValueError(f"{name} must be a non-empty tensor of samples (one per row), got "
                             f"{tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__}.")
    batch_size = checks.positive_int("batch_size", batch_size)

    def mean(x: torch.Tensor) -> torch.Tensor:
        return torch.cat([critic(x[i:i + batch_size]) for i in range(0, len(x), batch_size)]).double().mean()

    return float(mean(x_p) - mean(x_q))


def input_gradient(fn: Critic, x: torch.Tensor) -> torch.Tensor:
    """∇ₓ fn(x) for every row of x (fn maps n inputs to n outputs, each depending on its own input)."""
    checks.function("fn", fn, "the critic f, mapping n inputs to n outputs")
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError(f"x must be a float tensor of inputs, got "
                        f"{x.dtype if isinstance(x, torch.Tensor) else type(x).__name__}.")
    x = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(x).sum(), x)
    return grad


__all__ = ["critic_estimate", "input_gradient"]
