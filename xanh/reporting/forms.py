"""Forms of the reporting screens. The agency report form is read field by field with the same cell parsers as the
Excel template, so "12,5" means the same in the browser and in a spreadsheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from xanh.agencies.models import Agency
from xanh.indicators.periods import parse_period
from xanh.plans.models import Plan
from xanh.reporting import cells
from xanh.reporting.models import IndicatorReport, TaskReport
from xanh.reporting.services import IndicatorInput, Issue, TaskInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(forms.Form):
    plan = forms.ModelChoiceField(label="Kế hoạch", queryset=Plan.objects.none(), empty_label=None)
    period = forms.CharField(
        label="Kỳ báo cáo",
        max_length=10,
        help_text="Năm (2025), 6 tháng (2025H1, 2025H2) hoặc quý (2025Q1 … 2025Q4).",
    )
    opens_on = forms.DateField(label="Ngày mở kỳ", widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    due_on = forms.DateField(label="Hạn nộp", widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    instructions = forms.CharField(
        label="Hướng dẫn cho cơ quan báo cáo",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    participants = forms.ModelMultipleChoiceField(
        label="Cơ quan tham gia",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cần chọn ít nhất một cơ quan tham gia."},
    )

    def __init__(self, *args: Any, plans: Any, agencies: Iterable[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        ids = [a.pk for a in agencies]
        self.fields["participants"].queryset = Agency.objects.filter(pk__in=ids).order_by("kind", "name")

    def clean_period(self) -> str:
        raw = self.cleaned_data["period"]
        try:
            period = parse_period(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if period.kind == "month":
            raise forms.ValidationError("Kỳ báo cáo là năm, 6 tháng hoặc quý; không mở kỳ theo tháng.")
        return period.code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, due_on = data.get("opens_on"), data.get("due_on")
        if isinstance(opens_on, dt.date) and isinstance(due_on, dt.date) and due_on < opens_on:
            self.add_error("due_on", "Hạn nộp phải sau hoặc trùng ngày mở kỳ.")
        return data


def _text(post: Mapping[str, Any], name: str) -> str:
    value = post.get(name, "")
    return str(value).replace("\r\n", "\n").strip() if value is not None else ""


def read_report_form(
    post: Mapping[str, Any],
    task_items: Iterable[TaskReport],
    indicator_items: Iterable[IndicatorReport],
) -> tuple[dict[int, TaskInput], dict[int, IndicatorInput], list[Issue]]:
    """The inputs of the agency form for exactly the items of the submission (other names in the POST are ignored,
    so a crafted field for another agency's item has no effect). Unreadable numbers and dates become issues."""
    tasks: dict[int, TaskInput] = {}
    indicators: dict[int, IndicatorInput] = {}
    issues: list[Issue] = []
    for item in task_items:
        prefix = f"t-{item.pk}-"
        if f"{prefix}status" not in post:
            continue  # the item was not on the submitted form: leave it as it is
        values: dict[str, Any] = {}
        for name, parser in (
            ("status", cells.parse_task_status),
            ("percent", cells.parse_percent),
            ("completed_on", cells.parse_date),
        ):
            try:
                values[name] = parser(post.get(prefix + name, ""))
            except cells.CellError as exc:
                issues.append(Issue("task", item.pk, name, str(exc)))
                values[name] = getattr(item, name)
        tasks[item.pk] = TaskInput(
            status=values["status"] or "",
            percent=values["percent"],
            completed_on=values["completed_on"],
            narrative=_text(post, prefix + "narrative"),
            difficulties=_text(post, prefix + "difficulties"),
            proposals=_text(post, prefix + "proposals"),
        )
    for indicator_item in indicator_items:
        prefix = f"i-{indicator_item.pk}-"
        if f"{prefix}value" not in post:
            continue
        try:
            value = cells.parse_number(post.get(prefix + "value", ""))
        except cells.CellError as exc:
            issues.append(Issue("indicator", indicator_item.pk, "value", str(exc)))
            value = indicator_item.value
        indicators[indicator_item.pk] = IndicatorInput(
            value=value,
            data_source=_text(post, prefix + "data_source"),
            note=_text(post, prefix + "note"),
        )
    return tasks, indicators, issues


def read_int(post: Mapping[str, Any], name: str) -> int | None:
    try:
        return int(str(post.get(name, "")).strip())
    except ValueError:
        return None
