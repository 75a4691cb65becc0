"""Open data: the approved indicator values of Xanh as downloadable datasets (CSV with BOM, XLSX, JSON, SDMX-CSV)
and a DCAT catalogue (JSON-LD) that national portals can harvest.

Only approved values are published, and only for plans that are not drafts. Files are generated on demand and kept
under ``var/opendata`` keyed by a fingerprint of the data (row count, last change), so a download is regenerated
only when the data changed; the fingerprint is also the HTTP ETag.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from xanh.indicators.models import Indicator, IndicatorValue
from xanh.plans.models import Plan, PlanStatus, Target
from xanh.portal import tidy
from xanh.portal.tidy import Observation

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "json": ("application/json", "JSON"),
    "sdmx.csv": ("application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8", "SDMX-CSV"),
}
PUBLISHER = os.environ.get("XANH_PUBLISHER", "Hệ thống Xanh")


@dataclass(frozen=True)
class Dataset:
    """One published dataset: the whole nation, or one plan (its indicators in its unit and the units merged into
    it)."""

    slug: str  # "quoc-gia" or "ke-hoach-<id>"
    title: str
    description: str
    publisher: str
    spatial: str
    plan: Plan | None = None

    def values(self) -> QuerySet[IndicatorValue]:
        qs = IndicatorValue.objects.official()
        if self.plan is None:
            return qs
        return qs.filter(
            indicator_id__in=plan_indicator_ids(self.plan), admin_unit__in=self.plan.admin_unit.lineage()
        )

    def url(self, fmt: str) -> str:
        return f"/cong-khai/du-lieu/{self.slug}.{fmt}"


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.exclude(status=PlanStatus.DRAFT)


def plan_indicator_ids(plan: Plan) -> set[int]:
    ids = set(
        Target.objects.filter(plan=plan, indicator__isnull=False).values_list("indicator_id", flat=True)
    )
    ids |= set(
        Target.objects.filter(plan=plan, components__indicator__isnull=False).values_list(
            "components__indicator_id", flat=True
        )
    )
    return ids


def national_dataset() -> Dataset:
    return Dataset(
        slug="quoc-gia",
        title=_("Số liệu chỉ tiêu tăng trưởng xanh đã phê duyệt — toàn quốc"),
        description=_(
            "Mọi giá trị chỉ tiêu đã được phê duyệt trong Xanh, mọi đơn vị hành chính và mọi kỳ; mỗi dòng là một quan sát."
        ),
        publisher=PUBLISHER,
        spatial=_("Việt Nam"),
    )


def plan_dataset(plan: Plan) -> Dataset:
    issuer = plan.document.issuer if plan.document_id and plan.document and plan.document.issuer else ""
    return Dataset(
        slug=f"ke-hoach-{plan.pk}",
        title=_("Số liệu theo dõi: %(title)s") % {"title": plan.title},
        description=_(
            "Giá trị đã phê duyệt của các chỉ tiêu gắn với mục tiêu của kế hoạch, tại %(unit)s (kể cả các đơn vị đã sáp "
            "nhập vào), mỗi dòng là một quan sát."
        )
        % {"unit": plan.admin_unit.display_name},
        publisher=issuer or plan.admin_unit.display_name,
        spatial=plan.admin_unit.display_name,
        plan=plan,
    )


def observations(values: QuerySet[IndicatorValue]) -> Iterator[Observation]:
    rows = values.order_by("indicator__code", "admin_unit__code", "period", "disaggregation").values_list(
        "indicator__code",
        "indicator__name",
        "admin_unit__code",
        "admin_unit__name",
        "period",
        "year",
        "disaggregation",
        "value",
        "unit",
        "source_detail",
        "approved_at",
        "is_demo",
    )
    for (
        code,
        name,
        unit_code,
        unit_name,
        period,
        year,
        disagg,
        value,
        unit,
        source,
        approved,
        demo,
    ) in rows.iterator(chunk_size=5000):
        yield Observation(
            indicator_code=code,
            indicator_name=name,
            admin_unit_code=unit_code,
            admin_unit_name=unit_name,
            period=period,
            year=year,
            disaggregation=disagg,
            value=value,
            unit=unit,
            source=source,
            approved_at=approved.isoformat() if approved else "",
            is_demo=demo,
        )


def summary(dataset: Dataset) -> dict[str, Any]:
    """Row count, years covered and last change (one query)."""
    stats = dataset.values().aggregate(
        rows=Count("id"), first=Min("year"), last=Max("year"), modified=Max("updated_at"), top=Max("id")
    )
    return stats


def fingerprint(dataset: Dataset, stats: dict[str, Any]) -> str:
    plan_part = ""
    if dataset.plan is not None:
        plan_part = f"{dataset.plan.pk}:{dataset.plan.updated_at.isoformat()}:{dataset.plan.status}"
    raw = f"v2|{dataset.slug}|{stats['rows']}|{stats['top']}|{stats['modified']}|{plan_part}|{get_language()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def license_statement(dataset: Dataset) -> str:
    template = (
        tidy.LICENSE_STATEMENT_EN if (get_language() or "vi").startswith("en") else tidy.LICENSE_STATEMENT_VI
    )
    return template.format(publisher=dataset.publisher)


def metadata(dataset: Dataset, stats: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "identifier": f"xanh-{dataset.slug}",
        "title": dataset.title,
        "description": dataset.description,
        "publisher": dataset.publisher,
        "spatial": dataset.spatial,
        "temporal": {"start": stats.get("first"), "end": stats.get("last")},
        "modified": stats["modified"].isoformat() if stats.get("modified") else None,
        "generated": timezone.now().isoformat(),
        "rows": stats.get("rows", 0),
        "license": {
            "name": tidy.LICENSE_NAME,
            "url": tidy.LICENSE_URL,
            "statement": license_statement(dataset),
        },
        "landing_page": base_url
        + (f"/cong-khai/ke-hoach/{dataset.plan.pk}/" if dataset.plan else "/cong-khai/du-lieu/"),
        "distributions": {fmt: base_url + dataset.url(fmt) for fmt in FORMATS},
        "layout": _(
            "Dạng gọn (tidy) kiểu Open SDG: mỗi dòng là một quan sát; mỗi chiều phân tổ là một cột (trống ở dòng số tổng)."
        ),
        "columns": tidy.COLUMN_DESCRIPTIONS_VI,
    }


def _indicator_rows(dataset: Dataset) -> list[dict[str, Any]]:
    ids = dataset.values().values_list("indicator_id", flat=True).distinct()
    if dataset.plan is not None:
        ids = list(plan_indicator_ids(dataset.plan))
    return [
        {
            "code": i.code,
            "name": i.name,
            "name_en": i.name_en,
            "unit": i.unit,
            "direction": i.direction,
            "periodicity": i.periodicity,
            "disaggregations": i.disaggregations,
            "responsible_body": i.responsible_body,
            "source": i.source,
        }
        for i in Indicator.objects.filter(pk__in=ids).order_by("code")
    ]


def _target_rows(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for target in (
        plan.targets.select_related("indicator").prefetch_related("components").order_by("position")
    ):
        for component in target.components.all() or [None]:
            rows.append(
                {
                    "target_code": target.code,
                    "target_text": target.text,
                    "pillar": target.get_pillar_display(),
                    "indicator_code": (
                        component.indicator.code if component and component.indicator_id else None
                    )
                    or (target.indicator.code if target.indicator_id else ""),
                    "scope": component.scope if component else "",
                    "target": component.display_value if component else "",
                    "target_year": (component.year if component else None) or target.year,
                    "baseline_value": component.baseline_value if component else None,
                    "baseline_year": component.baseline_year if component else None,
                }
            )
    return rows


# ---- rendering --------------------------------------------------------------------------------------------------


def _write_csv(dataset: Dataset, handle: Any) -> None:
    obs = list(observations(dataset.values()))
    for chunk in tidy.tidy_csv(obs):
        handle.write(chunk.encode("utf-8"))


def _write_sdmx(dataset: Dataset, handle: Any) -> None:
    for chunk in tidy.sdmx_csv(observations(dataset.values())):
        handle.write(chunk.encode("utf-8"))


def _write_json(dataset: Dataset, handle: Any, meta: dict[str, Any]) -> None:
    obs = list(observations(dataset.values()))
    dimensions = tidy.dimensions_of(obs)
    columns = tidy.columns_for(dimensions)
    records = []
    for o in obs:
        row = dict(zip(columns, tidy.tidy_row(o, dimensions), strict=True))
        record: dict[str, Any] = {**row, "year": o.year, "value": o.value, "is_demo": o.is_demo}
        records.append(record)
    document = {
        "metadata": {**meta, "dimensions": dimensions},
        "indicators": _indicator_rows(dataset),
        **({"targets": _target_rows(dataset.plan)} if dataset.plan else {}),
        "observations": records,
    }
    handle.write(json.dumps(document, ensure_ascii=False, indent=1, default=str).encode("utf-8"))


def _write_xlsx(dataset: Dataset, handle: Any, meta: dict[str, Any]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, names: Iterable[str]) -> None:
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    about = workbook.create_sheet(_("gioi_thieu"))
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 110
    for label, value in (
        (_("Tên bộ dữ liệu"), meta["title"]),
        (_("Mô tả"), meta["description"]),
        (_("Đơn vị công bố"), meta["publisher"]),
        (_("Phạm vi"), meta["spatial"]),
        (_("Số quan sát"), meta["rows"]),
        (_("Cập nhật dữ liệu"), meta["modified"] or ""),
        (_("Tạo tệp lúc"), meta["generated"]),
        (_("Giấy phép"), f"{tidy.LICENSE_NAME} — {tidy.LICENSE_URL}"),
        (_("Điều kiện sử dụng"), meta["license"]["statement"]),
        (_("Bố cục"), meta["layout"]),
    ):
        about.append([label, value])
    about.append([])
    header(about, [_("Cột"), _("Ý nghĩa")])
    for name, text in tidy.COLUMN_DESCRIPTIONS_VI.items():
        about.append([name, text])

    obs = list(observations(dataset.values()))
    dimensions = tidy.dimensions_of(obs)
    data = workbook.create_sheet(_("du_lieu"))
    data.freeze_panes = "A2"
    header(data, tidy.columns_for(dimensions))
    value_index = tidy.columns_for(dimensions).index("value")
    year_index = tidy.columns_for(dimensions).index("year")
    for o in obs:
        row: list[Any] = tidy.tidy_row(o, dimensions)
        row[value_index] = o.value  # numbers stay numbers in Excel
        row[year_index] = o.year
        row[-1] = o.is_demo
        data.append(row)

    indicators = workbook.create_sheet(_("chi_tieu"))
    rows = _indicator_rows(dataset)
    keys = [
        "code",
        "name",
        "name_en",
        "unit",
        "direction",
        "periodicity",
        "disaggregations",
        "responsible_body",
        "source",
    ]
    header(indicators, keys)
    for r in rows:
        indicators.append([("; ".join(r[k]) if isinstance(r[k], list) else r[k]) for k in keys])
    if dataset.plan is not None:
        targets = workbook.create_sheet(_("muc_tieu"))
        target_rows = _target_rows(dataset.plan)
        keys = list(target_rows[0]) if target_rows else ["target_code"]
        header(targets, keys)
        for r in target_rows:
            targets.append([r[k] for k in keys])
    workbook.save(handle)


def _cache_dir() -> Path:
    path = Path(settings.VAR_DIR) / "opendata"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_file(dataset: Dataset, fmt: str, base_url: str) -> tuple[Path, str, dict[str, Any]]:
    """The file of ``dataset`` in ``fmt`` (generated if the data changed since the last one); returns (path, etag,
    stats)."""
    stats = summary(dataset)
    etag = fingerprint(dataset, stats)
    directory = _cache_dir()
    ext = fmt.replace(".", "-")
    path = directory / f"{dataset.slug}-{etag}.{ext}"
    if path.exists():
        return path, etag, stats
    meta = metadata(dataset, stats, base_url)
    handle = tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".part")  # noqa: SIM115
    try:
        with handle:
            if fmt == "csv":
                _write_csv(dataset, handle)
            elif fmt == "sdmx.csv":
                _write_sdmx(dataset, handle)
            elif fmt == "json":
                _write_json(dataset, handle, meta)
            else:
                _write_xlsx(dataset, handle, meta)
        os.replace(handle.name, path)  # atomic: a concurrent reader never sees half a file
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    for stale in directory.glob(f"{dataset.slug}-*.{ext}"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path, etag, stats


# ---- DCAT catalogue ---------------------------------------------------------------------------------------------

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_MEDIA_TYPES = {
    "csv": "https://www.iana.org/assignments/media-types/text/csv",
    "xlsx": "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "https://www.iana.org/assignments/media-types/application/json",
    "sdmx.csv": "https://www.iana.org/assignments/media-types/text/csv",
}


def _literal(text: str) -> dict[str, str]:
    return {"@value": text, "@language": (get_language() or "vi")[:2]}


def dcat_dataset(dataset: Dataset, stats: dict[str, Any], base_url: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": base_url + dataset.url("json") + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"xanh-{dataset.slug}",
        "dct:title": _literal(dataset.title),
        "dct:description": _literal(dataset.description),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": dataset.publisher},
        "dct:license": {"@id": tidy.LICENSE_URL},
        "dct:accessRights": {"@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"},
        "dct:spatial": {"@type": "dct:Location", "dct:title": dataset.spatial},
        "dcat:keyword": [_("tăng trưởng xanh"), _("chỉ tiêu thống kê"), "green growth", "SDG"],
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/ENVI"},
        "dcat:landingPage": {
            "@id": base_url
            + (f"/cong-khai/ke-hoach/{dataset.plan.pk}/" if dataset.plan else "/cong-khai/du-lieu/")
        },
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.title} ({label})",
                "dct:format": label,
                "dcat:mediaType": {"@id": _MEDIA_TYPES[fmt]},
                "dcat:downloadURL": {"@id": base_url + dataset.url(fmt)},
                "dcat:accessURL": {"@id": base_url + dataset.url(fmt)},
                "dct:license": {"@id": tidy.LICENSE_URL},
                **(
                    {"dct:conformsTo": {"@id": "https://github.com/sdmx-twg/sdmx-csv"}}
                    if fmt == "sdmx.csv"
                    else {}
                ),
            }
            for fmt, (_media, label) in FORMATS.items()
        ],
    }
    if stats.get("modified"):
        node["dct:modified"] = {"@value": stats["modified"].isoformat(), "@type": "xsd:dateTime"}
    if stats.get("first") and stats.get("last"):
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": str(stats["first"]), "@type": "xsd:gYear"},
            "dcat:endDate": {"@value": str(stats["last"]), "@type": "xsd:gYear"},
        }
    return node


def catalogue(base_url: str) -> dict[str, Any]:
    datasets = [national_dataset()]
    plans = (
        public_plans().select_related("admin_unit", "document").order_by("admin_unit__name", "-period_start")
    )
    datasets += [plan_dataset(p) for p in plans]
    return {
        "@context": DCAT_CONTEXT,
        "@id": base_url + "/cong-khai/du-lieu/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _literal(_("Danh mục dữ liệu mở Xanh")),
        "dct:description": _literal(
            _(
                "Dữ liệu mở về kế hoạch hành động tăng trưởng xanh của các tỉnh: mục tiêu, chỉ tiêu và số liệu đã phê duyệt."
            )
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": PUBLISHER},
        "dct:license": {"@id": tidy.LICENSE_URL},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/VIE"},
        "dct:modified": {"@value": timezone.now().date().isoformat(), "@type": "xsd:date"},
        "foaf:homepage": {"@id": base_url + "/cong-khai/"},
        "dcat:dataset": [dcat_dataset(d, summary(d), base_url) for d in datasets],
    }


def dataset_listing() -> list[tuple[Dataset, dict[str, Any]]]:
    """Datasets with their stats for the open-data page."""
    out = [(national_dataset(), summary(national_dataset()))]
    for plan in (
        public_plans().select_related("admin_unit", "document").order_by("admin_unit__name", "-period_start")
    ):
        dataset = plan_dataset(plan)
        out.append((dataset, summary(dataset)))
    return out
