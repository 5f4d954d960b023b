"""Every sampler on the same model, one table: the comparison of lectures 5 and 6 as one call::

    runs = {"generator": ("generator", {}), "DRS": ("drs", dict(gamma_percentile=80)),
            "MH": ("mh", dict(real=held_out, k=50)), "DDLS": ("ddls", dict(step_size=0.01, n_steps=100))}
    results = samplers.compare(G, D, 4000, runs, seed=0)
    print(samplers.comparison_table(results, score=lambda x: {"high quality": grid.coverage(x).high_quality}))

Each run is (registered sampler name, options); every sampler gets the same ``seed`` unless its options
name one. Costs are the samplers' own counts (:class:`~gancourse.samplers.base.SamplerStats`).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import torch

from ..models.base import Discriminator, Generator
from ..tables import format_table
from .base import SampleResult, get

Score = Callable[[torch.Tensor], Mapping[str, float]]


def compare(generator: Generator, discriminator: Discriminator, n: int,
            runs: Mapping[str, tuple[str, Mapping[str, Any]]], seed: int = 0) -> dict[str, SampleResult]:
    """Run each ``label: (sampler name, options)`` of ``runs`` for n samples; returns label → result."""
    out: dict[str, SampleResult] = {}
    for label, run in runs.items():
        if not (isinstance(run, tuple) and len(run) == 2 and isinstance(run[0], str) and isinstance(run[1], Mapping)):
            raise TypeError(f"runs[{label!r}] must be a pair (sampler name, options dict), e.g. "
                            f"('drs', {{'gamma_percentile': 80}}); got {run!r}.")
        name, options = run
        out[label] = get(name)(generator, discriminator, n, **{"seed": seed, **options})
    return out


def comparison_table(results: Mapping[str, SampleResult], score: Score | None = None,
                     extra_rows: Mapping[str, Mapping[str, float]] | None = None) -> str:
    """A text table: one row per run with ``score(samples)`` (e.g. high-quality share, FID), the cost in
    generator passes per sample and the acceptance rate; ``extra_rows`` (e.g. the data) are appended."""
    rows: dict[str, dict[str, Any]] = {}
    for label, (x, st) in results.items():
        rows[label] = {**(score(x) if score else {}), "cost (G passes/sample)": st.cost,
                       "acceptance": st.acceptance_rate}
    for label, values in (extra_rows or {}).items():
        rows[label] = dict(values)
    return format_table(rows)


__all__ = ["compare", "comparison_table"]
