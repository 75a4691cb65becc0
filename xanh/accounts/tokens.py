"""Personal API tokens: create, revoke, authenticate. Used by the profile page, the ``xanh token`` command and the
API's Bearer authentication, so the rules are the same on every path."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xanh.accounts import permissions
from xanh.accounts.models import ApiToken, User
from xanh.accounts.tokenkeys import hash_key, new_key, prefix_of
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed

#: a person rarely needs more than a few integrations; the cap keeps forgotten tokens from piling up
MAX_ACTIVE_TOKENS = 20
#: ``last_used_at`` is refreshed at most this often, so that reading the API does not write on every request
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def _may_manage(actor: Any, owner: User) -> bool:
    # ``actor`` None is the operator at the console (``xanh token``), who already has the server's keys.
    return actor is None or getattr(actor, "pk", None) == owner.pk or permissions.is_admin(actor)


@transaction.atomic
def create_token(
    *, actor: Any, owner: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``owner``; returns the token and its key. The key is not stored and cannot be shown again."""
    permissions.require(_may_manage(actor, owner), _("Bạn chỉ được tạo khóa API cho chính mình."))
    problems: list[Problem] = []
    name = name.strip()
    if not name:
        problems.append(
            Problem(_("Cần đặt tên gợi nhớ cho khóa (ví dụ: «Kết nối hệ thống thống kê»)."), column="name")
        )
    elif len(name) > 100:
        problems.append(Problem(_("Tên gợi nhớ dài tối đa 100 ký tự."), column="name"))
    if not owner.is_active:
        problems.append(Problem(_("Tài khoản «%(u)s» đã bị khóa.") % {"u": owner.username}, column="user"))
    if expires_at is not None and expires_at <= timezone.now():
        problems.append(Problem(_("Ngày hết hạn phải ở tương lai."), column="expires_at"))
    if ApiToken.objects.active().filter(user=owner).count() >= MAX_ACTIVE_TOKENS:
        problems.append(
            Problem(
                _("Mỗi người dùng có tối đa %(n)d khóa đang hiệu lực; hãy thu hồi khóa không dùng nữa.")
                % {"n": MAX_ACTIVE_TOKENS},
                column="name",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    generated = new_key()
    token = ApiToken(
        user=owner, name=name, prefix=generated.prefix, key_hash=generated.key_hash, expires_at=expires_at
    )
    stamp(token, user=actor, reason=_("Tạo khóa API"))
    token.save()
    return token, generated.key


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    permissions.require(_may_manage(actor, token.user), _("Bạn chỉ được thu hồi khóa API của chính mình."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        stamp(token, user=actor, reason=_("Thu hồi khóa API"))
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_key(key: str) -> ApiToken | None:
    """The active token whose key is ``key``, with its user; None for a malformed, unknown, revoked or expired key,
    or one whose owner is deactivated."""
    if prefix_of(key) is None:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__agency", "user__admin_unit")
        .filter(key_hash=hash_key(key.strip()))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # a plain UPDATE: usage is not an audited change and must not add a history row per request
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
