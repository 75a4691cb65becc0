from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from xanh.core.navigation import MENU


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = None
    if user is not None and user.is_authenticated:
        role = "admin" if user.is_superuser else getattr(user, "role", None)
    items = []
    for entry in MENU:
        if entry.roles is not None and role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "active": request.path == url})
    return {"nav_items": items, "user_role": role}
