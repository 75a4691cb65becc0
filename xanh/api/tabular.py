"""Turning API records (nested JSON-like data) into CSV (pure, no Django).

Nested objects become dotted columns (``document.number``); lists of plain values are joined with "; "; lists of
objects (target components, task assignments) are kept whole as JSON text in one cell, so no information is lost.
The CSV starts with a UTF-8 byte-order mark so that Excel shows Vietnamese letters correctly.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

BOM = "\ufeff"
LIST_SEPARATOR = "; "


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return repr(value) if value != int(value) or abs(value) >= 1e16 else str(int(value))
    return str(value)


def flatten_record(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten_record(value, f"{name}."))
        elif isinstance(value, list | tuple):
            if all(not isinstance(item, Mapping | list | tuple) for item in value):
                out[name] = LIST_SEPARATOR.join(_cell(item) for item in value)
            else:
                out[name] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            out[name] = _cell(value)
    return out


def records_to_csv(records: Iterable[Mapping[str, Any]], *, bom: bool = True) -> str:
    """CSV text of ``records``; the header is the union of the flattened keys in first-seen order."""
    rows = [flatten_record(r) for r in records]
    header: dict[str, None] = {}
    for row in rows:
        for key in row:
            header.setdefault(key, None)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\r\n", restval="")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return (BOM if bom else "") + buffer.getvalue()
