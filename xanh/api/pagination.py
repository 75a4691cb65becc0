"""Page-number pagination; also sends ``X-Total-Count`` and RFC 8288 ``Link`` headers, which CSV clients can use."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class XanhPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_query_param = "page"
    page_query_description = _("Số trang (bắt đầu từ 1).")
    page_size_query_description = _("Số dòng mỗi trang (tối đa 1000, mặc định 100).")
    invalid_page_message = _("Trang không hợp lệ.")

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Phải là số nguyên từ 1 đến %(n)d.") % {"n": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        assert self.page is not None
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = []
        if (next_url := self.get_next_link()) is not None:
            links.append(f'<{next_url}>; rel="next"')
        if (previous_url := self.get_previous_link()) is not None:
            links.append(f'<{previous_url}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"]["minimum"] = 1
            if param["name"] == self.page_size_query_param:
                param["schema"]["maximum"] = self.max_page_size
        return params
