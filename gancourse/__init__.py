"""gancourse — the companion package of an open course on Generative Adversarial Networks.

Modules:

* :mod:`gancourse.config` — device, seeding, data root, ``GANCOURSE_BUDGET`` switch, notebook seeds, ``setup_notebook``
* :mod:`gancourse.data` — MNIST in [-1, 1]
* :mod:`gancourse.toy` — toy distributions with exact densities and mode coverage (``bimodal1d``, ``gauss1d``, ``ring8``,
  ``grid25``, ``swissroll``)
* :mod:`gancourse.models` — generators and discriminators (critics), all returning logits
* :mod:`gancourse.losses` — minimax, non-saturating, Wasserstein, hinge, SAN, f-GAN, gradient penalty
* :mod:`gancourse.train` — one training loop for all of them, and ``fit_discriminator`` for fixed distributions
* :mod:`gancourse.checkpoint` — safetensors checkpoints with their configuration and hash
* :mod:`gancourse.plotting` — grids, 2D densities, heat maps, loss curves
* :mod:`gancourse.two_sample` — two-sample tests (difference of means, kernel MMD, classifier)
* :mod:`gancourse.divergences` — KL, Jensen–Shannon and f-divergences
* :mod:`gancourse.fgan` — the f-GAN family: f, f*, output activations, the variational bound (lecture 4)
* :mod:`gancourse.metrics` — FID, IS, precision/recall, density/coverage (``evaluate``), the MNIST classifier
* :mod:`gancourse.zoo` — pretrained checkpoints (``available``, ``load``, ``card``, ``compare``)
* :mod:`gancourse.samplers` — discriminator-guided sampling: DRS, MH-GAN, DDLS (``get``, ``available``, ``compare``)
* :mod:`gancourse.critics` — a critic's estimate and input gradient (lecture 3)
* :mod:`gancourse.claims` — ``check``: the asserts of the lectures, logged for the seed sweep
* :mod:`gancourse.tables` — text tables of the lectures' comparisons
* :mod:`gancourse.widgets` — ``LangevinExplorer``, the live Langevin widget, and its parts
"""

from .config import budget, budget_name, data_root, get_device, rng, seed, seed_everything, setup_notebook

__version__ = "0.2.0"
__all__ = ["budget", "budget_name", "data_root", "get_device", "rng", "seed", "seed_everything", "setup_notebook",
           "__version__"]
