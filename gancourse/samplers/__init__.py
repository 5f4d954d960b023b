"""Discriminator-guided samplers: a trained GAN's discriminator still knows what its generator gets wrong.

If D is the optimal discriminator, its logit is d*(x) = log p_data(x) − log p_g(x), so

    p_data(x) = p_g(x) · e^{d*(x)}

and the generator's distribution can be *corrected* after training (lecture 5):

* ``"generator"`` — :func:`generator_samples`, the plain generator, the baseline;
* ``"drs"`` — :func:`drs`, Discriminator Rejection Sampling (Azadi et al., ICLR 2019): accept x ~ p_g
  with probability ∝ e^{d(x)};
* ``"mh"`` — :func:`mh`, Metropolis–Hastings GAN (Turner et al., ICML 2019): an independence MH chain
  with generator proposals and a calibrated discriminator;
* ``"ddls"`` — :func:`ddls`, Discriminator Driven Latent Sampling (Che et al., NeurIPS 2020): Langevin
  dynamics on the latent energy E(z) = −log p₀(z) − d(G(z)) (optionally Metropolis-adjusted).

Every sampler has one call and one result (see :mod:`gancourse.samplers.base`)::

    result = samplers.get(name)(G, D, n, config=None, **overrides)
    x, stats = result            # result.samples, result.stats

``stats`` counts forward and backward passes of G and D (``stats.cost`` is G's forward passes per
returned sample) and, where it applies, the acceptance rate. :func:`available` lists the names;
:func:`compare` runs several on one model and :func:`comparison_table` prints them side by side.
"""

from .base import (LangevinDivergedError, SampleResult, SamplerError, SamplerStats, available, eval_mode, get,
                   register)

# imported in the order available() lists them: the baseline first, then by cost
from .plain import GeneratorConfig, generator_samples  # isort: skip
from .rejection import DRSConfig, drs, drs_acceptance, drs_score  # isort: skip
from .metropolis import CalibratedDiscriminator, MHConfig, calibrate, mh  # isort: skip
from .langevin import DDLSConfig, ddls, langevin_step, latent_energy, mala_step  # isort: skip
from .transport import DOTConfig, TransportDivergedError, dot, effective_lipschitz, max_slope  # isort: skip
from .compare import compare, comparison_table  # isort: skip

__all__ = [
    "get", "available", "register", "SampleResult", "SamplerStats", "SamplerError", "LangevinDivergedError",
    "eval_mode", "generator_samples", "GeneratorConfig", "drs", "DRSConfig", "drs_score", "drs_acceptance", "mh", "MHConfig",
    "calibrate", "CalibratedDiscriminator", "ddls", "DDLSConfig", "latent_energy", "langevin_step", "mala_step",
    "dot", "DOTConfig", "effective_lipschitz", "max_slope", "TransportDivergedError", "compare", "comparison_table",
]
