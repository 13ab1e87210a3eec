"""Writes to accounts: create a user with a role and a scope, audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dangbo.accounts.models import ROLE_CHOICES, ROLE_MEMBER, Account
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput


@transaction.atomic
def account_create(*, actor, username: str, password: str, role: str, organization=None, member=None,
                   check_password: bool = True):
    """Create (or re-create the role of) a user. Office staff and secretaries need an organisation,
    a member account needs the member record."""
    User = get_user_model()
    if role not in dict(ROLE_CHOICES):
        raise InvalidInput(f"Vai trò «{role}» không hợp lệ.", field="role")
    if role == ROLE_MEMBER and member is None:
        raise InvalidInput("Tài khoản đảng viên phải gắn với một hồ sơ đảng viên.", field="member")
    if role != ROLE_MEMBER and organization is None:
        raise InvalidInput("Tài khoản cán bộ phải gắn với một tổ chức đảng (phạm vi).", field="organization")
    if not username.strip():
        raise InvalidInput("Tên đăng nhập không được để trống.", field="username")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise InvalidInput("Mật khẩu quá yếu: " + " ".join(exc.messages), field="password") from exc
    user, _ = User.objects.get_or_create(username=username.strip())
    user.set_password(password)
    user.save()
    account, _ = Account.objects.update_or_create(
        user=user, defaults={"role": role, "organization": organization, "member": member})
    path = organization.path if organization else (member.org_path if member else "")
    audit_record(actor=actor, action="account.create", obj=account, org_path=path,
                 after={"username": user.username, "role": role,
                        "organization": organization.pk if organization else None,
                        "member": member.pk if member else None})
    return user
