"""Plan import pages: upload a plan file, review the proposed structure beside the text, publish."""

from __future__ import annotations

import copy
import re
from datetime import date
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xanh.accounts import permissions
from xanh.agencies.models import AgencyKind
from xanh.core.errors import Problem, ValidationFailed
from xanh.documents import import_services
from xanh.documents.agency_choices import mention_key, rank_candidates, unresolved_mentions
from xanh.documents.models import DocumentKind, ImportStatus, PlanImport
from xanh.documents.parsing import SUPPORTED_SUFFIXES, parse_vn_number
from xanh.geo.models import AdminUnit
from xanh.plans.models import Plan

COMPARATORS = [
    ("=", "="),
    (">=", "≥"),
    (">", ">"),
    ("<=", "≤"),
    ("<", "<"),
    ("range", "khoảng"),
    ("approx", "xấp xỉ"),
]
KINDS = [("quantitative", "Định lượng"), ("milestone", "Mốc hoàn thành")]
NEW_AGENCY = "+new"  # the agency select's value for "add to the unit's catalogue" (catalogue keys are slugs)
AGENCY_KINDS = [
    (AgencyKind.OTHER.value, "Cơ quan, tổ chức khác"),
    (AgencyKind.DEPARTMENT.value, "Sở, ban, ngành"),
    (AgencyKind.COLLECTIVE.value, "Nhóm cơ quan (tập hợp)"),
]
ROLE_LABELS = {"lead": "chủ trì", "coordinating": "phối hợp"}


def _require_importer(request: HttpRequest) -> None:
    if not (permissions.is_admin(request.user) or permissions.is_coordinator(request.user)):
        raise PermissionDenied("Chỉ quản trị viên hoặc cơ quan điều phối mới được nhập kế hoạch.")


def _format_number(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = float(value)
    text = f"{number:,.6f}".rstrip("0").rstrip(".") if not number.is_integer() else f"{int(number):,}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _confidence(value: Any) -> tuple[str, str]:
    score = float(value) if value is not None else 1.0
    if score >= 0.85:
        return "high", "tin cậy cao"
    if score >= 0.65:
        return "medium", "cần xem lại"
    return "low", "tin cậy thấp"


def _segments(text: str, draft: dict[str, Any]) -> list[dict[str, Any]]:
    """The document text cut at every target and task span, with the items covering each piece."""
    items: list[tuple[int, int, str, str]] = []
    for kind, key in (("target", "targets"), ("task", "tasks")):
        for index, item in enumerate(draft.get(key, [])):
            span = item.get("span")
            if not span or len(span) != 2:
                continue
            start, end = max(0, int(span[0])), min(len(text), int(span[1]))
            if start < end:
                items.append((start, end, kind, f"{kind}-{index}"))
    bounds = sorted({0, len(text), *(s for s, _e, _k, _i in items), *(e for _s, e, _k, _i in items)})
    starts: dict[int, list[str]] = {}
    for start, _end, _kind, anchor in items:
        starts.setdefault(start, []).append(anchor)
    segments = []
    for a, b in pairwise(bounds):
        covering = {kind for s, e, kind, _i in items if s <= a and b <= e}
        segments.append(
            {
                "text": text[a:b],
                "classes": " ".join(f"hl-{k}" for k in sorted(covering)),
                "anchors": starts.get(a, []),
            }
        )
    return segments


def _agency_review(plan_import: PlanImport, draft: dict[str, Any]) -> dict[str, Any]:
    """The distinct agency mentions the unit's catalogue cannot resolve, each with its tasks, the officer's decision,
    the best candidates first and then every agency of the catalogue."""
    matcher = import_services.review_matcher(plan_import.admin_unit)
    decisions = draft.get("agency_decisions") or {}
    today = timezone.localdate()
    names = {
        entry.key: entry.name for entry in matcher.entries if entry.valid_to is None or entry.valid_on(today)
    }
    all_names = {entry.key: entry.name for entry in matcher.entries}
    everyone = sorted(
        names.items(), key=lambda pair: (mention_key(pair[1]), pair[1])
    )  # Vietnamese-friendly order
    items = []
    for found in unresolved_mentions(
        draft.get("tasks", []), lambda m: matcher.resolve(m) is not None, decisions
    ):
        decision = found.decision or {}
        if decision.get("action") == "map":
            choice = str(decision.get("key") or "")
            decision_text = f"gán cho {all_names.get(choice, choice)}"
        elif decision.get("action") == "new":
            choice = NEW_AGENCY
            decision_text = f"thêm cơ quan mới «{decision.get('name') or ''}» khi công bố"
        else:
            choice, decision_text = "", ""
        candidates = rank_candidates(found.mention, matcher, on=today)
        suggested = {c.key for c in candidates}
        items.append(
            {
                "mention": found.mention,
                "key": found.key,
                "tasks": [
                    {"index": i, "id": task_id, "role": ROLE_LABELS.get(role, role)}
                    for i, task_id, role in found.tasks
                ],
                "choice": choice,
                "decision_text": decision_text,
                "new_name": decision.get("name") if decision.get("action") == "new" else found.mention,
                "new_kind": decision.get("kind") or AgencyKind.OTHER.value,
                "candidates": candidates,
                "others": [(k, n) for k, n in everyone if k not in suggested],
            }
        )
    return {"items": items, "open": sum(1 for item in items if not item["choice"])}


def _review_context(
    request: HttpRequest, plan_import: PlanImport, errors: list[Problem] | None = None
) -> dict[str, Any]:
    draft = plan_import.draft
    targets = []
    for index, target in enumerate(draft.get("targets", [])):
        level, label = _confidence(target.get("confidence"))
        comps = []
        for c_index, comp in enumerate(target.get("components", [])):
            comps.append(
                {
                    **comp,
                    "index": c_index,
                    "value_text": _format_number(comp.get("value")),
                    "low_text": _format_number(comp.get("low")),
                    "high_text": _format_number(comp.get("high")),
                }
            )
        targets.append({**target, "index": index, "level": level, "level_label": label, "comps": comps})
    agencies = _agency_review(plan_import, draft)
    by_key = {item["key"]: item for item in agencies["items"]}
    tasks = []
    for index, task in enumerate(draft.get("tasks", [])):
        level, label = _confidence(task.get("confidence"))
        unresolved: list[str] = []
        decided: list[str] = []
        for name in [*task.get("lead", []), *task.get("coordinating", [])]:
            item = by_key.get(mention_key(name))
            if item is None or name in unresolved or name in decided:
                continue
            if item["decision_text"]:
                decided.append(f"«{name}» → {item['decision_text']}")
            else:
                unresolved.append(name)
        tasks.append(
            {
                **task,
                "index": index,
                "level": level,
                "level_label": label,
                "lead_text": "\n".join(task.get("lead", [])),
                "coordinating_text": "\n".join(task.get("coordinating", [])),
                "unresolved": unresolved,
                "decided": decided,
            }
        )
    units = AdminUnit.objects.order_by("name", "-valid_from")
    plans = (
        Plan.objects.exclude(status="superseded")
        .select_related("admin_unit")
        .order_by("admin_unit__name", "title")
    )
    document = draft.get("document") or {}
    period = document.get("period") or [None, None]
    return {
        "imp": plan_import,
        "doc": document,
        "period_start": period[0] or "",
        "period_end": period[1] or "",
        "segments": _segments(plan_import.text, draft),
        "targets": targets,
        "tasks": tasks,
        "sections": draft.get("sections", []),
        "references": draft.get("references", []),
        "abbreviations": sorted((draft.get("abbreviations") or {}).items()),
        "agencies": agencies,
        "new_agency": NEW_AGENCY,
        "agency_kinds": AGENCY_KINDS,
        "document_kinds": DocumentKind.values,
        "warnings": draft.get("warnings", []),
        "units": units,
        "plans": plans,
        "duplicates": import_services.find_duplicates(plan_import),
        "errors": errors or [],
        "comparators": COMPARATORS,
        "kinds": KINDS,
        "editable": plan_import.status == ImportStatus.DRAFT,
    }


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    limit = settings.XANH_UPLOAD_MAX_BYTES
    context: dict[str, Any] = {
        "limit_mb": _format_number(round(limit / (1024 * 1024), 1)),
        "accept": ",".join(SUPPORTED_SUFFIXES),
        "units": AdminUnit.objects.order_by("name", "-valid_from"),
        "recent": PlanImport.objects.select_related("plan")[:20],
        "errors": [],
    }
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        unit_id = request.POST.get("admin_unit") or None
        unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id else None
        if uploaded is None:
            context["errors"] = [Problem("Hãy chọn một tệp .txt, .docx hoặc .pdf.", column="file")]
        elif uploaded.size is not None and uploaded.size > limit:
            context["errors"] = [
                Problem(
                    f"Tệp «{uploaded.name}» có dung lượng {_format_number(round(uploaded.size / 1048576, 1))} MB, "
                    f"vượt giới hạn {context['limit_mb']} MB.",
                    column="file",
                )
            ]
        else:
            try:
                plan_import = import_services.create_import(
                    user=request.user,
                    filename=uploaded.name or "tep-tai-len.txt",
                    data=uploaded.read(),
                    admin_unit=unit,
                )
            except ValidationFailed as exc:
                context["errors"] = exc.problems
            else:
                messages.success(request, "Đã đọc văn bản. Hãy kiểm tra và sửa các mục đề xuất rồi công bố.")
                return redirect("documents:import_review", pk=plan_import.pk)
        return render(request, "documents/import_upload.html", context, status=400)
    return render(request, "documents/import_upload.html", context)


def _number(value: str, field: str, problems: list[Problem], row: int) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_vn_number(value)
    if parsed is None:
        problems.append(
            Problem(f"«{value}» không phải là số (viết kiểu Việt Nam, ví dụ 1.234,5).", row=row, column=field)
        )
    return parsed


def _year(value: str, field: str, problems: list[Problem], row: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        problems.append(Problem(f"«{value}» không phải là năm hợp lệ.", row=row, column=field))
        return None
    return int(value)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _draft_from_post(post: Any, draft: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Merge the review form into the draft; untouched fields (spans, ids, sections) are kept."""
    problems: list[Problem] = []
    new = copy.deepcopy(draft)
    doc = new.setdefault("document", {})
    for key in ("number", "kind", "issuer", "signer", "title"):
        doc[key] = (post.get(f"doc-{key}") or "").strip() or None
    doc["issued_on"] = (post.get("doc-issued_on") or "").strip() or None
    start = _year(post.get("doc-period_start", ""), "từ năm", problems)
    end = _year(post.get("doc-period_end", ""), "đến năm", problems)
    doc["period"] = [start, end] if start and end else None

    for index, section in enumerate(new.get("sections", [])):
        heading = post.get(f"s-{index}-heading")
        if heading is not None and heading.strip():
            section["heading"] = heading.strip()

    targets = []
    for index, target in enumerate(new.get("targets", [])):
        row = index + 1
        if post.get(f"t-{index}-delete"):
            continue
        before = copy.deepcopy(target)
        target["text"] = (post.get(f"t-{index}-text") or "").strip()
        target["year"] = _year(post.get(f"t-{index}-year", ""), "năm", problems, row)
        target["kind"] = post.get(f"t-{index}-kind") or target.get("kind") or "quantitative"
        target["pillar"] = (post.get(f"t-{index}-pillar") or "").strip() or None
        comps = []
        for c_index, comp in enumerate(target.get("components", [])):
            prefix = f"t-{index}-c-{c_index}"
            if post.get(f"{prefix}-delete"):
                continue
            comp["subject"] = (post.get(f"{prefix}-subject") or "").strip() or None
            comp["value"] = _number(post.get(f"{prefix}-value", ""), "giá trị", problems, row)
            comp["low"] = _number(post.get(f"{prefix}-low", ""), "cận dưới", problems, row)
            comp["high"] = _number(post.get(f"{prefix}-high", ""), "cận trên", problems, row)
            comp["unit"] = (post.get(f"{prefix}-unit") or "").strip() or None
            comp["comparator"] = post.get(f"{prefix}-comparator") or "="
            comp["scope"] = (post.get(f"{prefix}-scope") or "").strip() or None
            comps.append(comp)
        target["components"] = comps
        if target["kind"] == "quantitative" and not comps:
            target["kind"] = "milestone"
        target["edited"] = target.get("edited", False) or target != dict(
            before, edited=target.get("edited", False)
        )
        targets.append(target)
    new_text = (post.get("t-new-text") or "").strip()
    if new_text:
        value = _number(post.get("t-new-value", ""), "giá trị", problems, len(targets) + 1)
        comps = (
            [
                {
                    "subject": None,
                    "value": value,
                    "low": None,
                    "high": None,
                    "unit": (post.get("t-new-unit") or "").strip() or None,
                    "comparator": "=",
                    "direction": "reach",
                    "scope": None,
                    "baseline": None,
                }
            ]
            if value is not None
            else []
        )
        targets.append(
            {
                "id": f"T{len(targets) + 1}-moi",
                "n": None,
                "text": new_text,
                "pillar": None,
                "section": None,
                "kind": "quantitative" if comps else "milestone",
                "year": _year(post.get("t-new-year", ""), "năm", problems, len(targets) + 1),
                "span": None,
                "components": comps,
                "confidence": 1.0,
                "edited": True,
            }
        )
    new["targets"] = targets

    tasks = []
    for index, task in enumerate(new.get("tasks", [])):
        if post.get(f"k-{index}-delete"):
            continue
        before = copy.deepcopy(task)
        task["text"] = (post.get(f"k-{index}-text") or "").strip()
        task["lead"] = _lines(post.get(f"k-{index}-lead", ""))
        task["coordinating"] = _lines(post.get(f"k-{index}-coordinating", ""))
        task["deadline"] = (post.get(f"k-{index}-deadline") or "").strip() or None
        if task != dict(before):
            task["edited"] = True
            task["lead_keys"] = [None] * len(task["lead"])  # re-resolved when published
        tasks.append(task)
    new_task = (post.get("k-new-text") or "").strip()
    if new_task:
        tasks.append(
            {
                "id": f"NV{len(tasks) + 1}-moi",
                "section": None,
                "text": new_task,
                "lead": _lines(post.get("k-new-lead", "")),
                "coordinating": [],
                "deadline": None,
                "span": None,
                "confidence": 1.0,
                "edited": True,
            }
        )
    new["tasks"] = tasks
    _references_from_post(post, new, problems)
    _abbreviations_from_post(post, new, problems)
    _decisions_from_post(post, new)
    return new, problems


def _date_field(value: str, problems: list[Problem], row: int, source: str) -> str | None:
    """A date from a date input (2024-05-15) or typed the Vietnamese way (15/5/2024), as ISO text."""
    value = (value or "").strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    try:
        day = date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 1800 <= day.year <= 2100:
        problems.append(
            Problem(
                f"«{value}» không phải là ngày hợp lệ (ngày/tháng/năm).",
                row=row,
                column="ngày ban hành",
                source=source,
            )
        )
        return None
    return day.isoformat()


def _reference_fields(post: Any, prefix: str, problems: list[Problem], row: int) -> dict[str, Any]:
    kind = (post.get(f"{prefix}-kind") or "").strip() or None
    return {
        "kind": kind,
        "number": (post.get(f"{prefix}-number") or "").strip(),
        "issued_on": _date_field(post.get(f"{prefix}-issued_on", ""), problems, row, "Văn bản dẫn chiếu"),
        "title": (post.get(f"{prefix}-title") or "").strip() or None,
    }


def _references_from_post(post: Any, new: dict[str, Any], problems: list[Problem]) -> None:
    """References table: edit, remove (checkbox) and add one row. Forms without the table keep the draft's rows.
    Errors name the row as shown on the page (the new row is the last one)."""
    if post.get("r-rows") is None:
        return
    existing = new.get("references", [])
    references: list[dict[str, Any]] = []
    page_rows: list[int] = []
    for row, (index, ref) in enumerate([*enumerate(existing), (None, None)], start=1):
        prefix = "r-new" if index is None else f"r-{index}"
        if ref is not None and f"{prefix}-number" not in post:
            references.append(ref)
            page_rows.append(row)
            continue
        if post.get(f"{prefix}-delete"):
            continue
        fields = _reference_fields(post, prefix, problems, row)
        if ref is None and not any(fields.values()):
            continue  # the empty "add" row
        if ref is None:
            references.append({**fields, "span": None, "edited": True})
        elif any(ref.get(k) != v for k, v in fields.items()):
            references.append({**ref, **fields, "edited": True})
        else:
            references.append(ref)
        page_rows.append(row)
    import_services.check_references(references, problems, rows=page_rows)
    new["references"] = references


def _abbreviations_from_post(post: Any, new: dict[str, Any], problems: list[Problem]) -> None:
    """Abbreviations table; errors name the row as shown on the page (the new row is the last one)."""
    if post.get("a-rows") is None:
        return
    count = int(post["a-rows"]) if str(post.get("a-rows")).isdigit() else 0
    rows = []
    for index in range(count):
        if post.get(f"a-{index}-delete") or f"a-{index}-short" not in post:
            continue
        rows.append(
            (
                index + 1,
                (post.get(f"a-{index}-short") or "").strip(),
                (post.get(f"a-{index}-full") or "").strip(),
            )
        )
    short, full = (post.get("a-new-short") or "").strip(), (post.get("a-new-full") or "").strip()
    if short or full:
        rows.append((count + 1, short, full))
    abbreviations: dict[str, str] = {}
    for row, short, full in rows:
        if not short:
            problems.append(
                Problem("Hãy nhập từ viết tắt.", row=row, column="viết tắt", source="Từ viết tắt")
            )
            continue
        if not full:
            problems.append(
                Problem(
                    f"Hãy nhập nghĩa đầy đủ của «{short}».",
                    row=row,
                    column="nghĩa đầy đủ",
                    source="Từ viết tắt",
                )
            )
        if short in abbreviations:
            problems.append(
                Problem(f"Từ viết tắt «{short}» bị lặp.", row=row, column="viết tắt", source="Từ viết tắt")
            )
        abbreviations[short] = full
    new["abbreviations"] = abbreviations


def _decisions_from_post(post: Any, new: dict[str, Any]) -> None:
    """One decision per distinct mention; it applies to every task naming it. Empty choice = leave unresolved."""
    if post.get("ag-rows") is None:
        return
    decisions = dict(new.get("agency_decisions") or {})
    rows = int(post.get("ag-rows")) if str(post.get("ag-rows")).isdigit() else 0
    for index in range(rows):
        mention = (post.get(f"ag-{index}-mention") or "").strip()
        key = mention_key(mention)
        if not key:
            continue
        choice = (post.get(f"ag-{index}-choice") or "").strip()
        if not choice:
            decisions.pop(key, None)
        elif choice == NEW_AGENCY:
            decisions[key] = {
                "mention": mention,
                "action": "new",
                "name": " ".join((post.get(f"ag-{index}-name") or "").split()),
                "kind": (post.get(f"ag-{index}-kind") or "").strip(),
            }
        else:
            decisions[key] = {"mention": mention, "action": "map", "key": choice}
    new["agency_decisions"] = decisions


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    plan_import = get_object_or_404(PlanImport.objects.select_related("admin_unit", "plan"), pk=pk)
    if plan_import.admin_unit is not None and not permissions.coordinates_unit(
        request.user, plan_import.admin_unit
    ):
        raise PermissionDenied("Bản nhập này thuộc đơn vị hành chính khác.")
    if request.method == "POST" and plan_import.status == ImportStatus.DRAFT:
        action = request.POST.get("action", "save")
        if action == "discard":
            import_services.discard_import(user=request.user, plan_import=plan_import)
            messages.info(request, "Đã hủy bản nhập.")
            return redirect("documents:import_upload")
        draft, problems = _draft_from_post(request.POST, plan_import.draft)
        unit_id = request.POST.get("admin_unit") or None
        unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id else None
        parent_id = request.POST.get("parent_plan") or None
        parent = Plan.objects.filter(pk=parent_id).first() if parent_id else None
        if problems:
            plan_import.draft = draft
            return render(
                request,
                "documents/import_review.html",
                _review_context(request, plan_import, problems),
                status=400,
            )
        try:
            import_services.update_draft(
                user=request.user,
                plan_import=plan_import,
                draft=draft,
                admin_unit=unit,
                parent_plan=parent,
                clear_parent=parent is None,
            )
        except ValidationFailed as exc:
            plan_import.draft = (
                draft  # show the officer's input again, next to the messages; nothing was saved
            )
            return render(
                request,
                "documents/import_review.html",
                _review_context(request, plan_import, exc.problems),
                status=400,
            )
        try:
            if action == "publish":
                plan = import_services.publish_import(
                    user=request.user,
                    plan_import=plan_import,
                    new_version=bool(request.POST.get("new_version")),
                )
                messages.success(request, "Đã công bố kế hoạch.")
                return redirect(plan.get_absolute_url())
        except ValidationFailed as exc:
            plan_import.refresh_from_db()
            return render(
                request,
                "documents/import_review.html",
                _review_context(request, plan_import, exc.problems),
                status=400,
            )
        messages.success(request, "Đã lưu các chỉnh sửa.")
        return redirect("documents:import_review", pk=plan_import.pk)
    return render(request, "documents/import_review.html", _review_context(request, plan_import))
