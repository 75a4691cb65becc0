from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from xanh.evaluation.charts import TrajectorySeries, series_from_assessment, trajectory_chart
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
