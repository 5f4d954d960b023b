"""Discriminator-guided samplers: a trained GAN's discriminator still knows what its generator gets wrong.

If D is the optimal discriminator, its logit is d*(x) = log p_data(x) − log p_g(x), so

    p_data(x) = p_g(x) · e^{d*(x)}

and the generator's distribution can be *corrected* after training:

* :func:`drs` — Discriminator Rejection Sampling (Azadi et al., ICLR 2019): accept x ~ p_g with
  probability ∝ e^{d(x)};
* :func:`mh` — Metropolis–Hastings GAN (Turner et al., ICML 2019): an independence MH chain with
  generator proposals and a calibrated discriminator;
* :func:`ddls` — Discriminator Driven Latent Sampling (Che et al., NeurIPS 2020): Langevin dynamics
  on the latent energy E(z) = −log p₀(z) − d(G(z)).

Each is called as ``sampler(generator, discriminator, n, **options)`` and returns n samples in data
space; with ``return_stats=True`` it returns ``(samples, stats)`` where ``stats`` holds the cost
(generator and discriminator evaluations per returned sample) and, for DRS and MH, the acceptance rate.
"""

from .common import LangevinDivergedError, SamplerStats
from .ddls import ddls, latent_energy
from .drs import drs
from .mh import CalibratedDiscriminator, calibrate, mh

__all__ = ["drs", "mh", "calibrate", "CalibratedDiscriminator", "ddls", "latent_energy", "SamplerStats", "LangevinDivergedError"]
