"""Pure cores of the API: token keys, import rows, CSV flattening (no database)."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from xanh.accounts.tokenkeys import hash_key, matches, new_key, prefix_of
from xanh.api.tabular import BOM, flatten_record, records_to_csv
from xanh.api.valuerows import (
    MAX_ROWS,
    canonical_columns,
    parse_csv,
    parse_json,
    parse_records,
    sdmx_to_period,
)


def test_new_key_has_prefix_and_only_its_hash_is_kept():
    generated = new_key()
    assert generated.key.startswith(generated.prefix + "_")
    assert prefix_of(generated.key) == generated.prefix
    assert generated.key_hash == hash_key(generated.key) and len(generated.key_hash) == 64
    assert generated.key not in generated.key_hash
    assert matches(generated.key, generated.key_hash)
    assert not matches(generated.key + "x", generated.key_hash)


@given(st.text(max_size=80))
def test_prefix_of_rejects_anything_not_shaped_like_a_key(text):
    if prefix_of(text) is not None:
        assert text.strip().startswith("xanh_")


def test_keys_are_unique():
    keys = {new_key().key for _ in range(200)}
    assert len(keys) == 200


def test_csv_rows_are_numbered_by_file_line_and_vietnamese_numbers_are_read():
    text = (
        "\ufeffindicator_code,admin_unit_code,period,value,disaggregation\n"
        'LV-01,D01,2024,"1.234,5",\n'
        "\n"
        "LV-02,D01,2024h1,37.5,thành thị\n"
        "LV-03,D01,2024,abc,\n"
    )
    parsed = parse_csv(text)
    assert [r.row for r in parsed.rows] == [2, 4]
    assert parsed.rows[0].value == 1234.5
    assert parsed.rows[1].period == "2024H1" and parsed.rows[1].disaggregation == "thành thị"
    assert [(p.row, p.column) for p in parsed.problems] == [(5, "value")]
    assert "abc" in parsed.problems[0].message


def test_semicolon_csv_from_vietnamese_excel_and_vietnamese_headers():
    text = "Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị;Ghi chú\nLV-01;D01;2024;40,6;số ước tính\n"
    parsed = parse_csv(text)
    assert not parsed.problems
    row = parsed.rows[0]
    assert (row.indicator_code, row.admin_unit_code, row.value, row.note) == (
        "LV-01",
        "D01",
        40.6,
        "số ước tính",
    )


def test_missing_columns_are_reported_on_the_header_line():
    parsed = parse_csv("indicator_code,value\nLV-01,3\n")
    assert len(parsed.problems) == 1 and parsed.problems[0].row == 1
    assert "admin_unit_code" in parsed.problems[0].message and "period" in parsed.problems[0].message


def test_sdmx_export_columns_round_trip():
    text = (
        "DATAFLOW,INDICATOR,REF_AREA,TIME_PERIOD,DISAGGREGATION,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,COMMENT\n"
        "XANH:DF_GREEN_GROWTH(1.0),LV-06,D01,2024-S1,_T,88,%,A,\n"
    )
    row = parse_csv(text).rows[0]
    assert (row.indicator_code, row.period, row.disaggregation, row.value, row.unit) == (
        "LV-06",
        "2024H1",
        "",
        88.0,
        "%",
    )
    assert sdmx_to_period("2024-Q3") == "2024Q3" and sdmx_to_period("2024") == "2024"


def test_json_dhis2_shape_duplicates_and_bad_types():
    payload = {
        "dataValues": [
            {"dataElement": "LV-01", "orgUnit": "D01", "period": "2024", "value": "40.6"},
            {"dataElement": "LV-01", "orgUnit": "D01", "period": "2024", "value": 41},
            {"indicator": "LV-02", "admin_unit": "D01", "period": "2024", "value": True},
            "not an object",
            {"indicator": "LV-02", "admin_unit": "D01", "period": "2024", "value": 1, "status": "approved"},
        ]
    }
    parsed = parse_json(payload)
    assert [r.row for r in parsed.rows] == [1]
    assert [(p.row, p.column) for p in parsed.problems] == [
        (2, "period"),
        (3, "value"),
        (4, None),
        (5, "status"),
    ]
    assert "dòng 1" in parsed.problems[0].message


def test_too_many_rows_is_one_problem():
    records = [{"indicator": "X", "admin_unit": "D01", "period": "2024", "value": 1}] * (MAX_ROWS + 5)
    parsed = parse_records(records)
    assert parsed.problems[-1].row == MAX_ROWS + 1


def test_messages_go_through_the_given_translation():
    parsed = parse_json(
        [{"indicator": "X", "admin_unit": "D01", "period": "2024"}], gettext=lambda s: f"<{s}>"
    )
    assert parsed.problems[0].message == "<thiếu giá trị>"


_cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=12
)


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "indicator": st.sampled_from(["LV-01", "LV-02", "TT10-2.3"]),
                "admin_unit": st.sampled_from(["D01", "01", "24"]),
                "period": st.sampled_from(["2020", "2021", "2024H1", "2024Q3", "2024-05"]),
                "value": st.one_of(
                    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9), _cell
                ),
                "disaggregation": _cell,
            }
        ),
        max_size=30,
    )
)
def test_every_record_is_either_a_row_or_a_problem_and_points_are_unique(records):
    parsed = parse_records(records)
    assert parsed.total == len(records)
    accepted = {r.row for r in parsed.rows}
    rejected = {p.row for p in parsed.problems}
    assert accepted | rejected == set(range(1, len(records) + 1))
    assert not accepted & rejected
    points = [r.point for r in parsed.rows]
    assert len(points) == len(set(points))


@given(
    st.lists(st.sampled_from(["indicator", "Indicator_Code", "MÃ CHỈ TIÊU", "ky", "Kỳ", "foo", "OBS_VALUE"]))
)
def test_column_mapping_is_case_and_diacritic_insensitive(names):
    mapping, unknown = canonical_columns(names)
    assert set(mapping) | set(unknown) == set(names) or len(mapping) <= len(set(names))
    assert all(name == "foo" for name in unknown)


def test_flatten_record_keeps_everything():
    record = {
        "id": 1,
        "document": {"number": "245/QĐ-UBND"},
        "tags": ["a", "b"],
        "parts": [{"x": 1}],
        "ok": True,
        "n": None,
    }
    flat = flatten_record(record)
    assert flat == {
        "id": "1",
        "document.number": "245/QĐ-UBND",
        "tags": "a; b",
        "parts": json.dumps([{"x": 1}]),
        "ok": "true",
        "n": "",
    }


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["a", "b", "c"]),
            st.one_of(st.integers(), st.text(max_size=10), st.floats(allow_nan=False, allow_infinity=False)),
        ),
        max_size=10,
    )
)
def test_records_to_csv_round_trips_through_the_csv_module(records):
    text = records_to_csv(records)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))
    non_empty = list(records)
    if any(r for r in non_empty):
        assert len(rows) == len(records)
        for original, read in zip(records, rows, strict=True):
            for key, value in original.items():
                assert read[key] == flatten_record({key: value})[key]
