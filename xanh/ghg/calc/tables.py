"""Factor tables: fuels (IPCC 2006 Tier 1), stationary CH4/N2O by sector, road transport, grid factors, GWPs.

The tables are read from the CSV files in ``xanh/ghg/data/`` (copies of ../shared/domain/ghg-fuel-factors.csv and
ghg-grid-emission-factors.csv, kept with their source columns, plus small tables transcribed from ghg.md §3.1 and
§5). ``FactorTables`` is immutable plain data, so a caller (Django, the CLI, a benchmark) can also build one with
extra grid factors, e.g. a year the climate-change department published after this release.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from xanh.core.text import fold

from .types import CH4, CO2, N2O, CombustionSector, GwpSet

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class FuelFactor:
    key: str
    name_vi: str
    name_en: str
    category: str  # coal, oil, natural_gas, lpg, biomass (ghg.md §5 rows)
    ncv_tj_per_gg: float  # = MJ/kg
    co2_kg_per_tj: float
    biogenic: bool
    source: str
    confidence: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GasFactors:
    """CH4 and N2O (and for road transport CO2) factors in kg/TJ with their source."""

    ch4_kg_per_tj: float
    n2o_kg_per_tj: float
    source: str
    confidence: str
    co2_kg_per_tj: float | None = None


@dataclass(frozen=True)
class GridFactor:
    year: int
    t_co2_per_mwh: float
    issuing_document: str
    confidence: str


@dataclass(frozen=True)
class Gwp:
    gas: str
    values: Mapping[GwpSet, float]
    sources: Mapping[GwpSet, str]


@dataclass(frozen=True)
class FactorTables:
    fuels: Mapping[str, FuelFactor]
    stationary: Mapping[tuple[str, CombustionSector], GasFactors]
    road: Mapping[str, GasFactors]
    grid: Mapping[int, GridFactor]
    gwp: Mapping[str, Gwp]
    version: str = field(default="")

    def with_grid_factors(self, extra: Iterable[GridFactor]) -> FactorTables:
        """A copy where ``extra`` grid factors add or replace years; the version changes accordingly."""
        grid = dict(self.grid)
        for factor in extra:
            grid[factor.year] = factor
        tables = replace(self, grid=grid, version="")
        return replace(tables, version=_version_of(tables))

    def find_fuel(self, text: str) -> FuelFactor | None:
        """A fuel by key, Vietnamese or English name, or a common alias ("DO", "dầu FO", "trấu")."""
        if text in self.fuels:
            return self.fuels[text]
        wanted = fold(text)
        for fuel in self.fuels.values():
            names = (fuel.key, fuel.name_vi, fuel.name_en, *fuel.aliases)
            if any(fold(name) == wanted for name in names):
                return fuel
        return None

    def gwp_of(self, gas: str, gwp_set: GwpSet) -> float | None:
        entry = self.gwp.get(gas)
        return None if entry is None else entry.values[gwp_set]


def _rows(name: str, data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _version_of(tables: FactorTables) -> str:
    payload = {
        "fuels": sorted(
            (f.key, f.ncv_tj_per_gg, f.co2_kg_per_tj, f.biogenic, f.category) for f in tables.fuels.values()
        ),
        "stationary": sorted(
            (cat, sec.value, g.ch4_kg_per_tj, g.n2o_kg_per_tj) for (cat, sec), g in tables.stationary.items()
        ),
        "road": sorted(
            (k, g.co2_kg_per_tj or 0.0, g.ch4_kg_per_tj, g.n2o_kg_per_tj) for k, g in tables.road.items()
        ),
        "grid": sorted((g.year, g.t_co2_per_mwh, g.issuing_document) for g in tables.grid.values()),
        "gwp": sorted(
            (g.gas, sorted((s.value, v) for s, v in g.values.items())) for g in tables.gwp.values()
        ),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:12]


def load_tables(data_dir: Path = DATA_DIR) -> FactorTables:
    """Read every table from ``data_dir``; raise ValueError naming the file and line on malformed data."""
    keys = {row["fuel_en"]: row for row in _rows("fuel-keys.csv", data_dir)}
    fuels: dict[str, FuelFactor] = {}
    for line, row in enumerate(_rows("ghg-fuel-factors.csv", data_dir), start=2):
        meta = keys.get(row["fuel_en"])
        if meta is None:
            raise ValueError(
                f"ghg-fuel-factors.csv dòng {line}: nhiên liệu «{row['fuel_en']}» thiếu trong fuel-keys.csv"
            )
        fuels[meta["key"]] = FuelFactor(
            key=meta["key"],
            name_vi=row["fuel_vi"],
            name_en=row["fuel_en"],
            category=meta["category"],
            ncv_tj_per_gg=float(row["ncv_TJ_per_Gg"]),
            co2_kg_per_tj=float(row["co2_kg_per_TJ"]),
            biogenic=meta["biogenic"] == "1",
            source=row["source"],
            confidence=row["confidence"],
            aliases=tuple(a.strip() for a in meta["aliases"].split(";") if a.strip()),
        )
    stationary: dict[tuple[str, CombustionSector], GasFactors] = {}
    for row in _rows("stationary-ch4-n2o-by-sector.csv", data_dir):
        stationary[(row["category"], CombustionSector(row["sector"]))] = GasFactors(
            ch4_kg_per_tj=float(row["ch4_kg_per_TJ"]),
            n2o_kg_per_tj=float(row["n2o_kg_per_TJ"]),
            source=row["source"],
            confidence=row["confidence"],
        )
    road = {
        row["fuel_key"]: GasFactors(
            co2_kg_per_tj=float(row["co2_kg_per_TJ"]),
            ch4_kg_per_tj=float(row["ch4_kg_per_TJ"]),
            n2o_kg_per_tj=float(row["n2o_kg_per_TJ"]),
            source=row["source"] + (f" ({row['note']})" if row["note"] else ""),
            confidence=row["confidence"],
        )
        for row in _rows("road-transport-factors.csv", data_dir)
    }
    grid = {
        int(row["year"]): GridFactor(
            year=int(row["year"]),
            t_co2_per_mwh=float(row["tCO2_per_MWh"]),
            issuing_document=row["issuing_document"],
            confidence=row["confidence"],
        )
        for row in _rows("ghg-grid-emission-factors.csv", data_dir)
    }
    gwp = {
        row["gas"]: Gwp(
            gas=row["gas"],
            values={s: float(row[s.value]) for s in GwpSet},
            sources={s: row[f"source_{s.value}"] for s in GwpSet},
        )
        for row in _rows("gwp-100-year.csv", data_dir)
    }
    for gas in (CO2, CH4, N2O):
        if gas not in gwp:
            raise ValueError(f"gwp-100-year.csv: thiếu khí {gas}")
    tables = FactorTables(fuels=fuels, stationary=stationary, road=road, grid=grid, gwp=gwp)
    return replace(tables, version=_version_of(tables))


@lru_cache(maxsize=1)
def default_tables() -> FactorTables:
    """The tables shipped with Xanh (cached; the object is immutable)."""
    return load_tables()
