"""Writes for congresses: each validates, writes and records an audit event in one transaction.

Check-in is a conditional UPDATE (`checked_in_at IS NULL` → now): two scans of the same card, even
concurrent, change one row once, and only the scan that changed it is audited.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dangbo.audit.services import audit_record
from dangbo.congress.models import (
    ALTERNATE,
    APPOINTED,
    ELECTED,
    EX_OFFICIO,
    KIND_DELEGATES,
    KIND_MEMBERS,
    OFFICIAL,
    Congress,
    CongressDocument,
    Delegate,
)
from dangbo.core.errors import InvalidInput
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization


def _congress_snapshot(c: Congress) -> dict:
    return {"organization": c.organization_id, "kind": c.kind, "term": c.term, "name": c.name,
            "start_date": c.start_date, "end_date": c.end_date}


@transaction.atomic
def congress_create(*, actor, organization: Organization, kind: str, term: str, name: str,
                    start_date: date, end_date: date | None = None) -> Congress:
    """Set up a congress of `organization` (members' or delegates' congress)."""
    if kind not in (KIND_MEMBERS, KIND_DELEGATES):
        raise InvalidInput("«Hình thức» phải là đại hội đảng viên hoặc đại hội đại biểu.", field="kind")
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    term, name = (term or "").strip(), (name or "").strip()
    if not term:
        raise InvalidInput("Thiếu trường bắt buộc «Nhiệm kỳ».", field="term")
    if not name:
        raise InvalidInput("Thiếu trường bắt buộc «Tên đại hội».", field="name")
    if start_date is None:
        raise InvalidInput("Thiếu trường bắt buộc «Ngày khai mạc».", field="start_date")
    end_date = end_date or start_date
    if end_date < start_date:
        raise InvalidInput("«Ngày bế mạc» không được trước ngày khai mạc.", field="end_date")
    congress = Congress.objects.create(organization=organization, kind=kind, term=term, name=name,
                                       start_date=start_date, end_date=end_date)
    audit_record(actor=actor, action="congress.create", obj=congress, org_path=organization.path,
                 after=_congress_snapshot(congress))
    return congress


def delegation_of(congress: Congress, member: Member) -> Organization:
    """The subordinate organisation a member's delegation comes from: the child of the congress's
    organisation whose subtree holds the member's organisation (the organisation itself for a
    member attending directly, e.g. a cell's members' congress)."""
    root = congress.organization
    org = member.organization
    while org.parent_id is not None and org.parent_id != root.pk and org.pk != root.pk:
        org = org.parent
    return org


@transaction.atomic
def delegate_add(*, actor, congress: Congress, member: Member, kind: str = OFFICIAL, obtained: str = ELECTED,
                 from_org: Organization | None = None, number: int | None = None) -> Delegate:
    """Add a delegate (official or alternate) to the congress.

    MEM-2: a probationary member can neither stand nor elect, so is never a delegate (official or
    alternate). ORG-2: how the seat was obtained is recorded (elected, appointed, ex officio).
    """
    if kind not in (OFFICIAL, ALTERNATE):
        raise InvalidInput("«Loại đại biểu» phải là chính thức hoặc dự khuyết.", field="kind")
    if obtained not in (ELECTED, APPOINTED, EX_OFFICIO):
        raise InvalidInput("«Hình thức có tư cách» phải là bầu cử, chỉ định hoặc đương nhiên.", field="obtained")
    if kind == ALTERNATE and obtained == EX_OFFICIO:
        raise InvalidInput("Đại biểu đương nhiên là đại biểu chính thức, không phải dự khuyết.", field="kind")
    root_path = congress.organization.path
    if not member.org_path.startswith(root_path):
        raise InvalidInput(f"Đảng viên {member.full_name} không thuộc «{congress.organization.name}».",
                           field="member")
    if member.state == member_rules.PROBATIONARY:
        raise InvalidInput(f"Đảng viên {member.full_name} là đảng viên dự bị, không được làm đại biểu "
                           "(không có quyền bầu cử, ứng cử — MEM-2).", field="member")
    if member.state not in member_rules.OFFICIAL_STATES:
        raise InvalidInput(f"Đảng viên {member.full_name} không còn sinh hoạt đảng ({member.state_label}).",
                           field="member")
    if Delegate.objects.filter(congress=congress, member=member).exists():
        raise InvalidInput(f"Đảng viên {member.full_name} đã có trong danh sách đại biểu của đại hội này.",
                           field="member")
    if from_org is None:
        from_org = delegation_of(congress, member)
    elif not from_org.path.startswith(root_path):
        raise InvalidInput(f"«{from_org.name}» không trực thuộc «{congress.organization.name}».", field="from_org")
    if number is None:
        number = (congress.delegates.aggregate(m=Max("number"))["m"] or 0) + 1
    elif number < 1:
        raise InvalidInput("«Số thẻ đại biểu» phải là số nguyên dương.", field="number")
    elif Delegate.objects.filter(congress=congress, number=number).exists():
        raise InvalidInput(f"«Số thẻ đại biểu» {number} đã được cấp cho đại biểu khác.", field="number")
    delegate = Delegate.objects.create(congress=congress, member=member, kind=kind, obtained=obtained,
                                       from_org=from_org, number=number)
    audit_record(actor=actor, action="congress.delegate_add", obj=delegate, org_path=root_path,
                 after={"congress": congress.pk, "member": member.pk, "kind": kind, "obtained": obtained,
                        "from_org": from_org.pk, "number": number})
    return delegate


def _resolve(congress: Congress, *, number=None, delegate: Delegate | None = None) -> Delegate:
    if delegate is not None:
        if delegate.congress_id != congress.pk:
            raise InvalidInput("Đại biểu không thuộc đại hội này.", field="delegate")
        return delegate
    text = str(number or "").strip()
    # a scanned QR / barcode may carry a prefix ("DB-007", "…/007"): take the trailing digits
    digits = ""
    for ch in reversed(text):
        if not ch.isdigit():
            break
        digits = ch + digits
    if not digits:
        raise InvalidInput("Nhập «Số thẻ đại biểu» (chữ số) hoặc quét mã trên thẻ.", field="number")
    found = congress.delegates.select_related("member").filter(number=int(digits)).first()
    if found is None:
        raise InvalidInput(f"Không có đại biểu mang «Số thẻ đại biểu» {int(digits)} trong đại hội này.",
                           field="number")
    return found


@transaction.atomic
def delegate_check_in(*, actor, congress: Congress, number=None, delegate: Delegate | None = None,
                      at: datetime | None = None) -> tuple[Delegate, bool]:
    """Check a delegate in by card number (typed or scanned) or by the delegate chosen from a search.

    Idempotent: returns (delegate, True) when this call checked them in, (delegate, False) when they
    already were; the UPDATE is conditional, so concurrent scans change the row once.
    """
    delegate = _resolve(congress, number=number, delegate=delegate)
    at = at or timezone.now()
    changed = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=True).update(checked_in_at=at) == 1
    delegate.refresh_from_db(fields=["checked_in_at"])
    if changed:
        audit_record(actor=actor, action="congress.check_in", obj=delegate, org_path=congress.organization.path,
                     after={"congress": congress.pk, "number": delegate.number, "checked_in_at": at})
    return delegate, changed


@transaction.atomic
def delegate_check_in_undo(*, actor, congress: Congress, number=None,
                           delegate: Delegate | None = None) -> tuple[Delegate, bool]:
    """Undo a check-in made by mistake; idempotent like `delegate_check_in`."""
    delegate = _resolve(congress, number=number, delegate=delegate)
    before = Delegate.objects.filter(pk=delegate.pk).values_list("checked_in_at", flat=True).first()
    changed = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=False).update(checked_in_at=None) == 1
    delegate.checked_in_at = None
    if changed:
        audit_record(actor=actor, action="congress.check_in_undo", obj=delegate,
                     org_path=congress.organization.path,
                     before={"checked_in_at": before}, after={"congress": congress.pk, "number": delegate.number})
    return delegate, changed


@transaction.atomic
def document_issue(*, actor, congress: Congress, kind: str, title: str, ref: str = "",
                   at: datetime | None = None) -> CongressDocument:
    """Give a congress document the next number of the congress's one series (CON-10, 36-HD/VPTW).

    The congress row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers) so two
    documents issued at once never share a number. A document already issued for the same `ref` and
    `kind` keeps its number: printing the counting minutes twice does not use up two numbers.
    """
    kind, title = (kind or "").strip(), (title or "").strip()
    if not kind or not title:
        raise InvalidInput("Văn bản đại hội cần «Loại văn bản» và «Trích yếu».", field="title" if kind else "kind")
    Congress.objects.select_for_update().filter(pk=congress.pk).first()
    if ref:
        existing = CongressDocument.objects.filter(congress=congress, kind=kind, ref=ref).first()
        if existing is not None:
            return existing
    number = (CongressDocument.objects.filter(congress=congress).aggregate(m=Max("number"))["m"] or 0) + 1
    doc = CongressDocument.objects.create(congress=congress, number=number, kind=kind, title=title, ref=ref,
                                          issued_at=at or timezone.now())
    audit_record(actor=actor, action="congress.document_issue", obj=doc, org_path=congress.organization.path,
                 after={"congress": congress.pk, "number": number, "kind": kind, "title": title, "ref": ref})
    return doc
