"""What a trained critic says: its estimate of W₁ and its slope (lectures 3 and 6).

By Kantorovich–Rubinstein duality (lecture 3), W₁(p, q) = sup over 1-Lipschitz f of E_p f − E_q f, so a
trained critic f gives the *estimate* ``critic_estimate(f, x_p, x_q)`` = mean f(x_p) − mean f(x_q), a
lower bound on K·W₁ when f is K-Lipschitz. Whether f is close to the optimal critic shows in its
slope: ``input_gradient(f, x)`` is ∇ₓf at each row of x (a unit vector along the optimal-transport
segments for the optimal critic — the theorem behind the gradient penalty).

Spectral normalisation (Miyato et al., 2018; lecture 3) bounds an MLP's Lipschitz constant by the product of
its layers' spectral norms σ(W) (1-Lipschitz activations): ``power_iteration(W, steps)`` is the paper's
Algorithm 1 estimate of σ(W), ``spectral_norms(mlp)`` the exact σ of every linear layer by SVD and
``lipschitz_bound(mlp)`` their product. For a convolution the paper normalises the kernel reshaped to a
matrix, which is not the convolution's own norm: ``operator_norms(net, x)`` estimates every layer's norm
as a linear map on the input it receives (power iteration with autograd). A convolution with a k×k kernel,
stride s, dilation 1 and one group has at most ⌈k/s⌉ times its kernel matrix's σ, and at least that σ when
one patch lies clear of the padding (lecture 3).
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


def power_iteration(weight: torch.Tensor, steps: int = 1, u: torch.Tensor | None = None,
                    rng: torch.Generator | None = None) -> tuple[float, torch.Tensor]:
    """σ̂ = uᵀWv after ``steps`` rounds of v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖ (Miyato et al., 2018, Alg. 1).

    Args:
        weight: the matrix W (m × n); a convolution's kernel is flattened to (out channels) × (the rest).
        steps: rounds of the iteration (spectral normalisation runs one per training step, keeping u).
        u: the left vector to start from (m); a random unit vector from ``rng`` when omitted.
        rng: random generator for the starting u.

    Returns:
        (σ̂, u): the estimate, which never exceeds σ(W) (σ̂² = ‖Wv‖² is a Rayleigh quotient of WᵀW) and never
        decreases with ``steps`` (lecture 3), and the last u, to continue from.
    """
    if not isinstance(weight, torch.Tensor) or weight.ndim < 2:
        raise ValueError(f"weight must be a matrix (or a convolution kernel), got "
                         f"{tuple(weight.shape) if isinstance(weight, torch.Tensor) else type(weight).__name__}.")
    steps = checks.positive_int("steps", steps)
    W = weight.detach().flatten(1).double()
    if u is None:
        u = torch.randn(W.shape[0], generator=rng, dtype=torch.float64)
    elif u.shape != (W.shape[0],):
        raise ValueError(f"u must be a vector of length {W.shape[0]} (W's rows), got {tuple(u.shape)}.")
    u = u.double() / u.double().norm()
    for _ in range(steps):
        v = W.T @ u
        v = v / v.norm()                                   # v ← Wᵀu / ‖Wᵀu‖
        u = W @ v
        u = u / u.norm()                                   # u ← Wv / ‖Wv‖
    return float(u @ W @ v), u                             # σ̂ = uᵀ W v


def _linear_layers(mlp: torch.nn.Module) -> list[torch.nn.Module]:
    layers = [m for m in mlp.modules() if isinstance(m, torch.nn.Linear)]
    unsupported = (torch.nn.modules.conv._ConvNd, torch.nn.modules.batchnorm._NormBase, torch.nn.LayerNorm,
                   torch.nn.GroupNorm)
    others = sorted({type(m).__name__ for m in mlp.modules() if isinstance(m, unsupported)})
    if others or not layers:
        raise ValueError(f"expected an MLP of nn.Linear layers and 1-Lipschitz activations, got "
                         f"{', '.join(others) or 'no linear layer'}; the product bound is stated for MLPs.")
    return layers


@torch.no_grad()
def spectral_norms(mlp: torch.nn.Module) -> list[float]:
    """σ(W) by SVD for every ``nn.Linear`` layer of ``mlp`` (input side first), as used in evaluation mode.

    For a layer under ``torch.nn.utils.parametrizations.spectral_norm`` this is the normalised weight
    W / σ̂(W) with the stored power-iteration vectors (reading it in training mode would run an iteration).
    """
    training = mlp.training
    mlp.eval()
    try:
        return [float(torch.linalg.matrix_norm(layer.weight.double(), ord=2)) for layer in _linear_layers(mlp)]
    finally:
        mlp.train(training)


def lipschitz_bound(mlp: torch.nn.Module) -> float:
    """∏ σ(W_l): an upper bound on the Lipschitz constant of an MLP whose activations are 1-Lipschitz
    (ReLU, LeakyReLU, tanh; dropout in evaluation mode), in the Euclidean norm. A SAN head (a unit
    direction, lecture 3) or other non-``nn.Linear`` layers are not included."""
    return float(torch.tensor(spectral_norms(mlp), dtype=torch.float64).prod())


_LAYERS = (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)


def operator_norms(net: torch.nn.Module, x: torch.Tensor, steps: int = 1000,
                   rng: torch.Generator | None = None) -> list[float]:
    """‖A_l‖₂ of every ``nn.Linear`` / convolution layer of ``net`` as a linear map on its input, in the order run.

    A layer's linear part A (its bias left out) acts on inputs of the shape the layer receives when ``net``
    runs on ``x``; ``steps`` rounds of power iteration on AᵀA, with Aᵀ from autograd, estimate ‖A‖₂ from below
    (a Rayleigh quotient, as :func:`power_iteration`). For ``nn.Linear`` this is σ(W); for a convolution it is
    the norm of the whole convolution, not of the reshaped kernel that spectral normalisation divides by
    (lecture 3). Each layer is measured once, in the order of its first call (a layer applied twice enters a
    Lipschitz product twice). The network runs in evaluation mode, so a spectrally normalised layer uses its
    stored u, v and updates nothing; every module's mode is restored. The iteration runs on the CPU in float64.

    Args:
        net: the network (e.g. a discriminator), with 1-Lipschitz activations if the product of the
            norms is to bound its Lipschitz constant.
        x: an input batch for ``net`` (only its shape matters; it is moved to the device of ``net``).
        steps: rounds of the iteration.
        rng: random generator for the starting vectors (a CPU generator).

    Raises:
        ValueError: if ``net`` has a transposed convolution or no layer to measure, or a layer ``net`` does not
            call on ``x``.
    """
    layers = [m for m in net.modules() if isinstance(m, _LAYERS)]
    transposed = [type(m).__name__ for m in net.modules() if isinstance(m, torch.nn.modules.conv._ConvTransposeNd)]
    if transposed or not layers:
        raise ValueError(f"expected nn.Linear and convolution layers, got {', '.join(transposed) or 'none'}; "
                         "operator_norms measures discriminators and other networks without transposed convolutions.")
    steps = checks.positive_int("steps", steps)
    shapes: dict[torch.nn.Module, tuple[int, ...]] = {}

    def record(module: torch.nn.Module, inputs: tuple[torch.Tensor, ...], _: torch.Tensor) -> None:
        shapes.setdefault(module, tuple(inputs[0].shape[1:]))   # the input shape at the layer's first call

    hooks = [m.register_forward_hook(record) for m in layers]
    modes = {m: m.training for m in net.modules()}
    net.eval()
    try:
        with torch.no_grad():
            net(x[:1].to(next(net.parameters()).device))            # records each layer's input shape
        unused = [type(m).__name__ for m in layers if m not in shapes]
        if unused:
            raise ValueError(f"net does not call {len(unused)} of its layers ({', '.join(unused)}) on x; "
                             "pass an input that runs through every layer.")
        norms = []
        with torch.enable_grad():
            for layer in shapes:                                     # in the order of the first calls
                weight = layer.weight.detach().double().cpu()
                if isinstance(layer, torch.nn.Linear):
                    def A(h: torch.Tensor, weight: torch.Tensor = weight) -> torch.Tensor:
                        return h @ weight.T                          # W h
                else:
                    def A(h: torch.Tensor, layer: torch.nn.Module = layer, weight: torch.Tensor = weight) -> torch.Tensor:
                        return layer._conv_forward(h, weight, None)  # the convolution without its bias
                v = torch.randn((1,) + shapes[layer], generator=rng, dtype=torch.float64)
                for _ in range(steps):
                    v = (v / v.norm()).requires_grad_(True)
                    Av = A(v)
                    (v,) = torch.autograd.grad(Av, v, grad_outputs=Av)   # v ← AᵀA v
                norms.append(float(Av.detach().norm()))              # σ̂ = ‖A v‖ for the last unit v
        return norms
    finally:
        for h in hooks:
            h.remove()
        for m, mode in modes.items():
            m.training = mode


__all__ = ["critic_estimate", "input_gradient", "power_iteration", "spectral_norms", "lipschitz_bound",
           "operator_norms"]
