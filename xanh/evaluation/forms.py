from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xanh.evaluation.methods import STATUS_LABELS, Status
from xanh.evaluation.services import MIN_JUSTIFICATION

OVERRIDE_CHOICES = [
    (s.value, STATUS_LABELS[s].capitalize()) for s in Status if s is not Status.INSUFFICIENT_DATA
]


class OverrideForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái điều chỉnh"), choices=OVERRIDE_CHOICES)
    justification = forms.CharField(
        label=_("Lý do điều chỉnh"),
        min_length=MIN_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc. Lý do được hiển thị cùng trạng thái điều chỉnh và lưu vào nhật ký."),
        error_messages={
            "required": _("Cần ghi lý do điều chỉnh."),
            "min_length": _("Lý do quá ngắn: cần ít nhất %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy điều chỉnh"),
        min_length=5,
        widget=forms.TextInput(),
        error_messages={"required": _("Cần ghi lý do hủy điều chỉnh.")},
    )


class EvaluateForm(forms.Form):
    as_of = forms.IntegerField(
        label=_("Năm đánh giá"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Năm đánh giá phải là một số, ví dụ 2025.")},
    )
