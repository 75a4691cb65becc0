"""The user's own page (/tai-khoan/): who they are, their role, and their personal API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xanh.accounts.models import ApiToken
from xanh.accounts.tokens import create_token, revoke_token
from xanh.core.errors import ValidationFailed

_NEW_KEY_SESSION = "xanh_new_api_key"


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_key = request.session.pop(_NEW_KEY_SESSION, None)  # shown exactly once
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "new_key": new_key,
            "errors": request.session.pop("xanh_token_errors", []),
            "min_expiry": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    expires_at = None
    raw_expiry = request.POST.get("expires", "").strip()
    if raw_expiry:
        try:
            day = dt.date.fromisoformat(raw_expiry)
        except ValueError:
            request.session["xanh_token_errors"] = [
                _("Trường «hết hạn»: ngày «%(d)s» không hợp lệ; dùng dạng YYYY-MM-DD.") % {"d": raw_expiry}
            ]
            return redirect("accounts:profile")
        expires_at = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    try:
        token, key = create_token(
            actor=request.user, owner=request.user, name=request.POST.get("name", ""), expires_at=expires_at
        )
    except ValidationFailed as exc:
        request.session["xanh_token_errors"] = [str(p) for p in exc.problems]
        return redirect("accounts:profile")
    request.session[_NEW_KEY_SESSION] = {"key": key, "prefix": token.prefix, "name": token.name}
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk:
        raise PermissionDenied(_("Bạn chỉ được thu hồi khóa API của chính mình."))
    revoke_token(actor=request.user, token=token)
    messages.success(
        request, _("Đã thu hồi khóa %(p)s…; mọi yêu cầu dùng khóa này sẽ bị từ chối.") % {"p": token.prefix}
    )
    return redirect("accounts:profile")


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
