"""Plan import review: unknown agency mentions decided once per import, cited documents and abbreviations edited
before publishing (services, review page, publish)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.documents.conftest import LAM_SON
from tests.factories import PASSWORD, AdminUnitFactory, CoordinatorFactory, ReporterFactory
from xanh.agencies.matching import AgencyMatcher, load_default_entries
from xanh.agencies.models import Agency
from xanh.agencies.services import add_agency, ensure_agencies
from xanh.core.errors import ValidationFailed
from xanh.documents import import_services
from xanh.documents.agency_choices import mention_key, rank_candidates, unresolved_mentions
from xanh.documents.models import Document, DocumentReference, PlanImport
from xanh.plans.models import Plan, TaskAssignment

KHUYEN_NONG = "Trung tâm Khuyến nông tỉnh"
KHUYEN_NONG_TASK = "Phần III.III.3"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads(media):  # type: ignore[no-untyped-def]
    """Every test here stores uploads under a temporary MEDIA_ROOT."""


@pytest.fixture
def plan_import(coordinator, unit):  # type: ignore[no-untyped-def]
    return import_services.create_import(
        user=coordinator, filename="ke_hoach_lam_son.txt", data=LAM_SON, admin_unit=unit
    )


def _decide(draft: dict[str, Any], mention: str, **decision: Any) -> dict[str, Any]:
    draft = copy.deepcopy(draft)
    draft.setdefault("agency_decisions", {})[mention_key(mention)] = {"mention": mention, **decision}
    return draft


def _with_second_task(draft: dict[str, Any]) -> dict[str, Any]:
    """The same unknown body named again (other spelling) as a coordinating body of another task."""
    draft = copy.deepcopy(draft)
    draft["tasks"][0]["coordinating"] = [*draft["tasks"][0]["coordinating"], "TRUNG TÂM KHUYẾN NÔNG TỈNH"]
    return draft


# ----------------------------------------------------------------------------------------------
# Pure helpers
# ----------------------------------------------------------------------------------------------


def test_candidates_put_an_agency_named_inside_the_mention_first() -> None:
    matcher = AgencyMatcher(load_default_entries())
    found = rank_candidates(
        "Chi cục Kiểm lâm thuộc Sở Nông nghiệp và Môi trường", matcher, on=date(2026, 1, 1)
    )
    assert found[0].key == "so-nnmt"
    assert rank_candidates("Sở Tài chánh", matcher)[0].key == "so-tc"  # a near spelling is first too


def test_candidates_share_words_and_leave_out_bodies_that_no_longer_exist() -> None:
    matcher = AgencyMatcher(load_default_entries())
    found = rank_candidates(KHUYEN_NONG, matcher, on=date(2026, 1, 1))
    keys = [c.key for c in found]
    assert 0 < len(keys) <= 5
    assert "so-nnmt" in keys  # "nông" is shared
    assert "so-nnptnt" not in keys  # merged into Sở Nông nghiệp và Môi trường in 2025
    assert all(c.score > 0 for c in found)
    assert rank_candidates("", matcher) == []


def test_unresolved_mentions_are_grouped_across_tasks_and_spellings() -> None:
    tasks = [
        {"id": "1", "lead": [KHUYEN_NONG], "coordinating": ["Sở Tài chính"]},
        {"id": "2", "lead": ["Sở Tài chính"], "coordinating": ["trung tâm khuyến nông tỉnh"]},
    ]
    decisions = {mention_key(KHUYEN_NONG): {"mention": KHUYEN_NONG, "action": "map", "key": "so-nnmt"}}
    found = unresolved_mentions(tasks, lambda m: m == "Sở Tài chính", decisions)
    assert len(found) == 1
    assert found[0].mention == KHUYEN_NONG
    assert found[0].tasks == [(0, "1", "lead"), (1, "2", "coordinating")]
    assert found[0].decision == decisions[mention_key(KHUYEN_NONG)]


# ----------------------------------------------------------------------------------------------
# Services
# ----------------------------------------------------------------------------------------------


def test_mapping_a_mention_gives_every_task_a_real_assignment(coordinator, unit, plan_import) -> None:  # type: ignore[no-untyped-def]
    draft = _decide(_with_second_task(plan_import.draft), KHUYEN_NONG, action="map", key="so-nnmt")
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    assert Plan.objects.count() == 0 and TaskAssignment.objects.count() == 0  # still only in the draft
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    task = plan.tasks.get(code=KHUYEN_NONG_TASK)
    lead = task.assignments.get(role="lead")
    assert lead.agency.key == "so-nnmt" and lead.agency.admin_unit == unit and lead.mention == KHUYEN_NONG
    assert "chưa có trong danh mục" not in task.text
    first = plan.tasks.order_by("position").first()
    assert "so-nnmt" in {a.agency.key for a in first.assignments.filter(role="coordinating")}
    plan_import.refresh_from_db()
    assert not any("chưa có trong danh mục" in note for note in plan_import.notes)


def test_a_new_agency_is_added_to_the_unit_catalogue_once_on_publish(coordinator, unit, plan_import) -> None:  # type: ignore[no-untyped-def]
    draft = _decide(
        _with_second_task(plan_import.draft),
        KHUYEN_NONG,
        action="new",
        name="Trung tâm Khuyến nông Lâm Sơn",
        kind="other",
    )
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    assert not Agency.objects.filter(
        name="Trung tâm Khuyến nông Lâm Sơn"
    ).exists()  # nothing live before publish
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    agency = Agency.objects.get(admin_unit=unit, name="Trung tâm Khuyến nông Lâm Sơn")
    assert agency.kind == "other" and agency.key.startswith("local-")
    assert agency.aliases == [KHUYEN_NONG]  # the name as written resolves to it from now on, in any spelling
    record = agency.history.get()
    assert record.history_user == coordinator and "duyệt bản nhập" in record.history_change_reason
    assert sorted(TaskAssignment.objects.filter(agency=agency).values_list("task__code", "role")) == [
        ("Phần III.I.1", "coordinating"),
        (KHUYEN_NONG_TASK, "lead"),
    ]
    assert plan.tasks.get(code=KHUYEN_NONG_TASK).assignments.get().agency == agency


def test_left_unresolved_stays_visible_in_the_task(coordinator, plan_import) -> None:  # type: ignore[no-untyped-def]
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    task = plan.tasks.get(code=KHUYEN_NONG_TASK)
    assert "(Cơ quan chưa có trong danh mục: Trung tâm Khuyến nông tỉnh)" in task.text
    assert not task.assignments.exists()


@pytest.mark.parametrize(
    ("decision", "words"),
    [
        ({"action": "new", "name": " ", "kind": "other"}, "«tên cơ quan mới»: Hãy nhập tên cơ quan mới"),
        ({"action": "new", "name": "Trung tâm", "kind": "?"}, "«loại cơ quan»: Hãy chọn loại cơ quan"),
        (
            {"action": "new", "name": "Sở TC", "kind": "other"},
            "đã có trong danh mục (Sở Tài chính); hãy chọn",
        ),
        ({"action": "map", "key": "khong-co"}, "«cơ quan trong danh mục»"),
        ({"action": "xoa"}, "«cách xử lý»"),
    ],
)
def test_bad_decisions_are_refused_with_the_field(coordinator, plan_import, decision, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        import_services.update_draft(
            user=coordinator,
            plan_import=plan_import,
            draft=_decide(plan_import.draft, KHUYEN_NONG, **decision),
        )
    assert words in str(caught.value) and "Cơ quan «Trung tâm Khuyến nông tỉnh»" in str(caught.value)


def test_a_mapped_agency_missing_from_the_unit_at_publish_is_refused(coordinator, unit, plan_import) -> None:  # type: ignore[no-untyped-def]
    ensure_agencies(unit)
    custom = add_agency(unit, name="Trung tâm Giống cây trồng", kind="other", user=coordinator)
    draft = _decide(plan_import.draft, KHUYEN_NONG, action="map", key=custom.key)
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    custom.delete()
    with pytest.raises(ValidationFailed) as caught:
        import_services.publish_import(user=coordinator, plan_import=plan_import)
    assert "hãy chọn lại" in str(caught.value)
    assert Plan.objects.count() == 0 and Document.objects.count() == 0


def test_add_agency_validates_and_reuses_the_same_name(coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    first = add_agency(unit, name="Trung tâm  Khuyến nông", kind="other", user=coordinator)
    assert first.name == "Trung tâm Khuyến nông"
    assert add_agency(unit, name="TRUNG TÂM KHUYẾN NÔNG", kind="other") == first
    with pytest.raises(ValidationFailed, match="Tên cơ quan không được để trống"):
        add_agency(unit, name="", kind="other")
    with pytest.raises(ValidationFailed, match="Loại cơ quan"):
        add_agency(unit, name="Trung tâm X", kind="bogus")


def test_references_are_corrected_added_and_removed_before_publish(coordinator, plan_import) -> None:  # type: ignore[no-untyped-def]
    draft = copy.deepcopy(plan_import.draft)
    refs = draft["references"]
    assert [r["number"] for r in refs] == ["202/2025/QH15", "1658/QĐ-TTg", "600/QĐ-BKHĐT", "3685/VPCP-NN"]
    refs[3].update(issued_on="2024-05-15", title="Về việc triển khai tăng trưởng xanh")
    del refs[2]
    refs.append({"number": "882/QĐ-TTg", "kind": "Quyết định", "issued_on": "2022-07-22", "title": None})
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    assert Document.objects.count() == 0
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    cited = {r.target.number: r.target for r in DocumentReference.objects.filter(source=plan.document)}
    assert set(cited) == {"202/2025/QH15", "1658/QĐ-TTg", "3685/VPCP-NN", "882/QĐ-TTg"}
    assert cited["3685/VPCP-NN"].issued_on == date(2024, 5, 15)
    assert cited["3685/VPCP-NN"].title == "Về việc triển khai tăng trưởng xanh"
    assert not Document.objects.filter(number="600/QĐ-BKHĐT").exists()


def test_an_already_known_cited_document_only_gets_its_gaps_filled(coordinator, plan_import) -> None:  # type: ignore[no-untyped-def]
    known = Document.objects.create(number="3685/VPCP-NN", kind="Công văn", title="Tên đã có")
    draft = copy.deepcopy(plan_import.draft)
    draft["references"][3].update(issued_on="2024-05-15", title="Tên khác")
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    plan = import_services.publish_import(user=coordinator, plan_import=plan_import)
    known.refresh_from_db()
    assert known.issued_on == date(2024, 5, 15) and known.title == "Tên đã có"
    assert plan.document.references.filter(target=known).exists()


def test_bad_references_and_abbreviations_name_row_and_field(coordinator, plan_import) -> None:  # type: ignore[no-untyped-def]
    draft = copy.deepcopy(plan_import.draft)
    draft["references"][0]["number"] = ""
    draft["references"][1]["issued_on"] = "31/02/2021"
    draft["references"][2]["number"] = "1658/qđ-ttg"
    draft["abbreviations"]["KT"] = ""
    with pytest.raises(ValidationFailed) as caught:
        import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    text = str(caught.value)
    assert "Văn bản dẫn chiếu, dòng 1, cột/trường «số, ký hiệu»: Hãy nhập số, ký hiệu" in text
    assert "dòng 2, cột/trường «ngày ban hành»" in text
    assert "dòng 3, cột/trường «số, ký hiệu»: Văn bản «1658/qđ-ttg» đã có ở dòng 2" in text
    assert "Từ viết tắt, dòng 5, cột/trường «nghĩa đầy đủ»" in text


def test_edits_are_audited_with_the_parts_changed(coordinator, plan_import) -> None:  # type: ignore[no-untyped-def]
    draft = _decide(plan_import.draft, KHUYEN_NONG, action="map", key="so-nnmt")
    draft["abbreviations"]["KT"] = "Kinh tế"
    import_services.update_draft(user=coordinator, plan_import=plan_import, draft=draft)
    reason = plan_import.history.first().history_change_reason
    assert reason == "Sửa bản nhập kế hoạch: cơ quan ngoài danh mục, viết tắt"
    everything = copy.deepcopy(draft)
    for key in (
        "document",
        "sections",
        "targets",
        "tasks",
        "agency_decisions",
        "references",
        "abbreviations",
    ):
        everything[key] = {"changed": key} if isinstance(everything[key], dict) else []
    assert len(import_services._edit_reason(draft, everything)) <= 100


def test_only_the_units_coordinator_edits_the_draft(plan_import) -> None:  # type: ignore[no-untyped-def]
    other = CoordinatorFactory(admin_unit=AdminUnitFactory(name="Tỉnh Khác"))
    with pytest.raises(PermissionDenied):
        import_services.update_draft(
            user=other,
            plan_import=plan_import,
            draft=_decide(plan_import.draft, KHUYEN_NONG, action="map", key="so-tc"),
        )
    with pytest.raises(PermissionDenied):
        import_services.update_draft(user=ReporterFactory(), plan_import=plan_import, draft=plan_import.draft)


# ----------------------------------------------------------------------------------------------
# Review page
# ----------------------------------------------------------------------------------------------


def _form(plan_import: PlanImport, unit: Any, **extra: str) -> dict[str, str]:
    """The review form as the browser sends it for an untouched draft."""
    html_draft = plan_import.draft
    doc = html_draft["document"]
    form = {
        "doc-number": doc["number"] or "",
        "doc-kind": doc["kind"] or "",
        "doc-issuer": doc["issuer"] or "",
        "doc-issued_on": doc["issued_on"] or "",
        "doc-period_start": str(doc["period"][0]),
        "doc-period_end": str(doc["period"][1]),
        "admin_unit": str(unit.pk),
        "action": "save",
    }
    for index, target in enumerate(html_draft["targets"]):
        form[f"t-{index}-text"] = target["text"]
        form[f"t-{index}-year"] = str(target["year"] or "")
        form[f"t-{index}-kind"] = target["kind"]
        for c_index, comp in enumerate(target["components"]):
            prefix = f"t-{index}-c-{c_index}"
            for key in ("value", "low", "high"):
                form[f"{prefix}-{key}"] = "" if comp[key] is None else str(comp[key]).replace(".", ",")
            form[f"{prefix}-unit"] = comp["unit"] or ""
            form[f"{prefix}-comparator"] = comp["comparator"]
    for index, task in enumerate(html_draft["tasks"]):
        form[f"k-{index}-text"] = task["text"]
        form[f"k-{index}-lead"] = "\n".join(task["lead"])
        form[f"k-{index}-coordinating"] = "\n".join(task["coordinating"])
        form[f"k-{index}-deadline"] = task["deadline"] or ""
    form["r-rows"] = str(len(html_draft["references"]))
    for index, ref in enumerate(html_draft["references"]):
        form[f"r-{index}-kind"] = ref["kind"] or ""
        form[f"r-{index}-number"] = ref["number"]
        form[f"r-{index}-issued_on"] = ref["issued_on"] or ""
        form[f"r-{index}-title"] = ref.get("title") or ""
    form["a-rows"] = str(len(html_draft["abbreviations"]))
    for index, (short, full) in enumerate(sorted(html_draft["abbreviations"].items())):
        form[f"a-{index}-short"] = short
        form[f"a-{index}-full"] = full
    form["ag-rows"] = "1"
    form["ag-0-mention"] = KHUYEN_NONG
    form["ag-0-choice"] = ""
    form["ag-0-name"] = KHUYEN_NONG
    form["ag-0-kind"] = "other"
    form.update(extra)
    return form


def test_review_page_offers_candidates_and_the_catalogue(client, coordinator, plan_import) -> None:  # type: ignore[no-untyped-def]
    client.login(username=coordinator.username, password=PASSWORD)
    html = client.get(reverse("documents:import_review", args=[plan_import.pk])).content.decode()
    assert "Cơ quan chưa có trong danh mục (1, còn 1 chưa xử lý)" in html
    assert 'name="ag-0-mention" value="Trung tâm Khuyến nông tỉnh"' in html
    assert '<optgroup label="Gợi ý gần nhất">' in html and 'value="so-nnmt"' in html
    assert "Các cơ quan khác trong danh mục" in html and 'value="so-tc"' in html
    assert 'name="r-3-number" value="3685/VPCP-NN"' in html and 'name="a-0-short" value="GRDP"' in html
    assert "Chưa có trong danh mục cơ quan: Trung tâm Khuyến nông tỉnh" in html
    assert Agency.objects.count() == 0  # looking at the review creates nothing


def test_review_form_saves_decision_references_and_abbreviations(
    client, coordinator, unit, plan_import
) -> None:  # type: ignore[no-untyped-def]
    client.login(username=coordinator.username, password=PASSWORD)
    url = reverse("documents:import_review", args=[plan_import.pk])
    form = _form(
        plan_import,
        unit,
        **{
            "ag-0-choice": "+new",
            "ag-0-name": "Trung tâm Khuyến nông Lâm Sơn",
            "r-3-issued_on": "15/5/2024",
            "r-3-title": "Về việc triển khai",
            "r-1-delete": "on",
            "r-new-kind": "Quyết định",
            "r-new-number": "882/QĐ-TTg",
            "r-new-issued_on": "2022-07-22",
            "a-0-delete": "on",
            "a-new-short": "KT",
            "a-new-full": "Kinh tế",
        },
    )
    response = client.post(url, form)
    assert response.status_code == 302
    plan_import.refresh_from_db()
    draft = plan_import.draft
    assert draft["agency_decisions"][mention_key(KHUYEN_NONG)] == {
        "mention": KHUYEN_NONG,
        "action": "new",
        "name": "Trung tâm Khuyến nông Lâm Sơn",
        "kind": "other",
    }
    numbers = [r["number"] for r in draft["references"]]
    assert numbers == ["202/2025/QH15", "600/QĐ-BKHĐT", "3685/VPCP-NN", "882/QĐ-TTg"]
    assert draft["references"][2]["issued_on"] == "2024-05-15" and draft["references"][2]["edited"] is True
    assert "GRDP" not in draft["abbreviations"] and draft["abbreviations"]["KT"] == "Kinh tế"
    html = client.get(url).content.decode()
    assert "Đã xử lý khi duyệt: «Trung tâm Khuyến nông tỉnh» → thêm cơ quan mới" in html
    assert "Cơ quan chưa có trong danh mục (1)" in html

    form = _form(plan_import, unit, **{"ag-0-choice": "so-nnmt", "action": "publish"})
    response = client.post(url, form)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.tasks.get(code=KHUYEN_NONG_TASK).assignments.get(role="lead").agency.key == "so-nnmt"
    assert not Agency.objects.filter(
        name="Trung tâm Khuyến nông Lâm Sơn"
    ).exists()  # the last decision counts
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Công văn 3685/VPCP-NN ngày 15/05/2024" in detail and "882/QĐ-TTg" in detail


def test_leaving_the_choice_empty_removes_an_earlier_decision(client, coordinator, unit, plan_import) -> None:  # type: ignore[no-untyped-def]
    import_services.update_draft(
        user=coordinator,
        plan_import=plan_import,
        draft=_decide(plan_import.draft, KHUYEN_NONG, action="map", key="so-nnmt"),
    )
    client.login(username=coordinator.username, password=PASSWORD)
    response = client.post(
        reverse("documents:import_review", args=[plan_import.pk]), _form(plan_import, unit)
    )
    assert response.status_code == 302
    plan_import.refresh_from_db()
    assert plan_import.draft["agency_decisions"] == {}


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            {"r-0-issued_on": "32/13/2025"},
            "dòng 1, cột/trường «ngày ban hành»: «32/13/2025» không phải là ngày hợp lệ",
        ),
        ({"r-2-number": ""}, "dòng 3, cột/trường «số, ký hiệu»: Hãy nhập số, ký hiệu"),
        ({"a-new-short": "KT"}, "Từ viết tắt, dòng 5, cột/trường «nghĩa đầy đủ»"),
        (
            {"r-0-delete": "on", "r-2-number": "1658/QĐ-TTg"},
            "dòng 3, cột/trường «số, ký hiệu»: Văn bản «1658/QĐ-TTg» đã có ở dòng 2",
        ),
        ({"r-new-title": "Chỉ có trích yếu"}, "Văn bản dẫn chiếu, dòng 5, cột/trường «số, ký hiệu»"),
        ({"a-1-short": "TTX"}, "Từ viết tắt «TTX» bị lặp"),
        ({"ag-0-choice": "+new", "ag-0-name": ""}, "«tên cơ quan mới»: Hãy nhập tên cơ quan mới"),
    ],
)
def test_review_form_errors_are_vietnamese_and_keep_the_input(
    client, coordinator, unit, plan_import, extra, words
) -> None:  # type: ignore[no-untyped-def]
    client.login(username=coordinator.username, password=PASSWORD)
    before = copy.deepcopy(plan_import.draft)
    form = _form(plan_import, unit, **extra, **{"t-0-text": "Nội dung đã sửa nhưng chưa lưu"})
    response = client.post(reverse("documents:import_review", args=[plan_import.pk]), form)
    html = response.content.decode()
    assert response.status_code == 400
    assert words in html.replace("&quot;", '"')
    assert "Nội dung đã sửa nhưng chưa lưu" in html  # the officer's input is shown again
    plan_import.refresh_from_db()
    assert plan_import.draft == before


def test_review_posts_need_csrf_and_the_right_role(coordinator, unit, plan_import) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    url = reverse("documents:import_review", args=[plan_import.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.login(username=coordinator.username, password=PASSWORD)
    assert strict.post(url, _form(plan_import, unit, **{"ag-0-choice": "so-nnmt"})).status_code == 403
    reporter = ReporterFactory(admin_unit=unit)
    client = Client()
    client.login(username=reporter.username, password=PASSWORD)
    assert client.post(url, _form(plan_import, unit, **{"ag-0-choice": "so-nnmt"})).status_code == 403
    plan_import.refresh_from_db()
    assert plan_import.draft["agency_decisions"] == {}
