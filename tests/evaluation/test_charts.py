from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xanh.core.numbers import format_number_vi
from xanh.evaluation.charts import (
    STATUS_COLOURS,
    TrajectorySeries,
    series_from_assessment,
    trajectory_chart,
    trajectory_png,
    trajectory_svg,
)
from xanh.evaluation.methods import Baseline, Direction, Observation, TargetKind, TargetSpec, assess

NS = "{http://www.w3.org/2000/svg}"
OBS = [Observation(2020, 40.1), Observation(2022, 40.9), Observation(2025, 41.8)]


def series(method: str = "osdg") -> TrajectorySeries:
    spec = TargetSpec(
        value=42, unit="%", year=2030, baseline=Baseline(40.1, 2020), direction=Direction.INCREASE
    )
    a = assess(spec, OBS, method=method)
    return series_from_assessment(
        a.components.to_dict(),
        [(o.year, o.value) for o in OBS],
        title="Tỷ lệ che phủ rừng đạt 42%",
        status=a.status.value,
        status_label=a.label,
        method=method,
    )


def test_series_from_assessment_required_trajectory():
    s = series()
    assert s.observed == ((2020, 40.1), (2022, 40.9), (2025, 41.8))
    assert s.required[0] == (2020, 40.1) and s.required[-1][1] == pytest.approx(42)
    assert len(s.required) == 11
    linear = series("linear")
    assert linear.required[5][1] == pytest.approx(40.1 + (42 - 40.1) / 2)
    unsd = series("unsd")
    assert unsd.projected[0] == (2025, 41.8) and unsd.projected[1][0] == 2030


def test_rate_target_series_is_a_level_path():
    spec = TargetSpec(
        kind=TargetKind.ANNUAL_RATE,
        low=1,
        high=1.5,
        direction=Direction.DECREASE,
        year=2030,
        baseline=Baseline(42.0, 2020),
    )
    a = assess(spec, [Observation(2022, 41.5), Observation(2025, 40.2)])
    s = series_from_assessment(a.components.to_dict(), [(2022, 41.5), (2025, 40.2)])
    assert s.target_value == pytest.approx(42 * 0.99**10)
    assert s.unit == ""


def test_svg_is_inline_accessible_and_deterministic():
    svg = trajectory_chart(series(), "svg").decode()
    assert svg.startswith("<svg") and "<?xml" not in svg
    root = ET.fromstring(svg)
    labels = root.get("aria-labelledby").split()
    assert root.get("role") == "img" and len(labels) == 2
    assert root.find(f"{NS}title").text == "Tỷ lệ che phủ rừng đạt 42%"
    assert root.find(f"{NS}title").get("id") == labels[0] and root.find(f"{NS}desc").get("id") == labels[1]
    assert "trạng thái: " in root.find(f"{NS}desc").text  # the status in words
    assert "Lộ trình cần đạt" in svg and "Số liệu thực hiện" in svg  # legend text stays text
    assert "41,5" in svg or "41,75" in svg  # Vietnamese decimal comma on the axis
    assert 'href="http' not in svg and "<script" not in svg and "<metadata" not in svg  # self-contained
    assert trajectory_chart(series(), "svg") == trajectory_chart(series(), "svg")
    spark = trajectory_chart(series(), "svg", size="spark").decode()
    assert "chart-spark" in spark and len(spark) < len(svg)


def test_png_for_reports():
    png = trajectory_chart(series(), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    empty = trajectory_chart(TrajectorySeries(title="Chưa có số liệu"), "png")
    assert empty[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="svg hoặc png"):
        trajectory_chart(series(), "gif")  # type: ignore[arg-type]


def test_describe_is_a_text_alternative():
    text = series().describe()
    assert text.startswith("Tỷ lệ che phủ rừng đạt 42%; Số liệu từ năm 2020 (40,1%) đến năm 2025 (41,8%)")
    assert "mục tiêu 42% năm 2030" in text


# --- properties of the SVG renderer -----------------------------------------------------------------------------

finite = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)
odd = st.one_of(finite, st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e-9, 1e308]))
points = st.lists(st.tuples(st.integers(1990, 2060), odd), max_size=12, unique_by=lambda p: p[0]).map(
    lambda ps: tuple(sorted(ps))
)
words = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'"), max_size=40)


@st.composite
def any_series(draw: st.DrawFn) -> TrajectorySeries:
    low = draw(st.one_of(st.none(), finite))
    return TrajectorySeries(
        title=draw(words),
        unit=draw(st.sampled_from(["", "%", "tấn CO₂tđ", "<b>&"])),
        status=draw(st.sampled_from([*STATUS_COLOURS, "unknown"])),
        observed=draw(points),
        required=draw(points),
        projected=draw(points),
        base=draw(st.one_of(st.none(), st.tuples(st.integers(1990, 2060), odd))),
        target_year=draw(st.one_of(st.none(), st.integers(1990, 2060))),
        target_value=draw(st.one_of(st.none(), odd)),
        target_low=low,
        target_high=None if low is None else draw(finite),
        status_label=draw(words),
    )


VI_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?")


@settings(max_examples=300, deadline=None)
@given(any_series(), st.sampled_from(["full", "spark"]))
def test_any_series_renders_valid_svg(s: TrajectorySeries, size: str) -> None:
    svg = trajectory_svg(s, size=size)  # type: ignore[arg-type]
    root = ET.fromstring(svg)  # well-formed XML, whatever the text
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    coordinates = [
        v.lower() for el in root.iter() for k, v in el.attrib.items() if k not in ("id", "aria-labelledby")
    ]
    assert not [v for v in coordinates if "nan" in v or "inf" in v]  # every coordinate is a number
    drawable = [p for p in s.observed if math.isfinite(p[1]) and abs(p[1]) < 1e15]
    assert len(root.findall(f".//{NS}circle[@class='point']")) == len(drawable)
    assert root.find(f"{NS}title").text == (s.title or "Diễn biến so với lộ trình cần đạt")
    if s.status_label:
        assert f"trạng thái: {s.status_label}" in root.find(f"{NS}desc").text
    axis = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert all(VI_NUMBER.fullmatch(label or "") for label in axis), axis  # 1.234,5 style, no "e+12"
    assert len(set(axis)) == len(axis)  # ticks print apart
    years = [
        t.text
        for t in root.iter(f"{NS}text")
        if t.get("text-anchor") == "middle" and t.text != "Chưa có số liệu"
    ]
    assert all(re.fullmatch(r"\d{4}", y or "") for y in years)


@given(any_series())
@settings(max_examples=60, deadline=None)
def test_describe_writes_numbers_the_vietnamese_way(s: TrajectorySeries) -> None:
    text = s.describe()
    assert text.endswith(".")
    for _year, value in s.observed[:1] + s.observed[-1:]:
        assert format_number_vi(value, 2, strip_zeros=True) in text


def test_png_of_odd_series_does_not_fail() -> None:
    odd_series = TrajectorySeries(observed=((2020, 1.0),), required=(), target_low=5.0, target_high=5.0)
    assert trajectory_png(odd_series)[:4] == b"\x89PNG"
    assert trajectory_png(TrajectorySeries())[:4] == b"\x89PNG"
