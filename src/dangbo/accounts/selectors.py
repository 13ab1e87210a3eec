"""The one scope layer: what part of the organisation tree a user may see.

Every list, page, export and API route reads through `scope_of(user)` and the selectors built on it
(orgs.selectors, members.selectors, audit.selectors). Office staff see their committee's subtree, a
secretary the subtree of their organisation, a member only their own record.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from dangbo.accounts.models import ROLE_MEMBER, ROLE_OFFICE, ROLE_SECRETARY


@dataclass(frozen=True)
class Scope:
    role: str | None
    org_path: str | None  # subtree prefix; None = nothing
    member_id: int | None = None

    @property
    def sees_tree(self) -> bool:
        return self.role in (ROLE_OFFICE, ROLE_SECRETARY) and bool(self.org_path)

    @property
    def is_office(self) -> bool:
        return self.role == ROLE_OFFICE and bool(self.org_path)

    def covers_path(self, path: str) -> bool:
        return self.sees_tree and path.startswith(self.org_path)


NOTHING = Scope(role=None, org_path=None)


def scope_of(user) -> Scope:
    """The scope of an authenticated user; a user without an account sees nothing."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    account = getattr(user, "account", None)
    try:
        account = user.account
    except Exception:  # RelatedObjectDoesNotExist
        return NOTHING
    if account.role in (ROLE_OFFICE, ROLE_SECRETARY) and account.organization_id:
        return Scope(role=account.role, org_path=account.organization.path)
    if account.role == ROLE_MEMBER and account.member_id:
        return Scope(role=ROLE_MEMBER, org_path=None, member_id=account.member_id)
    return NOTHING


def require_office(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_office:
        raise PermissionDenied("Chỉ cán bộ Văn phòng Đảng ủy được xem trang này.")
    return scope


def account_context(request) -> dict:
    """Template context: the user's scope, for menus."""
    return {"scope": scope_of(getattr(request, "user", None))}


def require_manage(user, org_path: str) -> Scope:
    """Writes need an office or secretary scope covering the organisation."""
    scope = scope_of(user)
    if not scope.covers_path(org_path):
        raise PermissionDenied("Bạn không có quyền thay đổi dữ liệu của tổ chức này.")
    return scope
