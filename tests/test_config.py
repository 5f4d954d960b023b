import random

import numpy as np
import pytest
import torch

from gancourse import config


def test_budget_switch(monkeypatch):
    monkeypatch.delenv("GANCOURSE_BUDGET", raising=False)
    assert config.budget_name() == "book" and config.budget(300, 5000) == 300
    monkeypatch.setenv("GANCOURSE_BUDGET", "large")
    assert config.budget_name() == "large" and config.budget(300, 5000) == 5000
    monkeypatch.setenv("GANCOURSE_BUDGET", "fast")
    with pytest.raises(ValueError, match="GANCOURSE_BUDGET.*'book'.*'large'"):
        config.budget(300, 5000)


def test_seed_sweep_shifts_every_notebook_seed(monkeypatch):
    monkeypatch.delenv("GANCOURSE_SEED", raising=False)
    assert config.seed(3) == 3 and config.seed(np.int64(3)) == 3
    a = torch.rand(4, generator=config.rng(3))
    monkeypatch.setenv("GANCOURSE_SEED", "2")
    assert config.seed(3) == 20_003
    assert not torch.equal(a, torch.rand(4, generator=config.rng(3)))
    for bad in ("-1", "one"):
        monkeypatch.setenv("GANCOURSE_SEED", bad)
        with pytest.raises(ValueError, match="GANCOURSE_SEED"):
            config.seed(0)


def test_data_root_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GANCOURSE_DATA", str(tmp_path))
    assert config.data_root() == tmp_path.resolve()
    monkeypatch.delenv("GANCOURSE_DATA")
    assert config.data_root().name == "data" and ".cache" in config.data_root().parts


def test_device_choice(monkeypatch):
    monkeypatch.delenv("GANCOURSE_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else None
    if expected:
        assert config.get_device().type == "cuda"
    assert config.get_device("cpu") == torch.device("cpu")
    monkeypatch.setenv("GANCOURSE_DEVICE", "cpu")
    assert config.get_device().type == "cpu"
    with pytest.raises(ValueError, match="Unknown device"):
        config.get_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="not available"):
            config.get_device("cuda")


def test_seed_everything_repeats_all_generators():
    def draw():
        return random.random(), np.random.rand(), torch.rand(3)

    config.seed_everything(123)
    a = draw()
    config.seed_everything(123)
    b = draw()
    assert a[0] == b[0] and a[1] == b[1] and torch.equal(a[2], b[2])
    assert config.seed_everything(5) is None              # a cell ending with it prints nothing
    with pytest.raises(ValueError, match="non-negative integer"):
        config.seed_everything(-1)


def test_setup_notebook_seeds_and_says_how_the_page_was_built(monkeypatch, capsys):
    monkeypatch.setenv("GANCOURSE_SEED", "2")
    monkeypatch.delenv("GANCOURSE_BUDGET", raising=False)
    device = config.setup_notebook()
    a = torch.rand(3)
    torch.manual_seed(config.seed(0))
    assert torch.equal(a, torch.rand(3)) and config.seed(0) == 20000    # seeded with seed(0), shifted
    out = capsys.readouterr().out
    assert f"device: {device}" in out and "budget: book" in out and "GANCOURSE_SEED = 2" in out


@pytest.mark.parametrize("env, enabled, shown", [("", True, True), ("0", True, False), ("1", True, True),
                                                 ("", False, False)])
def test_progress_bar_hidden_by_environment(monkeypatch, env, enabled, shown):
    monkeypatch.setenv("GANCOURSE_PROGRESS", env)
    bar = config.progress_bar(range(3), enabled)
    assert bar.disable is (not shown)                    # (tqdm sets it once the bar closes)
    assert list(bar) == [0, 1, 2]
