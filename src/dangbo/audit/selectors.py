"""Reads of the audit log: office staff only, within their committee's subtree."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangbo.accounts.selectors import require_office
from dangbo.audit.models import AuditEvent


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_list(*, user, action: str = "", actor: str = "", about: str = "", org=None,
               since: date | None = None, until: date | None = None):
    """Events in the user's scope, newest first. `action` matches an action or its area ("member.");
    `actor` the username of who did it, `about` the record's label (both: contained, any case);
    `org` an organisation of the scope (its subtree); `since` / `until` local days, both included."""
    scope = require_office(user)
    qs = AuditEvent.objects.filter(org_path__startswith=scope.org_path)
    # a filter typed in the address bar: characters no action holds (NUL breaks PostgreSQL) dropped
    action = "".join(ch for ch in (action or "")[:60] if ch.isprintable())
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if about:
        qs = qs.filter(object_label__icontains=about)
    if org is not None and org.path.startswith(scope.org_path):
        qs = qs.filter(org_path__startswith=org.path)
    if since:
        qs = qs.filter(at__gte=_local_midnight(since))
    if until:
        qs = qs.filter(at__lt=_local_midnight(until + timedelta(days=1)))
    return qs
