"""CSV as a second representation of every API resource (``Accept: text/csv`` or ``?format=csv``)."""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import BaseRenderer

from xanh.api.tabular import records_to_csv


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        # a page of a list: the rows only; the total and the next page travel in X-Total-Count and Link headers
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            records = data["results"]
        elif isinstance(data, list):
            records = data
        else:
            records = [data]
        return records_to_csv(r if isinstance(r, dict) else {"value": r} for r in records).encode("utf-8")
