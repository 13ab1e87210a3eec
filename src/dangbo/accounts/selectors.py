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


def committee_of(scope: Scope):
    """The committee the site belongs to, for the header: the root of the user's tree (a member: the
    root above their cell); without a scope, the installation's one committee in force (None when
    there are several, so the login page names none)."""
    from dangbo.members.models import Member
    from dangbo.orgs.models import Organization

    path = scope.org_path
    if path is None and scope.member_id:
        path = Member.objects.filter(pk=scope.member_id).values_list("org_path", flat=True).first()
    if path:
        return Organization.objects.filter(path=path.split("/", 1)[0] + "/").first()
    roots = list(Organization.objects.filter(parent=None, valid_to=None)[:2])
    return roots[0] if len(roots) == 1 else None


def is_delegate(scope: Scope) -> bool:
    """A member's account that is a delegate of some congress (the votes page is theirs)."""
    from dangbo.congress.models import Delegate

    return bool(scope.member_id) and Delegate.objects.filter(member_id=scope.member_id).exists()


def account_context(request) -> dict:
    """Template context: the user's scope, their menu and the committee's name for the header. The
    menu and the name are computed only when a template shows them (not for htmx fragments)."""
    from django.utils.functional import SimpleLazyObject

    from dangbo.accounts.menu import mark_current, menu_for

    scope = scope_of(getattr(request, "user", None))
    path = getattr(request, "path", "")
    return {
        "scope": scope,
        "menu": SimpleLazyObject(lambda: mark_current(menu_for(scope, is_delegate=is_delegate(scope)), path)),
        "committee": SimpleLazyObject(lambda: committee_of(scope)),
    }


def require_manage(user, org_path: str) -> Scope:
    """Writes need an office or secretary scope covering the organisation."""
    scope = scope_of(user)
    if not scope.covers_path(org_path):
        raise PermissionDenied("Bạn không có quyền thay đổi dữ liệu của tổ chức này.")
    return scope


def member_todo(*, user) -> dict:
    """A member's home page: their record, the self-assessments waiting for them, the votes they can
    cast now, the congresses where they are a delegate. Read through the apps' own scoped selectors."""
    from dangbo.appraisal.models import DRAFT
    from dangbo.appraisal.selectors import campaign_list, review_list
    from dangbo.congress.models import Delegate
    from dangbo.members.selectors import member_get
    from dangbo.votes.selectors import delegate_ballots

    scope = scope_of(user)
    member = member_get(user=user, member_id=scope.member_id)
    to_assess = [r for c in campaign_list(user=user) for r in review_list(user=user, campaign=c)
                 if r.status == DRAFT]
    ballots = delegate_ballots(user=user)
    delegacies = list(Delegate.objects.filter(member_id=scope.member_id, replaced_by=None)
                      .select_related("congress").order_by("-congress__start_date"))
    return {"m": member, "to_assess": to_assess, "to_vote": [b for b in ballots if b["may_vote"]],
            "delegacies": delegacies}
