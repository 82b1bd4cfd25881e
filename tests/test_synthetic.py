"""The benchmark's SYNTHETIC data sets: valid raw input, marked, never in data/raw/."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic import REAL_RAW, write_synthetic_raw

from helpers import checks, manifest, raw


@pytest.fixture(scope="module")
def synthetic_raw(tmp_path_factory) -> Path:
    return write_synthetic_raw(tmp_path_factory.mktemp("bench"), 12)


def test_synthetic_years_end_in_2022(synthetic_raw):
    assert raw.available_years(synthetic_raw) == list(range(2011, 2023))


def test_synthetic_raw_passes_checks(synthetic_raw):
    manifest.verify_checksums(synthetic_raw)
    tables = raw.load_all(synthetic_raw)
    checks.require_complete(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["pickup_by_province"],
        synthetic_raw,
    )
    assert set(tables["staff_national"]["reference_date"]) >= {"2011-01-01"}
    assert set(tables["pupils"]["school_year"]) >= {"2010-2011"}


def test_synthetic_data_is_marked(synthetic_raw):
    assert synthetic_raw.name == "raw-synthetic-12-years"
    assert (synthetic_raw / "SYNTHETIC.txt").exists()
    for name in ("cards_per_year.csv", "staff_national.csv", "sources.yaml"):
        assert "SYNTHETIC" in (synthetic_raw / name).read_text(encoding="utf-8")


def test_synthetic_counts_scale_back(synthetic_raw):
    totals = raw.load_cards_per_year(synthetic_raw).set_index(["year", "statement"])
    assert totals.loc[(2022, "text"), "cards"] == 227916
    assert totals.loc[(2011, "text"), "cards"] < 227916


def test_synthetic_refuses_real_raw_folder():
    with pytest.raises(ValueError, match="must not be written"):
        write_synthetic_raw(REAL_RAW, 3)
    assert not (REAL_RAW / "raw-synthetic-3-years").exists()


def test_synthetic_rejects_zero_years(tmp_path):
    with pytest.raises(ValueError, match="invalid number of years"):
        write_synthetic_raw(tmp_path, 0)
