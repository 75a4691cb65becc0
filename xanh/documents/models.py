from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DocumentKind(models.TextChoices):
    DECISION = "Quyết định", _("Quyết định")
    PLAN = "Kế hoạch", _("Kế hoạch")
    RESOLUTION = "Nghị quyết", _("Nghị quyết")
    DECREE = "Nghị định", _("Nghị định")
    CIRCULAR = "Thông tư", _("Thông tư")
    DIRECTIVE = "Chỉ thị", _("Chỉ thị")
    NOTICE = "Thông báo", _("Thông báo")
    LETTER = "Công văn", _("Công văn")
    SUBMISSION = "Tờ trình", _("Tờ trình")
    REPORT = "Báo cáo", _("Báo cáo")
    LAW = "Luật", _("Luật")
    OTHER = "Khác", _("Khác")


class Document(models.Model):
    """A legal or administrative document: the decision that issues a plan, or a document that a plan cites.

    Cited documents often arrive with only a number and perhaps a date; everything else is optional.
    """

    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True, db_index=True)
    kind = models.CharField(_("loại văn bản"), max_length=30, choices=DocumentKind.choices, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    title = models.TextField(_("trích yếu"), blank=True)
    source_file = models.FileField(_("tệp gốc"), upload_to="documents/%Y/", blank=True)
    text = models.TextField(_("nội dung văn bản"), blank=True)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, blank=True, db_index=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        label = f"{self.kind} {self.number}".strip() if self.number else (self.title[:80] or f"#{self.pk}")
        return f"{label} ngày {self.issued_on:%d/%m/%Y}" if self.issued_on else label


class DocumentReference(models.Model):
    """A citation: ``source`` cites ``target`` (e.g. a provincial plan citing QĐ 1658/QĐ-TTg)."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="references")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="cited_by")
    cited_as = models.CharField(_("trích dẫn"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("văn bản được dẫn chiếu")
        verbose_name_plural = _("văn bản được dẫn chiếu")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="document_reference_unique")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


# ------------------------------------------------------------------------------------------------
# Plan import drafts (issue 3). A parsed plan waits here for review; nothing reaches the plan tables
# until publish (xanh.documents.import_services.publish_import).
# ------------------------------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã công bố")
    DISCARDED = "discarded", _("Đã hủy")


class PlanImport(models.Model):
    """An uploaded plan document, its extracted text and the parse result that a person reviews and edits."""

    source_file = models.FileField(_("tệp tải lên"), upload_to="imports/%Y/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=10)
    encoding = models.CharField(_("bảng mã"), max_length=30, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, db_index=True)
    text = models.TextField(_("nội dung văn bản"))
    parsed = models.JSONField(_("kết quả phân tích"), default=dict)
    draft = models.JSONField(_("bản đang duyệt"), default=dict)
    notes = models.JSONField(_("ghi chú khi đọc tệp"), default=list, blank=True)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent_plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supersedes = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("thay thế kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("kế hoạch đã tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản đã tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["text", "parsed"])

    class Meta:
        verbose_name = _("bản nhập kế hoạch")
        verbose_name_plural = _("bản nhập kế hoạch")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        number = (self.draft.get("document") or {}).get("number") if self.draft else None
        return f"{number or self.filename} ({self.get_status_display()})"
