"""Factor tables: copies of the domain CSVs stay faithful, sector tables agree with them (pure)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from xanh.ghg.calc import CombustionSector, GridFactor, GwpSet, default_tables, load_tables
from xanh.ghg.calc.tables import DATA_DIR

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "domain"


@pytest.mark.parametrize("name", ["ghg-fuel-factors.csv", "ghg-grid-emission-factors.csv"])
def test_copies_match_the_domain_files(name: str) -> None:
    shared = SHARED / name
    if not shared.exists():
        pytest.skip("../shared/domain is not available")
    assert (DATA_DIR / name).read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_source_columns_are_kept() -> None:
    with (DATA_DIR / "ghg-fuel-factors.csv").open(encoding="utf-8") as handle:
        assert {"source", "confidence"} <= set(csv.DictReader(handle).fieldnames or [])
    with (DATA_DIR / "ghg-grid-emission-factors.csv").open(encoding="utf-8") as handle:
        assert {"issuing_document", "confidence"} <= set(csv.DictReader(handle).fieldnames or [])


def test_every_fuel_is_loaded_with_a_category_and_source() -> None:
    tables = default_tables()
    assert len(tables.fuels) == 18
    for fuel in tables.fuels.values():
        assert fuel.source and fuel.category in {"coal", "oil", "natural_gas", "lpg", "biomass"}
        for sector in CombustionSector:
            assert (fuel.category, sector) in tables.stationary
    assert {f.key for f in tables.fuels.values() if f.biogenic} == {"wood", "other_solid_biomass"}


def test_manufacturing_column_equals_the_csv_table_2_3_values() -> None:
    """The CSV carries Table 2.3 CH4/N2O; the sector table's manufacturing row must give the same numbers."""
    tables = default_tables()
    with (DATA_DIR / "ghg-fuel-factors.csv").open(encoding="utf-8") as handle:
        rows = {r["fuel_en"]: r for r in csv.DictReader(handle)}
    for fuel in tables.fuels.values():
        row = rows[fuel.name_en]
        manufacturing = tables.stationary[(fuel.category, CombustionSector.MANUFACTURING)]
        assert manufacturing.ch4_kg_per_tj == float(row["ch4_kg_per_TJ_stationary"])
        assert manufacturing.n2o_kg_per_tj == float(row["n2o_kg_per_TJ_stationary"])


def test_grid_series_and_documents() -> None:
    grid = default_tables().grid
    assert sorted(grid) == list(range(2014, 2024))
    assert grid[2018].t_co2_per_mwh == 0.9130
    assert "327/BĐKH-PTCBT" in grid[2022].issuing_document
    assert all(g.issuing_document for g in grid.values())


def test_gwp_values() -> None:
    gwp = default_tables().gwp
    assert (gwp["CH4"].values[GwpSet.AR4], gwp["CH4"].values[GwpSet.AR5]) == (25, 28)
    assert (gwp["N2O"].values[GwpSet.AR4], gwp["N2O"].values[GwpSet.AR5]) == (298, 265)
    assert (gwp["SF6"].values[GwpSet.AR4], gwp["SF6"].values[GwpSet.AR5]) == (22800, 23500)


def test_fuel_lookup_by_alias() -> None:
    tables = default_tables()
    assert tables.find_fuel("DO") is tables.fuels["diesel"]
    assert tables.find_fuel("dầu FO") is tables.fuels["residual_fuel_oil"]
    assert tables.find_fuel("Than antraxit") is tables.fuels["anthracite"]
    assert tables.find_fuel("bã mía") is tables.fuels["other_solid_biomass"]
    assert tables.find_fuel("Natural gas") is tables.fuels["natural_gas"]
    assert tables.find_fuel("dầu dừa") is None


def test_added_grid_factor_changes_the_version() -> None:
    tables = default_tables()
    newer = tables.with_grid_factors([GridFactor(2024, 0.7, "Công văn số X/BĐKH (thử)", "H")])
    assert 2024 in newer.grid and 2024 not in tables.grid
    assert newer.version != tables.version
    assert load_tables().version == tables.version  # deterministic


def test_missing_fuel_key_is_reported(tmp_path: Path) -> None:
    for name in DATA_DIR.glob("*.csv"):
        (tmp_path / name.name).write_text(name.read_text(encoding="utf-8"), encoding="utf-8")
    keys = (tmp_path / "fuel-keys.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "fuel-keys.csv").write_text(
        "\n".join(k for k in keys if not k.startswith("Lignite")), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="Lignite"):
        load_tables(tmp_path)
