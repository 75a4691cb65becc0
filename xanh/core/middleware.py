"""Language selection: Vietnamese unless the person chose otherwise.

Browsers of Vietnamese civil servants often send "en-US"; the pages must still be Vietnamese. The interface language
therefore comes from the language cookie (set by the language switch) or defaults to Vietnamese. The API honours
``Accept-Language`` so that integrators can ask for English messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class XanhLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if request.path.startswith("/api/"):
            header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
            first = header.split(",")[0].split(";")[0].strip()
            if first:
                try:
                    language = translation.get_supported_language_variant(first)
                except LookupError:
                    language = settings.LANGUAGE_CODE
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ("Accept-Language",))
        return response
