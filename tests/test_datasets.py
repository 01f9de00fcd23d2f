"""Loaders on the packaged files, and on damaged or missing ones."""

import numpy as np
import pandas as pd
import pytest

from sklkeras import datasets
from sklkeras.datasets import _tabular


def test_pima():
    bunch = datasets.load_pima_diabetes()
    assert bunch.data.shape == (768, 8)
    assert np.bincount(bunch.target).tolist() == [500, 268]
    assert bunch.feature_names[1] == "glucose"
    assert "missing" in bunch.DESCR
    X, y = datasets.load_pima_diabetes(
        return_X_y=True, as_frame=True, missing_as_nan=True
    )
    assert isinstance(X, pd.DataFrame)
    assert X["glucose"].isna().sum() == 5
    assert X["pregnancies"].isna().sum() == 0  # zero pregnancies is a real value


def test_boston_b_column():
    X, y = datasets.load_boston(return_X_y=True)
    assert X.shape == (506, 13)
    assert y.mean() == pytest.approx(22.5328, abs=1e-4)
    bunch = datasets.load_boston(drop_b=True, as_frame=True)
    assert "B" not in bunch.feature_names and bunch.data.shape == (506, 12)
    assert "racially" in datasets.load_boston.__doc__


def test_bank_variants():
    X, y = datasets.load_bank_marketing(return_X_y=True)
    assert X.shape == (4521, 16) and (y == "yes").sum() == 521
    add = datasets.load_bank_marketing(variant="additional")
    assert add.data.shape == (4119, 20)
    with pytest.raises(ValueError, match="variant"):
        datasets.load_bank_marketing(variant="huge")


def test_bank_full_offline_fails_at_once_with_instructions(tmp_path):
    with pytest.raises(OSError, match="bank-full.csv") as info:
        datasets.load_bank_marketing(
            variant="full", data_home=str(tmp_path), download_if_missing=False
        )
    assert str(tmp_path) in str(info.value)


def test_bank_full_from_local_copy(tmp_path):
    packaged = _tabular._packaged("bank.csv").read_text()
    (tmp_path / "bank-full.csv").write_text(packaged)
    X, y = datasets.load_bank_marketing(
        variant="full", data_home=str(tmp_path), return_X_y=True
    )
    assert X.shape == (4521, 16)


@pytest.mark.parametrize(
    "content, match",
    [
        ("1,2,3\n4,5,6\n", "shape"),
        ("1,2,3,4,5,6,7,8,x\n", "non-numeric"),
        ('1,2,"3\n', "parse|shape"),
    ],
)
def test_corrupt_file(tmp_path, monkeypatch, content, match):
    bad = tmp_path / "pima-indians-diabetes.csv"
    bad.write_text(content)
    monkeypatch.setattr(_tabular, "_packaged", lambda name: tmp_path / name)
    with pytest.raises(ValueError, match=match):
        datasets.load_pima_diabetes()


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_tabular, "_packaged", lambda name: tmp_path / name)
    with pytest.raises(FileNotFoundError, match="not found"):
        datasets.load_boston()
