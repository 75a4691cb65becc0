"""The JSON contract of the calculation core (pure)."""

from __future__ import annotations

import json

import pytest

from xanh.ghg.calc import CalculationError, GwpSet, SourceType, activity_from_dict, run


def test_run_worked_examples() -> None:
    out = run(
        {
            "gwp_set": "AR5",
            "activities": [
                {
                    "source_type": "stationary_combustion",
                    "fuel": "diesel",
                    "quantity": 1000,
                    "unit": "L",
                    "density_kg_per_l": 0.844,
                    "year": 2023,
                },
                {"source_type": "Điện mua vào", "quantity": "1.000", "unit": "MWh", "year": "2023"},
            ],
        }
    )
    assert out["gwp_set"] == "AR5"
    assert [r["ok"] for r in out["results"]] == [True, True]
    assert out["totals"]["direct_tCO2e"] == pytest.approx(2.69806, rel=1e-5)
    assert out["totals"]["indirect_tCO2e"] == pytest.approx(659.2)
    assert out["totals"]["by_year"] == {"2023": pytest.approx(661.89806, rel=1e-6)}
    json.dumps(out)


def test_bad_rows_are_reported_with_row_and_column() -> None:
    out = run(
        [
            {"source_type": "điện", "quantity": 5, "unit": "MWh", "year": 2024},
            {"source_type": "nấu ăn", "quantity": "x", "unit": "t", "year": 2023},
            {
                "source_type": "stationary_combustion",
                "fuel": "DO",
                "quantity": "2,5",
                "unit": "tấn",
                "year": 2023,
            },
        ],
        gwp_set=GwpSet.AR4,
    )
    first, second, third = out["results"]
    assert not first["ok"] and first["problems"][0]["column"] == "year"
    assert {p["column"] for p in second["problems"]} == {"source_type", "quantity"}
    assert third["ok"]
    assert any("dòng 2" in p for p in out["problems"])


def test_gwp_set_is_required() -> None:
    with pytest.raises(CalculationError):
        run([])
    with pytest.raises(CalculationError):
        run({"gwp_set": "AR6", "activities": []})


def test_vietnamese_labels_and_numbers() -> None:
    activity = activity_from_dict(
        {
            "source_type": "Đốt nhiên liệu tại nguồn cố định",
            "fuel": "dầu DO",
            "quantity": "1.234,5",
            "unit": "lít",
            "density_kg_per_l": "0,84",
            "year": 2023,
            "sector": "dân dụng",
        }
    )
    assert activity.source_type is SourceType.STATIONARY_COMBUSTION
    assert activity.quantity == 1234.5 and activity.density_kg_per_l == 0.84
    assert activity.sector is not None and activity.sector.value == "residential"


def test_custom_gas_round_trip() -> None:
    data = {
        "source_type": "refrigerant",
        "gas": "HFC-32",
        "quantity": 3,
        "unit": "kg",
        "year": 2023,
        "custom_gas": {"name": "HFC-32", "gwp": 677, "source": "IPCC AR5 WG1 Table 8.A.1"},
    }
    activity = activity_from_dict(data)
    assert activity_from_dict(activity.to_dict()) == activity
    assert run({"gwp_set": "AR5", "activities": [data]})["totals"]["total_tCO2e"] == pytest.approx(2.031)
