"""Agencies: the catalogue of provincial bodies, per-unit instances, and the one name-resolution service.

Every importer (plan parser, Excel templates, API imports) maps a mention in a text to an Agency through
``resolve_agency``; the matching itself is the pure ``xanh.agencies.matching`` module.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.text import slugify

from xanh.agencies.matching import AgencyEntry, AgencyMatcher, CatalogueError, fold, load_default_entries
from xanh.agencies.models import Agency, AgencyKind
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.geo.models import AdminUnit


def default_catalogue() -> tuple[AgencyEntry, ...]:
    """The catalogue shipped in ``data/agencies.csv`` (validated by ``matching.load_entries``)."""
    try:
        return tuple(load_default_entries())
    except CatalogueError as exc:
        raise ValidationFailed([Problem(str(exc))]) from exc


@transaction.atomic
def ensure_agencies(unit: AdminUnit, catalogue: tuple[AgencyEntry, ...] | None = None) -> dict[str, int]:
    """Instantiate the catalogue for ``unit``. Idempotent; never deletes or renames what a person has edited."""
    catalogue = catalogue if catalogue is not None else default_catalogue()
    existing = {a.key: a for a in Agency.objects.filter(admin_unit=unit)}
    created = 0
    for row in catalogue:
        if row.key in existing:
            continue
        agency = Agency(
            admin_unit=unit,
            key=row.key,
            name=row.name,
            kind=row.kind,
            abbreviations=list(row.abbreviations),
            aliases=list(row.aliases),
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            successor_from=row.successor_from,
            confidence=row.confidence[:1],
            source=row.source,
        )
        agency._change_reason = "Khởi tạo từ danh mục cơ quan"  # type: ignore[attr-defined]
        agency.save()
        existing[row.key] = agency
        created += 1
    for row in catalogue:
        agency = existing[row.key]
        if row.successor_key and agency.successor_id is None and row.successor_key != row.key:
            agency.successor = existing[row.successor_key]
            agency._change_reason = "Liên kết cơ quan kế thừa"  # type: ignore[attr-defined]
            agency.save(update_fields=["successor"])
    _matcher_for_version.cache_clear()  # frees the old entry at once (the version key alone keeps it correct)
    return {"created": created, "total": len(existing)}


def _catalogue_version(unit_id: int) -> tuple[int, int | None]:
    """Every saved or deleted agency leaves a history row, so the count and newest id of the unit's history rows
    change whenever its catalogue does. Keyed on it, a worker's cached matcher is never older than the catalogue,
    also when another process (an admin edit in another web worker) changed it."""
    found = Agency.history.filter(admin_unit_id=unit_id).aggregate(
        n=Count("history_id"), last=Max("history_id")
    )
    return found["n"], found["last"]


def _matcher_for_unit(unit_id: int) -> AgencyMatcher:
    return _matcher_for_version(unit_id, _catalogue_version(unit_id))


@lru_cache(maxsize=64)
def _matcher_for_version(unit_id: int, version: tuple[int, int | None]) -> AgencyMatcher:
    entries = [
        AgencyEntry(
            key=a.key,
            name=a.name,
            kind=a.kind,
            abbreviations=tuple(a.abbreviations),
            aliases=tuple(a.aliases),
        )
        for a in Agency.objects.filter(admin_unit_id=unit_id)
    ]
    return AgencyMatcher(entries)


def resolve_agency(mention: str, *, unit: AdminUnit) -> Agency | None:
    """Map a mention ("Sở TT&TT", "Sở Thông tin Truyền thông tỉnh Bắc Giang") to the unit's agency, or None."""
    match = _matcher_for_unit(unit.pk).resolve(mention)
    if match is None:
        return None
    return Agency.objects.filter(admin_unit=unit, key=match.key).first()


@lru_cache(maxsize=1)
def _default_matcher() -> AgencyMatcher:
    return AgencyMatcher(default_catalogue())


def matcher_for(unit: AdminUnit | None) -> AgencyMatcher:
    """The matcher ``resolve_agency`` will use for ``unit``; the shipped catalogue while the unit has no agencies yet
    (``ensure_agencies`` instantiates exactly that catalogue). Read-only: creates nothing."""
    if unit is not None and Agency.objects.filter(admin_unit=unit).exists():
        return _matcher_for_unit(unit.pk)
    return _default_matcher()


@transaction.atomic
def add_agency(
    unit: AdminUnit, *, name: str, kind: str, user: Any = None, aliases: Iterable[str] = (), reason: str = ""
) -> Agency:
    """Add a body to ``unit``'s catalogue (a person decided it is missing). An agency of the unit with the same
    name is returned instead of creating a second one. Audited; the key is ``local-<slug of the name>``."""
    name = " ".join((name or "").split())
    problems = []
    if not name:
        problems.append(Problem("Tên cơ quan không được để trống.", column="tên cơ quan"))
    elif len(name) > 255:
        problems.append(Problem("Tên cơ quan dài quá 255 ký tự.", column="tên cơ quan"))
    if kind not in AgencyKind.values:
        problems.append(Problem(f"Loại cơ quan «{kind}» không hợp lệ.", column="loại cơ quan"))
    if problems:
        raise ValidationFailed(problems)
    same = [a for a in Agency.objects.filter(admin_unit=unit) if fold(a.name) == fold(name)]
    if same:
        return same[0]
    base = f"local-{slugify(fold(name))}"[:72].rstrip("-")
    key, n = base, 2
    while Agency.objects.filter(admin_unit=unit, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    agency = Agency(
        admin_unit=unit,
        key=key,
        name=name,
        kind=kind,
        aliases=sorted({a.strip() for a in aliases if a.strip() and fold(a) != fold(name)}),
        source="Thêm khi duyệt bản nhập kế hoạch",
    )
    stamp(agency, user=user, reason=reason or "Thêm cơ quan vào danh mục")
    agency.save()
    _matcher_for_version.cache_clear()  # frees the old entry at once (the version key alone keeps it correct)
    return agency
