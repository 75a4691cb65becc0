"""The `xanh assess --json` contract (issue 5): input shape, output keys, Vietnamese errors that name the field."""

from __future__ import annotations

import io
import json

import pytest

from xanh.core.errors import ValidationFailed
from xanh.evaluation.methods import run_cases

STATUS_CODES = {
    "achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "insufficient_data",
}


def one(case: dict) -> dict:
    (result,) = run_cases([case])
    return result


def test_level_case_round_trip():
    result = one(
        {
            "target": {
                "value": 100 * 1.1**10,
                "unit": "",
                "comparator": ">=",
                "direction": "increase",
                "year": 2030,
                "baseline": {"value": 100, "year": 2020},
                "kind": "level",
                "limit": None,
            },
            "observations": [{"year": 2022, "value": 121}, {"year": 2024, "value": 146.41}],
            "method": "osdg",
        }
    )
    assert result["status"] == "on_track"
    assert result["label"] == "đúng tiến độ"
    assert result["score"] == pytest.approx(20 / 7, abs=1e-6)
    c = result["components"]
    assert c["base_value"] == 100 and c["base_year"] == 2020 and c["baseline_from_observation"] is False
    assert c["latest_value"] == 146.41 and c["latest_year"] == 2024
    assert c["required_growth"] == pytest.approx(0.1) and c["observed_growth"] == pytest.approx(0.1)
    assert c["ratio"] == pytest.approx(1.0)
    assert result["method"] == "osdg" and result["method_version"]
    assert "tỷ lệ: 1,00 → đúng tiến độ" in result["explanation"]


def test_default_method_is_osdg_and_every_method_answers():
    case = {
        "target": {"value": 40, "comparator": ">=", "year": 2030},
        "observations": [{"year": 2020, "value": 30}, {"year": 2024, "value": 33}],
    }
    assert one(case)["method"] == "osdg"
    for method in ("osdg", "unsd", "linear"):
        result = one({**case, "method": method})
        assert result["status"] in STATUS_CODES and result["method"] == method


def test_range_annual_rate_and_milestone_cases():
    results = run_cases(
        [
            {
                "target": {"low": 15, "high": 20, "unit": "%", "year": 2030, "direction": "increase"},
                "observations": [{"year": 2020, "value": 10}, {"year": 2024, "value": 16}],
            },
            {
                "target": {
                    "low": 1.0,
                    "high": 1.5,
                    "unit": "%/năm",
                    "direction": "decrease",
                    "kind": "annual_rate",
                    "year": 2030,
                    "start_year": 2021,
                },
                "observations": [{"year": 2020, "value": 100}, {"year": 2024, "value": 100 * 0.995**4}],
            },
            {
                "target": {
                    "kind": "milestone",
                    "year": 2025,
                    "tasks": [{"status": "completed"}, {"status": "behind", "code": "III.2"}],
                },
                "observations": [],
                "as_of": 2024,
            },
        ]
    )
    assert [r["status"] for r in results] == ["achieved", "limited_progress", "acceleration_needed"]


def test_component_target_parts_roll_up():
    result = one(
        {
            "parts": [
                {
                    "name": "thành thị",
                    "target": {"value": 100, "unit": "%", "year": 2030, "limit": 100},
                    "observations": [{"year": 2020, "value": 97}, {"year": 2024, "value": 99.5}],
                },
                {
                    "name": "nông thôn",
                    "target": {"value": 90, "unit": "%", "year": 2030},
                    "observations": [{"year": 2020, "value": 70}, {"year": 2024, "value": 72}],
                },
            ]
        }
    )
    assert [p["name"] for p in result["parts"]] == ["thành thị", "nông thôn"]
    assert result["parts"][0]["status"] == "achieved"
    scores = [p["score"] for p in result["parts"]]
    assert result["score"] == pytest.approx(sum(scores) / 2, abs=1e-6)
    assert result["status"] != "achieved"


def test_year_range_counts_as_first_year_and_null_values_are_missing():
    result = one(
        {
            "target": {"value": 40, "comparator": ">=", "year": "2030"},
            "observations": [
                {"year": "2015-16", "value": 30},
                {"year": 2018, "value": None},
                {"year": 2020, "value": "33,5"},
            ],
        }
    )
    assert result["components"]["base_year"] == 2015
    assert result["components"]["latest_value"] == 33.5
    assert result["components"]["observation_count"] == 2


def test_insufficient_data_has_null_score():
    result = one(
        {
            "target": {"value": 40, "comparator": ">=", "year": 2030},
            "observations": [{"year": 2020, "value": 30}],
        }
    )
    assert result["status"] == "insufficient_data" and result["score"] is None
    assert "chưa đủ dữ liệu" in result["explanation"]


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ({"target": {"value": "abc"}}, "target.value", "không phải là số"),
        ({"target": {"value": 1, "comparator": "≠"}}, "target.comparator", "không hợp lệ"),
        ({"target": {"value": 1, "direction": "sideways"}}, "target.direction", "không hợp lệ"),
        ({"target": {"low": 5}}, "target.high", 'cả "low" và "high"'),
        ({"target": {"low": 5, "high": 3}}, "target.low", "lớn hơn cận trên"),
        ({"target": {"value": 1, "year": "năm sau"}}, "target.year", "cần một năm"),
        ({"target": {"value": 1, "baseline": {"value": 1}}}, "target.baseline.year", "thiếu năm"),
        (
            {
                "target": {"value": 1},
                "observations": [{"year": 2020, "value": 1}, {"year": 2020, "value": 2}],
            },
            "observations[1].year",
            "năm 2020 đã có",
        ),
        ({"target": {"value": 1}, "observations": [{"value": 1}]}, "observations[0].year", "thiếu năm"),
        ({"target": {"value": 1}, "method": "magic"}, "method", '"osdg"'),
        ({"target": {"value": 1, "colour": "green"}}, "target.colour", "không được hỗ trợ"),
        ({"target": {"unit": "%"}}, "target.value", "cần giá trị mục tiêu"),
        ({"observations": []}, "target", "thiếu mô tả mục tiêu"),
        ({"target": {"value": True}}, "target.value", "cần một số"),
    ],
)
def test_bad_input_names_case_and_field(case, field, words):
    with pytest.raises(ValidationFailed) as err:
        run_cases([{"target": {"value": 1}}, case])
    text = str(err.value)
    assert f"trường hợp 2, cột/trường «{field}»" in text
    assert words in text
    assert "trường hợp 1" not in text


def test_not_a_list():
    with pytest.raises(ValidationFailed, match="danh sách JSON"):
        run_cases({"target": {}})  # type: ignore[arg-type]


# --- the management command ----------------------------------------------------------------------------------


def call_assess(stdin_text: str, *args: str) -> str:
    from django.core.management import call_command

    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin_text)
    try:
        call_command("assess", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_command_prints_json_contract():
    cases = [
        {
            "target": {"value": 40, "comparator": ">=", "year": 2030},
            "observations": [{"year": 2020, "value": 30}, {"year": 2024, "value": 41}],
        }
    ]
    out = json.loads(call_assess(json.dumps(cases), "--json"))
    assert out[0]["status"] == "achieved" and out[0]["score"] == 5


def test_command_human_output_is_vietnamese():
    cases = [
        {
            "target": {"value": 40, "comparator": ">=", "year": 2030},
            "observations": [{"year": 2020, "value": 30}, {"year": 2024, "value": 33}],
        }
    ]
    out = call_assess(json.dumps(cases))
    assert out.startswith("1. ") and "Tốc độ tăng bình quân quan sát" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"target": ', "JSON không hợp lệ ở dòng 1"),
        ("", "Đầu vào rỗng"),
        ('{"target": {"value": 1}}', "danh sách JSON"),
        ('[{"target": {"value": "x"}}]', "trường hợp 1, cột/trường «target.value»"),
    ],
)
def test_command_bad_input_exits_with_code_2(text, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as err:
        call_assess(text, "--json")
    assert err.value.returncode == 2
    assert message in str(err.value)


def test_command_line_exit_code_and_clean_message():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "xanh.cli", "assess", "--json"],
        input='[{"target": ',
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("JSON không hợp lệ")
    assert "Traceback" not in proc.stderr
