"""Portal template helpers: observed values in Vietnamese number format, key-target labels in the active language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from xanh.portal.national import KeyTarget
from xanh.portal.queries import Observed, format_observed

register = template.Library()


@register.filter
def observed(value: Observed | None) -> SafeString:
    return format_observed(value)


@register.simple_tag
def key_label(key: KeyTarget) -> Any:
    return key.label_en if (get_language() or "vi").startswith("en") else key.label_vi
