"""Datalogger (TT 10/2021 Phụ lục 15) and CSV parsing: every bad line reported with file and line, never stopping."""

from __future__ import annotations

import math
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xanh.monitoring.fileformat import (
    ParsedFile,
    ParseOptions,
    Reading,
    canonical_symbol,
    deduplicate,
    display_symbol,
    parse_any,
    parse_csv,
    parse_datalogger,
    parse_file_name,
    parse_time,
)
from xanh.monitoring.units import UnitMismatch, conversion_factor, normalise_unit

NOW = datetime(2025, 1, 15, 12, 0)
NAME = "BN_XMHP_KHI01_20250115103000.txt"


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def codes(parsed) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(i.line, i.severity, i.code) for i in parsed.issues]


def test_file_name() -> None:
    parsed = parse_file_name(NAME)
    assert parsed is not None
    assert (parsed.province, parsed.facility, parsed.station) == ("BN", "XMHP", "KHI01")
    assert parsed.time == datetime(2025, 1, 15, 10, 30)
    underscored = parse_file_name("inbox/BN_XM_HP_KHI01_20250115103000.TXT")
    assert underscored is not None and underscored.facility == "XM_HP" and underscored.station == "KHI01"
    for bad in (
        "BN_KHI01_20250115103000.txt",
        "BN_X_S_2025011510300.txt",
        "BN_X_S_20251315103000.txt",
        "a.csv",
    ):
        assert parse_file_name(bad) is None, bad


def test_a_good_file() -> None:
    parsed = parse_datalogger(
        NAME,
        lines(
            "PM2,5\t25.3000\tug/m3\t20250115103000\t00",
            "SO2\t125.3\tmg/Nm3\t20250115103000\t01",
            "CO\t1500\tµg/m3\t20250115103000\t02",
        ),
        now=NOW,
    )
    assert parsed.issues == []
    assert parsed.data_lines == 3 and parsed.rejected_lines == 0
    first = parsed.readings[0]
    assert (first.station, first.parameter, first.value, first.unit, first.status, first.line) == (
        "KHI01",
        "PM2_5",
        25.3,
        "µg/m3",
        "00",
        1,
    )
    assert [r.status for r in parsed.readings] == ["00", "01", "02"]


def test_crlf_bom_blank_lines_and_header() -> None:
    content = (
        "\ufeffSymbol\tValue\tUnit\tTime\tStatus\r\n\r\nPM10\t40\tug/m3\t20250115103000\t00\r\n".encode()
    )
    parsed = parse_datalogger(NAME, content, now=NOW)
    assert parsed.issues == []
    assert [(r.parameter, r.line) for r in parsed.readings] == [("PM10", 3)]


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ("PM10 40 ug/m3 20250115103000 00", "malformed", None),
        ("PM10;40;ug/m3;20250115103000;00", "malformed", None),
        ("PM10\t40\tug/m3\t20250115103000", "malformed", None),
        ("PM10\t40\tug/m3\t20250115103000\t00\textra", "malformed", None),
        ("PM10\tabc\tug/m3\t20250115103000\t00", "bad_value", "giá trị"),
        ("PM10\t\tug/m3\t20250115103000\t00", "missing_value", "giá trị"),
        ("PM10\tNaN\tug/m3\t20250115103000\t00", "bad_value", "giá trị"),
        ("PM10\tinf\tug/m3\t20250115103000\t00", "bad_value", "giá trị"),
        ("PM10\t1_000\tug/m3\t20250115103000\t00", "bad_value", "giá trị"),
        ("PM10\t1.234,5\tug/m3\t20250115103000\t00", "bad_value", "giá trị"),
        ("PM10\t40\tug/m3\t20250115103000\t03", "bad_status", "trạng thái"),
        ("PM10\t40\tug/m3\t20250115103000\tOK", "bad_status", "trạng thái"),
        ("PM10\t40\tug/m3\t2025-01-15 10:30\t00", "bad_time", "thời gian"),
        ("PM10\t40\tug/m3\t20250132103000\t00", "bad_time", "thời gian"),
        ("PM10\t40\tug/m3\t20260115103000\t00", "future_time", "thời gian"),
        ("\t40\tug/m3\t20250115103000\t00", "missing_symbol", "ký hiệu"),
    ],
)
def test_each_bad_line_is_reported_and_the_rest_kept(line: str, code: str, field: str | None) -> None:
    parsed = parse_datalogger(
        NAME,
        lines("PM2,5\t20\tug/m3\t20250115103000\t00", line, "O3\t80\tug/m3\t20250115103000\t00"),
        now=NOW,
    )
    assert [r.parameter for r in parsed.readings] == ["PM2_5", "O3"]
    assert len(parsed.errors) == 1
    issue = parsed.errors[0]
    assert (issue.line, issue.code, issue.field) == (2, code, field)
    assert issue.file == NAME
    assert str(issue).startswith(f"{NAME}, dòng 2")
    assert parsed.rejected_lines == 1


def test_tab_hint_for_other_separators() -> None:
    parsed = parse_datalogger(NAME, lines("PM10;40;ug/m3;20250115103000;00"), now=NOW)
    assert "TAB" in parsed.errors[0].message


def test_decimal_commas_are_read_with_a_warning() -> None:
    parsed = parse_datalogger(NAME, lines("PM2,5\t12,5\tug/m3\t20250115103000\t00"), now=NOW)
    assert [(r.parameter, r.value) for r in parsed.readings] == [("PM2_5", 12.5)]
    assert codes(parsed) == [(1, "warning", "decimal_comma")]
    strict = parse_datalogger(
        NAME,
        lines("PM2,5\t12,5\tug/m3\t20250115103000\t00"),
        now=NOW,
        options=ParseOptions(accept_decimal_comma=False),
    )
    assert strict.readings == [] and codes(strict) == [(1, "error", "bad_value")]


def test_short_status_codes() -> None:
    parsed = parse_datalogger(NAME, lines("PM10\t40\tug/m3\t20250115103000\t1"), now=NOW)
    assert parsed.readings[0].status == "01"
    assert codes(parsed) == [(1, "warning", "short_status")]
    strict = parse_datalogger(
        NAME,
        lines("PM10\t40\tug/m3\t20250115103000\t1"),
        now=NOW,
        options=ParseOptions(accept_short_status=False),
    )
    assert codes(strict) == [(1, "error", "bad_status")]


def test_future_tolerance() -> None:
    parsed = parse_datalogger(NAME, lines("PM10\t40\tug/m3\t20250115120500\t00"), now=NOW)
    assert parsed.issues == []  # 5 minutes ahead: clock drift, accepted


def test_duplicates_and_conflicts_inside_a_file() -> None:
    parsed = parse_datalogger(
        NAME,
        lines(
            "PM10\t40\tug/m3\t20250115103000\t00",
            "PM10\t40\tug/m3\t20250115103000\t00",
            "PM10\t41\tug/m3\t20250115103000\t00",
            "PM10\t40\tug/m3\t20250115103000\t02",
        ),
        now=NOW,
    )
    assert [(r.value, r.line) for r in parsed.readings] == [(40.0, 1)]
    assert codes(parsed) == [(2, "warning", "duplicate"), (3, "error", "conflict"), (4, "error", "conflict")]
    assert "giữ giá trị đầu tiên" in parsed.issues[1].message and "dòng 1" in parsed.issues[1].message


def test_empty_files_and_bad_names() -> None:
    for content in (b"", b"\n\n  \n"):
        parsed = parse_datalogger(NAME, content, now=NOW)
        assert codes(parsed) == [(0, "error", "empty_file")]
        assert str(parsed.issues[0]).startswith(NAME + ":")
    parsed = parse_datalogger("khong-dung-mau.txt", lines("PM10\t40\tug/m3\t20250115103000\t00"), now=NOW)
    assert parsed.readings == [] and codes(parsed) == [(0, "error", "bad_file_name")]
    assert parsed.rejected_lines == 1


def test_non_utf8_files_are_decoded_with_a_warning() -> None:
    content = "PM10\t40\tµg/m3\t20250115103000\t00\n".encode("cp1252")
    parsed = parse_datalogger(NAME, content, now=NOW)
    assert [r.unit for r in parsed.readings] == ["µg/m3"]
    assert [i.code for i in parsed.warnings] == ["encoding"]


def test_symbols_and_units() -> None:
    for symbol in ("PM2,5", "PM2.5", "pm25", "PM2_5", " PM 2,5 "):
        assert canonical_symbol(symbol) == "PM2_5"
    assert canonical_symbol("so2") == "SO2" and canonical_symbol("NOX") == "NOx"
    assert canonical_symbol("Xyz") == "Xyz"  # unknown: kept, reported by ingestion
    assert display_symbol("PM2_5") == "PM2,5"
    assert normalise_unit("ug/m3") == normalise_unit("μg/m³") == "µg/m3"
    assert normalise_unit("mg/Nm3") == "mg/Nm3" and normalise_unit("oC") == "°C"
    assert conversion_factor("CO", "mg/m3", "µg/m3") == 1000.0
    assert conversion_factor("SO2", "ppb", "µg/m3") == pytest.approx(64.066 / 24.45)
    assert conversion_factor("SO2", "µg/m3", "ppb") == pytest.approx(24.45 / 64.066)
    with pytest.raises(UnitMismatch, match="không đổi được"):
        conversion_factor("PM2_5", "ppm", "µg/m3")
    with pytest.raises(UnitMismatch):
        conversion_factor("SO2", "mg/Nm3", "µg/m3")  # normal vs actual conditions: not convertible


def test_parse_time_formats() -> None:
    expected = datetime(2025, 1, 15, 10, 30)
    for text in ("20250115103000", "2025-01-15 10:30:00", "2025-01-15T10:30", "15/01/2025 10:30"):
        assert parse_time(text) == expected
    assert parse_time("15-01-2025") is None


# --- CSV ------------------------------------------------------------------------------------------------------------


def test_csv_with_header_in_any_order_and_languages() -> None:
    text = (
        "Trạng thái;Trạm;Thông số;Thời gian;Giá trị;Đơn vị\n"
        "00;KK01;PM2,5;15/01/2025 10:30;12,5;µg/m3\n"
        "01;KK01;PM10;2025-01-15 10:30:00;40;ug/m3\n"
    )
    parsed = parse_csv("data.csv", text.encode(), now=NOW)
    assert [(r.station, r.parameter, r.value, r.status, r.line) for r in parsed.readings] == [
        ("KK01", "PM2_5", 12.5, "00", 2),
        ("KK01", "PM10", 40.0, "01", 3),
    ]
    assert codes(parsed) == [(2, "warning", "decimal_comma")]


def test_csv_without_header() -> None:
    parsed = parse_csv("data.csv", "KK01,PM10,20250115103000,40,ug/m3,00\n", now=NOW)
    assert parsed.issues == [] and parsed.readings[0].line == 1


def test_csv_unquoted_decimal_commas_are_repaired() -> None:
    text = (
        "station,parameter,time,value,unit,status\n"
        "KK01,PM2,5,20250115103000,12,ug/m3,00\n"
        "KK01,PM10,20250115103000,12,5,ug/m3,00\n"
        "KK01,PM2,5,20250115103500,12,5,ug/m3,00\n"
        '"KK01","PM2,5","20250115104000","13,5","ug/m3","00"\n'
    )
    parsed = parse_csv("data.csv", text, now=NOW)
    assert [(r.parameter, r.value) for r in parsed.readings] == [
        ("PM2_5", 12.0),
        ("PM10", 12.5),
        ("PM2_5", 12.5),
        ("PM2_5", 13.5),
    ]
    assert parsed.errors == []
    assert {i.line for i in parsed.warnings} == {2, 3, 4, 5}


def test_csv_bad_rows() -> None:
    text = (
        "station,parameter,time,value,unit,status\n"
        "KK01,PM10,20250115103000,40,ug/m3\n"
        ",PM10,20250115103000,40,ug/m3,00\n"
        "KK01,,20250115103000,40,ug/m3,00\n"
        "KK01,PM10,hôm qua,40,ug/m3,00\n"
        "KK01,PM10,20250115103000,x,ug/m3,00\n"
        "KK01,PM10,20250115103000,40,ug/m3,9\n"
        "KK01,PM10,20250115103500,40,ug/m3,00\n"
    )
    parsed = parse_csv("data.csv", text, now=NOW)
    assert [r.line for r in parsed.readings] == [8]
    assert [(i.line, i.code) for i in parsed.errors] == [
        (2, "malformed"),
        (3, "missing_station"),
        (4, "missing_symbol"),
        (5, "bad_time"),
        (6, "bad_value"),
        (7, "bad_status"),
    ]


def test_csv_header_missing_columns() -> None:
    parsed = parse_csv("data.csv", "station,parameter,time\nKK01,PM10,20250115103000\n", now=NOW)
    assert codes(parsed) == [(1, "error", "bad_header")]


def test_parse_any_dispatches_on_extension() -> None:
    assert parse_any("x.CSV", "KK01,PM10,20250115103000,40,ug/m3,00\n", now=NOW).kind == "csv"
    assert parse_any(NAME, lines("PM10\t40\tug/m3\t20250115103000\t00"), now=NOW).kind == "datalogger"


def test_duplicates_across_files_of_a_batch() -> None:
    first = parse_datalogger(NAME, lines("PM10\t40\tug/m3\t20250115103000\t00"), now=NOW)
    again = parse_datalogger(
        "BN_XMHP_KHI01_20250115103500.txt",
        lines("PM10\t40\tug/m3\t20250115103000\t00", "PM10\t41\tug/m3\t20250115103500\t00"),
        now=NOW,
    )
    other = parse_datalogger(
        "BN_XMHP_KHI01_20250115104000.txt", lines("PM10\t45\tug/m3\t20250115103500\t00"), now=NOW
    )
    kept = [(p.name, [r.value for r in readings]) for p, readings in deduplicate([first, again, other])]
    assert kept == [(NAME, [40.0]), (again.name, [41.0]), (other.name, [])]
    assert [(i.line, i.code) for i in again.issues] == [(1, "duplicate")]
    assert [(i.line, i.code) for i in other.issues] == [(1, "conflict")]
    assert again.name in other.issues[0].message


def _reference_deduplicate(files):  # type: ignore[no-untyped-def]
    """Per-reading check of every reading: what `deduplicate` must agree with (it skips the check when it can)."""
    seen: dict = {}
    out = []
    for parsed in files:
        kept = []
        codes = []
        for r in parsed.readings:
            previous = seen.get((r.station, r.parameter, r.time))
            if previous is None:
                seen[(r.station, r.parameter, r.time)] = r
                kept.append(r)
            else:
                same = previous.value == r.value and previous.status == r.status
                codes.append((r.line, "duplicate" if same else "conflict"))
        out.append((parsed.name, kept, codes))
    return out


_file_readings = st.lists(
    st.tuples(st.sampled_from(["PM10", "O3"]), st.integers(0, 3), st.sampled_from([1.0, 2.0])), max_size=4
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "csv"]), _file_readings), max_size=6))
def test_deduplicate_agrees_with_a_per_reading_check(specs) -> None:  # type: ignore[no-untyped-def]
    def build():  # type: ignore[no-untyped-def]
        files = []
        for k, (station, rows) in enumerate(specs):
            kind = "csv" if station == "csv" else "datalogger"
            readings = [
                Reading(
                    ("A" if n % 2 else "B") if kind == "csv" else station,
                    parameter,
                    datetime(2025, 1, 15, 10, minute * 5),
                    value,
                    "ug/m3",
                    "00",
                    n + 1,
                )
                for n, (parameter, minute, value) in enumerate(rows)
            ]
            unique = {
                (r.station, r.parameter, r.time): r for r in reversed(readings)
            }  # parsers drop in-file repeats
            readings = [r for r in readings if unique[(r.station, r.parameter, r.time)] is r]
            files.append(ParsedFile(name=f"f{k}", kind=kind, readings=readings))  # type: ignore[arg-type]
        return files

    expected = _reference_deduplicate(build())
    files = build()
    got = [(p.name, kept, [(i.line, i.code) for i in p.issues]) for p, kept in deduplicate(files)]
    assert got == expected


# --- properties -----------------------------------------------------------------------------------------------------

finite_values = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 4))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["PM2,5", "PM10", "SO2", "NO2", "O3", "CO"]), finite_values), max_size=12
    )
)
def test_round_trip_of_well_formed_files(rows: list[tuple[str, float]]) -> None:
    unique = list(dict(rows).items())
    content = "".join(f"{s}\t{v!r}\tug/m3\t20250115103000\t00\n" for s, v in unique)
    parsed = parse_datalogger(NAME, content.encode(), now=NOW)
    assert parsed.issues == [] or not unique
    assert [(r.parameter, r.value) for r in parsed.readings] == [(canonical_symbol(s), v) for s, v in unique]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60), max_size=8))
def test_garbage_never_raises_and_every_line_is_accounted_for(garbage: list[str]) -> None:
    content = "\n".join(garbage).encode()
    parsed = parse_datalogger(NAME, content, now=NOW)
    error_lines = {i.line for i in parsed.errors if i.line > 0}
    duplicate_lines = {i.line for i in parsed.warnings if i.code == "duplicate"}
    # every data line ends as exactly one of: a reading, a rejected line, an ignored identical duplicate
    assert len(parsed.readings) + len(error_lines) + len(duplicate_lines) == parsed.data_lines
    assert all(r.line not in error_lines for r in parsed.readings)
    for reading in parsed.readings:
        assert math.isfinite(reading.value) and reading.status in ("00", "01", "02")
    csv_parsed = parse_csv("x.csv", content, now=NOW)
    assert all(math.isfinite(r.value) for r in csv_parsed.readings)
