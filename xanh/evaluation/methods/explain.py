"""Plain-Vietnamese explanations of assessments, e.g.
"Tốc độ tăng bình quân quan sát: 1,2%/năm; cần: 2,0%/năm; tỷ lệ: 0,60 → cần đẩy nhanh"."""

from __future__ import annotations

from xanh.core.numbers import format_number_vi
from xanh.evaluation.methods.common import fmt
from xanh.evaluation.methods.types import Assessment, Components, Status

ARROW = "→"
_PREFIX = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "approx": "khoảng "}


def _rate(x: float) -> str:
    """A yearly rate (fraction) as a percentage magnitude: 0.012 -> "1,2%"."""
    magnitude = abs(x) * 100
    decimals = 1 if magnitude == 0 or magnitude >= 0.05 else 2
    return f"{format_number_vi(magnitude, decimals)}%"


def _level_unit(c: Components) -> str:
    return "" if c.kind == "annual_rate" else c.unit


def _ratio(x: float) -> str:
    return format_number_vi(x, 2)


def _figure(value: float | None, low: float | None, high: float | None, unit: str) -> str:
    if low is not None and high is not None and low != high:
        text = f"{format_number_vi(low, 2, strip_zeros=True)}–{format_number_vi(high, 2, strip_zeros=True)}"
        return f"{text}{unit}" if unit == "%" or not unit else f"{text} {unit}"
    return fmt(value if value is not None else low, unit)


def describe_target(c: Components) -> str:
    """The target as a short phrase: "≥ 40% năm 2030", "giảm 1–1,5%/năm bình quân đến năm 2030"."""
    year = f" năm {c.target_year}" if c.target_year is not None and not c.target_year_assumed else ""
    if c.kind == "annual_rate":
        verb = "giảm" if c.direction == "decrease" else "tăng"
        low = abs(c.target_low) if c.target_low is not None else None
        high = abs(c.target_high) if c.target_high is not None else None
        value = abs(c.target_value) if c.target_value is not None else None
        fig = _figure(value, low, high, "").rstrip()
        until = f" đến năm {c.target_year}" if year else ""
        return f"{verb} {fig}%/năm bình quân{until}"
    if c.target_value is None and c.target_low is None:
        if c.kind == "milestone":
            return f"hoàn thành{' trong năm ' + str(c.target_year) if c.target_year else ''}"
        return {"increase": "tăng", "decrease": "giảm"}.get(c.direction or "", "không nêu giá trị")
    fig = _figure(c.target_value, c.target_low, c.target_high, c.unit)
    if c.target_low is None or c.target_low == c.target_high:
        fig = _PREFIX.get(c.comparator or "", "") + fig
    if c.direction == "maintain":
        fig = f"duy trì {fig}"
    return f"{fig}{year}"


def _growth_phrase(c: Components) -> str | None:
    obs, req = c.observed_growth, c.required_growth
    if obs is None:
        return None
    if c.growth_kind == "absolute":
        unit = "điểm %" if c.unit == "%" else (c.unit or "đơn vị")

        def amount(x: float) -> str:
            return f"{format_number_vi(abs(x), 2, strip_zeros=True)} {unit}/năm"

        if req is None:
            return f"Mức thay đổi bình quân quan sát: {_signed_word(obs)} {amount(obs)}"
        if obs >= 0 and req >= 0:
            return f"Mức tăng bình quân quan sát: {amount(obs)}; cần: {amount(req)}"
        if obs < 0 and req < 0:
            return f"Mức giảm bình quân quan sát: {amount(obs)}; cần: {amount(req)}"
        return f"Mức thay đổi bình quân quan sát: {_signed_word(obs)} {amount(obs)}; cần: {_signed_word(req)} {amount(req)}"
    if req is None:
        return f"Tốc độ bình quân quan sát: {_signed_word(obs)} {_rate(obs)}/năm"
    if obs > 0 and req > 0:
        return f"Tốc độ tăng bình quân quan sát: {_rate(obs)}/năm; cần: {_rate(req)}/năm"
    if obs < 0 and req < 0:
        return f"Tốc độ giảm bình quân quan sát: {_rate(obs)}/năm; cần: {_rate(req)}/năm"
    return (
        f"Tốc độ bình quân quan sát: {_signed_word(obs)} {_rate(obs)}/năm; "
        f"cần: {_signed_word(req)} {_rate(req)}/năm"
    )


def _signed_word(x: float) -> str:
    if x > 0:
        return "tăng"
    if x < 0:
        return "giảm"
    return "không đổi"


def explain(a: Assessment) -> str:
    """One sentence: the decisive numbers, then the status."""
    c = a.components
    tail = f" {ARROW} {a.label}"
    if c.calculation == "composite":
        named = "; ".join(f"{name or 'thành phần'}: {part.label}" for name, part in a.parts)
        if a.score is None:
            return f"{named}{tail}"
        return f"{named}; điểm bình quân: {format_number_vi(a.score, 2)}{tail}"
    if c.calculation == "milestone" and c.tasks_total:
        done = f"{c.tasks_completed}/{c.tasks_total} nhiệm vụ đã hoàn thành"
        behind = f"; {c.tasks_behind} nhiệm vụ chậm tiến độ" if c.tasks_behind else ""
        deadline = f"; hạn: năm {c.target_year}" if c.target_year else ""
        return f"{done}{behind}{deadline}{tail}"
    if a.status is Status.INSUFFICIENT_DATA:
        reason = a.notes[-1].rstrip(".") if a.notes else "Chưa có đủ số liệu"
        return f"{reason}{tail}"
    if a.status is Status.ACHIEVED:
        if c.kind == "annual_rate" and c.observed_growth is not None:
            phrase = _growth_phrase(c)
            return f"{phrase}{tail}"
        latest = fmt(c.latest_value, _level_unit(c))
        return f"Giá trị năm {c.latest_year}: {latest}; mục tiêu: {describe_target(c)}{tail}"
    prefix = "Khoảng cách tới mức cần duy trì: " if c.transformed else ""
    if c.ratio_name == "L":
        progress = format_number_vi((c.progress_share or 0) * 100, 0)
        elapsed = format_number_vi((c.time_share or 0) * 100, 0)
        ratio = _ratio(c.ratio) if c.ratio is not None else "không xác định"
        return (
            f"{prefix}Đã thực hiện {progress}% chặng đường từ giá trị cơ sở đến mục tiêu sau {elapsed}% thời gian; "
            f"tỷ lệ: {ratio}{tail}"
        )
    growth = _growth_phrase(c)
    if c.ratio_name == "CR":
        projected = fmt(c.projected_value, "" if c.transformed else _level_unit(c))
        ratio = _ratio(c.ratio) if c.ratio is not None else "không xác định"
        head = f"{growth}; " if growth else ""
        return (
            f"{prefix}{head}dự báo năm {c.target_year} theo tốc độ hiện tại: {projected}; "
            f"tỷ lệ hoàn thành dự kiến: {ratio}{tail}"
        )
    if c.ratio_name == "R":
        ratio = _ratio(c.ratio) if c.ratio is not None else "không xác định"
        if prefix and growth:
            growth = growth[0].lower() + growth[1:]
        return f"{prefix}{growth}; tỷ lệ: {ratio}{tail}"
    if c.progress_value is not None and c.required_growth is not None:
        obs = _growth_phrase(Components(observed_growth=c.observed_growth, growth_kind="compound"))
        return f"{obs}; ngưỡng đúng tiến độ: {_signed_word(c.required_growth)} {_rate(c.required_growth)}/năm{tail}"
    return f"{growth or ''}{tail}".strip()


def explain_inputs(a: Assessment) -> str | None:
    """The inputs: "Cơ sở: 30% (năm 2020, theo kế hoạch); mới nhất: 35% (năm 2024); mục tiêu: ≥ 40% năm 2030."."""
    c = a.components
    if c.calculation == "composite":
        return None
    parts = []
    if c.base_value is not None:
        origin = "số liệu quan sát" if c.baseline_from_observation else "theo kế hoạch"
        parts.append(f"Cơ sở: {fmt(c.base_value, _level_unit(c))} (năm {c.base_year}, {origin})")
    if c.latest_value is not None:
        parts.append(f"mới nhất: {fmt(c.latest_value, _level_unit(c))} (năm {c.latest_year})")
    parts.append(f"mục tiêu: {describe_target(c)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def explain_lines(a: Assessment) -> list[str]:
    """Inputs, the decisive calculation, then every note (in that order)."""
    lines = []
    inputs = explain_inputs(a)
    if inputs:
        lines.append(inputs)
    lines.append(explain(a))
    for name, part in a.parts:
        lines.append(f"{(name or 'thành phần').capitalize()}: {explain(part)}")
    lines.extend(a.notes)
    return lines


METHOD_TITLES = {
    "osdg": "Open SDG / Thống kê Canada (tỷ lệ tốc độ tăng kép)",
    "unsd": "UNSD Progress Chart (ngoại suy đến năm mục tiêu)",
    "linear": "Quỹ đạo tuyến tính",
}
RATIO_TITLES = {
    "R": "Tỷ lệ tốc độ quan sát / tốc độ cần (R)",
    "CR": "Tỷ lệ hoàn thành dự kiến (CR)",
    "L": "Tỷ lệ tiến độ / thời gian (L)",
}


def calculation_rows(a: Assessment) -> list[tuple[str, str]]:
    """Every calculation component with a Vietnamese label and a formatted value, for a table."""
    c = a.components
    unit = _level_unit(c)
    rows: list[tuple[str, str]] = [("Mục tiêu", describe_target(c))]
    if c.base_value is not None:
        origin = "số liệu quan sát sớm nhất" if c.baseline_from_observation else "theo kế hoạch"
        rows.append(("Giá trị cơ sở", f"{fmt(c.base_value, unit)} (năm {c.base_year}, {origin})"))
    if c.latest_value is not None:
        rows.append(("Giá trị mới nhất", f"{fmt(c.latest_value, unit)} (năm {c.latest_year})"))
    if c.observation_count:
        rows.append(("Số năm có số liệu", format_number_vi(c.observation_count)))
    if c.observed_growth is not None:
        if c.growth_kind == "absolute":
            per = "điểm %/năm" if c.unit == "%" else f"{c.unit or 'đơn vị'}/năm"
            rows.append(
                (
                    "Mức thay đổi bình quân quan sát",
                    f"{format_number_vi(c.observed_growth, 2, sign=True)} {per}",
                )
            )
            if c.required_growth is not None:
                rows.append(
                    (
                        "Mức thay đổi bình quân cần",
                        f"{format_number_vi(c.required_growth, 2, sign=True)} {per}",
                    )
                )
        else:
            rows.append(("Tốc độ bình quân quan sát", f"{_signed_rate(c.observed_growth)}/năm"))
            if c.required_growth is not None:
                label = "Ngưỡng đúng tiến độ" if c.progress_value is not None else "Tốc độ bình quân cần"
                rows.append((label, f"{_signed_rate(c.required_growth)}/năm"))
    if c.ratio is not None and c.ratio_name:
        rows.append((RATIO_TITLES.get(c.ratio_name, c.ratio_name), _ratio(c.ratio)))
    if c.progress_share is not None and c.time_share is not None:
        rows.append(
            (
                "Quãng đường đã đi / thời gian đã qua",
                f"{format_number_vi(c.progress_share * 100, 0)}% / "
                f"{format_number_vi(c.time_share * 100, 0)}%",
            )
        )
    if c.expected_value is not None:
        rows.append(("Giá trị cần có theo lộ trình", fmt(c.expected_value, unit)))
    if c.projected_value is not None:
        rows.append((f"Dự báo năm {c.target_year}", fmt(c.projected_value, "" if c.transformed else unit)))
    if c.limit is not None:
        rows.append(("Giới hạn tự nhiên", fmt(c.limit, unit)))
    if c.limit_factor is not None and c.limit is not None:
        rows.append(("Hệ số giới hạn C", format_number_vi(c.limit_factor, 3)))
    if c.tasks_total:
        rows.append(("Nhiệm vụ đã hoàn thành", f"{c.tasks_completed}/{c.tasks_total}"))
        if c.tasks_behind:
            rows.append(("Nhiệm vụ chậm tiến độ", format_number_vi(c.tasks_behind)))
    if a.score is not None:
        rows.append(("Điểm (thang -5 đến 5)", format_number_vi(a.score, 2)))
    method = METHOD_TITLES.get(a.method, a.method)
    if c.calculation == "linear":
        method += " — tính theo quỹ đạo tuyến tính do giá trị trái dấu"
    rows.append(("Phương pháp", f"{method}, phiên bản {a.method_version}" if a.method_version else method))
    return rows


def _signed_rate(x: float) -> str:
    sign = "+" if x > 0 else ("-" if x < 0 else "")
    return f"{sign}{_rate(x)}"
