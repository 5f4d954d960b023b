import os
import urllib.error

import pytest
import torch

from gancourse import data


def test_mnist_range_shape_and_targets(mnist_test):
    ds = mnist_test
    assert len(ds) == 10_000 and ds.images.shape == (10_000, 1, 28, 28)
    assert ds.images.dtype == torch.float32
    assert float(ds.images.min()) == -1.0 and float(ds.images.max()) == 1.0
    assert ds.targets.shape == (10_000,) and set(ds.targets.tolist()) == set(range(10))
    # background pixels (0 in the files) map to -1: most of an MNIST digit is background
    assert 0.75 < float((ds.images == -1).float().mean()) < 0.85
    x, y = ds[0]
    assert x.shape == (1, 28, 28) and int(y) == 7  # the first test digit is a 7


def test_missing_data_without_download_names_variable_and_files(tmp_path):
    with pytest.raises(data.DataNotFoundError) as info:
        data.mnist(root=tmp_path, download=False)
    msg = str(info.value)
    assert "GANCOURSE_DATA" in msg and "train-images-idx3-ubyte" in msg and str(tmp_path / "MNIST" / "raw") in msg


def test_failed_download_is_a_clear_error(tmp_path, monkeypatch):
    import torchvision.datasets.mnist as tvu

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(tvu, "download_and_extract_archive", offline)
    monkeypatch.setenv("GANCOURSE_DATA", str(tmp_path))
    with pytest.raises(data.DataNotFoundError, match="GANCOURSE_DATA"):
        data.mnist(train=True)


def test_image_dataset_validates_shapes():
    with pytest.raises(ValueError, match="N×C×H×W"):
        data.ImageDataset(torch.zeros(3, 28, 28), torch.zeros(3))
    with pytest.raises(ValueError, match="targets"):
        data.ImageDataset(torch.zeros(3, 1, 28, 28), torch.zeros(2))
