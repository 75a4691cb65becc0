"""Reference data of the GHG app: official grid emission factors and the inventory deadline rules.

Loaded by migration 0002, by `xanh bootstrap` and by the demo loader (tests that flush the database between browser
tests need it again). Idempotent: only missing rows are created. Takes an app registry so that the migration can pass
its historical models.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def seed_reference(apps: Any) -> None:
    Grid = apps.get_model("ghg", "GridEmissionFactor")
    Rule = apps.get_model("ghg", "DeadlineRuleRecord")
    for row in _rows("ghg-grid-emission-factors.csv"):
        Grid.objects.get_or_create(
            year=int(row["year"]),
            defaults={
                "t_co2_per_mwh": float(row["tCO2_per_MWh"]),
                "issuing_document": row["issuing_document"],
                "confidence": row["confidence"],
            },
        )
    for row in _rows("deadline-rules.csv"):
        Rule.objects.get_or_create(
            key=row["key"],
            defaults={
                "obligation_groups": row["obligation_groups"],
                "step": row["step"],
                "recipient": row["recipient"],
                "month": int(row["month"]),
                "day": int(row["day"]),
                "first_submission_year": int(row["first_submission_year"]),
                "every_years": int(row["every_years"]),
                "first_data_year": int(row["first_data_year"]),
                "data_years": int(row["data_years"]),
                "valid_from": dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                "instrument": row["instrument"],
                "confidence": row["confidence"],
                "source": row["source"],
            },
        )
