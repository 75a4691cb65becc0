"""Facility GHG calculation core (pure Python, no Django): IPCC 2006 Tier 1 per TT 38/2023/TT-BCT.

Public API: ``calculate`` / ``calculate_many`` (engine.py), the JSON contract ``run`` (contract.py), factor tables
(tables.py), units (units.py) and deadline rules (deadlines.py). See docs/ghg.md.
"""

from .contract import activity_from_dict, parse_gwp_set, parse_number, parse_sector, parse_source_type, run
from .deadlines import Deadline, DeadlineRule, ObligationGroup, Step, deadline_for, load_rules, next_deadlines
from .engine import BatchResult, MissingGridFactor, calculate, calculate_many, fmt
from .tables import FactorTables, FuelFactor, GridFactor, default_tables, load_tables
from .types import (
    CH4,
    CO2,
    N2O,
    SF6,
    ActivityInput,
    CalculationError,
    CombustionSector,
    CustomGas,
    EmissionResult,
    FactorUse,
    GasAmount,
    GwpSet,
    Scope,
    SourceType,
    TrailStep,
)
from .units import UNITS, Unit, UnitKind, convert, parse_unit

__all__ = [
    "CH4",
    "CO2",
    "N2O",
    "SF6",
    "UNITS",
    "ActivityInput",
    "BatchResult",
    "CalculationError",
    "CombustionSector",
    "CustomGas",
    "Deadline",
    "DeadlineRule",
    "EmissionResult",
    "FactorTables",
    "FactorUse",
    "FuelFactor",
    "GasAmount",
    "GridFactor",
    "GwpSet",
    "MissingGridFactor",
    "ObligationGroup",
    "Scope",
    "SourceType",
    "Step",
    "TrailStep",
    "Unit",
    "UnitKind",
    "activity_from_dict",
    "calculate",
    "calculate_many",
    "convert",
    "deadline_for",
    "default_tables",
    "fmt",
    "load_rules",
    "load_tables",
    "next_deadlines",
    "parse_gwp_set",
    "parse_number",
    "parse_sector",
    "parse_source_type",
    "parse_unit",
    "run",
]
