"""Plan import: services (create, edit, publish, duplicates, permissions), pages and the `xanh plan` command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.documents.conftest import CORPUS, LAM_SON
from tests.factories import PASSWORD, AdminUnitFactory, CoordinatorFactory, ReporterFactory, UserFactory
from xanh.core.errors import ValidationFailed
from xanh.documents import import_services
from xanh.documents.models import Document, ImportStatus, PlanImport
from xanh.plans.models import Plan, PlanStatus, TaskAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads(media):  # type: ignore[no-untyped-def]
    """Every test here stores uploads under a temporary MEDIA_ROOT."""


def _imported(user, unit):  # type: ignore[no-untyped-def]
    return import_services.create_import(
        user=user, filename="ke_hoach_lam_son.txt", data=LAM_SON, admin_unit=unit
    )


def test_create_import_keeps_text_parse_and_nothing_in_plan_tables(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = _imported(coordinator, unit)
    assert plan_import.status == ImportStatus.DRAFT
    assert plan_import.encoding == "UTF-8"
    assert plan_import.parsed["document"]["number"] == "58/KH-UBND"
    assert len(plan_import.draft["targets"]) == 10
    assert plan_import.source_file.name
    assert Plan.objects.count() == 0 and Document.objects.count() == 0
    assert plan_import.history.count() == 1  # audited


def test_unit_is_guessed_from_the_issuer(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = import_services.create_import(user=coordinator, filename="a.txt", data=LAM_SON)
    assert plan_import.admin_unit == unit


def test_publish_creates_document_plan_sections_targets_tasks(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = _imported(coordinator, unit)
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.PUBLISHED and plan_import.plan == plan
    assert plan.status == PlanStatus.PUBLISHED
    assert (plan.period_start, plan.period_end) == (2025, 2030)
    assert plan.document.number == "58/KH-UBND" and plan.document.issued_on.isoformat() == "2025-04-03"
    assert plan.document.references.count() == 4
    assert plan.sections.count() == len(plan_import.draft["sections"])
    assert plan.targets.count() == 10
    income = plan.targets.get(components__unit="triệu đồng/người/năm")
    component = income.components.get()
    assert (component.value, component.baseline_value, component.baseline_year) == (110, 62, 2024)
    assert plan.tasks.count() == 11
    task = plan.tasks.get(code="Phần III.I.1")
    assert [a.agency.key for a in task.assignments.filter(role="lead")] == ["so-tc"]
    assert sorted(a.agency.key for a in task.assignments.filter(role="coordinating")) == ["so-nv", "vp-ubnd"]
    unresolved = plan.tasks.get(code="Phần III.III.3")
    assert "Trung tâm Khuyến nông tỉnh" in unresolved.text
    assert plan.history.exists() and TaskAssignment.objects.filter(task__plan=plan).exists()


def test_edits_are_published(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = _imported(coordinator, unit)
    draft = plan_import.draft
    draft["targets"][0]["year"] = 2026
    draft["tasks"][0]["lead"] = ["Sở Nội vụ"]
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    assert plan.targets.order_by("position").first().year == 2026
    first = plan.tasks.order_by("position").first()
    assert [a.agency.key for a in first.assignments.filter(role="lead")] == ["so-nv"]


def test_same_document_again_offers_a_new_version(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    first = import_services.publish_import(user=coordinator, plan_import=_imported(coordinator, unit))
    again = _imported(coordinator, unit)
    assert import_services.find_duplicates(again) == [first]
    with pytest.raises(ValidationFailed) as caught:
        import_services.publish_import(user=coordinator, plan_import=again)
    assert "đã có trong Xanh" in str(caught.value)
    assert Plan.objects.count() == 1
    second = import_services.publish_import(user=coordinator, plan_import=again, new_version=True)
    first.refresh_from_db()
    assert second.version == 2 and second.supersedes == first
    assert first.status == PlanStatus.SUPERSEDED


@pytest.mark.parametrize("factory", [ReporterFactory, UserFactory])
def test_only_coordinators_and_admins_import(factory) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        import_services.create_import(user=factory(), filename="a.txt", data=LAM_SON)


def test_coordinator_of_another_unit_cannot_publish_here(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = _imported(coordinator, unit)
    other = CoordinatorFactory(admin_unit=AdminUnitFactory(name="Tỉnh Khác"))
    with pytest.raises((PermissionDenied, ValidationFailed)):
        import_services.update_draft(user=other, plan_import=plan_import, admin_unit=unit)
    with pytest.raises(PermissionDenied):
        import_services.publish_import(user=other, plan_import=plan_import)
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("rong.txt", b"", "rỗng"),
        ("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "nhị phân"),
        ("hong.docx", b"PK\x03\x04 broken", "bị hỏng"),
        ("hong.pdf", b"%PDF-1.4 broken", "PDF"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_written(coordinator, name, data, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        import_services.create_import(user=coordinator, filename=name, data=data)
    assert words in str(caught.value)
    assert PlanImport.objects.count() == 0


def test_update_draft_validates(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = _imported(coordinator, unit)
    draft = plan_import.draft
    draft["document"]["period"] = [2030, 2025]
    draft["targets"][0]["text"] = ""
    with pytest.raises(ValidationFailed) as caught:
        import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    text = str(caught.value)
    assert "năm bắt đầu phải trước năm kết thúc" in text and "dòng 1" in text


# ----------------------------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------------------------


def test_upload_review_edit_publish_in_the_browser_flow(client, coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    client.login(username=coordinator.username, password=PASSWORD)
    page = client.get(reverse("documents:import_upload"))
    assert page.status_code == 200 and "Tải lên" in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("documents:import_upload"),
        {"file": SimpleUploadedFile("ke_hoach_lam_son.txt", LAM_SON), "admin_unit": unit.pk},
    )
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{plan_import.pk}/")
    review = client.get(response["Location"])
    html = review.content.decode()
    assert 'id="src-target-0"' in html and 'href="#src-target-0"' in html and "hl-target" in html
    assert "Trung tâm Khuyến nông tỉnh" in html and "tin cậy" in html

    form = {
        "doc-number": "58/KH-UBND",
        "doc-kind": "Kế hoạch",
        "doc-issuer": "UBND tỉnh Lâm Sơn",
        "doc-issued_on": "2025-04-03",
        "doc-period_start": "2025",
        "doc-period_end": "2030",
        "admin_unit": str(unit.pk),
        "t-0-text": "Tỷ lệ che phủ rừng duy trì ổn định ở mức 46%.",
        "t-0-year": "2025",
        "t-0-kind": "quantitative",
        "t-0-c-0-value": "46",
        "t-0-c-0-unit": "%",
        "t-0-c-0-comparator": "=",
        "s-0-heading": "MỤC ĐÍCH VÀ YÊU CẦU",
        "action": "publish",
    }
    for index, target in enumerate(plan_import.draft["targets"][1:], start=1):
        form[f"t-{index}-text"] = target["text"]
        form[f"t-{index}-year"] = str(target["year"] or "")
        form[f"t-{index}-kind"] = target["kind"]
        for c_index, comp in enumerate(target["components"]):
            prefix = f"t-{index}-c-{c_index}"
            form[f"{prefix}-value"] = "" if comp["value"] is None else str(comp["value"]).replace(".", ",")
            form[f"{prefix}-low"] = "" if comp["low"] is None else str(comp["low"]).replace(".", ",")
            form[f"{prefix}-high"] = "" if comp["high"] is None else str(comp["high"]).replace(".", ",")
            form[f"{prefix}-unit"] = comp["unit"] or ""
            form[f"{prefix}-comparator"] = comp["comparator"]
    for index, task in enumerate(plan_import.draft["tasks"]):
        form[f"k-{index}-text"] = task["text"]
        form[f"k-{index}-lead"] = "\n".join(task["lead"])
        form[f"k-{index}-coordinating"] = "\n".join(task["coordinating"])
        form[f"k-{index}-deadline"] = task["deadline"] or ""
    published = client.post(response["Location"], form)
    plan = Plan.objects.get()
    assert published.status_code == 302 and published["Location"] == plan.get_absolute_url()
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "46%" in detail or "46" in detail
    assert plan.targets.order_by("position").first().components.get().value == 46
    assert plan.sections.order_by("position").first().heading == "MỤC ĐÍCH VÀ YÊU CẦU"


def test_review_rejects_bad_numbers_with_the_row(client, coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    plan_import = _imported(coordinator, unit)
    client.login(username=coordinator.username, password=PASSWORD)
    response = client.post(
        reverse("documents:import_review", args=[plan_import.pk]),
        {
            "t-0-text": "x",
            "t-0-year": "năm sau",
            "t-0-c-0-value": "abc",
            "admin_unit": unit.pk,
            "action": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "không phải là năm hợp lệ" in html and "không phải là số" in html and "dòng 1" in html


def test_upload_size_limit_and_permissions(client, settings, coordinator) -> None:  # type: ignore[no-untyped-def]
    settings.XANH_UPLOAD_MAX_BYTES = 100
    client.login(username=coordinator.username, password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("documents:import_upload"), {"file": SimpleUploadedFile("lon.txt", b"x" * 500)}
    )
    assert response.status_code == 400 and "vượt giới hạn" in response.content.decode()
    viewer = UserFactory()
    client.login(username=viewer.username, password=PASSWORD)
    assert client.get(reverse("documents:import_upload")).status_code == 403


# ----------------------------------------------------------------------------------------------
# CLI
# ----------------------------------------------------------------------------------------------


def test_plan_parse_json_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("plan", "parse", str(CORPUS / "ke_hoach_lam_son.txt"), "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "document",
        "sections",
        "targets",
        "tasks",
        "abbreviations",
        "references",
        "warnings",
    }
    assert data["document"]["number"] == "58/KH-UBND"
    assert "confidence" not in data["targets"][0]


def test_plan_parse_bad_file(tmp_path: Path) -> None:
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="rỗng"):
        call_command("plan", "parse", str(empty), "--json")


def test_plan_import_command(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "plan",
        "import",
        str(CORPUS / "ke_hoach_lam_son.txt"),
        "--user",
        coordinator.username,
        "--unit",
        "Lâm Sơn",
        stdout=out,
        stderr=StringIO(),
    )
    plan_import = PlanImport.objects.get()
    assert plan_import.admin_unit == unit
    assert f"/van-ban/nhap/{plan_import.pk}/" in out.getvalue()
    assert Plan.objects.count() == 0
