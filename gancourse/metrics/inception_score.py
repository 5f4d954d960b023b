"""Inception Score (Salimans et al., 2016): IS = exp(E_x KL(p(y|x) ‖ p(y))), p(y) = E_x p(y|x).

High when each sample is classified confidently (low entropy of p(y|x): sharp, recognisable samples)
*and* the classes are balanced (high entropy of p(y): diversity), since
KL averaged over x = H(p(y)) − E_x H(p(y|x)).  Its maximum is the number of classes; real MNIST digits
under a 99%-accurate classifier score close to 10.  As in the paper, the samples are split into
``splits`` groups and the mean and standard deviation over groups are reported.
"""

from __future__ import annotations

import torch


def inception_score(probs: torch.Tensor, splits: int = 10) -> tuple[float, float]:
    """IS mean and standard deviation over ``splits`` groups of class probabilities p(y|x) (n×C)."""
    if probs.ndim != 2 or (probs < 0).any() or not torch.allclose(probs.sum(1), torch.ones(len(probs)), atol=1e-3):
        raise ValueError("probs must be an n×C matrix of class probabilities (rows summing to 1); "
                         "pass softmax(logits), not logits.")
    if not 1 <= splits <= len(probs):
        raise ValueError(f"splits must be between 1 and n = {len(probs)}, got {splits}.")
    p = probs.double().clamp_min(1e-12)
    scores = []
    for part in torch.tensor_split(p, splits):
        p_y = part.mean(0, keepdim=True)                              # marginal p(y) of the split
        kl = (part * (part.log() - p_y.log())).sum(1).mean()          # E_x KL(p(y|x) ‖ p(y))
        scores.append(kl.exp())
    s = torch.stack(scores)
    return s.mean().item(), (s.std(unbiased=False).item() if splits > 1 else 0.0)
