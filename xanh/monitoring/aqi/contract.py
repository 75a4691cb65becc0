"""The public contract of the AQI module, used by `xanh aqi --json` (issue 7).

Input: one JSON object or a list of them::

    {"hourly": {"PM2_5": [c1..c12 newest first], "PM10": [...], "O3": v, "CO": v, "SO2": v, "NO2": v}}
    {"daily": {"PM2_5_24h": v, "PM10_24h": v, "O3_1h_max": v, "O3_8h_max": v,
               "CO_1h_max": v, "SO2_1h_max": v, "NO2_1h_max": v}}

Any key may be missing or null; values are µg/m³ (CO too). Output per object::

    {"aqi": int | null, "category": str | null, "dominant": str | null, "sub_indices": {...}}

`category` is the Vietnamese label of QĐ 1459 Bảng 1 ("Tốt", "Trung bình", "Kém", "Xấu", "Rất xấu", "Nguy hại");
`sub_indices` has the six parameters PM2_5, PM10, O3, CO, SO2, NO2 as integers or null.
Input that cannot be read (unknown keys, text instead of numbers, negative concentrations) raises AqiInputError with
a Vietnamese message naming the place of the error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import overload

from .config import DEFAULT_CONFIG, AqiConfig
from .index import NOWCAST_HOURS, AqiResult, DailyInput, HourlyInput, daily_aqi, hourly_aqi

HOURLY_KEYS = ("PM2_5", "PM10", "O3", "CO", "SO2", "NO2")
HOURLY_LIST_KEYS = ("PM2_5", "PM10")
DAILY_KEYS = ("PM2_5_24h", "PM10_24h", "O3_1h_max", "O3_8h_max", "CO_1h_max", "SO2_1h_max", "NO2_1h_max")

JsonObject = dict[str, object]


class AqiInputError(ValueError):
    """Input of the AQI contract that cannot be read; the message says where and what."""


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _concentration(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AqiInputError(f"{where}: phải là một số (µg/m³) hoặc null, nhận được {_describe(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise AqiInputError(f"{where}: phải là một số hữu hạn, nhận được {_describe(value)}")
    if number < 0:
        raise AqiInputError(f"{where}: nồng độ không được âm, nhận được {_describe(value)}")
    return number


def _check_keys(data: Mapping[str, object], allowed: Sequence[str], where: str) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise AqiInputError(
            f"{where}: khóa không hợp lệ {', '.join(repr(k) for k in unknown)}; "
            f"các khóa được chấp nhận: {', '.join(allowed)}"
        )


def _hourly_input(data: object, where: str) -> HourlyInput:
    if not isinstance(data, Mapping):
        raise AqiInputError(f"{where}: phải là một đối tượng JSON, nhận được {_describe(data)}")
    _check_keys(data, HOURLY_KEYS, where)
    lists: dict[str, list[float | None]] = {}
    for key in HOURLY_LIST_KEYS:
        raw = data.get(key)
        if raw is None:
            lists[key] = []
            continue
        if not isinstance(raw, list):
            raise AqiInputError(
                f"{where} › {key}: phải là danh sách tối đa {NOWCAST_HOURS} trung bình giờ (mới nhất trước) "
                f"hoặc null, nhận được {_describe(raw)}"
            )
        if len(raw) > NOWCAST_HOURS:
            raise AqiInputError(
                f"{where} › {key}: NowCast dùng {NOWCAST_HOURS} giờ gần nhất, danh sách có {len(raw)} giá trị"
            )
        lists[key] = [_concentration(v, f"{where} › {key} › [{i}]") for i, v in enumerate(raw)]
    scalars = {key: _concentration(data.get(key), f"{where} › {key}") for key in ("O3", "CO", "SO2", "NO2")}
    return HourlyInput(
        pm2_5=lists["PM2_5"],
        pm10=lists["PM10"],
        o3=scalars["O3"],
        co=scalars["CO"],
        so2=scalars["SO2"],
        no2=scalars["NO2"],
    )


def _daily_input(data: object, where: str) -> DailyInput:
    if not isinstance(data, Mapping):
        raise AqiInputError(f"{where}: phải là một đối tượng JSON, nhận được {_describe(data)}")
    _check_keys(data, DAILY_KEYS, where)
    v = {key: _concentration(data.get(key), f"{where} › {key}") for key in DAILY_KEYS}
    return DailyInput(
        pm2_5_24h=v["PM2_5_24h"],
        pm10_24h=v["PM10_24h"],
        o3_1h_max=v["O3_1h_max"],
        o3_8h_max=v["O3_8h_max"],
        co_1h_max=v["CO_1h_max"],
        so2_1h_max=v["SO2_1h_max"],
        no2_1h_max=v["NO2_1h_max"],
    )


def evaluate(obj: object, config: AqiConfig = DEFAULT_CONFIG, where: str = "đầu vào") -> AqiResult:
    """One hourly or daily object of the contract -> AqiResult."""
    if not isinstance(obj, Mapping):
        raise AqiInputError(
            f'{where}: phải là đối tượng JSON có khóa "hourly" hoặc "daily", nhận được {_describe(obj)}'
        )
    keys = set(obj)
    if keys == {"hourly"}:
        return hourly_aqi(_hourly_input(obj["hourly"], f"{where} › hourly"), config)
    if keys == {"daily"}:
        return daily_aqi(_daily_input(obj["daily"], f"{where} › daily"), config)
    raise AqiInputError(
        f'{where}: cần đúng một khóa "hourly" hoặc "daily", nhận được '
        f"{', '.join(repr(k) for k in obj) or 'đối tượng rỗng'}"
    )


@overload
def run(obj_or_list: list[object], config: AqiConfig = ...) -> list[JsonObject]: ...
@overload
def run(obj_or_list: object, config: AqiConfig = ...) -> JsonObject | list[JsonObject]: ...
def run(obj_or_list: object, config: AqiConfig = DEFAULT_CONFIG) -> JsonObject | list[JsonObject]:
    """The contract: a JSON object gives one result, a JSON list gives the results in the same order."""
    if isinstance(obj_or_list, list):
        return [evaluate(item, config, f"phần tử [{i}]").to_json() for i, item in enumerate(obj_or_list)]
    return evaluate(obj_or_list, config).to_json()
