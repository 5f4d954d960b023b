import json

import pytest
import torch

from gancourse import models
from gancourse.checkpoint import CheckpointError, load_checkpoint, read_metadata, save_checkpoint


def test_round_trip_reproduces_outputs_exactly(tmp_path):
    torch.manual_seed(0)
    G, D = models.MLPGenerator(latent_dim=16), models.MLPDiscriminator()
    path = save_checkpoint(tmp_path / "gan", {"generator": G, "discriminator": D}, card={"steps": 7})
    assert path.suffix == ".safetensors" and (tmp_path / "gan.json").exists()
    ck = load_checkpoint(tmp_path / "gan")
    z = torch.randn(4, 16)
    x = torch.rand(4, 1, 28, 28) * 2 - 1                       # images in [-1, 1]
    assert torch.equal(ck["generator"](z), G.eval()(z))
    assert torch.equal(ck["discriminator"](x), D.eval()(x))
    assert ck.card == {"steps": 7} and isinstance(ck["generator"], models.MLPGenerator)
    # loading into existing models of the same configuration works as well
    G2 = models.MLPGenerator(latent_dim=16)
    load_checkpoint(path, {"generator": G2})
    assert torch.equal(G2(z), G(z))
    meta = read_metadata(path)
    assert meta["models"]["generator"] == {"class": "MLPGenerator", "config": {"latent_dim": 16, "image_shape": [1, 28, 28]}}


def test_mismatched_model_is_a_clear_error(tmp_path):
    save_checkpoint(tmp_path / "toy", {"generator": models.ToyGenerator(hidden=32)})
    with pytest.raises(CheckpointError, match="ToyGenerator.*hidden.*32"):
        load_checkpoint(tmp_path / "toy", {"generator": models.ToyGenerator(hidden=64)})
    with pytest.raises(CheckpointError, match="MLPGenerator"):
        load_checkpoint(tmp_path / "toy", {"generator": models.MLPGenerator()})
    with pytest.raises(CheckpointError, match="no 'discriminator'"):
        load_checkpoint(tmp_path / "toy", {"discriminator": models.ToyDiscriminator()})


def test_tampered_weights_fail_the_hash(tmp_path):
    path = save_checkpoint(tmp_path / "toy", {"generator": models.ToyGenerator()})
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="SHA-256"):
        load_checkpoint(path)


def test_weights_that_do_not_fit_the_config(tmp_path):
    path = save_checkpoint(tmp_path / "toy", {"generator": models.ToyGenerator(hidden=32)})
    meta_path = tmp_path / "toy.json"
    meta = json.loads(meta_path.read_text())
    meta["models"]["generator"]["config"]["hidden"] = 16  # config edited, weights not
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="do not fit"):
        load_checkpoint(path)


def test_missing_files(tmp_path):
    with pytest.raises(CheckpointError, match="No checkpoint metadata"):
        load_checkpoint(tmp_path / "absent")
    (tmp_path / "x.json").write_text(json.dumps({"format": "pickle"}))
    with pytest.raises(CheckpointError, match="not a gancourse-checkpoint"):
        load_checkpoint(tmp_path / "x")


def test_a_wrapper_of_live_models_cannot_be_saved(tmp_path):
    """CalibratedDiscriminator wraps a model (not a plain argument): saving it would give a file that
    cannot be loaded, so it is refused with a message that says what to save instead."""
    from gancourse.samplers import CalibratedDiscriminator

    cal = CalibratedDiscriminator(models.ToyDiscriminator(), 2.0, -1.0)
    with pytest.raises(CheckpointError, match="cannot be saved.*discriminator"):
        save_checkpoint(tmp_path / "cal", {"discriminator": cal})
    assert not (tmp_path / "cal.json").exists()


def test_checkpoints_written_before_configs_were_complete_still_load():
    """The zoo's SAN-less entries recorded no 'head': loading fills in the default."""
    from gancourse import zoo

    ck = load_checkpoint(zoo.path("mnist-mlp-gan"), {"generator": models.MLPGenerator(),
                                                      "discriminator": models.MLPDiscriminator(dropout=0.3)})
    assert ck["discriminator"].config["head"] == "linear"
