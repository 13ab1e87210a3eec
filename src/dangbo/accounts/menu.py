"""What each role's menu offers and what the header calls the site: only pages the role can use
(UI.md "Each role sees the menu it can use").

office staff: everything of their committee; a secretary: their subtree's pages (no import, no audit
log); a member: their own profile and appraisal, the votes page when they are a delegate, the rules.
"""

from django.urls import reverse

from dangbo.accounts.models import ROLE_MEMBER, ROLE_OFFICE, ROLE_SECRETARY
from dangbo.accounts.selectors import Scope

#: (label, url name) per role, in menu order
STAFF_MENU = (
    ("Tổ chức", "org_tree"),
    ("Đảng viên", "member_list"),
    ("Đại hội", "congress_list"),
    ("Bầu cử", "election_list"),
    ("Đánh giá", "appraisal_campaigns"),
    ("Văn bản", "document_register"),
    ("Thủ tục", "procedure_applicants"),
    ("Thống kê", "report_members"),
    ("Sinh hoạt", "meeting_list"),
    ("Chương trình", "programme_dashboard"),
    ("Mô hình", "programme_models"),
    ("Cam kết", "programme_commitments"),
    ("Đảng phí", "fees_home"),
)
OFFICE_ONLY = (
    ("Nhập danh sách", "registry_batches"),
    ("Nhật ký", "audit_log"),
    ("Lịch nghỉ", "workdays_calendar"),
)
RULES = ("Quy định", "rule_settings")


def menu_for(scope: Scope, *, is_delegate: bool = False) -> list[dict]:
    """The menu entries {label, url} the user of `scope` can open; empty without a scope."""
    items: list[tuple[str, str]] = []
    if scope.role in (ROLE_OFFICE, ROLE_SECRETARY) and scope.sees_tree:
        items += [(label, reverse(name)) for label, name in STAFF_MENU]
        if scope.role == ROLE_OFFICE:
            items += [(label, reverse(name)) for label, name in OFFICE_ONLY]
        else:  # registry review pairs given to the secretary's cell (issue 15)
            items.append(("Cặp cần xem xét", reverse("registry_secretary")))
        items.append((RULES[0], reverse(RULES[1])))
    elif scope.role == ROLE_MEMBER and scope.member_id:
        items.append(("Hồ sơ của tôi", reverse("member_detail", args=[scope.member_id])))
        items.append(("Đánh giá của tôi", reverse("appraisal_member_history", args=[scope.member_id])))
        items.append(("Sinh hoạt của tôi", reverse("meeting_mine")))
        items.append(("Đảng phí của tôi", reverse("fees_member", args=[scope.member_id])))
        items.append(("Cam kết của tôi", reverse("programme_commitment", args=[scope.member_id])))
        if is_delegate:
            items.append(("Biểu quyết", reverse("vote_phone")))
        items.append((RULES[0], reverse(RULES[1])))
    return [{"label": label, "url": url} for label, url in items]


def mark_current(items: list[dict], path: str) -> list[dict]:
    """Flag the entry whose address the current page is under (the longest match)."""
    best = max((i for i in items if path.startswith(i["url"])), key=lambda i: len(i["url"]), default=None)
    return [{**i, "current": i is best} for i in items]
