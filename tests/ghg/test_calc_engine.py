"""Tier 1 calculation: the worked examples of ghg.md §6 and the refusals (pure, no database)."""

from __future__ import annotations

import pytest

from xanh.ghg.calc import (
    CH4,
    CO2,
    N2O,
    ActivityInput,
    CalculationError,
    CombustionSector,
    CustomGas,
    GwpSet,
    Scope,
    SourceType,
    calculate,
    calculate_many,
    fmt,
)

DIESEL_1000_L = ActivityInput(
    SourceType.STATIONARY_COMBUSTION, 2023, 1000, "L", fuel="diesel", density_kg_per_l=0.844
)


def columns(exc: CalculationError) -> set[str | None]:
    return {p.column for p in exc.problems}


class TestWorkedExampleDiesel:
    """ghg.md §6: 1 000 L of diesel in an industrial boiler."""

    def test_energy_and_gases(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5)
        assert result.energy_tj == pytest.approx(0.036292)
        assert result.gas_kg(CO2) == pytest.approx(2689.24, abs=0.01)
        assert result.gas_kg(CH4) == pytest.approx(0.1089, abs=1e-4)
        assert result.gas_kg(N2O) == pytest.approx(0.0218, abs=1e-4)

    def test_ar5_total(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5)
        assert result.total_co2e_t * 1000 == pytest.approx(2698.06, abs=0.01)
        assert round(result.total_co2e_t, 3) == 2.698
        assert result.gwp_set is GwpSet.AR5

    def test_ar4_total(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR4)
        assert result.total_co2e_t * 1000 == pytest.approx(2698.45, abs=0.01)
        assert round(result.total_co2e_t, 3) == 2.698
        assert result.gwp_set is GwpSet.AR4

    def test_road_transport_ar5(self) -> None:
        road = ActivityInput(
            SourceType.MOBILE_COMBUSTION, 2023, 1000, "L", fuel="diesel", density_kg_per_l=0.844
        )
        result = calculate(road, gwp_set=GwpSet.AR5)
        assert result.total_co2e_t * 1000 == pytest.approx(2730.71, abs=0.01)

    def test_rule_of_thumb_kg_co2_per_litre(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5)
        assert result.gas_kg(CO2) / 1000 == pytest.approx(2.69, abs=0.005)

    def test_trail_is_written_out_in_vietnamese_numbers(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5)
        expressions = [s.expression for s in result.steps]
        assert "1.000 L × 0,844 kg/L ÷ 1.000" in expressions
        assert "0,844 t × 43 TJ/Gg ÷ 1.000" in expressions
        assert "0,036292 TJ × 74.100 kg/TJ" in expressions
        labels = [s.label for s in result.steps]
        assert labels[0] == "Khối lượng nhiên liệu"
        assert labels[-1] == "Tổng phát thải"

    def test_every_factor_has_a_source(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR4)
        assert result.factors
        assert all(f.source for f in result.factors)
        names = " ".join(f.name for f in result.factors)
        assert "GWP CH4 (AR4)" in names and "Nhiệt trị thực" in names
        gwp = next(f for f in result.factors if f.name.startswith("GWP N2O"))
        assert gwp.value == 298 and "AR4" in gwp.source

    def test_same_mass_in_tonnes_gives_same_result(self) -> None:
        tonnes = ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 0.844, "t", fuel="Dầu diesel (DO)")
        assert calculate(tonnes, gwp_set=GwpSet.AR5).total_co2e_t == pytest.approx(
            calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5).total_co2e_t
        )

    def test_energy_unit_skips_ncv(self) -> None:
        energy = ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 36.292, "GJ", fuel="DO")
        result = calculate(energy, gwp_set=GwpSet.AR5)
        assert result.total_co2e_t == pytest.approx(2.69806, rel=1e-5)
        assert not any("NCV" in f.name for f in result.factors)


class TestElectricity:
    def test_worked_example_2023(self) -> None:
        result = calculate(
            ActivityInput(SourceType.PURCHASED_ELECTRICITY, 2023, 1000, "MWh"), gwp_set=GwpSet.AR5
        )
        assert result.total_co2e_t == pytest.approx(659.2)
        assert result.scope is Scope.INDIRECT
        grid = next(f for f in result.factors if "lưới điện" in f.name)
        assert grid.value == 0.6592 and "năm 2023" in grid.name

    def test_uses_factor_of_the_same_year(self) -> None:
        result = calculate(
            ActivityInput(SourceType.PURCHASED_ELECTRICITY, 2022, 1_000_000, "kWh"), gwp_set=GwpSet.AR4
        )
        assert result.total_co2e_t == pytest.approx(676.6)
        grid = next(f for f in result.factors if "lưới điện" in f.name)
        assert "327/BĐKH-PTCBT" in grid.source

    @pytest.mark.parametrize("year", [2024, 2025, 2013])
    def test_year_without_official_factor_is_refused(self, year: int) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(ActivityInput(SourceType.PURCHASED_ELECTRICITY, year, 10, "MWh"), gwp_set=GwpSet.AR5)
        message = str(info.value)
        assert f"năm {year}" in message and "chính thức" in message
        assert columns(info.value) == {"year"}

    def test_unofficial_2024_estimate_is_never_used(self) -> None:
        with pytest.raises(CalculationError):
            calculate(ActivityInput(SourceType.PURCHASED_ELECTRICITY, 2024, 1000, "MWh"), gwp_set=GwpSet.AR5)
        # and the shipped table has no 2024/2025 rows (0.6811 / 0.6235 are academic estimates, ghg.md §4)
        from xanh.ghg.calc import default_tables

        assert 2024 not in default_tables().grid and 2025 not in default_tables().grid

    def test_own_factor_for_electricity_is_refused(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(
                    SourceType.PURCHASED_ELECTRICITY,
                    2023,
                    10,
                    "MWh",
                    factor_overrides={"CO2": 500},
                    factor_source="hợp đồng",
                ),
                gwp_set=GwpSet.AR5,
            )
        assert "factor_overrides" in columns(info.value)

    def test_electricity_in_tonnes_is_refused(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(ActivityInput(SourceType.PURCHASED_ELECTRICITY, 2023, 10, "t"), gwp_set=GwpSet.AR5)
        assert "unit" in columns(info.value)


class TestSectorsAndBiomass:
    @pytest.mark.parametrize(
        ("sector", "ch4", "n2o"),
        [
            (CombustionSector.ENERGY_INDUSTRIES, 1, 1.5),
            (CombustionSector.MANUFACTURING, 10, 1.5),
            (CombustionSector.COMMERCIAL, 10, 1.5),
            (CombustionSector.RESIDENTIAL, 300, 1.5),
        ],
    )
    def test_coal_ch4_n2o_follow_the_sector_table(
        self, sector: CombustionSector, ch4: float, n2o: float
    ) -> None:
        # 1 TJ of anthracite so the gas masses equal the factors
        result = calculate(
            ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 1, "TJ", fuel="anthracite", sector=sector),
            gwp_set=GwpSet.AR5,
        )
        assert result.gas_kg(CH4) == pytest.approx(ch4)
        assert result.gas_kg(N2O) == pytest.approx(n2o)
        assert result.gas_kg(CO2) == pytest.approx(98300)
        assert any(sector.ipcc_table in f.name for f in result.factors)

    def test_default_sector_is_manufacturing_and_says_so(self) -> None:
        result = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5)
        assert any("mặc định" in f.name and "Bảng 2.3" in f.name for f in result.factors)

    def test_biomass_co2_is_reported_separately(self) -> None:
        husk = ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 10, "tấn", fuel="trấu")
        result = calculate(husk, gwp_set=GwpSet.AR5)
        assert result.biogenic_co2_t == pytest.approx(10 * 11.6 / 1000 * 100000 / 1000)
        # only CH4 and N2O count in the total
        assert result.total_co2e_t == pytest.approx((0.116 * 30 * 28 + 0.116 * 4 * 265) / 1000)
        assert result.gas_kg(CO2, biogenic=False) == 0
        assert any("sinh khối" in s.label for s in result.steps)

    def test_road_factors_for_gasoline(self) -> None:
        result = calculate(
            ActivityInput(SourceType.MOBILE_COMBUSTION, 2023, 1, "TJ", fuel="xăng"), gwp_set=GwpSet.AR4
        )
        assert (result.gas_kg(CO2), result.gas_kg(CH4), result.gas_kg(N2O)) == pytest.approx((69300, 33, 3.2))

    def test_mobile_fuel_without_road_factor_is_refused(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.MOBILE_COMBUSTION, 2023, 1, "t", fuel="FO"), gwp_set=GwpSet.AR5
            )
        assert "vận tải đường bộ" in str(info.value)

    def test_mobile_fuel_with_own_factors_and_source(self) -> None:
        result = calculate(
            ActivityInput(
                SourceType.MOBILE_COMBUSTION,
                2023,
                1,
                "TJ",
                fuel="FO",
                factor_overrides={"CO2": 77400, "CH4": 7, "N2O": 2},
                factor_source="IPCC 2006 Vol.2 Table 3.5.3 (tàu thủy)",
            ),
            gwp_set=GwpSet.AR5,
        )
        assert result.total_co2e_t == pytest.approx((77400 + 7 * 28 + 2 * 265) / 1000)
        assert all("tàu thủy" in f.source for f in result.factors if f.name.startswith("Hệ số phát thải"))


class TestOtherSources:
    def test_refrigerant_sf6_mass(self) -> None:
        result = calculate(
            ActivityInput(SourceType.REFRIGERANT, 2023, 2, "kg", gas="SF6"), gwp_set=GwpSet.AR4
        )
        assert result.total_co2e_t == pytest.approx(2 * 22800 / 1000)

    def test_hfc_needs_gwp_and_source(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.REFRIGERANT, 2023, 2, "kg", gas="HFC-134a"), gwp_set=GwpSet.AR5
            )
        assert "GWP" in str(info.value)
        ok = calculate(
            ActivityInput(
                SourceType.REFRIGERANT,
                2023,
                2,
                "kg",
                gas="HFC-134a",
                custom_gas=CustomGas("HFC-134a", 1300, "IPCC AR5 WG1 Table 8.A.1"),
            ),
            gwp_set=GwpSet.AR5,
        )
        assert ok.total_co2e_t == pytest.approx(2.6)
        assert ok.other_gases_co2e_kg == pytest.approx(2600)

    def test_process_with_factor_and_source(self) -> None:
        result = calculate(
            ActivityInput(
                SourceType.PROCESS,
                2023,
                1000,
                "tấn clinker",
                factor_overrides={"CO2": 520},
                factor_source="Hệ số riêng được phê duyệt",
            ),
            gwp_set=GwpSet.AR5,
        )
        assert result.total_co2e_t == pytest.approx(520)
        assert result.scope is Scope.DIRECT

    def test_factor_without_source_is_refused(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.WASTE, 2023, 10, "t", factor_overrides={"CH4": 5}),
                gwp_set=GwpSet.AR5,
            )
        assert "factor_source" in columns(info.value)

    def test_neither_gas_nor_factor_is_refused(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(ActivityInput(SourceType.FUGITIVE, 2023, 10, "t"), gwp_set=GwpSet.AR5)
        assert "hệ số phát thải" in str(info.value)

    def test_purchased_heat_is_indirect(self) -> None:
        result = calculate(
            ActivityInput(
                SourceType.PURCHASED_HEAT,
                2023,
                100,
                "GJ",
                factor_overrides={"CO2": 60},
                factor_source="Hóa đơn của nhà cung cấp hơi (hệ số công bố)",
            ),
            gwp_set=GwpSet.AR5,
        )
        assert result.scope is Scope.INDIRECT and result.total_co2e_t == pytest.approx(6)


class TestBadInput:
    def test_negative_quantity(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, -5, "t", fuel="diesel"),
                gwp_set=GwpSet.AR5,
            )
        assert columns(info.value) == {"quantity"}
        assert "âm" in str(info.value)

    def test_volume_without_density(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 5, "L", fuel="diesel"),
                gwp_set=GwpSet.AR5,
            )
        assert columns(info.value) == {"density_kg_per_l"}

    def test_unknown_fuel_lists_the_choices(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 5, "t", fuel="dầu dừa"),
                gwp_set=GwpSet.AR5,
            )
        assert "dầu dừa" in str(info.value) and "Than antraxit" in str(info.value)

    def test_unknown_unit(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.STATIONARY_COMBUSTION, 2023, 5, "thùng", fuel="diesel"),
                gwp_set=GwpSet.AR5,
            )
        assert columns(info.value) == {"unit"}

    def test_several_problems_reported_together(self) -> None:
        with pytest.raises(CalculationError) as info:
            calculate(
                ActivityInput(SourceType.STATIONARY_COMBUSTION, 1800, -1, "", fuel="diesel"),
                gwp_set=GwpSet.AR5,
            )
        assert columns(info.value) == {"quantity", "year", "unit"}


def test_batch_keeps_going_and_numbers_rows() -> None:
    batch = calculate_many(
        [
            DIESEL_1000_L,
            ActivityInput(SourceType.PURCHASED_ELECTRICITY, 2024, 10, "MWh"),
            ActivityInput(SourceType.PURCHASED_ELECTRICITY, 2023, 1000, "MWh"),
        ],
        gwp_set=GwpSet.AR5,
        first_row=2,
    )
    assert batch.results[1] is None
    assert [p.row for p in batch.problems] == [3]
    assert batch.total_co2e_t == pytest.approx(2.69806 + 659.2, rel=1e-5)
    assert batch.total_by_scope()[Scope.INDIRECT] == pytest.approx(659.2)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (2689.2372, "2.689,24"),
        (0.036292, "0,036292"),
        (74100, "74.100"),
        (0.0000123456, "0,0000123456"),
    ],
)
def test_trail_number_format(value: float, text: str) -> None:
    assert fmt(value) == text


def test_result_dict_is_json_ready() -> None:
    import json

    data = calculate(DIESEL_1000_L, gwp_set=GwpSet.AR5).to_dict()
    assert json.loads(json.dumps(data))["activity"]["fuel"] == "diesel"
    assert data["gwp_set"] == "AR5" and data["scope"] == 1
