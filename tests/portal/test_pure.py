"""Pure cores of the portal: tidy/SDMX tables, its SVG charts (the evaluation chart module), recognising key national targets (no database)."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from xanh.evaluation.charts import Words, plan_series, trajectory_svg
from xanh.portal import tidy
from xanh.portal.national import KEY_TARGETS, match_key_target


def _obs(disaggregation="", value=40.5, period="2024", demo=False):
    return tidy.Observation(
        "LV-03",
        "Tỷ lệ che phủ rừng",
        "D01",
        "Lục Vân",
        period,
        int(period[:4]),
        disaggregation,
        value,
        "%",
        "Sở NN&MT",
        "",
        demo,
    )


def test_split_disaggregation():
    assert tidy.split_disaggregation("") == {}
    assert tidy.split_disaggregation("area=urban;sex=female") == {"area": "urban", "sex": "female"}
    assert tidy.split_disaggregation("thành thị") == {"disaggregation": "thành thị"}


def test_tidy_csv_has_bom_one_row_per_observation_and_a_column_per_dimension():
    observations = [_obs(), _obs("area=urban", 42.0), _obs("sex=female", 39.0)]
    text = "".join(tidy.tidy_csv(observations))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert len(rows) == 3
    assert list(rows[0])[:8] == [
        "indicator_code",
        "indicator_name",
        "admin_unit_code",
        "admin_unit_name",
        "period",
        "year",
        "area",
        "sex",
    ]
    assert (rows[0]["area"], rows[1]["area"], rows[2]["sex"]) == ("", "urban", "female")
    assert rows[0]["value"] == "40.5" and rows[0]["is_demo"] == "false"


def test_sdmx_csv():
    text = "".join(tidy.sdmx_csv([_obs(period="2024"), _obs("thành thị", 98.0, "2024H1")]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["DATAFLOW", "INDICATOR", "REF_AREA", "TIME_PERIOD", "DISAGGREGATION", "OBS_VALUE"]
    assert rows[1][:6] == [tidy.SDMX_DATAFLOW, "LV-03", "D01", "2024", "_T", "40.5"]
    assert rows[2][3:6] == ["2024-S1", "thành thị", "98"]
    assert [tidy.sdmx_period(p) for p in ("2024Q3", "2024-05", "2024H2")] == ["2024-Q3", "2024-05", "2024-S2"]


@given(
    st.lists(
        st.builds(
            _obs,
            st.sampled_from(["", "area=urban", "sex=male;area=rural", "thành thị"]),
            st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
            st.sampled_from(["2020", "2024H1", "2024Q2", "2024-11"]),
            st.booleans(),
        ),
        max_size=20,
    )
)
def test_tidy_rows_keep_every_value_and_dimension(observations):
    text = "".join(tidy.tidy_csv(observations))
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert len(rows) == len(observations)
    for obs, row in zip(observations, rows, strict=True):
        assert float(row["value"]) == obs.value
        for name, value in tidy.split_disaggregation(obs.disaggregation).items():
            assert row[name] == value


def test_chart_is_accessible_svg_with_a_text_alternative():
    spec = plan_series(
        [(2020, 40.1), (2022, 40.9), (2025, 41.8)],
        base=(2020, 40.1),
        target_year=2030,
        target_value=42.0,
        title="Mục tiêu 3",
        unit="%",
        status="on_track",
        status_label="đúng tiến độ",
    )
    svg = trajectory_svg(spec, chart_id="c1", words=chart_words_vi())
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Mục tiêu 3"
    desc = root.find(f"{ns}desc").text
    assert "2020: 40,1%" in desc and "2025: 41,8%" in desc and "mục tiêu 42% năm 2030" in desc
    assert "trạng thái: đúng tiến độ" in desc
    assert spec.required[0] == (2020, 40.1) and spec.required[-1] == (2030, 42.0)  # straight to the target
    assert "<script" not in svg


def test_chart_without_data_says_so_and_range_targets_draw_a_band():
    empty = trajectory_svg(plan_series([], title="Trống"), words=chart_words_vi())
    assert "Chưa có số liệu đã phê duyệt" in empty
    band = plan_series([(2021, 10.0)], target_year=2030, target_low=15.0, target_high=20.0, unit="%")
    assert "<rect" in trajectory_svg(band)
    assert "15–20%" in band.describe()
    assert band.required[-1] == (2030, 15.0)  # an increase has to reach the lower edge
    falling = plan_series(
        [(2021, 30.0)], target_year=2030, target_low=15.0, target_high=20.0, decreasing=True
    )
    assert falling.required[-1] == (2030, 20.0)


def chart_words_vi() -> Words:
    return Words(no_data="Chưa có số liệu đã phê duyệt.", no_observations="Chưa có số liệu đã phê duyệt")


@given(
    st.lists(
        st.tuples(st.integers(1990, 2060), st.floats(-1e6, 1e6, allow_nan=False)),
        max_size=15,
        unique_by=lambda t: t[0],
    ),
    st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    st.text(max_size=30),
)
def test_any_chart_is_well_formed_xml(points, goal, title):
    title = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", title)
    spec = plan_series(
        points, target_year=2061 if goal is not None else None, target_value=goal, title=title, unit="tấn"
    )
    ET.fromstring(trajectory_svg(spec, chart_id="x"))


def test_key_national_targets_are_recognised_in_provincial_wording():
    cases = {
        "Tỷ lệ che phủ rừng đạt 37% vào năm 2030.": "forest_cover",
        "TỶ LỆ CHE PHỦ RỪNG": "forest_cover",
        "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý đạt 95%": "urban_solid_waste",
        "Tỷ lệ chất thải rắn sinh hoạt đô thị chôn lấp trực tiếp dưới 10%": None,
        "Tỷ lệ mua sắm công xanh đạt tối thiểu 35%": "green_procurement",
        "Tỷ trọng năng lượng tái tạo trong tổng cung năng lượng sơ cấp đạt 20%": "renewable_share",
        "Tiêu hao năng lượng trên GRDP giảm bình quân 1,0–1,5%/năm": "energy_intensity",
        "Tỷ lệ xe buýt sử dụng năng lượng xanh đạt 20%": "clean_buses",
        "Kinh tế số chiếm 20% GRDP": "digital_economy",
        "Giảm cường độ phát thải khí nhà kính trên GRDP ít nhất 15% so với năm 2014": "ghg_intensity",
        "Tỷ lệ lao động qua đào tạo đạt 75%": None,
    }
    for text, key in cases.items():
        found = match_key_target(text)
        assert (found.key if found else None) == key, text
    assert len({k.key for k in KEY_TARGETS}) == len(KEY_TARGETS)


@given(st.sampled_from(list(KEY_TARGETS)), st.sampled_from([str.upper, str.lower, str.title]))
def test_recognition_ignores_case(key, transform):
    text = " ".join(group[0] for group in key.all_of)
    from xanh.core.text import strip_diacritics

    assert match_key_target(transform(text)) is not None
    assert match_key_target(strip_diacritics(transform(text))) is not None
