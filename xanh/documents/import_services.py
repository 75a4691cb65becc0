"""Plan import: upload → parse → review (edit the draft) → publish into the plan tables.

All writes go through these services: they check permissions, validate, write in one transaction and leave
an audit record. Nothing reaches the live plan tables before ``publish_import``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from xanh.accounts import permissions
from xanh.agencies.matching import AgencyMatcher
from xanh.agencies.models import Agency, AgencyKind
from xanh.agencies.services import add_agency, ensure_agencies, matcher_for, resolve_agency
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.documents.agency_choices import ACTIONS, mention_key
from xanh.documents.models import Document, DocumentKind, DocumentReference, ImportStatus, PlanImport
from xanh.documents.parsing import ExtractionError, extract_bytes, parse_text
from xanh.geo.models import AdminUnit
from xanh.plans import services as plan_services
from xanh.plans.models import Pillar, Plan, PlanStatus

__all__ = [
    "check_references",
    "create_import",
    "discard_import",
    "find_duplicates",
    "publish_import",
    "review_matcher",
    "update_draft",
]

_COMPONENT_KEYS = ("subject", "value", "low", "high", "unit", "comparator", "direction", "scope")


def _require_importer(user: Any) -> None:
    permissions.require(
        permissions.is_admin(user) or permissions.is_coordinator(user),
        "Chỉ quản trị viên hoặc cơ quan điều phối mới được nhập kế hoạch.",
    )


def _guess_unit(issuer: str | None) -> AdminUnit | None:
    """ "UBND tỉnh Bắc Giang" → the unit Bắc Giang valid on the document date (or any unit of that name)."""
    if not issuer:
        return None
    m = re.search(r"(?:tỉnh|thành phố)\s+(.+)$", issuer)
    if not m:
        return None
    return AdminUnit.objects.filter(name__iexact=m.group(1).strip()).order_by("-valid_from").first()


def _with_review_fields(parsed: dict[str, Any]) -> dict[str, Any]:
    """The editable draft: the parse JSON plus a flag per item telling whether a person changed it, and the
    officer's decisions on agency mentions the resolver cannot match (``agency_decisions``, see agency_choices)."""
    draft = dict(parsed)
    draft["targets"] = [dict(t, edited=False) for t in parsed.get("targets", [])]
    draft["tasks"] = [dict(t, edited=False) for t in parsed.get("tasks", [])]
    draft["references"] = [dict(r, title=r.get("title")) for r in parsed.get("references", [])]
    draft["agency_decisions"] = {}
    return draft


def review_matcher(unit: AdminUnit | None) -> AgencyMatcher:
    """What publishing will resolve agency mentions against: the unit's catalogue (or the shipped one)."""
    return matcher_for(unit)


_REFERENCE_SOURCE = "Văn bản dẫn chiếu"
_ABBREVIATION_SOURCE = "Từ viết tắt"


def check_references(references: Any, problems: list[Problem], *, rows: Sequence[int] | None = None) -> None:
    """Validate the cited documents of a draft. ``rows`` gives the row number each reference has on the page (the
    review table also holds removed and empty rows); by default rows are counted from 1."""
    if not isinstance(references, list):
        problems.append(Problem("Danh sách văn bản dẫn chiếu không hợp lệ.", source=_REFERENCE_SOURCE))
        return
    seen: dict[str, int] = {}
    for index, ref in enumerate(references):
        row = rows[index] if rows is not None else index + 1
        if not isinstance(ref, dict):
            problems.append(Problem("Văn bản dẫn chiếu không hợp lệ.", row=row, source=_REFERENCE_SOURCE))
            continue
        number = str(ref.get("number") or "").strip()
        if not number:
            problems.append(
                Problem(
                    "Hãy nhập số, ký hiệu của văn bản.",
                    row=row,
                    column="số, ký hiệu",
                    source=_REFERENCE_SOURCE,
                )
            )
        elif len(number) > 80:
            problems.append(
                Problem(
                    "Số, ký hiệu dài quá 80 ký tự.", row=row, column="số, ký hiệu", source=_REFERENCE_SOURCE
                )
            )
        elif number.casefold() in seen:
            problems.append(
                Problem(
                    f"Văn bản «{number}» đã có ở dòng {seen[number.casefold()]}.",
                    row=row,
                    column="số, ký hiệu",
                    source=_REFERENCE_SOURCE,
                )
            )
        else:
            seen[number.casefold()] = row
        kind = ref.get("kind")
        if kind and kind not in DocumentKind.values:
            problems.append(
                Problem(
                    f"Loại văn bản «{kind}» không hợp lệ.", row=row, column="loại", source=_REFERENCE_SOURCE
                )
            )
        issued_on = ref.get("issued_on")
        if issued_on and _date(issued_on) is None:
            problems.append(
                Problem(
                    f"«{issued_on}» không phải là ngày hợp lệ.",
                    row=row,
                    column="ngày ban hành",
                    source=_REFERENCE_SOURCE,
                )
            )


def _check_abbreviations(abbreviations: Any, problems: list[Problem]) -> None:
    if not isinstance(abbreviations, dict):
        problems.append(Problem("Bảng từ viết tắt không hợp lệ.", source=_ABBREVIATION_SOURCE))
        return
    for row, (short, full) in enumerate(abbreviations.items(), start=1):
        if not str(short).strip():
            problems.append(
                Problem("Hãy nhập từ viết tắt.", row=row, column="viết tắt", source=_ABBREVIATION_SOURCE)
            )
        if not str(full or "").strip():
            problems.append(
                Problem(
                    f"Hãy nhập nghĩa đầy đủ của «{short}».",
                    row=row,
                    column="nghĩa đầy đủ",
                    source=_ABBREVIATION_SOURCE,
                )
            )


def _check_decisions(decisions: Any, unit: AdminUnit | None, problems: list[Problem]) -> None:
    if not isinstance(decisions, dict):
        problems.append(Problem("Quyết định về cơ quan chưa có trong danh mục không hợp lệ."))
        return
    keys: set[str] | None = None
    for decision in decisions.values():
        mention = str((decision or {}).get("mention") or "")
        where = f"Cơ quan «{mention}»"
        action = (decision or {}).get("action")
        if action not in ACTIONS:
            problems.append(Problem("Cách xử lý không hợp lệ.", column="cách xử lý", source=where))
        elif action == "map":
            if keys is None:
                keys = {entry.key for entry in review_matcher(unit).entries}
            if decision.get("key") not in keys:
                problems.append(
                    Problem(
                        "Cơ quan đã chọn không có trong danh mục cơ quan của đơn vị hành chính.",
                        column="cơ quan trong danh mục",
                        source=where,
                    )
                )
        else:
            name = " ".join(str(decision.get("name") or "").split())
            known = review_matcher(unit).resolve(name) if name else None
            if not name:
                problems.append(Problem("Hãy nhập tên cơ quan mới.", column="tên cơ quan mới", source=where))
            elif known is not None:
                problems.append(
                    Problem(
                        f"«{name}» đã có trong danh mục ({known.name}); hãy chọn cơ quan đó thay vì thêm mới.",
                        column="tên cơ quan mới",
                        source=where,
                    )
                )
            elif len(name) > 255:
                problems.append(
                    Problem("Tên cơ quan dài quá 255 ký tự.", column="tên cơ quan mới", source=where)
                )
            if decision.get("kind") not in AgencyKind.values:
                problems.append(Problem("Hãy chọn loại cơ quan.", column="loại cơ quan", source=where))


_PART_NAMES = (
    ("document", "văn bản"),
    ("sections", "mục"),
    ("targets", "mục tiêu"),
    ("tasks", "nhiệm vụ"),
    ("agency_decisions", "cơ quan ngoài danh mục"),
    ("references", "dẫn chiếu"),
    ("abbreviations", "viết tắt"),
)
_REASON_MAX = 100  # simple_history's history_change_reason column


def _edit_reason(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The audit reason names the parts of the draft that changed (at most 100 characters)."""
    changed = [label for key, label in _PART_NAMES if before.get(key) != after.get(key)]
    reason = "Sửa bản nhập kế hoạch" + (f": {', '.join(changed)}" if changed else "")
    return reason if len(reason) <= _REASON_MAX else reason[: _REASON_MAX - 1] + "…"


@transaction.atomic
def create_import(
    *,
    user: Any,
    filename: str,
    data: bytes,
    admin_unit: AdminUnit | None = None,
    max_bytes: int | None = None,
) -> PlanImport:
    """Read and parse an uploaded plan. Bad files raise ValidationFailed with a Vietnamese message."""
    _require_importer(user)
    limit = max_bytes if max_bytes is not None else settings.XANH_UPLOAD_MAX_BYTES
    try:
        extracted = extract_bytes(data, filename, max_bytes=limit)
    except ExtractionError as exc:
        raise ValidationFailed([Problem(exc.message, column="file")]) from exc
    draft = parse_text(extracted.text)
    parsed = draft.to_json(extra=True)
    unit = admin_unit or _guess_unit(parsed["document"].get("issuer"))
    if unit is not None and not permissions.coordinates_unit(user, unit):
        unit = None  # a coordinator only assigns plans to their own unit
    plan_import = PlanImport(
        filename=filename[:255],
        file_format=extracted.format,
        encoding=extracted.encoding or "",
        size=extracted.size,
        content_hash=extracted.sha256,
        text=draft.text,
        parsed=parsed,
        draft=_with_review_fields(parsed),
        notes=list(extracted.notes),
        admin_unit=unit,
        created_by=user if getattr(user, "pk", None) else None,
    )
    plan_import.source_file.save(filename[:100], ContentFile(data), save=False)
    stamp(plan_import, user=user, reason="Tải lên văn bản kế hoạch")
    plan_import.save()
    return plan_import


def find_duplicates(plan_import: PlanImport) -> list[Plan]:
    """Plans already imported from the same document: same number and issuer, or the same file content."""
    document = plan_import.draft.get("document") or {}
    number = (document.get("number") or "").strip()
    issuer = (document.get("issuer") or "").strip()
    query = Q(document__content_hash=plan_import.content_hash)
    if number:
        same_number = Q(document__number__iexact=number)
        if issuer:
            same_number &= Q(document__issuer__iexact=issuer)
        query |= same_number
    return list(
        Plan.objects.filter(query)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("admin_unit", "document")
        .order_by("-version")
    )


def update_draft(
    *,
    user: Any,
    plan_import: PlanImport,
    draft: dict[str, Any] | None = None,
    admin_unit: AdminUnit | None = None,
    parent_plan: Plan | None = None,
    supersedes: Plan | None = None,
    clear_parent: bool = False,
) -> PlanImport:
    """Save the reviewer's edits. The draft keeps the JSON shape of the parser contract (plus the reference
    titles and ``agency_decisions``)."""
    _require_importer(user)
    if plan_import.admin_unit is not None:
        permissions.require(
            permissions.coordinates_unit(user, plan_import.admin_unit),
            "Bản nhập này thuộc đơn vị hành chính khác.",
        )
    if plan_import.status != ImportStatus.DRAFT:
        raise ValidationFailed([Problem("Bản nhập này đã được công bố hoặc đã hủy, không sửa được nữa.")])
    problems: list[Problem] = []
    if draft is not None:
        for key in ("document", "sections", "targets", "tasks", "abbreviations", "references"):
            if key not in draft:
                problems.append(Problem(f"Thiếu phần «{key}» trong bản duyệt.", column=key))
        period = (draft.get("document") or {}).get("period")
        if period is not None and (len(period) != 2 or period[0] > period[1]):
            problems.append(
                Problem("Thời kỳ kế hoạch: năm bắt đầu phải trước năm kết thúc.", column="period")
            )
        for i, target in enumerate(draft.get("targets", []), start=1):
            if not str(target.get("text", "")).strip():
                problems.append(Problem("Mục tiêu không có nội dung.", row=i, column="text"))
            for comp in target.get("components", []):
                low, high = comp.get("low"), comp.get("high")
                if low is not None and high is not None and high < low:
                    problems.append(
                        Problem("Cận trên phải lớn hơn hoặc bằng cận dưới.", row=i, column="high")
                    )
        for i, task in enumerate(draft.get("tasks", []), start=1):
            if not str(task.get("text", "")).strip():
                problems.append(Problem("Nhiệm vụ không có nội dung.", row=i, column="text"))
        check_references(draft.get("references", []), problems)
        _check_abbreviations(draft.get("abbreviations", {}), problems)
        _check_decisions(draft.get("agency_decisions") or {}, admin_unit or plan_import.admin_unit, problems)
    if admin_unit is not None and not permissions.coordinates_unit(user, admin_unit):
        problems.append(Problem("Bạn không điều phối đơn vị hành chính này.", column="admin_unit"))
    if problems:
        raise ValidationFailed(problems)
    reason = "Sửa bản nhập kế hoạch"
    if draft is not None:
        reason = _edit_reason(plan_import.draft, draft)
        plan_import.draft = draft
    if admin_unit is not None:
        plan_import.admin_unit = admin_unit
    if parent_plan is not None or clear_parent:
        plan_import.parent_plan = parent_plan
    if supersedes is not None:
        plan_import.supersedes = supersedes
    stamp(plan_import, user=user, reason=reason)
    plan_import.save()
    return plan_import


@transaction.atomic
def discard_import(*, user: Any, plan_import: PlanImport) -> PlanImport:
    _require_importer(user)
    if plan_import.status != ImportStatus.DRAFT:
        raise ValidationFailed([Problem("Chỉ hủy được bản nhập đang chờ duyệt.")])
    plan_import.status = ImportStatus.DISCARDED
    stamp(plan_import, user=user, reason="Hủy bản nhập kế hoạch")
    plan_import.save()
    return plan_import


_PILLAR_WORDS = (
    (Pillar.EMISSIONS, ("phát thải", "khí nhà kính", "cường độ")),
    (Pillar.GREEN_ECONOMY, ("ngành kinh tế", "sản xuất", "năng lượng")),
    (Pillar.LIFESTYLE, ("lối sống", "tiêu dùng")),
    (Pillar.TRANSITION, ("chuyển đổi", "bình đẳng", "bao trùm", "chống chịu")),
)


def _pillar(text: str | None) -> str:
    lowered = (text or "").lower()
    for pillar, words in _PILLAR_WORDS:
        if any(w in lowered for w in words):
            return str(pillar)
    return str(Pillar.OTHER)


def _kind(value: str | None) -> str:
    return value if value in DocumentKind.values else (DocumentKind.OTHER if value else "")


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


class _DecidedAgencies:
    """Applies the officer's decisions on unresolved mentions while publishing; a new agency is created once."""

    def __init__(self, *, user: Any, unit: AdminUnit, decisions: dict[str, Any]) -> None:
        self.user, self.unit, self.decisions = user, unit, decisions
        self.created: dict[str, Agency] = {}

    def check(self) -> None:
        """Every mapped agency must exist in the unit's catalogue (the unit may have changed since)."""
        problems: list[Problem] = []
        for decision in self.decisions.values():
            if (
                decision.get("action") == "map"
                and not Agency.objects.filter(admin_unit=self.unit, key=decision.get("key")).exists()
            ):
                problems.append(
                    Problem(
                        f"Cơ quan đã chọn không có trong danh mục của {self.unit.name}; hãy chọn lại.",
                        column="cơ quan trong danh mục",
                        source=f"Cơ quan «{decision.get('mention')}»",
                    )
                )
        if problems:
            raise ValidationFailed(problems)

    def __call__(self, mention: str) -> Agency | None:
        key = mention_key(mention)
        decision = self.decisions.get(key)
        if not decision:
            return None
        if decision.get("action") == "map":
            return Agency.objects.filter(admin_unit=self.unit, key=decision.get("key")).first()
        if key not in self.created:
            self.created[key] = add_agency(
                self.unit,
                name=decision.get("name") or mention,
                kind=decision.get("kind") or AgencyKind.OTHER,
                user=self.user,
                aliases=[decision.get("mention") or mention],
                reason="Thêm cơ quan khi duyệt bản nhập kế hoạch",
            )
        return self.created[key]


def _agencies(
    names: list[str], unit: AdminUnit, notes: list[str], decided: _DecidedAgencies | None = None
) -> list[Any]:
    out: list[Any] = []
    for name in names:
        agency = resolve_agency(name, unit=unit)
        if agency is None and decided is not None:
            agency = decided(name)
        if agency is None:
            notes.append(name)
        elif all(a.pk != agency.pk for a, _m in out):
            out.append((agency, name[:255]))
    return out


@transaction.atomic
def publish_import(*, user: Any, plan_import: PlanImport, new_version: bool = False) -> Plan:
    """Create Document, references, Plan, sections, targets (with components) and tasks in one transaction.

    If the same document is already in Xanh, publishing needs ``new_version=True``: the new plan then
    supersedes the old one instead of duplicating it.
    """
    _require_importer(user)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.status != ImportStatus.DRAFT:
        raise ValidationFailed([Problem("Bản nhập này đã được công bố hoặc đã hủy.")])
    draft = plan_import.draft
    meta = draft.get("document") or {}
    unit = plan_import.admin_unit
    problems: list[Problem] = []
    if unit is None:
        problems.append(Problem("Hãy chọn đơn vị hành chính của kế hoạch.", column="admin_unit"))
    period = meta.get("period")
    if not period or len(period) != 2:
        problems.append(Problem("Hãy nhập thời kỳ của kế hoạch (từ năm, đến năm).", column="period"))
    duplicates = find_duplicates(plan_import)
    supersedes = plan_import.supersedes or (duplicates[0] if duplicates else None)
    if duplicates and not new_version:
        old = duplicates[0]
        problems.append(
            Problem(
                f"Văn bản này đã có trong Xanh (kế hoạch «{old.title}», phiên bản {old.version}). "
                "Chọn «Tạo phiên bản mới» để thay thế kế hoạch cũ thay vì tạo bản trùng.",
                column="document",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    assert unit is not None and period is not None
    permissions.require(
        permissions.coordinates_unit(user, unit), "Bạn không điều phối đơn vị hành chính này."
    )
    ensure_agencies(unit)
    decided = _DecidedAgencies(user=user, unit=unit, decisions=draft.get("agency_decisions") or {})
    decided.check()

    document = Document(
        number=(meta.get("number") or "")[:80],
        kind=_kind(meta.get("kind")),
        issuer=(meta.get("issuer") or "")[:255],
        issued_on=_date(meta.get("issued_on")),
        signer=(meta.get("signer") or "")[:255],
        title=meta.get("title") or "",
        text=plan_import.text,
        content_hash=plan_import.content_hash,
    )
    if plan_import.source_file:
        document.source_file.name = plan_import.source_file.name
    stamp(document, user=user, reason="Nhập từ tệp kế hoạch")
    document.save()
    for ref in draft.get("references", []):
        number = (ref.get("number") or "").strip()
        if not number:
            continue
        cited = Document.objects.filter(number__iexact=number).exclude(pk=document.pk).first()
        if cited is None:
            cited = Document(
                number=number[:80],
                kind=_kind(ref.get("kind")),
                issued_on=_date(ref.get("issued_on")),
                title=(ref.get("title") or "").strip(),
            )
            stamp(cited, user=user, reason="Văn bản được dẫn chiếu khi nhập kế hoạch")
            cited.save()
        else:
            # A document already known by its number keeps what it has; the review only fills its gaps.
            gaps = {
                "kind": _kind(ref.get("kind")),
                "issued_on": _date(ref.get("issued_on")),
                "title": (ref.get("title") or "").strip(),
            }
            filled = [f for f, v in gaps.items() if v and not getattr(cited, f)]
            if filled:
                for f in filled:
                    setattr(cited, f, gaps[f])
                stamp(cited, user=user, reason="Bổ sung thông tin văn bản được dẫn chiếu khi nhập kế hoạch")
                cited.save(update_fields=filled)
        DocumentReference.objects.get_or_create(
            source=document, target=cited, defaults={"cited_as": number[:255]}
        )

    title = (meta.get("title") or meta.get("number") or plan_import.filename)[:500]
    version = (supersedes.version + 1) if (supersedes is not None and new_version) else 1
    plan = plan_services.create_plan(
        user=user,
        title=title,
        admin_unit=unit,
        period_start=int(period[0]),
        period_end=int(period[1]),
        document=document,
        parent=plan_import.parent_plan,
        supersedes=supersedes if new_version else None,
        version=version,
    )
    sections: dict[str, Any] = {}
    for position, sec in enumerate(draft.get("sections", [])):
        sections[sec["id"]] = plan_services.add_section(
            user=user,
            plan=plan,
            code=sec["id"][:40],
            heading=sec.get("heading") or sec["id"],
            label=(sec.get("label") or "")[:20],
            parent=sections.get(sec.get("parent") or ""),
            position=position,
        )
    codes: set[str] = set()
    for position, tgt in enumerate(draft.get("targets", [])):
        code = str(tgt.get("id") or f"T{position + 1}")[:40]
        while code in codes:
            code = f"{code}'"
        codes.add(code)
        components = []
        for comp in tgt.get("components", []):
            fields = {k: comp.get(k) for k in _COMPONENT_KEYS}
            fields = {
                k: ("" if v is None and k in ("subject", "unit", "direction", "scope") else v)
                for k, v in fields.items()
            }
            fields["subject"] = str(fields["subject"])[:500]
            fields["unit"] = str(fields["unit"])[:50]
            fields["scope"] = str(fields["scope"])[:100]
            fields["comparator"] = fields.get("comparator") or "="
            fields["year"] = tgt.get("year")
            baseline = comp.get("baseline") or {}
            fields["baseline_value"] = baseline.get("value")
            fields["baseline_year"] = baseline.get("year")
            components.append(fields)
        plan_services.add_target(
            user=user,
            plan=plan,
            code=code,
            text=tgt.get("text") or "",
            components=components,
            kind=tgt.get("kind") or "quantitative",
            year=tgt.get("year"),
            number=tgt.get("n"),
            pillar=_pillar(tgt.get("pillar")),
            section=sections.get(tgt.get("section") or ""),
            position=position,
        )
    codes = set()
    unresolved_total: list[str] = []
    for position, task in enumerate(draft.get("tasks", [])):
        code = str(task.get("id") or f"NV{position + 1}")[:40]
        while code in codes:
            code = f"{code}'"
        codes.add(code)
        unresolved: list[str] = []
        lead = _agencies(list(task.get("lead") or []), unit, unresolved, decided)
        coordinating = _agencies(list(task.get("coordinating") or []), unit, unresolved, decided)
        text = task.get("text") or ""
        if unresolved:
            # Bodies that are not in the unit's catalogue stay visible as written in the document.
            text = f"{text}\n(Cơ quan chưa có trong danh mục: {'; '.join(unresolved)})"
            unresolved_total.extend(unresolved)
        plan_services.add_task(
            user=user,
            plan=plan,
            code=code,
            text=text,
            lead=lead,
            coordinating=coordinating,
            deadline=(task.get("deadline") or "")[:120],
            section=sections.get(task.get("section") or ""),
            position=position,
        )
    plan_services.publish_plan(user=user, plan=plan)
    plan_import.status = ImportStatus.PUBLISHED
    plan_import.plan = plan
    plan_import.document = document
    if unresolved_total:
        plan_import.notes = [
            *plan_import.notes,
            f"Cơ quan chưa có trong danh mục: {'; '.join(sorted(set(unresolved_total)))}",
        ]
    stamp(plan_import, user=user, reason="Công bố kế hoạch từ bản nhập")
    plan_import.save()
    return plan
