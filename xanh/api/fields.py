"""Field selection (``?fields=id,value,period``): a client asks only for the columns it needs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xanh.api.errors import UnknownField


class FieldSelectionMixin:
    """Serializer mixin: ``fields=[...]`` keeps only those top-level fields; unknown names are a 400 error."""

    def __init__(self, *args: Any, fields: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fields:
            available = self.fields  # type: ignore[attr-defined]
            unknown = [name for name in fields if name not in available]
            if unknown:
                raise UnknownField(
                    {
                        "fields": [
                            _("Không có trường «%(f)s»; các trường có: %(a)s.")
                            % {"f": name, "a": ", ".join(available)}
                            for name in unknown
                        ]
                    }
                )
            for name in [n for n in available if n not in fields]:
                available.pop(name)


def requested_fields(request: Any) -> list[str] | None:
    raw = request.query_params.get("fields") if request is not None else None
    if raw is None:
        return None
    names = [part.strip() for part in raw.split(",") if part.strip()]
    if not names:
        raise UnknownField(
            {"fields": [_("Tham số «fields» trống; liệt kê tên trường, cách nhau bằng dấu phẩy.")]}
        )
    return names
