import pytest
import torch

from gancourse import models


@pytest.mark.parametrize("G, D, shape", [
    (models.ToyGenerator(latent_dim=3), models.ToyDiscriminator(), (2,)),
    (models.ToyGenerator(latent_dim=1, data_dim=1), models.ToyDiscriminator(data_dim=1), (1,)),
    (models.MLPGenerator(), models.MLPDiscriminator(), (1, 28, 28)),
    (models.DCGANGenerator(), models.DCGANDiscriminator(), (1, 28, 28)),
])
def test_shapes_latents_and_logits(G, D, shape):
    z = G.sample_latent(5)
    assert z.shape == (5, G.latent_dim)
    x = G(z)
    assert x.shape == (5, *shape)
    d = D(x)
    assert d.shape == (5,)
    # logits, not probabilities: the last layer is linear (no sigmoid), so scaling it scales d(x)
    head = D.head
    with torch.no_grad():
        before = D(x)
        head.weight.mul_(3)
        if getattr(head, "bias", None) is not None:
            head.bias.mul_(3)
        torch.testing.assert_close(D(x), 3 * before)
    if len(shape) == 3:
        assert float(x.detach().abs().max()) <= 1.0  # tanh output


def test_architectures_follow_the_lecture():
    g = models.MLPGenerator()
    sizes = [m.out_features for m in g.modules() if isinstance(m, torch.nn.Linear)]
    assert g.latent_dim == 100 and sizes == [256, 512, 1024, 784]
    d = models.MLPDiscriminator()
    assert [m.out_features for m in d.modules() if isinstance(m, torch.nn.Linear)] == [1024, 512, 256, 1]
    dc = models.DCGANGenerator()
    convt = [m for m in dc.modules() if isinstance(m, torch.nn.ConvTranspose2d)]
    assert len(convt) == 2 and all(m.kernel_size == (4, 4) and m.stride == (2, 2) and m.out_channels == 128 for m in convt)
    assert dc.linear.out_features == 128 * 7 * 7
    dd = models.DCGANDiscriminator()
    convs = [m for m in dd.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [c.out_channels for c in convs] == [64, 64] and dd.head.in_features == 64 * 7 * 7
    bn = models.DCGANGenerator(batch_norm=True)                    # the zoo's DCGANs: BN before each hidden activation
    assert [type(m).__name__ for m in bn.deconv] == ["BatchNorm2d", "LeakyReLU", "ConvTranspose2d", "BatchNorm2d",
                                                     "LeakyReLU", "ConvTranspose2d", "BatchNorm2d", "LeakyReLU",
                                                     "Conv2d", "Tanh"]
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in dc.modules())
    sn = models.DCGANDiscriminator(spectral_norm=True).eval()      # both convolutions and the head normalised
    normalised = [m for m in sn.modules() if hasattr(m, "parametrizations")]
    assert [type(m.parametrizations.weight[0]).__name__ for m in normalised] == ["_SpectralNorm"] * 3
    with torch.no_grad():
        assert [torch.linalg.matrix_norm(m.weight.flatten(1), ord=2).item() for m in normalised] == pytest.approx([1.0] * 3, abs=0.05)


def test_sample_is_deterministic_with_a_generator():
    G = models.ToyGenerator()
    a = G.sample(10, rng=torch.Generator().manual_seed(0))
    b = G.sample(10, rng=torch.Generator().manual_seed(0))
    assert torch.equal(a, b) and not a.requires_grad


def test_sampling_batches_do_not_change_the_samples():
    """sample() draws every z first and computes G(z) in batches (DCGANGenerator: of 64, faster on a CPU)."""
    torch.manual_seed(0)
    G = models.DCGANGenerator(latent_dim=8, channels=8, batch_norm=True)
    assert G.sample_batch_size == 64 and models.ToyGenerator.sample_batch_size == 1000
    default = G.sample(150, rng=torch.Generator().manual_seed(0))
    one_batch = G.sample(150, rng=torch.Generator().manual_seed(0), batch_size=150)
    torch.testing.assert_close(default, one_batch)
    with pytest.raises(ValueError, match="positive integer"):
        G.sample(10, batch_size=0)


def test_bad_shapes_are_clear_errors():
    G, D = models.MLPGenerator(), models.MLPDiscriminator()
    with pytest.raises(ValueError, match="latent codes of shape n×100"):
        G(torch.randn(4, 64))
    with pytest.raises(ValueError, match="n×1×28×28"):
        D(torch.randn(4, 784))
    with pytest.raises(ValueError, match="positive integer"):
        G.sample_latent(0)


def test_registry_knows_every_model():
    assert {"ToyGenerator", "MLPGenerator", "DCGANGenerator", "MLPDiscriminator"} <= set(models.MODEL_REGISTRY)


@pytest.mark.parametrize("make", [lambda: models.MLPDiscriminator(dropout=0.3), lambda: models.ToyDiscriminator(data_dim=2),
                                  lambda: models.DCGANDiscriminator(channels=8), lambda: models.MLPDiscriminator(head="san")])
def test_discriminators_expose_features_and_head(make):
    """d(x) = head(features(x)) for every discriminator, without reaching into its layers."""
    d = make().eval()
    x = torch.rand(5, *d.data_shape) * 2 - 1
    h = d.features(x)
    assert h.ndim == 2 and len(h) == 5
    torch.testing.assert_close(d.head(h).squeeze(1), d(x))


def test_config_is_recorded_with_defaults_and_rebuilds_the_model():
    d = models.MLPDiscriminator(dropout=0.3)
    assert d.config == {"image_shape": [1, 28, 28], "dropout": 0.3, "head": "linear", "spectral_norm": False}
    g = models.ToyGenerator(3, hidden=16)
    assert g.config == {"latent_dim": 3, "data_dim": 2, "hidden": 16, "depth": 3}
    rebuilt = type(g)(**g.config)
    assert rebuilt.config == g.config and rebuilt.latent_dim == 3


@pytest.mark.parametrize("make", [lambda: models.MLPDiscriminator(spectral_norm=True),
                                  lambda: models.ToyDiscriminator(spectral_norm=True)])
def test_spectral_norm_divides_each_layer_by_its_largest_singular_value(make, tmp_path):
    """σ(W) by torch's power iteration (Miyato et al., 2018) against the SVD: after some training-mode forward passes
    every normalised layer has spectral norm 1, so the whole network is 1-Lipschitz (LeakyReLU is 1-Lipschitz)."""
    from gancourse.checkpoint import load_checkpoint, save_checkpoint

    torch.manual_seed(0)
    D = make()
    x = torch.rand(64, *D.data_shape) * 2 - 1
    with torch.no_grad():
        for m in D.net:
            if isinstance(m, torch.nn.Linear):
                m.parametrizations.weight.original.mul_(3)      # raw weights far from spectral norm 1
    for _ in range(200):                                 # each forward pass in train mode is one power iteration
        D(x)
    linears = [m for m in D.net if isinstance(m, torch.nn.Linear)]
    assert len(linears) == 4
    for layer in linears:
        raw = layer.parametrizations.weight.original
        assert torch.linalg.matrix_norm(raw, ord=2) > 1.5             # the raw weights are not normalised …
        assert torch.linalg.matrix_norm(layer.weight, ord=2).item() == pytest.approx(1.0, abs=5e-3)   # … W / σ(W) is
    D.eval()
    a, b = torch.rand(16, *D.data_shape) * 2 - 1, torch.rand(16, *D.data_shape) * 2 - 1
    with torch.no_grad():
        slopes = (D(a) - D(b)).abs() / (a - b).flatten(1).norm(dim=1)
    assert slopes.max() <= 1.0 + 2e-2
    path = save_checkpoint(tmp_path / "sn", {"discriminator": D})
    with torch.no_grad():
        assert torch.equal(load_checkpoint(path)["discriminator"](a), D(a))
