"""Writes to the organisation tree. Each validates, writes and records an audit event atomically."""

from datetime import date

from django.db import transaction

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.orgs import rules
from dangbo.orgs.models import Organization, OrgEvent


def _set_path(org: Organization) -> None:
    prefix = org.parent.path if org.parent_id else ""
    org.path = f"{prefix}{org.pk:06d}/"
    org.depth = org.path.count("/") - 1


def _check_decision(decision_number: str) -> str:
    if not decision_number:
        return ""
    try:
        return rules.format_number_symbol(*rules.parse_number_symbol(decision_number))
    except ValueError as exc:
        raise InvalidInput(str(exc), field="decision_number") from exc


def _event(org, kind, *, on, decision_number, decision_date, related=(), details=None, note=""):
    ev = OrgEvent.objects.create(
        organization=org, kind=kind, date=on, decision_number=decision_number,
        decision_date=decision_date, details=details or {}, note=note,
    )
    if related:
        ev.related.set(related)
    return ev


@transaction.atomic
def org_found(*, actor, code: str, name: str, kind: str, parent: Organization | None, on: date,
              decision_number: str = "", decision_date: date | None = None,
              predecessors: list[Organization] = (), note: str = "") -> Organization:
    """Found an organisation (ORG-1 kinds, ORG-3 decision), optionally from predecessors."""
    if not code.strip():
        raise InvalidInput("Mã tổ chức không được để trống.", field="code")
    if not name.strip():
        raise InvalidInput("Tên tổ chức không được để trống.", field="name")
    if Organization.objects.filter(code=code.strip()).exists():
        raise InvalidInput(f"Mã tổ chức «{code}» đã được dùng.", field="code")
    try:
        rules.check_parent(kind, parent.kind if parent else None)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="parent") from exc
    decision_number = _check_decision(decision_number)
    org = Organization.objects.create(code=code.strip(), name=name.strip(), kind=kind, parent=parent, valid_from=on)
    _set_path(org)
    org.save(update_fields=["path", "depth"])
    _event(org, "found", on=on, decision_number=decision_number, decision_date=decision_date,
           related=list(predecessors), note=note)
    audit_record(actor=actor, action="org.found", obj=org, org_path=org.path,
                 after={"code": org.code, "name": org.name, "kind": kind, "parent": parent.pk if parent else None,
                        "valid_from": on, "decision_number": decision_number})
    return org


@transaction.atomic
def org_rename(*, actor, org: Organization, name: str, on: date, decision_number: str = "",
               decision_date: date | None = None) -> Organization:
    if not name.strip():
        raise InvalidInput("Tên mới không được để trống.", field="name")
    decision_number = _check_decision(decision_number)
    old = org.name
    org.name = name.strip()
    org.save(update_fields=["name"])
    _event(org, "rename", on=on, decision_number=decision_number, decision_date=decision_date,
           details={"old_name": old, "new_name": org.name})
    audit_record(actor=actor, action="org.rename", obj=org, org_path=org.path,
                 before={"name": old}, after={"name": org.name, "decision_number": decision_number})
    return org


@transaction.atomic
def org_dissolve(*, actor, org: Organization, on: date, decision_number: str = "",
                 decision_date: date | None = None, kind: str = "dissolve",
                 successor: Organization | None = None) -> Organization:
    """Dissolve (or, with kind="merge" and a successor, merge away) an organisation; it stays in
    the tree with valid_to set, so its history is kept."""
    if org.valid_to is not None:
        raise InvalidInput(f"«{org.name}» đã giải thể từ {org.valid_to:%d/%m/%Y}.", field="org")
    if org.members.filter(state__in=("probationary", "official", "exempt")).exists():
        raise InvalidInput(f"«{org.name}» còn đảng viên đang sinh hoạt; hãy chuyển sinh hoạt trước.", field="org")
    decision_number = _check_decision(decision_number)
    org.valid_to = on
    org.save(update_fields=["valid_to"])
    _event(org, kind, on=on, decision_number=decision_number, decision_date=decision_date,
           related=[successor] if successor else [])
    audit_record(actor=actor, action=f"org.{kind}", obj=org, org_path=org.path,
                 after={"valid_to": on, "decision_number": decision_number,
                        "successor": successor.pk if successor else None})
    return org


@transaction.atomic
def org_move(*, actor, org: Organization, parent: Organization, on: date, decision_number: str = "",
             decision_date: date | None = None) -> Organization:
    """Place an organisation under another parent; the whole subtree's paths follow."""
    from dangbo.members.models import Member

    if parent.path.startswith(org.path):
        raise InvalidInput("Không thể đặt một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó.", field="parent")
    try:
        rules.check_parent(org.kind, parent.kind)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="parent") from exc
    decision_number = _check_decision(decision_number)
    old_parent, old_path = org.parent_id, org.path
    org.parent = parent
    _set_path(org)
    org.save(update_fields=["parent", "path", "depth"])
    for sub in Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
        sub.path = org.path + sub.path[len(old_path):]
        sub.depth = sub.path.count("/") - 1
        sub.save(update_fields=["path", "depth"])
    for m in Member.objects.filter(org_path__startswith=old_path).select_related("organization"):
        m.org_path = m.organization.path
        m.save(update_fields=["org_path"])
    _event(org, "move", on=on, decision_number=decision_number, decision_date=decision_date,
           related=[parent], details={"old_parent": old_parent})
    audit_record(actor=actor, action="org.move", obj=org, org_path=org.path,
                 before={"parent": old_parent}, after={"parent": parent.pk, "decision_number": decision_number})
    return org
