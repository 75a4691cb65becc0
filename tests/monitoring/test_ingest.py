"""Ingestion into the database: idempotent, every file logged, bad input reported with file and line."""

from __future__ import annotations

import datetime as dt
import tarfile

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import AdminUnitFactory, CoordinatorFactory, UserFactory
from xanh.monitoring.ingest import FileInput, raw_content
from xanh.monitoring.models import DirtyHour, FileOutcome, IngestedFile, Measurement
from xanh.monitoring.services import ingest_files

DAY = dt.datetime(2025, 3, 10)
NOW = dt.datetime(2025, 3, 12)


def ingest(files, user=None, process=False):  # type: ignore[no-untyped-def]
    return ingest_files(user=user, files=files, process=process, now=NOW)


def test_files_are_stored_logged_and_archived(stations, make_files, settings) -> None:  # type: ignore[no-untyped-def]
    files = make_files("ambient", DAY)[:24]  # two hours
    batch, processed = ingest(files)
    assert processed is None
    assert batch.totals["files"] == 24 and batch.totals["stored"] == 24 * 8
    assert Measurement.objects.count() == 24 * 8
    logs = IngestedFile.objects.all()
    assert logs.count() == 24 and {log.outcome for log in logs} == {FileOutcome.OK}
    log = logs.order_by("name").first()
    assert log is not None and log.station.code == "KK01" and log.lines == 8 and log.stored == 8
    assert raw_content(log) == files[0].content
    # the chunk's raw files are one standard tar: every file is a member, readable with any tar tool
    with tarfile.open(settings.XANH_MONITORING_ARCHIVE_DIR / log.raw_path) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}  # type: ignore[union-attr]
    assert sorted(members.values()) == sorted(f.content for f in files)
    assert {entry.raw_path for entry in logs} == {log.raw_path}
    assert DirtyHour.objects.filter(station=stations["ambient"]).count() == 2


def test_resending_changes_nothing(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    files = make_files("ambient", DAY)[:12]
    ingest(files)
    before = list(Measurement.objects.order_by("sensor_id", "time").values_list("value", flat=True))
    batch, _ = ingest(files)
    assert batch.totals["stored"] == 0 and batch.totals["unchanged"] == 12 * 8
    assert {f.outcome for f in batch.files} == {FileOutcome.UNCHANGED}
    assert list(Measurement.objects.order_by("sensor_id", "time").values_list("value", flat=True)) == before
    assert IngestedFile.objects.count() == 24  # every receipt is logged


def test_conflicting_value_keeps_the_first_and_reports_the_line(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    original = make_files("ambient", DAY)[0]
    ingest([original])
    lines = original.content.decode().splitlines()
    symbol, value, unit, stamp, status = lines[2].split("\t")
    lines[2] = "\t".join([symbol, str(float(value) + 7), unit, stamp, status])
    changed = FileInput(original.name.replace(".txt", ".txt"), ("\n".join(lines) + "\n").encode())
    batch, _ = ingest([changed])
    result = batch.files[0]
    assert result.conflicts == 1 and result.stored == 0 and result.outcome == FileOutcome.PARTIAL
    assert any("dòng 3" in p and "mâu thuẫn" in p and original.name in p for p in result.problems)
    stored = Measurement.objects.get(sensor__code="O3", sensor__station__code="KK01")
    assert stored.value == float(value)


def test_bad_input_is_reported_with_file_and_line_and_never_stops_the_batch(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    good = make_files("ambient", DAY)[0]
    bad_lines = FileInput(
        "TN_STNMT_KK01_20250310011000.txt",
        b"PM2,5\t12,5\tug/m3\t20250310011000\t00\nPM10\tabc\tug/m3\t20250310011000\t00\n"
        b"XYZ\t1\tug/m3\t20250310011000\t00\nCO\t1,2\tmg/m3\t20250310011000\t00\n"
        b"SO2\t5\tppm\t20250310011000\t00\nNO2\t5\tug/m3\t20250310011000\t07\n",
    )
    unknown = FileInput("TN_KHAC_KK99_20250310011000.txt", b"PM10\t1\tug/m3\t20250310011000\t00\n")
    empty = FileInput("TN_STNMT_KK01_20250310011500.txt", b"")
    bad_name = FileInput("khong-dung-mau.txt", b"PM10\t1\tug/m3\t20250310011000\t00\n")
    batch, _ = ingest([good, bad_lines, unknown, empty, bad_name])
    by_name = {f.name: f for f in batch.files}
    assert by_name[good.name].stored == 8
    messy = by_name[bad_lines.name]
    assert messy.stored == 3  # PM2,5 12,5 (warning), CO 1,2 mg/m3 -> 1200 µg/m3, SO2 5 ppm -> µg/m3
    text = "\n".join(messy.problems)
    assert "dòng 2" in text and "«abc» không phải là số" in text
    assert "dòng 3" in text and "«XYZ»" in text
    assert "dòng 6" in text and "«07»" in text
    assert "dòng 1" in text and "dấu phẩy thập phân" in text
    co = Measurement.objects.get(sensor__code="CO", time__isnull=False, file__name=bad_lines.name)
    assert co.value == pytest.approx(1200.0)
    so2 = Measurement.objects.get(sensor__code="SO2", file__name=bad_lines.name)
    assert so2.value == pytest.approx(5 * 1000 * 64.066 / 24.45)
    assert by_name[unknown.name].outcome == FileOutcome.REJECTED
    assert "chưa có trong danh mục" in by_name[unknown.name].problems[0]
    assert (
        by_name[empty.name].outcome == FileOutcome.REJECTED and "tệp rỗng" in by_name[empty.name].problems[0]
    )
    assert by_name[bad_name.name].outcome == FileOutcome.REJECTED
    log = IngestedFile.objects.get(name=bad_lines.name)
    assert log.rejected == 3 and any(p["line"] == 2 and p["field"] == "giá trị" for p in log.problems)


def test_csv_ingestion(stations) -> None:  # type: ignore[no-untyped-def]
    text = (
        "station,parameter,time,value,unit,status\n"
        "KK01,PM10,2025-03-10 10:05,40,ug/m3,00\n"
        'KK01,"PM2,5",2025-03-10 10:05,"20,5",ug/m3,00\n'
        "OK01,SO2,2025-03-10 10:05,250,mg/Nm3,00\n"
        "KK09,PM10,2025-03-10 10:05,40,ug/m3,00\n"
    )
    batch, _ = ingest([FileInput("xuat.csv", text.encode())])
    result = batch.files[0]
    assert result.stored == 3 and result.rejected == 1
    assert any("dòng 5" in p and "KK09" in p for p in result.problems)
    assert Measurement.objects.get(sensor__code="PM2_5").value == 20.5


def test_permissions(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    files = make_files("ambient", DAY)[:2]
    with pytest.raises(PermissionDenied):
        ingest(files, user=UserFactory())
    other = CoordinatorFactory(admin_unit=AdminUnitFactory())
    batch, _ = ingest(files, user=other)
    assert batch.totals["stored"] == 0
    assert all(f.outcome == FileOutcome.REJECTED and "không có quyền" in f.problems[0] for f in batch.files)
    own = CoordinatorFactory(admin_unit=stations["ambient"].admin_unit)
    batch, _ = ingest(files, user=own)
    assert batch.totals["stored"] == 16


def test_duplicate_reading_in_two_files_of_one_batch(stations) -> None:  # type: ignore[no-untyped-def]
    first = FileInput("TN_STNMT_KK01_20250310100500.txt", b"PM10\t40\tug/m3\t20250310100500\t00\n")
    second = FileInput("TN_STNMT_KK01_20250310101000.txt", b"PM10\t41\tug/m3\t20250310100500\t00\n")
    batch, _ = ingest([first, second])
    assert batch.files[0].stored == 1 and batch.files[1].stored == 0
    assert "mâu thuẫn" in batch.files[1].problems[0] and first.name in batch.files[1].problems[0]


def test_inbox_files_are_archived_once_and_removed(stations, make_files, tmp_path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = make_files("ambient", DAY)[:3]
    for f in files:
        (inbox / f.name).write_bytes(f.content)
    from xanh.monitoring.services import files_from_directory

    batch, _ = ingest(files_from_directory(inbox))
    assert batch.totals["stored"] == 3 * 8 and list(inbox.iterdir()) == []
    (inbox / files[0].name).write_bytes(
        files[0].content
    )  # the same content again: kept once, still retrievable
    again, _ = ingest(files_from_directory(inbox))
    assert again.totals["unchanged"] == 8 and list(inbox.iterdir()) == []
    first, second = IngestedFile.objects.filter(name=files[0].name).order_by("id")
    assert (second.raw_path, second.raw_offset) == (first.raw_path, first.raw_offset)
    assert raw_content(second) == files[0].content


MESSY_CSV = (
    "station,parameter,time,value,unit,status\n"
    "KK01,PM10,2025-03-10 10:05,40,ug/m3,00\n"
    'KK01,"PM2,5",2025-03-10 10:05,"20,5",ug/m3,00\n'
    'KK01,"PM2,5",2025-03-10 10:10,21.5,ug/m3,01\n'
    "KK01,CO,20250310101000,1.2,mg/m3,00\n"
    "\n"
    "KK01,PM10,10/03/2025 10:10,41,µg/m³,00\n"
    "KK09,PM10,2025-03-10 10:05,40,ug/m3,00\n"
    "KK01,XYZ,2025-03-10 10:05,40,ug/m3,00\n"
    "KK01,O3,2025-03-10 10:05,40,,00\n"
    "KK01,O3,2025-03-10 10:10,40,ug/m3,07\n"
    "KK01,O3,2030-03-10 10:10,40,ug/m3,00\n"
    "KK01,SO2,2025-03-10 10:05,abc,ug/m3,00\n"
    "KK01,SO2,2025-03-10 10:10,12,ug/m3,00\n"
    "KK01,SO2,2025-03-10 10:10,12,ug/m3,00\n"
    "KK01,NO2,2025-03-10 10:10,12,ug/m3,00\n"
    "KK01,NO2,2025-03-10 10:10,13,ug/m3,00\n"
    ",,,,,\n"
    "KK01,NO2,2025-03-10 10:15,14,ug/m3\n"
    "KK01,NO2,2025-03-10 10:20,1,5,ug/m3,00\n"
    "KK01,PM10,2025-03-10 10:15, 42,ug/m3,00\n"
    "KK01,PM10,2025-03-10 10:20,-0.5,kg/m3,00\n"
    'KK01,SO2,2025-03-10 10:25, "12",ug/m3,00\n'
)


# Every line has six fields and its quotes enclose whole fields: PostgreSQL's COPY reads the file.
TIDY_CSV = (
    "trạm;thông số;thời gian;giá trị;đơn vị;trạng thái\n"
    "KK01;PM10;2025-03-10 10:05;40;ug/m3;00\n"
    'KK01;"PM2,5";2025-03-10 10:05;"20,5";ug/m3;00\n'
    'KK01;"PM2,5";2025-03-10 10:10;21.5;"ug/m3";01\n'
    "KK01;CO;20250310101000;1.2;mg/m3;00\n"
    "KK09;PM10;2025-03-10 10:05;40;ug/m3;00\n"
    "KK01;O3;2025-03-10 10:10;40;ug/m3;07\n"
    "KK01;O3;2030-03-10 10:10;40;ug/m3;00\n"
    "KK01;NO2;2025-03-10 10:10;12;ug/m3;00\n"
    "KK01;NO2;2025-03-10 10:10;13;ug/m3;00\n"
    "kk01;SO2;2025-03-10 10:15;12; ug/m3 ;00\n"
    "KK01;PM10;2025-03-10 10:10;1e1;ug/m3;00"
)


@pytest.mark.parametrize(
    ("text", "resend", "by_database", "expected_stored"),
    [(MESSY_CSV, False, 4, 10), (MESSY_CSV, True, 4, 0), (TIDY_CSV, False, 3, 7), (TIDY_CSV, True, 3, 0)],
)
def test_csv_read_by_the_database_matches_the_python_path(
    stations, monkeypatch, text, resend, by_database, expected_stored
) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL the well-formed CSV lines are read set-based (csvsql.py), the others by Python: the results,
    messages and stored values are those of the Python path (on SQLite csvsql.SqliteDirect reads the file or
    leaves it to Python)."""
    import xanh.monitoring.ingest as ingest_module

    def run(sql: bool):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(ingest_module, "SQL_CSV", sql)
        if resend:  # a first version with one different value: conflicts with stored values are reported too
            first = text.replace(",40,ug/m3,00\n", ",39,ug/m3,00\n", 1).replace(
                ";40;ug/m3;00\n", ";39;ug/m3;00\n", 1
            )
            ingest([FileInput("dau.csv", first.encode())])
        batch, _ = ingest([FileInput("xuat.csv", text.encode())])
        result = batch.files[0]
        stored = sorted(Measurement.objects.values_list("sensor__code", "time", "value", "status"))
        hours = sorted(DirtyHour.objects.values_list("station_id", "hour"))
        Measurement.objects.all().delete()
        DirtyHour.objects.all().delete()
        fields = (result.outcome, result.lines, result.parsed, result.stored, result.unchanged, result.conflicts,
                  result.rejected, result.problems)  # fmt: skip
        return fields, stored, hours

    from django.db import connection

    from xanh.monitoring import csvsql

    read_by_database: list[int] = []
    build = csvsql.CsvStage.build

    def spy(*args):  # type: ignore[no-untyped-def]
        stage = build(*args)
        read_by_database.append(stage.rows if stage else 0)
        return stage

    monkeypatch.setattr(csvsql.CsvStage, "build", spy)
    copied: list[bool] = []
    copy_lines = csvsql._copy_lines
    monkeypatch.setattr(csvsql, "_copy_lines", lambda *a: copied.append(copy_lines(*a)) or copied[-1])
    python = run(False)
    database = run(True)
    assert database == python
    fields = python[0]
    assert (fields[3], fields[5]) == ((0, 1) if resend else (expected_stored, 0))
    if connection.vendor == "postgresql":  # the well-formed lines; the others went through the Python parser
        assert read_by_database[-1] == by_database
        assert copied[-1] == (text is TIDY_CSV)  # COPY reads a tidy file; the other is split line by line


# No key twice among the lines the database can read: they go straight into the table by COPY (csvsql.CsvDirect);
# the others (a decimal comma, an unknown station, a future time, a bad status, a missing unit, spaces, a wrong field
# count, an unregistered parameter) go through the Python parser. No partition exists yet for these months.
CLEAN_CSV = (
    "station,parameter,time,value,unit,status\n"
    "KK01,PM10,2025-03-10 10:05,40,ug/m3,00\n"
    'KK01,"PM2,5",2025-03-10 10:05,"20,5",ug/m3,00\n'
    'KK01,"PM2,5",2025-03-10 10:10,21.5,ug/m3,01\n'
    "KK01,CO,20250310101000,1.2,mg/m3,00\n"
    "KK01,CO,10/03/2025 10:15,-0.25,mg/m3,02\n"
    "\n"
    "KK09,PM10,2025-03-10 10:05,40,ug/m3,00\n"
    "KK01,O3,2025-03-10 10:05,40,,00\n"
    "KK01,O3,2025-03-10 10:10,40,ug/m3,07\n"
    "KK01,O3,2030-03-10 10:10,40,ug/m3,00\n"
    "kk01,SO2,2025-03-10 10:15,12, ug/m3 ,00\n"
    "KK01,NO2,2025-03-10 10:20,1,5,ug/m3,00\n"
    "KK01,PM10,2025-03-10 10:10,1e1,ug/m3,00\n"
    "OK01,Dust,2025-03-10 10:10,12.5,mg/Nm3,00\n"
    "KK01,NO2,2025-03-01 00:00,13,ug/m3,00\n"
    "KK01,NO2,2025-02-28 23:55,12,ug/m3,00\n"
)
# Other column order and delimiter, no line left to Python.
REORDERED_CSV = (
    "thời gian;trạm;giá trị;thông số;trạng thái;đơn vị\n"
    "2025-03-10 10:05;KK01;40;PM10;00;ug/m3\n"
    '2025-03-10 10:05;KK01;"20.5";"PM2,5";00;ug/m3\n'
    "2025-03-10 10:10;KK01;1.5;CO;01;mg/m3\n"
)
# The Python parser keeps a line (decimal comma) whose key the database also reads: the whole file goes to Python.
COLLIDING_CSV = 'KK01,PM10,2025-03-10 10:05,40,ug/m3,00\nKK01,PM10,2025-03-10 10:05,"40,5",ug/m3,00\n'
# A quoted field over two lines: only Python can number the lines.
MULTILINE_CSV = 'KK01,PM10,2025-03-10 10:05,40,ug/m3,00\nKK01,"PM\n10",2025-03-10 10:10,40,ug/m3,00\n'


# (text, resend, rows read by the direct path or None, rows stored): shared by the PostgreSQL and SQLite tests
DIRECT_CASES = [
    (CLEAN_CSV, None, 6, 11),
    (CLEAN_CSV, "first", None, 0),
    (CLEAN_CSV, "last", None, 10),
    (REORDERED_CSV, None, 3, 3),
    ("".join(CLEAN_CSV.splitlines(keepends=True)[k] for k in (1, 3, 4)), None, 3, 3),  # no header, no rest
    (COLLIDING_CSV, None, 1, 1),
    (MULTILINE_CSV, None, None, 1),
]


def _run_csv(monkeypatch, text, resend, sql):  # type: ignore[no-untyped-def]
    """Ingest `text` (after a first file when `resend`) with or without the database paths; the result fields,
    the stored rows and the dirty hours, then empty the tables."""
    import xanh.monitoring.ingest as ingest_module

    good = [line for line in text.splitlines() if line.startswith("KK01,NO2,2025-02-28")]
    monkeypatch.setattr(ingest_module, "SQL_CSV", sql)
    if resend == "first":
        first = text.replace(",40,ug/m3,00\n", ",39,ug/m3,00\n", 1)
        ingest([FileInput("dau.csv", first.encode())])
    elif resend == "last":  # only the last line is stored: the COPY meets it at its end
        ingest([FileInput("dau.csv", good[0].replace(",12,", ",11,").encode())])
    batch, _ = ingest([FileInput("xuat.csv", text.encode())])
    result = batch.files[0]
    stored = sorted(Measurement.objects.values_list("sensor__code", "time", "value", "status", "file__name"))
    hours = sorted(DirtyHour.objects.values_list("station_id", "hour"))
    logs = sorted(
        IngestedFile.objects.filter(name="xuat.csv").values_list(
            "lines", "parsed", "stored", "unchanged", "conflicts", "rejected", "outcome", "problems"
        )
    )
    archived = [raw_content(log) for log in IngestedFile.objects.filter(name="xuat.csv")]
    Measurement.objects.all().delete()
    DirtyHour.objects.all().delete()
    IngestedFile.objects.all().delete()
    fields = (result.outcome, result.lines, result.parsed, result.stored, result.unchanged, result.conflicts,
              result.rejected, result.problems)  # fmt: skip
    return fields, stored, hours, logs, archived


@pytest.mark.parametrize(("text", "resend", "direct", "expected_stored"), DIRECT_CASES)
@pytest.mark.parametrize("probe", [True, False])
def test_csv_inserted_straight_in_on_sqlite_matches_the_python_path(
    stations, monkeypatch, text, resend, direct, expected_stored, probe
) -> None:  # type: ignore[no-untyped-def]
    """On SQLite a CSV file with no repeated key and nothing stored in its span goes into the table by one plain
    executemany (csvsql.SqliteDirect); results, messages, stored values, file logs, archived bytes and dirty hours
    are those of the Python path. Without the span probe (`probe` False) a stored key makes the INSERT fail and the
    file is redone in Python, with the same results."""
    from django.db import connection

    from xanh.monitoring import csvsql

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite direct path")
    loaded: list[int | None] = []
    redone: list[bool] = []
    load = csvsql.SqliteDirect.load
    insert = csvsql.SqliteDirect.insert

    def spy(*args):  # type: ignore[no-untyped-def]
        found = load(*args)
        loaded.append(found.rows if found else None)
        return found

    def spy_insert(self, file_id):  # type: ignore[no-untyped-def]
        try:
            return insert(self, file_id)
        except csvsql.RedoInPython:
            redone.append(True)
            raise

    monkeypatch.setattr(csvsql.SqliteDirect, "load", spy)
    monkeypatch.setattr(csvsql.SqliteDirect, "insert", spy_insert)
    if not probe:
        monkeypatch.setattr(csvsql._SqliteReader, "stored_in_span", lambda self: False)
    python = _run_csv(monkeypatch, text, resend, False)
    loaded.clear()
    database = _run_csv(monkeypatch, text, resend, True)
    assert database == python
    assert python[0][3] == expected_stored
    assert database[4] == [text.encode()]
    if probe or resend is None:
        assert loaded[-1] == direct and not redone
    else:  # the probe skipped: the stored key is met by the INSERT, the file redone in Python
        assert loaded[-1] is not None and redone


@pytest.mark.parametrize(("text", "resend", "direct", "expected_stored"), DIRECT_CASES)
def test_csv_copied_straight_in_matches_the_python_path(
    stations, monkeypatch, text, resend, direct, expected_stored
) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL a CSV file with no repeated key is COPied straight into the table when no stored key is in the
    way; results, messages, stored values and dirty hours are those of the Python path. A re-sent file (its first or
    only its last reading stored with another value) falls back to the staged path."""
    from django.db import connection

    from xanh.monitoring import csvsql

    loaded: list[int | None] = []
    load = csvsql.CsvDirect.load

    def spy(*args):  # type: ignore[no-untyped-def]
        found = load(*args)
        loaded.append(found.rows if found else None)
        return found

    monkeypatch.setattr(csvsql.CsvDirect, "load", spy)
    monkeypatch.setattr(csvsql, "_DIRECT_CHUNK", 2)  # several COPY writes: the late conflict fails mid-stream
    created: list[str] = []
    ensure = csvsql.ensure_partitions
    monkeypatch.setattr(csvsql, "ensure_partitions", lambda months: created.extend(ensure(months)) or created)
    database = _run_csv(monkeypatch, text, resend, True)  # first: the February partition does not exist yet
    python = _run_csv(monkeypatch, text, resend, False)
    assert database == python
    fields = python[0]
    assert fields[3] == expected_stored
    assert not any("rỗng" in problem for problem in fields[7])
    if connection.vendor == "postgresql":
        assert loaded[-1] == direct
        if text is CLEAN_CSV and resend is None:  # the rows waited for the new partition, then one COPY
            assert created == ["monitoring_measurement_p202502", "monitoring_measurement_p202503"]


def test_admin_shows_the_archived_raw_file(stations, make_files, client) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from tests.factories import AdminFactory

    files = make_files("ambient", DAY)[:2]
    ingest(files)
    log = IngestedFile.objects.get(name=files[1].name)
    client.force_login(AdminFactory())
    response = client.get(reverse("admin:monitoring_ingestedfile_change", args=[log.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "nội dung tệp gốc" in page.lower() or "Nội dung tệp gốc" in page
    first_line = files[1].content.decode().splitlines()[0].split("\t")
    assert all(part in page for part in first_line)


@pytest.mark.django_db(transaction=True)
def test_folder_ingestion_outside_a_transaction(stations, make_files, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Outside a transaction (the command line, a job) PostgreSQL stores chunk n while chunk n + 1 is parsed; the
    result is the same as chunk after chunk."""
    from django.db import connection

    import xanh.monitoring.ingest as ingest_module
    from xanh.monitoring.services import files_from_directory

    monkeypatch.setattr(ingest_module, "CHUNK_FILES", 10)
    pipelined: list[bool] = []
    run = ingest_module._run_pipelined
    monkeypatch.setattr(ingest_module, "_run_pipelined", lambda *a: pipelined.append(True) or run(*a))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = make_files("ambient", DAY)[:35]
    for f in files:
        (inbox / f.name).write_bytes(f.content)
    seen: list[int] = []
    batch, _ = ingest_files(
        user=None, files=files_from_directory(inbox), process=False, now=NOW, progress=seen.append
    )
    assert seen == [10, 10, 10, 5] and list(inbox.iterdir()) == []
    assert batch.totals["stored"] == 35 * 8 and Measurement.objects.count() == 35 * 8
    assert [f.name for f in batch.files] == [f.name for f in files]
    assert IngestedFile.objects.count() == 35 and DirtyHour.objects.count() == 3
    assert raw_content(IngestedFile.objects.get(name=files[-1].name)) == files[-1].content
    again, _ = ingest_files(user=None, files=files[:12], process=False, now=NOW)
    assert again.totals["stored"] == 0 and again.totals["unchanged"] == 12 * 8
    assert pipelined == ([True, True] if connection.vendor == "postgresql" else [])
