"""Excel round trip through the services with real .xlsx files: download, fill, dry-run preview, apply atomically;
every bad-input case names row and column and applies nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from tests.reporting.conftest import submission_of
from xanh.core.errors import ValidationFailed
from xanh.reporting import services
from xanh.reporting.models import SubmissionStatus, TemplateUpload, UploadStatus

pytestmark = pytest.mark.django_db


def edit(content: bytes, changes) -> bytes:
    book = load_workbook(io.BytesIO(content))
    for sheet, cell, value in changes:
        book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ct(world, round_2025):
    return submission_of(round_2025, world.agencies["so-ct"])


def template(world, submission):
    return services.generate_template(user=world.reporter_ct, submission=submission)


def rows_by_code(content: bytes) -> dict[str, int]:
    sheet = load_workbook(io.BytesIO(content))["Nhiệm vụ"]
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}


FILLED = [
    ("Nhiệm vụ", "D2", "Đang triển khai"),
    ("Nhiệm vụ", "E2", 40),
    ("Nhiệm vụ", "G2", "Phối hợp khảo sát 12 cơ sở."),
    ("Nhiệm vụ", "D4", "Hoàn thành"),
    ("Nhiệm vụ", "E4", "100"),
    ("Nhiệm vụ", "F4", "15/10/2025"),
    ("Nhiệm vụ", "G4", "Đã ban hành quy chế."),
    ("Chỉ tiêu", "F2", "1.234,5"),  # Vietnamese thousands dot and decimal comma
    ("Chỉ tiêu", "G2", "Công ty Điện lực tỉnh"),
]


def test_template_holds_exactly_the_agencys_items(world, ct):
    book = load_workbook(io.BytesIO(template(world, ct)))
    assert [r[0].value for r in book["Nhiệm vụ"].iter_rows(min_row=2)] == ["1.a", "2.a", "2.b"]
    assert [r[0].value for r in book["Chỉ tiêu"].iter_rows(min_row=2)] == ["T-DIEN"]


def test_dry_run_then_apply(world, ct):
    content = edit(template(world, ct), FILLED)
    preview = services.import_template(
        user=world.reporter_ct, submission=ct, content=content, filename="ct.xlsx"
    )
    assert preview.ok and (preview.created, preview.updated, preview.unchanged) == (3, 0, 1)
    ct.refresh_from_db()
    assert ct.version == 1 and ct.status == SubmissionStatus.NOT_STARTED  # a dry run writes nothing
    applied = services.import_template(
        user=world.reporter_ct,
        submission=ct,
        content=content,
        filename="ct.xlsx",
        dry_run=False,
        expected_version=1,
    )
    assert applied.applied
    ct.refresh_from_db()
    assert ct.status == SubmissionStatus.DRAFT and ct.version == 2
    task = ct.task_reports.get(task__code="2.b")
    assert (task.status, task.percent, task.completed_on) == ("completed", 100, dt.date(2025, 10, 15))
    assert ct.indicator_reports.get().value == 1234.5
    # the second upload of the same file changes nothing
    again = services.import_template(
        user=world.reporter_ct, submission=ct, content=content, filename="ct.xlsx"
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    # a re-downloaded template is pre-filled with the current values
    assert load_workbook(io.BytesIO(template(world, ct)))["Nhiệm vụ"]["D4"].value == "Hoàn thành"


def test_changed_values_show_before_and_after(world, ct):
    services.import_template(
        user=world.reporter_ct,
        submission=ct,
        content=edit(template(world, ct), FILLED),
        dry_run=False,
        expected_version=1,
    )
    content = edit(template(world, ct), [("Nhiệm vụ", "E2", 55)])
    preview = services.import_template(user=world.reporter_ct, submission=ct, content=content)
    line = next(line for line in preview.lines if line.outcome == "updated")
    assert (line.sheet, line.row, line.label) == ("Nhiệm vụ", 2, "Nhiệm vụ 1.a")
    assert line.changes == [("Tỷ lệ hoàn thành (%)", "40", "55")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([("Nhiệm vụ", "A3", "9.9")], "Nhiệm vụ, dòng 3, cột/trường «Mã nhiệm vụ (cột A)»"),
        ([("Nhiệm vụ", "B2", "Sửa nội dung")], "dòng 2, cột/trường «Nội dung nhiệm vụ (cột B)»: cột khóa"),
        (
            [("Nhiệm vụ", "E2", "bốn mươi")],
            "Nhiệm vụ, dòng 2, cột/trường «Tỷ lệ hoàn thành (%) (cột E)»: «bốn mươi» không phải là số",
        ),
        (
            [("Chỉ tiêu", "F2", "khoảng 1200")],
            "Chỉ tiêu, dòng 2, cột/trường «Giá trị (cột F)»: «khoảng 1200» không phải là số",
        ),
        (
            [("Chỉ tiêu", "F2", -5)],
            "Chỉ tiêu, dòng 2, cột/trường «Giá trị (cột F)»: giá trị -5.0 nhỏ hơn mức hợp lý tối thiểu",
        ),
        (
            [("Nhiệm vụ", "D4", "Hoàn thành"), ("Nhiệm vụ", "F4", "15 tháng 10")],
            "Nhiệm vụ, dòng 4, cột/trường «Ngày hoàn thành (ngày/tháng/năm) (cột F)»: ngày «15 tháng 10» sai định dạng",
        ),
        (
            [("Nhiệm vụ", "D4", "Hoàn thành"), ("Nhiệm vụ", "E4", 80)],
            "Nhiệm vụ, dòng 4, cột/trường «Tỷ lệ hoàn thành (%) (cột E)»: đã chọn «Hoàn thành» thì tỷ lệ phải là 100%",
        ),
        (
            [
                ("Nhiệm vụ", "A5", "2.b"),
                ("Nhiệm vụ", "B5", "Nhiệm vụ thử 2.b: triển khai và báo cáo."),
                ("Nhiệm vụ", "C5", "Chủ trì"),
            ],
            "Nhiệm vụ, dòng 5, cột/trường «Mã nhiệm vụ (cột A)»: dòng trùng: nhiệm vụ «2.b» đã có ở dòng 4",
        ),
    ],
)
def test_each_bad_input_is_named_and_nothing_is_applied(world, ct, changes, expected):
    content = edit(template(world, ct), FILLED + changes)
    preview = services.import_template(
        user=world.reporter_ct, submission=ct, content=content, filename="ct.xlsx"
    )
    assert not preview.ok
    assert any(expected in str(p) for p in preview.problems), [str(p) for p in preview.problems]
    with pytest.raises(ValidationFailed):
        upload, _ = services.preview_upload(
            user=world.reporter_ct, submission=ct, content=content, filename="ct.xlsx"
        )
        services.apply_upload(user=world.reporter_ct, upload=upload)
    ct.refresh_from_db()
    assert ct.version == 1 and not ct.task_reports.exclude(status="").exists()
    assert ct.indicator_reports.get().value is None


def test_template_of_another_agency_is_refused(world, round_2025, ct):
    nnmt = submission_of(round_2025, world.agencies["so-nnmt"])
    foreign = services.generate_template(user=world.reporter_nnmt, submission=nnmt)
    preview = services.import_template(
        user=world.reporter_ct, submission=ct, content=foreign, filename="x.xlsx"
    )
    assert [str(p) for p in preview.problems] == [
        "_meta: mẫu này của cơ quan «Sở Nông nghiệp và Môi trường», không phải của Sở Công Thương"
    ]


def test_template_of_another_round_is_refused(world, ct):
    older = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2024",
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
    )
    old_ct = submission_of(older, world.agencies["so-ct"])
    content = services.generate_template(user=world.reporter_ct, submission=old_ct)
    preview = services.import_template(
        user=world.reporter_ct, submission=ct, content=content, filename="x.xlsx"
    )
    assert "mẫu này thuộc kỳ Năm 2024, không phải kỳ Năm 2025" in str(preview.problems[0])


def test_non_excel_and_foreign_workbooks(world, ct):
    assert "không phải .xlsx" in str(
        services.import_template(
            user=world.reporter_ct, submission=ct, content=b"x", filename="bao-cao.docx"
        ).problems[0]
    )
    assert "không phải là tệp Excel" in str(
        services.import_template(
            user=world.reporter_ct, submission=ct, content=b"x", filename="a.xlsx"
        ).problems[0]
    )


def test_apply_refuses_when_the_report_changed_after_the_preview(world, ct):
    content = edit(template(world, ct), FILLED)
    upload, preview = services.preview_upload(
        user=world.reporter_ct, submission=ct, content=content, filename="ct.xlsx"
    )
    assert preview.ok and upload.base_version == 1
    services.save_draft(
        user=world.coordinator, submission=ct, expected_version=1, summary="Cơ quan đầu mối ghi chú"
    )
    with pytest.raises(services.EditConflict):
        services.apply_upload(user=world.reporter_ct, upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PREVIEWED
    assert not ct.task_reports.exclude(status="").exists()


def test_uploads_for_another_agencys_report_are_refused(world, round_2025):
    nnmt = submission_of(round_2025, world.agencies["so-nnmt"])
    content = services.generate_template(user=world.reporter_nnmt, submission=nnmt)
    with pytest.raises(PermissionDenied):
        services.import_template(user=world.reporter_ct, submission=nnmt, content=content)
    with pytest.raises(PermissionDenied):
        services.generate_template(user=world.reporter_ct, submission=nnmt)


def test_upload_screens(world, ct, client):
    client.force_login(world.reporter_ct)
    content = edit(template(world, ct), FILLED)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("reporting:upload_create", args=[ct.pk]),
        {"file": SimpleUploadedFile("ct.xlsx", content)},
    )
    upload = TemplateUpload.objects.get()
    assert response["Location"] == reverse("reporting:upload", args=[upload.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Mới: 3" in page and "Không đổi: 1" in page and "Áp dụng" in page
    assert "1.234,5" in page
    client.post(response["Location"], {"action": "apply"})
    upload.refresh_from_db()
    assert upload.status == UploadStatus.APPLIED
    ct.refresh_from_db()
    assert ct.status == SubmissionStatus.DRAFT
    # a bad file shows the errors table, with no apply button
    bad = edit(template(world, ct), [("Chỉ tiêu", "F2", "mười")])
    response = client.post(
        reverse("reporting:upload_create", args=[ct.pk]), {"file": SimpleUploadedFile("b.xlsx", bad)}
    )
    page = client.get(response["Location"]).content.decode()
    assert "chưa có gì được ghi" in page and "«mười» không phải là số" in page and 'value="apply"' not in page
    # another reporter cannot even see the upload
    client.force_login(world.reporter_nnmt)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(reverse("reporting:template", args=[ct.pk])).status_code == 404


def test_coordinator_downloads_every_template_as_a_zip(world, round_2025, client):
    import zipfile

    client.force_login(world.coordinator)
    response = client.get(reverse("reporting:round_templates", args=[round_2025.pk]))
    names = sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert names == ["bao-cao-2025-so-ct.xlsx", "bao-cao-2025-so-nnmt.xlsx", "bao-cao-2025-so-tc.xlsx"]
    client.force_login(world.reporter_ct)
    assert client.get(reverse("reporting:round_templates", args=[round_2025.pk])).status_code == 404
