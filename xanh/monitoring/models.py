"""Automatic monitoring: stations, their parameters, measurements, rollups, VN_AQI, QA flags and exceedances.

Shapes follow OpenAQ (see ../shared/ARCHITECTURE.md): each station parameter ("sensor") measures one parameter,
measurements are unique on (sensor, time) — i.e. on (station, parameter, time) — so re-ingestion is idempotent;
hourly rollups are recomputed from a queue of dirty hours; QA flags cover time ranges; every file is logged.

Times are stored aware (UTC in the database). Files carry naive local time; Xanh reads it as Vietnam time
(Asia/Ho_Chi_Minh, UTC+7, no daylight saving) — the regulation does not state the time zone
(monitoring-data.md §4), so this is a documented choice (settings.XANH_MONITORING_TIME_ZONE).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StationKind(models.TextChoices):
    AMBIENT = "ambient", _("Không khí xung quanh")
    STACK = "stack", _("Khí thải ống khói")


class StationStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    MAINTENANCE = "maintenance", _("Đang bảo trì")
    INACTIVE = "inactive", _("Ngừng hoạt động")


class Facility(models.Model):
    """A facility (cơ sở) that owns stack stations, or an operator of ambient stations."""

    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="monitoring_facilities",
    )
    code = models.CharField(
        _("mã trong tên tệp"),
        max_length=60,
        help_text=_("Phần <Cơ sở> trong tên tệp dữ liệu, ví dụ XMTHANHSON."),
    )
    name = models.CharField(_("tên cơ sở"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    permit_number = models.CharField(_("số giấy phép môi trường"), max_length=80, blank=True)
    permit_issued_on = models.DateField(_("ngày cấp giấy phép"), null=True, blank=True)
    is_large_source = models.BooleanField(
        _("nguồn thải lớn"), default=False, help_text=_("Công khai kết quả quan trắc trên trang công khai.")
    )
    contact_emails = models.TextField(
        _("thư điện tử nhận cảnh báo"), blank=True, help_text=_("Mỗi dòng một địa chỉ.")
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ sở")
        verbose_name_plural = _("cơ sở")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["admin_unit", "code"], name="monitoring_facility_code")
        ]

    def __str__(self) -> str:
        return self.name

    def contacts(self) -> list[str]:
        return [line.strip() for line in self.contact_emails.splitlines() if "@" in line]


class Station(models.Model):
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="monitoring_stations"
    )
    code = models.CharField(
        _("mã trạm"), max_length=40, unique=True, help_text=_("Mã duy nhất; cột «station» của tệp CSV.")
    )
    name = models.CharField(_("tên trạm"), max_length=255)
    kind = models.CharField(_("loại trạm"), max_length=10, choices=StationKind.choices)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("cơ sở sở hữu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan quản lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_stations",
    )
    logger_province = models.CharField(_("mã tỉnh trong tên tệp"), max_length=40)
    logger_facility = models.CharField(_("mã cơ sở trong tên tệp"), max_length=60)
    logger_station = models.CharField(_("mã trạm trong tên tệp"), max_length=40)
    latitude = models.FloatField(_("vĩ độ"), validators=[MinValueValidator(8.0), MaxValueValidator(24.0)])
    longitude = models.FloatField(
        _("kinh độ"), validators=[MinValueValidator(102.0), MaxValueValidator(118.0)]
    )
    location = models.CharField(_("vị trí"), max_length=255, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=StationStatus.choices, default=StationStatus.ACTIVE
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("chu kỳ gửi (phút)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    is_public = models.BooleanField(_("công khai"), default=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trạm quan trắc")
        verbose_name_plural = _("trạm quan trắc")
        ordering = ["admin_unit", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["logger_province", "logger_facility", "logger_station"],
                name="monitoring_station_logger_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def logger_key(self) -> tuple[str, str, str]:
        return (self.logger_province, self.logger_facility, self.logger_station)


class Averaging(models.TextChoices):
    HOUR = "1h", _("Trung bình 1 giờ")
    EIGHT_HOURS = "8h", _("Trung bình 8 giờ")
    DAY = "24h", _("Trung bình 24 giờ")
    YEAR = "year", _("Trung bình năm")


class StationParameter(models.Model):
    """One parameter measured at a station (a sensor): its unit, plausible range and permitted limit."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="parameters")
    code = models.CharField(_("thông số"), max_length=20, help_text=_("Mã chuẩn, ví dụ PM2_5, SO2, NOx."))
    unit = models.CharField(_("đơn vị lưu trữ"), max_length=20)
    valid_min = models.FloatField(_("giá trị hợp lý nhỏ nhất"), null=True, blank=True)
    valid_max = models.FloatField(_("giá trị hợp lý lớn nhất"), null=True, blank=True)
    limit_value = models.FloatField(
        _("giới hạn cho phép"),
        null=True,
        blank=True,
        help_text=_("Theo giấy phép môi trường (trạm khí thải)."),
    )
    limit_averaging = models.CharField(
        _("thời gian trung bình của giới hạn"),
        max_length=4,
        choices=Averaging.choices,
        default=Averaging.HOUR,
    )
    limit_source = models.CharField(_("căn cứ giới hạn"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang đo"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông số của trạm")
        verbose_name_plural = _("thông số của trạm")
        ordering = ["station", "code"]
        constraints = [
            models.UniqueConstraint(fields=["station", "code"], name="monitoring_parameter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.station.code}/{self.code}"


class IngestSource(models.TextChoices):
    FOLDER = "folder", _("Thư mục nhận")
    API = "api", _("API")
    UPLOAD = "upload", _("Tải lên")
    DEMO = "demo", _("Dữ liệu minh họa")


class IngestBatch(models.Model):
    source = models.CharField(_("nguồn"), max_length=10, choices=IngestSource.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    files = models.PositiveIntegerField(_("số tệp"), default=0)
    readings = models.PositiveIntegerField(_("số dòng nhận"), default=0)
    stored = models.PositiveIntegerField(_("số giá trị lưu mới"), default=0)
    rejected = models.PositiveIntegerField(_("số dòng bị loại"), default=0)

    class Meta:
        verbose_name = _("đợt nhận dữ liệu")
        verbose_name_plural = _("đợt nhận dữ liệu")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Đợt nhận {self.pk} ({self.get_source_display()}, {self.started_at:%d/%m/%Y %H:%M})"


class FileOutcome(models.TextChoices):
    OK = "ok", _("Hợp lệ")
    WARNINGS = "warnings", _("Có cảnh báo")
    PARTIAL = "partial", _("Có dòng bị loại")
    REJECTED = "rejected", _("Bị loại toàn bộ")
    UNCHANGED = "unchanged", _("Đã nhận trước đó, không thay đổi")


class IngestedFile(models.Model):
    """The log of one received file: counts, problems (with line numbers) and where the raw file is kept."""

    # No database foreign keys (like Measurement): a province-day is 14,400 logs, and checking two constraints per
    # row at commit cost more than writing the rows. Django still applies on_delete (CASCADE, SET_NULL).
    batch = models.ForeignKey(
        IngestBatch, on_delete=models.CASCADE, related_name="file_logs", db_constraint=False
    )
    name = models.CharField(_("tên tệp"), max_length=255, db_index=True)
    kind = models.CharField(_("định dạng"), max_length=12)
    station = models.ForeignKey(
        Station,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ingested_files",
        db_constraint=False,
        db_index=False,  # the (station, -received_at) index below serves lookups by station
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("kích thước (byte)"))
    raw_path = models.CharField(_("bản gốc lưu tại"), max_length=500)
    # Set when the raw file is a member of a chunk's tar archive (rawarchive.py): where its bytes start in the tar
    # named by raw_path (the member is `size` bytes long). Null: raw_path is the file itself (older logs).
    raw_offset = models.BigIntegerField(_("vị trí trong tệp lưu trữ"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"))
    lines = models.PositiveIntegerField(_("số dòng dữ liệu"), default=0)
    parsed = models.PositiveIntegerField(_("số dòng đọc được"), default=0)
    stored = models.PositiveIntegerField(_("số giá trị lưu mới"), default=0)
    unchanged = models.PositiveIntegerField(_("số giá trị đã có"), default=0)
    conflicts = models.PositiveIntegerField(_("số giá trị mâu thuẫn"), default=0)
    rejected = models.PositiveIntegerField(_("số dòng bị loại"), default=0)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=FileOutcome.choices)
    problems = models.JSONField(_("vấn đề"), default=list, blank=True)
    problems_omitted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tệp đã nhận")
        verbose_name_plural = _("tệp đã nhận")
        ordering = ["-received_at", "name"]
        indexes = [models.Index(fields=["station", "-received_at"])]

    def __str__(self) -> str:
        return self.name


class MeasurementStatus(models.IntegerChoices):
    MEASURING = 0, _("00 — đang đo")
    CALIBRATING = 1, _("01 — hiệu chuẩn")
    DEVICE_ERROR = 2, _("02 — báo lỗi thiết bị")


class Measurement(models.Model):
    """One reading, unique on (sensor, time). On PostgreSQL the table is range-partitioned by month (migration 0001).

    Foreign keys are not enforced by the database here (bulk loading speed; partitioned table); the registry
    protects sensors that have measurements (on_delete=PROTECT).
    """

    pk = models.CompositePrimaryKey("sensor", "time")
    sensor = models.ForeignKey(
        StationParameter, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    time = models.DateTimeField()
    value = models.FloatField()
    status = models.SmallIntegerField(choices=MeasurementStatus.choices, default=MeasurementStatus.MEASURING)
    file = models.ForeignKey(
        IngestedFile,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("giá trị đo")
        verbose_name_plural = _("giá trị đo")

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.time:%Y-%m-%d %H:%M}: {self.value}"


class HourlyValue(models.Model):
    """Hourly mean of one sensor, labelled by the end of the hour. `mean` is null when too few valid readings."""

    sensor = models.ForeignKey(StationParameter, on_delete=models.CASCADE, related_name="hourly_values")
    hour = models.DateTimeField(_("giờ (thời điểm kết thúc)"))
    mean = models.FloatField(null=True)
    maximum = models.FloatField(null=True)
    n_valid = models.PositiveSmallIntegerField(default=0)
    n_total = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "hour"], name="monitoring_hourly_unique")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.hour:%Y-%m-%d %H:%M}: {self.mean}"


class DailyValue(models.Model):
    """Daily aggregates of one sensor (day D = hours labelled D 01:00 … D+1 00:00)."""

    sensor = models.ForeignKey(StationParameter, on_delete=models.CASCADE, related_name="daily_values")
    day = models.DateField()
    mean_24h = models.FloatField(null=True)
    max_1h = models.FloatField(null=True)
    max_8h = models.FloatField(null=True)
    n_hours = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "day"], name="monitoring_daily_unique")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.day}: {self.mean_24h}"


class DirtyHour(models.Model):
    """Queue: an hour of a station whose measurements changed since its rollups were computed."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "hour"], name="monitoring_dirty_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.hour:%Y-%m-%d %H:%M}"


class HourlyAqi(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="hourly_aqi")
    hour = models.DateTimeField()
    aqi = models.PositiveSmallIntegerField(null=True)
    dominant = models.CharField(max_length=10, blank=True)
    sub_indices = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "hour"], name="monitoring_hourly_aqi_unique")
        ]
        indexes = [models.Index(fields=["station", "-hour"])]

    def __str__(self) -> str:
        return f"{self.station_id} {self.hour:%Y-%m-%d %H:%M}: {self.aqi}"


class DailyAqi(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="daily_aqi")
    day = models.DateField()
    aqi = models.PositiveSmallIntegerField(null=True)
    dominant = models.CharField(max_length=10, blank=True)
    sub_indices = models.JSONField(default=dict)
    concentrations = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="monitoring_daily_aqi_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}: {self.aqi}"


class FlagSource(models.TextChoices):
    AUTO = "auto", _("Kiểm tra tự động")
    OPERATOR = "operator", _("Cán bộ vận hành")


class QaFlag(models.Model):
    """A QA flag over a time range of one station; `parameters` empty means every parameter of the station."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="qa_flags")
    parameters = models.JSONField(_("thông số"), default=list, blank=True)
    start = models.DateTimeField(_("từ"))
    end = models.DateTimeField(_("đến"))
    kind = models.CharField(_("loại"), max_length=20)
    reason = models.TextField(_("lý do"))
    invalidates = models.BooleanField(_("loại khỏi tính trung bình"), default=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=FlagSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cờ kiểm tra chất lượng")
        verbose_name_plural = _("cờ kiểm tra chất lượng")
        ordering = ["station", "start"]
        indexes = [models.Index(fields=["station", "start", "end"])]

    def __str__(self) -> str:
        return (
            f"{self.get_source_display()}: {self.kind} {self.start:%d/%m/%Y %H:%M}–{self.end:%d/%m/%Y %H:%M}"
        )

    def covers(self, parameter: str) -> bool:
        return not self.parameters or parameter in self.parameters


class ExceedanceEvent(models.Model):
    """A run of consecutive averaging periods above a limit (QCVN 05:2023/BTNMT or the station's permit)."""

    sensor = models.ForeignKey(StationParameter, on_delete=models.CASCADE, related_name="exceedances")
    averaging = models.CharField(_("thời gian trung bình"), max_length=4, choices=Averaging.choices)
    limit_value = models.FloatField(_("giới hạn"))
    limit_source = models.CharField(_("căn cứ"), max_length=255)
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    periods = models.PositiveIntegerField(_("số kỳ vượt"))
    peak_value = models.FloatField(_("giá trị cao nhất"))
    peak_at = models.DateTimeField(_("thời điểm cao nhất"))
    notified_at = models.DateTimeField(_("đã thông báo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện vượt giới hạn")
        verbose_name_plural = _("sự kiện vượt giới hạn")
        ordering = ["-start"]
        indexes = [models.Index(fields=["sensor", "averaging", "start"])]

    def __str__(self) -> str:
        return f"{self.sensor} {self.averaging} {self.start:%d/%m/%Y %H:%M}: {self.peak_value}"

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start
