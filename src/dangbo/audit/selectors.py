"""Reads of the audit log: office staff only, within their committee's subtree."""

from dangbo.accounts.selectors import require_office
from dangbo.audit.models import AuditEvent


def audit_list(*, user, action: str = ""):
    scope = require_office(user)
    qs = AuditEvent.objects.filter(org_path__startswith=scope.org_path)
    # a filter typed in the address bar: characters no action holds (NUL breaks PostgreSQL) dropped
    action = "".join(ch for ch in (action or "")[:60] if ch.isprintable())
    if action:
        qs = qs.filter(action__startswith=action)
    return qs
