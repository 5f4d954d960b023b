import json

import pytest

from gancourse.claims import ClaimError, check


def test_check_asserts_and_logs_for_the_seed_sweep(tmp_path, monkeypatch):
    log = tmp_path / "claims.jsonl"
    monkeypatch.setenv("GANCOURSE_CLAIMS_LOG", str(log))
    monkeypatch.setenv("GANCOURSE_SEED", "3")
    monkeypatch.delenv("GANCOURSE_CLAIMS_CONTINUE", raising=False)
    assert check("a", 0.5, "<", 1) is None              # a cell ending with a check prints nothing
    with pytest.raises(ClaimError, match=r"b: 2 >= 3 does not hold"):
        check("b", 2, ">=", 3)
    with pytest.raises(AssertionError):                      # a ClaimError is an AssertionError
        check("nan", float("nan"), "<", 1)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["name"], r["holds"], r["seed"]) for r in records] == [("a", True, 3), ("b", False, 3), ("nan", False, 3)]
    monkeypatch.setenv("GANCOURSE_CLAIMS_CONTINUE", "1")    # the sweep records failures and goes on
    check("c", 5, "<", 1)                                 # recorded as failed, no error
    with pytest.raises(ValueError, match="op must be one of"):
        check("d", 1, "==", 1)


def test_check_without_a_log_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("GANCOURSE_CLAIMS_LOG", raising=False)
    monkeypatch.chdir(tmp_path)
    check("e", 1, "<=", 1)
    assert list(tmp_path.iterdir()) == []
