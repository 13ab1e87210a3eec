"""Writes for congresses: each validates, writes and records an audit event in one transaction.

Check-in is a conditional UPDATE (`checked_in_at IS NULL` → now): two scans of the same card, even
concurrent, change one row once, and only the scan that changed it is audited.
"""

import re
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dangbo.audit.services import audit_record
from dangbo.congress import rules
from dangbo.congress.models import (
    ACCEPTED,
    ALTERNATE,
    APPOINTED,
    BODY_KINDS,
    COUNTING,
    ELECTED,
    EX_OFFICIO,
    KIND_DELEGATES,
    KIND_MEMBERS,
    OFFICIAL,
    PENDING,
    REFUSED,
    AgendaItem,
    AllocationRow,
    BodyMember,
    Congress,
    CongressBody,
    CongressDocument,
    CongressSession,
    Delegate,
)
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_text, clean_texts, model_limits
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.votes import rules as vote_rules

#: The code printed as a QR code on a delegate's card (`card_code`): "DH<congress id>-<number, 3 digits>".
CARD_CODE = re.compile(r"^DH(\d+)-(\d+)$", re.IGNORECASE)


def card_code(delegate: Delegate) -> str:
    """What a delegate's card QR code holds: a scanner types it into the check-in box, which takes
    the trailing digits as the card number and refuses a card of another congress."""
    return f"DH{delegate.congress_id}-{delegate.number:03d}"


def _congress_snapshot(c: Congress) -> dict:
    return {"organization": c.organization_id, "kind": c.kind, "term": c.term, "name": c.name,
            "start_date": c.start_date, "end_date": c.end_date}


def _clean_congress(kind: str, term: str, name: str, start_date: date | None, end_date: date | None, *,
                    organization: Organization | None = None) -> tuple[str, str, date]:
    """The checks a congress's fields get on create (with its `organization`) and on edit:
    (term, name, end_date) cleaned."""
    if kind not in (KIND_MEMBERS, KIND_DELEGATES):
        raise InvalidInput("«Hình thức» phải là đại hội đảng viên hoặc đại hội đại biểu.", field="kind")
    if organization is not None and organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    texts = clean_texts({"term": term, "name": name}, model_limits(Congress, ("term", "name")))
    term, name = texts["term"], texts["name"]
    if not term:
        raise InvalidInput("Thiếu trường bắt buộc «Nhiệm kỳ».", field="term")
    if not name:
        raise InvalidInput("Thiếu trường bắt buộc «Tên đại hội».", field="name")
    if start_date is None:
        raise InvalidInput("Thiếu trường bắt buộc «Ngày khai mạc».", field="start_date")
    end_date = end_date or start_date
    if end_date < start_date:
        raise InvalidInput("«Ngày bế mạc» không được trước ngày khai mạc.", field="end_date")
    return term, name, end_date


@transaction.atomic
def congress_create(*, actor, organization: Organization, kind: str, term: str, name: str,
                    start_date: date, end_date: date | None = None) -> Congress:
    """Set up a congress of `organization` (members' or delegates' congress)."""
    term, name, end_date = _clean_congress(kind, term, name, start_date, end_date, organization=organization)
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
        raise InvalidInput(f"«Số thẻ đại biểu» {number:03d} đã được cấp cho đại biểu khác.", field="number")
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
    card = CARD_CODE.match(text)
    if card and int(card.group(1)) != congress.pk:
        raise InvalidInput(f"Thẻ này là thẻ đại biểu của đại hội khác (mã «{text}»).", field="number")
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
        raise InvalidInput(f"Không có đại biểu mang «Số thẻ đại biểu» {int(digits):03d} trong đại hội này.",
                           field="number")
    return found


@transaction.atomic
def delegate_check_in(*, actor, congress: Congress, number=None, delegate: Delegate | None = None,
                      at: datetime | None = None) -> tuple[Delegate, bool]:
    """Check a delegate in by card number (typed or scanned) or by the delegate chosen from a search.

    Idempotent: returns (delegate, True) when this call checked them in, (delegate, False) when they
    already were; the UPDATE is conditional, so concurrent scans change the row once.

    A delegate whose seat an alternate took (`replaced_by`, CON-1/CON-7: the alternate is counted in
    their place) is refused, naming who holds the seat: the replacement must be undone first, so one
    seat is never counted twice nor voted from twice. The condition is part of the UPDATE, so a
    replacement made at the same moment cannot slip between the check and the write.
    """
    delegate = _resolve(congress, number=number, delegate=delegate)
    at = at or timezone.now()
    changed = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=True,
                                      replaced_by__isnull=True).update(checked_in_at=at) == 1
    delegate.refresh_from_db(fields=["checked_in_at", "replaced_by"])
    if not changed and delegate.checked_in_at is None and delegate.replaced_by_id is not None:
        raise InvalidInput(replaced_message(delegate), field="number")
    if changed:
        audit_record(actor=actor, action="congress.check_in", obj=delegate, org_path=congress.organization.path,
                     after={"congress": congress.pk, "number": delegate.number, "checked_in_at": at})
    return delegate, changed


def replaced_message(delegate: Delegate) -> str:
    """Why a delegate replaced by an alternate is not checked in (nor votes): who holds the seat."""
    alt = Delegate.objects.select_related("member").get(pk=delegate.replaced_by_id)
    name = delegate.member.full_name
    return (f"{name} (thẻ số {delegate.card_label}) đã được đại biểu dự khuyết {alt.member.full_name} "
            f"(thẻ số {alt.card_label}) thay thế: ghế này do {alt.member.full_name} đảm nhận nên không điểm danh "
            f"{name}. Nếu {name} đến dự, huỷ thay thế ở trang «Đại biểu» trước.")


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
    kind, title = _text(CongressDocument, "kind", kind), _text(CongressDocument, "title", title)
    ref = _text(CongressDocument, "ref", ref)
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


# --------------------------------------------------------------------------------------------------
# Set-up: the congress itself, sessions and agenda
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def congress_update(*, actor, congress: Congress, kind: str, term: str, name: str, start_date: date,
                    end_date: date | None = None) -> Congress:
    """Change a congress's kind, term, name and dates (its organisation stays: delegates hang on it)."""
    before = _congress_snapshot(congress)
    term, name, end_date = _clean_congress(kind, term, name, start_date, end_date)
    congress.kind, congress.term, congress.name = kind, term, name
    congress.start_date, congress.end_date = start_date, end_date
    congress.save(update_fields=["kind", "term", "name", "start_date", "end_date"])
    audit_record(actor=actor, action="congress.update", obj=congress, org_path=congress.organization.path,
                 before=before, after=_congress_snapshot(congress))
    return congress


def _text(model, name: str, value, *, multiline: bool = False) -> str:
    """One text field checked against its model's limit (`core.textcheck`: control, zero-width and
    bidi characters and over-long values refused, naming the field)."""
    label, max_length = model_limits(model, (name,))[name]
    return clean_text(value, field=name, label=label, max_length=max_length, multiline=multiline)


def _next_order(qs) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def session_add(*, actor, congress: Congress, title: str, date_: date | None = None) -> CongressSession:
    """Add a session at the end of the congress's sessions."""
    title = _text(CongressSession, "title", title)
    if not title:
        raise InvalidInput("Thiếu trường bắt buộc «Tên phiên».", field="title")
    if date_ is not None and not (congress.start_date <= date_ <= congress.end_date):
        raise InvalidInput(f"«Ngày» của phiên phải trong thời gian đại hội ({congress.start_date:%d/%m/%Y} – "
                           f"{congress.end_date:%d/%m/%Y}).", field="date")
    session = CongressSession.objects.create(congress=congress, title=title, date=date_,
                                             order=_next_order(congress.sessions))
    audit_record(actor=actor, action="congress.session_add", obj=session, org_path=congress.organization.path,
                 after={"congress": congress.pk, "title": title, "date": date_, "order": session.order})
    return session


@transaction.atomic
def agenda_item_add(*, actor, session: CongressSession, title: str) -> AgendaItem:
    """Add an agenda item at the end of a session's agenda."""
    title = _text(AgendaItem, "title", title)
    if not title:
        raise InvalidInput("Thiếu trường bắt buộc «Nội dung».", field="title")
    item = AgendaItem.objects.create(session=session, title=title, order=_next_order(session.items))
    audit_record(actor=actor, action="congress.agenda_add", obj=item,
                 org_path=session.congress.organization.path,
                 after={"session": session.pk, "title": title, "order": item.order})
    return item


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool = True) -> AgendaItem:
    """Swap an agenda item with the one before (up) or after it in its session."""
    siblings = list(item.session.items.order_by("order", "id"))
    i = next(k for k, x in enumerate(siblings) if x.pk == item.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(siblings):
        other = siblings[j]
        siblings[i], siblings[j] = other, siblings[i]
        for order, x in enumerate(siblings, start=1):
            if x.order != order:
                AgendaItem.objects.filter(pk=x.pk).update(order=order)
        audit_record(actor=actor, action="congress.agenda_move", obj=item,
                     org_path=item.session.congress.organization.path,
                     after={"order": j + 1, "swapped_with": other.pk})
    item.refresh_from_db()
    return item


@transaction.atomic
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    audit_record(actor=actor, action="congress.agenda_delete", obj=item,
                 org_path=item.session.congress.organization.path,
                 before={"session": item.session_id, "title": item.title, "order": item.order})
    item.delete()


@transaction.atomic
def session_delete(*, actor, session: CongressSession) -> None:
    if session.items.exists():
        raise InvalidInput(f"Phiên «{session.title}» còn nội dung chương trình; xoá các nội dung trước.",
                           field="session")
    audit_record(actor=actor, action="congress.session_delete", obj=session,
                 org_path=session.congress.organization.path,
                 before={"congress": session.congress_id, "title": session.title, "order": session.order})
    session.delete()


# --------------------------------------------------------------------------------------------------
# Bodies: presidium, secretariat, credentials and counting committees (CON-4, CON-9)
# --------------------------------------------------------------------------------------------------


def body_of(congress: Congress, kind: str) -> CongressBody:
    """The congress's body of `kind`, created empty on first use."""
    if kind not in BODY_KINDS:
        raise InvalidInput("Cơ quan của đại hội không hợp lệ.", field="body")
    body, _ = CongressBody.objects.get_or_create(congress=congress, kind=kind)
    return body


def _check_unvoted(body: CongressBody) -> None:
    if body.approved is not None:
        raise InvalidInput(f"{body.label} đã được biểu quyết; huỷ kết quả biểu quyết trước khi sửa danh sách.",
                           field="delegate")


def on_election_list(delegate: Delegate) -> bool:
    """Whether the delegate's member is a candidate on an election list of this congress (CON-9).
    The elections app owns the lists (`elections.models.Candidate`)."""
    try:
        from dangbo.elections.models import Candidate
    except ImportError:  # the elections app not installed
        return False
    return Candidate.objects.filter(election__congress_id=delegate.congress_id, member_id=delegate.member_id).exists()


@transaction.atomic
def body_member_add(*, actor, congress: Congress, kind: str, delegate: Delegate, is_head: bool = False) -> BodyMember:
    """Put a delegate on a body of the congress (before its approval vote).

    CON-9 (med, 190-QĐ/TW Điều 8): the counting committee is made of official delegates (an alternate
    only when replacing an official delegate) whose names are not on an election list."""
    body = body_of(congress, kind)
    _check_unvoted(body)
    if delegate.congress_id != congress.pk:
        raise InvalidInput("Đại biểu không thuộc đại hội này.", field="delegate")
    name = delegate.member.full_name
    if delegate.credential == REFUSED:
        raise InvalidInput(f"{name} không được công nhận tư cách đại biểu.", field="delegate")
    if kind == COUNTING:
        seated = (delegate.kind == OFFICIAL and delegate.replaced_by_id is None) or (
            delegate.kind == ALTERNATE and Delegate.objects.filter(replaced_by=delegate).exists())
        if not seated:
            raise InvalidInput(f"Ban Kiểm phiếu gồm đại biểu chính thức; {name} là "
                               f"{'đại biểu dự khuyết' if delegate.kind == ALTERNATE else 'đại biểu đã được thay thế'}"
                               " (CON-9).", field="delegate")
        if on_election_list(delegate):
            raise InvalidInput(f"{name} có tên trong danh sách bầu cử nên không ở Ban Kiểm phiếu (CON-9).",
                               field="delegate")
    if body.members.filter(delegate=delegate).exists():
        raise InvalidInput(f"{name} đã có trong {body.label}.", field="delegate")
    if is_head:
        body.members.filter(is_head=True).update(is_head=False)
    seat = BodyMember.objects.create(body=body, delegate=delegate, is_head=is_head,
                                     order=(body.members.aggregate(m=Max("order"))["m"] or 0) + 1)
    audit_record(actor=actor, action="congress.body_member_add", obj=body, org_path=congress.organization.path,
                 label=f"{body.label}: {name}", after={"delegate": delegate.pk, "is_head": is_head})
    return seat


@transaction.atomic
def body_member_remove(*, actor, congress: Congress, kind: str, delegate: Delegate) -> None:
    body = body_of(congress, kind)
    _check_unvoted(body)
    deleted, _ = body.members.filter(delegate=delegate).delete()
    if deleted:
        audit_record(actor=actor, action="congress.body_member_remove", obj=body,
                     org_path=congress.organization.path, label=f"{body.label}: {delegate.member.full_name}",
                     before={"delegate": delegate.pk})


#: The open-vote subject (votes.rules.OPEN_KINDS, CON-4) approving each body.
BODY_VOTE_KINDS = {"presidium": "presidium", "secretariat": "secretariat", "credentials": "credentials_committee",
                   "counting": "counting_committee"}


@transaction.atomic
def body_vote_record(*, actor, congress: Congress, kind: str, votes_for: int, votes_against: int,
                     votes_abstain: int, at: datetime | None = None) -> CongressBody:
    """Record the open vote approving a body (CON-4): the counts are checked against those present
    now (seated delegates checked in, `selectors.quorum`) and the result computed by the one open-vote
    rule, `votes.rules.vote_result` (more than half of the base; base = present by default, setting
    `vote_base`), so a body approved here and a motion voted on phones are judged alike."""
    from dangbo.congress.selectors import quorum

    body = body_of(congress, kind)
    Congress.objects.select_for_update().filter(pk=congress.pk).first()
    if not body.members.exists():
        raise InvalidInput(f"{body.label} chưa có thành viên để biểu quyết.", field="votes_for")
    for field, v in (("votes_for", votes_for), ("votes_against", votes_against), ("votes_abstain", votes_abstain)):
        if v is None or v < 0:
            raise InvalidInput("Số phiếu biểu quyết phải là số nguyên không âm.", field=field)
    q = quorum(congress)
    if q.present == 0:
        raise InvalidInput("Chưa có đại biểu nào có mặt (điểm danh) để biểu quyết.", field="votes_for")
    cast = votes_for + votes_against + votes_abstain
    if cast > q.present:
        raise InvalidInput(f"Tổng số tán thành, không tán thành và không biểu quyết ({cast}) lớn hơn số đại biểu "
                           f"có mặt ({q.present}).", field="votes_for")
    vote_settings = configured(vote_rules.VoteRuleSettings)
    try:
        base = vote_rules.vote_base(present=q.present, summoned=q.summoned, settings=vote_settings)
        result = vote_rules.vote_result(votes_for=votes_for, votes_against=votes_against,
                                        votes_abstain=votes_abstain, base=base, kind=BODY_VOTE_KINDS[kind],
                                        settings=vote_settings,
                                        congress_settings=configured(rules.CongressRuleSettings))
    except ValueError as exc:
        raise InvalidInput(str(exc), field="votes_for") from None
    before = {"votes_for": body.votes_for, "votes_against": body.votes_against,
              "votes_abstain": body.votes_abstain, "approved": body.approved}
    body.votes_for, body.votes_against, body.votes_abstain = votes_for, votes_against, votes_abstain
    body.vote_present, body.vote_base, body.approved = q.present, result.base, result.passed
    body.voted_at = at or timezone.now()
    body.save()
    audit_record(actor=actor, action="congress.body_vote", obj=body, org_path=congress.organization.path,
                 before=before, after={"votes_for": votes_for, "votes_against": votes_against,
                                       "votes_abstain": votes_abstain, "present": q.present,
                                       "base": result.base, "need": result.need, "approved": result.passed})
    return body


@transaction.atomic
def body_vote_clear(*, actor, congress: Congress, kind: str) -> CongressBody:
    """Undo a recorded approval vote (e.g. to change the list and vote again)."""
    body = body_of(congress, kind)
    if body.approved is None:
        return body
    before = {"votes_for": body.votes_for, "votes_against": body.votes_against,
              "votes_abstain": body.votes_abstain, "approved": body.approved}
    body.votes_for = body.votes_against = body.votes_abstain = body.vote_present = body.vote_base = None
    body.approved, body.voted_at = None, None
    body.save()
    audit_record(actor=actor, action="congress.body_vote_clear", obj=body, org_path=congress.organization.path,
                 before=before)
    return body


# --------------------------------------------------------------------------------------------------
# Allocation of seats (CON-2)
# --------------------------------------------------------------------------------------------------


def allocation_compute(*, congress: Congress, rows: list[tuple[Organization, int, int]], seats: int,
                       ex_officio: int = 0, base_per_org: int = 0) -> dict[int, int]:
    """Seats per organisation id (CON-2 via `rules.allocate`): base per organisation + share by members
    (largest remainder) + bonus, after the ex officio seats; the total is checked against the cap of
    the congress organisation's level (`rules.delegate_cap`). Bad figures: InvalidInput."""
    if seats is None or seats < 1:
        raise InvalidInput("«Tổng số đại biểu» phải là số nguyên dương.", field="seats")
    level = congress.organization.kind if congress.organization.kind in rules.LEVELS else None
    try:
        out = rules.allocate([(str(o.pk), members, bonus) for o, members, bonus in rows], seats,
                             ex_officio=ex_officio, base_per_org=base_per_org, level=level,
                             settings=configured(rules.CongressRuleSettings))
    except ValueError as exc:
        text = str(exc)
        for o, _, _ in rows:
            text = text.replace(f"«{o.pk}»", f"«{o.name}»").replace(f" {o.pk}:", f" {o.name}:")
        field = "seats" if "đại biểu" in text and "đương nhiên" not in text else "ex_officio"
        if "cố định" in text:
            field = "base_per_org"
        raise InvalidInput(text, field=field) from None
    return {int(k): v for k, v in out.items()}


@transaction.atomic
def allocation_save(*, actor, congress: Congress, rows: list[tuple[Organization, int, int]], seats: int,
                    ex_officio: int = 0, base_per_org: int = 0) -> list[AllocationRow]:
    """Compute and save the congress's allocation (replacing a previous one)."""
    for o, _, _ in rows:
        if not o.path.startswith(congress.organization.path) or o.pk == congress.organization_id:
            raise InvalidInput(f"«{o.name}» không trực thuộc «{congress.organization.name}».", field="organization")
    shares = allocation_compute(congress=congress, rows=rows, seats=seats, ex_officio=ex_officio,
                                base_per_org=base_per_org)
    before = {"seats": congress.seats, "ex_officio": congress.ex_officio, "base_per_org": congress.base_per_org,
              "rows": {r.organization_id: r.seats for r in congress.allocation.all()}}
    congress.allocation.all().delete()
    saved = AllocationRow.objects.bulk_create([
        AllocationRow(congress=congress, organization=o, members=members, bonus=bonus, seats=shares[o.pk])
        for o, members, bonus in rows])
    congress.seats, congress.ex_officio, congress.base_per_org = seats, ex_officio, base_per_org
    congress.save(update_fields=["seats", "ex_officio", "base_per_org"])
    audit_record(actor=actor, action="congress.allocation_save", obj=congress, org_path=congress.organization.path,
                 before=before, after={"seats": seats, "ex_officio": ex_officio, "base_per_org": base_per_org,
                                       "rows": {o.pk: shares[o.pk] for o, _, _ in rows}})
    return saved


# --------------------------------------------------------------------------------------------------
# Alternates replacing absent delegates
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def alternate_replace(*, actor, congress: Congress, absent: Delegate, alternate: Delegate) -> Delegate:
    """An alternate of the same delegation takes the seat of an absent official delegate
    (`absent.replaced_by = alternate`). The quorum then counts the alternate's check-in, not the
    absent delegate's (`selectors.seated`); the number summoned is unchanged."""
    absent = Delegate.objects.select_for_update().select_related("member").get(pk=absent.pk)
    alternate = Delegate.objects.select_for_update().select_related("member").get(pk=alternate.pk)
    if absent.congress_id != congress.pk or alternate.congress_id != congress.pk:
        raise InvalidInput("Đại biểu không thuộc đại hội này.", field="absent")
    if absent.kind != OFFICIAL:
        raise InvalidInput(f"{absent.member.full_name} không phải đại biểu chính thức.", field="absent")
    if absent.replaced_by_id is not None:
        raise InvalidInput(f"{absent.member.full_name} đã có đại biểu dự khuyết thay thế.", field="absent")
    if absent.checked_in_at is not None:
        raise InvalidInput(f"{absent.member.full_name} đã điểm danh, không vắng mặt.", field="absent")
    if alternate.kind != ALTERNATE:
        raise InvalidInput(f"{alternate.member.full_name} không phải đại biểu dự khuyết.", field="alternate")
    if Delegate.objects.filter(replaced_by=alternate).exists():
        raise InvalidInput(f"{alternate.member.full_name} đã thay thế một đại biểu khác.", field="alternate")
    if alternate.from_org_id != absent.from_org_id:
        raise InvalidInput(f"Đại biểu dự khuyết phải cùng đoàn: {alternate.member.full_name} thuộc đoàn "
                           f"«{alternate.from_org.name}», còn {absent.member.full_name} thuộc đoàn "
                           f"«{absent.from_org.name}».", field="alternate")
    if alternate.credential == REFUSED:
        raise InvalidInput(f"{alternate.member.full_name} không được công nhận tư cách đại biểu.", field="alternate")
    absent.replaced_by = alternate
    absent.save(update_fields=["replaced_by"])
    audit_record(actor=actor, action="congress.alternate_replace", obj=absent, org_path=congress.organization.path,
                 after={"congress": congress.pk, "absent": absent.number, "alternate": alternate.number})
    return absent


@transaction.atomic
def alternate_replace_undo(*, actor, congress: Congress, absent: Delegate) -> Delegate:
    absent = Delegate.objects.select_for_update().get(pk=absent.pk)
    if absent.congress_id != congress.pk:
        raise InvalidInput("Đại biểu không thuộc đại hội này.", field="absent")
    if absent.replaced_by_id is None:
        return absent
    before = {"replaced_by": absent.replaced_by_id}
    absent.replaced_by = None
    absent.save(update_fields=["replaced_by"])
    audit_record(actor=actor, action="congress.alternate_replace_undo", obj=absent,
                 org_path=congress.organization.path, before=before, after={"replaced_by": None})
    return absent


# --------------------------------------------------------------------------------------------------
# Credentials (CON-3)
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def credential_decide(*, actor, congress: Congress, delegate: Delegate, accept: bool, ground: str = "",
                      note: str = "", at: datetime | None = None) -> Delegate:
    """The credentials committee's finding on one delegate: accepted, or refused on one of the allowed
    grounds only (CON-3, Điều lệ Đảng Điều 11.5: `rules.REFUSAL_GROUNDS`). Records who and when."""
    if delegate.congress_id != congress.pk:
        raise InvalidInput("Đại biểu không thuộc đại hội này.", field="delegate")
    note = _text(Delegate, "credential_note", note)
    ground = "" if accept else (ground or "").strip()
    if not accept:
        problem = rules.refusal_problem(ground)
        if problem:
            raise InvalidInput(problem, field="ground")
    before = {"credential": delegate.credential, "ground": delegate.credential_ground}
    delegate.credential = ACCEPTED if accept else REFUSED
    delegate.credential_ground = ground
    delegate.credential_note = note
    delegate.credential_by = actor if getattr(actor, "is_authenticated", False) else None
    delegate.credential_at = at or timezone.now()
    delegate.save(update_fields=["credential", "credential_ground", "credential_note", "credential_by",
                                 "credential_at"])
    audit_record(actor=actor, action="congress.credential", obj=delegate, org_path=congress.organization.path,
                 before=before, after={"credential": delegate.credential, "ground": ground,
                                       "note": delegate.credential_note})
    return delegate


@transaction.atomic
def credentials_accept_pending(*, actor, congress: Congress, at: datetime | None = None) -> int:
    """Accept every delegate not yet examined (one audit event with the count) — except those the
    registry shows as suspended from party activity (`Member.suspended`, a CON-3 ground): each of them
    waits for the committee's own finding."""
    at = at or timezone.now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    n = congress.delegates.filter(credential=PENDING).exclude(member__suspended=True).update(credential=ACCEPTED, credential_ground="",
                                                             credential_by=by, credential_at=at)
    if n:
        audit_record(actor=actor, action="congress.credentials_accept", obj=congress,
                     org_path=congress.organization.path, after={"accepted": n})
    return n


@transaction.atomic
def delegate_remove(*, actor, congress: Congress, delegate: Delegate) -> None:
    """Take a delegate added by mistake off the list — only while nothing hangs on them: not checked
    in, not replacing or replaced, on no body of the congress. Card numbers are not reused."""
    delegate = Delegate.objects.select_for_update().select_related("member").get(pk=delegate.pk)
    name = delegate.member.full_name
    if delegate.congress_id != congress.pk:
        raise InvalidInput("Đại biểu không thuộc đại hội này.", field="delegate")
    if delegate.checked_in_at is not None:
        raise InvalidInput(f"{name} đã điểm danh; huỷ điểm danh trước khi xoá.", field="delegate")
    if delegate.replaced_by_id is not None or Delegate.objects.filter(replaced_by=delegate).exists():
        raise InvalidInput(f"{name} đang trong một cặp thay thế dự khuyết; huỷ thay thế trước.", field="delegate")
    if BodyMember.objects.filter(delegate=delegate).exists():
        raise InvalidInput(f"{name} đang ở một cơ quan của đại hội; bỏ khỏi cơ quan đó trước.", field="delegate")
    audit_record(actor=actor, action="congress.delegate_remove", obj=delegate, org_path=congress.organization.path,
                 before={"congress": congress.pk, "member": delegate.member_id, "kind": delegate.kind,
                         "obtained": delegate.obtained, "number": delegate.number})
    delegate.delete()
