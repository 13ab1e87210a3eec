"""audit_record(): the one way to append to the audit log.

Personal ID numbers and birth dates never enter the log: their values are replaced by a marker
saying only whether they were set or changed.
"""

from datetime import date, datetime
from typing import Any

from dangbo.audit.models import AuditEvent

SENSITIVE_FIELDS = frozenset({"national_id", "birth_date"})
MASK = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


def redact(values: dict[str, Any]) -> dict[str, Any]:
    """Return a JSON-safe copy with sensitive values masked (an empty value stays empty)."""
    out = {}
    for key, value in values.items():
        if key in SENSITIVE_FIELDS:
            out[key] = MASK if value not in (None, "") else ""
        else:
            out[key] = _plain(value)
    return out


def audit_record(*, actor, action: str, obj, org_path: str = "", before=None, after=None, label: str = "") -> AuditEvent:
    """Append one audit event; call inside the service's transaction."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "hệ thống",
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        object_label=label or str(obj)[:255],
        org_path=org_path,
        before=redact(before or {}),
        after=redact(after or {}),
    )
