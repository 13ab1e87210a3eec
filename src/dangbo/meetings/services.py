"""Writes of the meetings app. Each validates (texts through `core.textcheck`), writes and records an
audit event in one transaction. Who may call what is checked in the views (`accounts.selectors`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_text, clean_texts, model_limits
from dangbo.meetings import rules
from dangbo.meetings.models import HELD, MISSED, PLANNED, Attendance, CommitteeSeat, Meeting
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization

#: The bulletin: the central bulletin is a PDF or Word file of a few MB (MTG-3); anything bigger is refused.
BULLETIN_MAX_BYTES = 10 * 1024 * 1024
BULLETIN_TYPES = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04", ".doc": b"\xd0\xcf\x11\xe0"}
CELL_KINDS = ("grassroots_cell", "cell")
PREPARE_FIELDS = ("topic", "place", "draft_content", "draft_resolution", "upper_member", "theme_author")
RECORD_FIELDS = ("chair", "secretary", "speakers", "proceedings", "resolution")
MULTILINE = {"draft_content", "draft_resolution", "speakers", "proceedings", "resolution"}
TEXT_MAX = 8000


def rule_settings() -> rules.MeetingRuleSettings:
    return configured(rules.MeetingRuleSettings)


def _limits(names) -> dict:
    return {k: (label, n or TEXT_MAX) for k, (label, n) in model_limits(Meeting, names).items()}


def _attendee_rows(meeting: Meeting, members: Iterable[Member]) -> list[Attendance]:
    """The members expected at a meeting, with the status their record already implies (exempt from
    activities, away on temporary transfer) and whether they vote (official, MEM-2)."""
    rows = []
    for m in members:
        status = ""
        if m.state == member_rules.EXEMPT:
            status = rules.Attendance.EXEMPT.value
        elif m.away:
            status = rules.Attendance.AWAY.value
        rows.append(Attendance(meeting=meeting, member=m, official=m.state in member_rules.OFFICIAL_STATES,
                               status=status))
    return rows


def attendee_members(org: Organization, body: str):
    """Who a meeting of `body` gathers: a cell's own current members; the plenary, every member of the
    grassroots organisation; a committee (chi ủy, đảng ủy cơ sở), the current members of its seats
    (`CommitteeSeat`, recorded by `seat_add`)."""
    qs = Member.objects.filter(state__in=member_rules.COUNTED_STATES)
    if body == rules.Body.CELL:
        return qs.filter(organization=org)
    if body == rules.Body.PLENARY:
        return qs.filter(org_path__startswith=org.path)
    if body in rules.COMMITTEE_BODIES:
        return qs.filter(committee_seats__organization=org, committee_seats__body=body,
                         committee_seats__until__isnull=True).distinct()
    return qs.none()


def _add_to_open_meetings(org: Organization, body: str, member: Member) -> int:
    """A member joining a committee is expected at its meetings not yet held (the year's plan)."""
    open_meetings = Meeting.objects.filter(organization=org, body=body, state=PLANNED).exclude(
        attendance__member=member)
    rows = [r for m in open_meetings for r in _attendee_rows(m, [member])]
    Attendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def seat_add(*, actor, organization: Organization, body: str, member: Member, role: str = "member",
             since: date) -> CommitteeSeat:
    """Record that `member` sits on `organization`'s committee (`body`: cell_committee for a cell,
    grassroots_committee for a grassroots committee — MTG-1) from `since`; the member is then on the
    roll of that committee's meetings, those already planned included. Every problem at once."""
    errors: dict[str, str] = {}
    if body not in rules.COMMITTEE_BODIES or body not in rules.bodies_for(organization.kind):
        errors["body"] = f"«{organization.name}» không có cấp ủy này (MTG-1)."
    if role not in dict(CommitteeSeat.ROLE_CHOICES):
        errors["role"] = "Chọn chức danh: Bí thư, Phó Bí thư hoặc Ủy viên."
    if not member.org_path.startswith(organization.path) or member.state not in member_rules.COUNTED_STATES:
        errors["member"] = f"{member.full_name} không phải đảng viên của {organization.name}."
    elif CommitteeSeat.objects.filter(organization=organization, body=body, member=member,
                                      until__isnull=True).exists():
        errors["member"] = f"{member.full_name} đã là cấp ủy viên."
    if not isinstance(since, date):
        errors["since"] = "Từ ngày: ghi ngày/tháng/năm."
    if errors:
        raise InvalidInput(" ".join(errors.values()), field=next(iter(errors)), errors=errors)
    seat = CommitteeSeat.objects.create(organization=organization, org_path=organization.path, body=body,
                                        member=member, role=role, since=since)
    _add_to_open_meetings(organization, body, member)
    audit_record(actor=actor, action="meeting.seat_add", obj=seat, org_path=organization.path,
                 after={"body": body, "member": member.full_name, "role": role, "since": since.isoformat()})
    return seat


@transaction.atomic
def seat_end(*, actor, seat: CommitteeSeat, until: date) -> CommitteeSeat:
    """The member leaves the committee on `until`: off the roll of its meetings not yet held."""
    if seat.until is not None:
        raise InvalidInput("Cấp ủy viên này đã thôi.", field="until")
    if not isinstance(until, date) or until < seat.since:
        raise InvalidInput("Đến ngày phải từ ngày bắt đầu trở đi.", field="until")
    seat.until = until
    seat.save(update_fields=["until"])
    Attendance.objects.filter(meeting__organization=seat.organization, meeting__body=seat.body,
                              meeting__state=PLANNED, meeting__held_on__gt=until, member=seat.member,
                              status="").delete()
    audit_record(actor=actor, action="meeting.seat_end", obj=seat, org_path=seat.org_path,
                 after={"until": until.isoformat()})
    return seat


def _check_body(org: Organization, body: str) -> None:
    if body not in rules.BODIES:
        raise InvalidInput("Hình thức sinh hoạt không hợp lệ.", field="body")
    if body not in rules.bodies_for(org.kind):
        raise InvalidInput(f"«{org.name}» không có hình thức «{rules.BODY_LABELS[body]}» (MTG-1).", field="body")


@transaction.atomic
def meeting_create(*, actor, organization: Organization, held_on: date, body: str = "cell",
                   kind: str = "ordinary", topic: str = "", theme: str = "") -> Meeting:
    _check_body(organization, body)
    if kind not in rules.KINDS:
        raise InvalidInput("Loại sinh hoạt không hợp lệ.", field="kind")
    if theme and theme not in rules.THEMES:
        raise InvalidInput("Chủ đề chuyên đề không hợp lệ.", field="theme")
    if kind == rules.Kind.THEMATIC and body != rules.Body.CELL:
        raise InvalidInput("Sinh hoạt chuyên đề là của chi bộ (MTG-2).", field="kind")
    if not organization.is_active:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    topic = clean_text(topic, field="topic", label="Nội dung chính", max_length=255)
    m = Meeting.objects.create(organization=organization, org_path=organization.path, body=body, kind=kind,
                               theme=theme if kind == rules.Kind.THEMATIC else "", held_on=held_on, topic=topic,
                               created_by=actor if getattr(actor, "is_authenticated", False) else None)
    Attendance.objects.bulk_create(_attendee_rows(m, attendee_members(organization, body)))
    audit_record(actor=actor, action="meeting.create", obj=m, org_path=organization.path,
                 after={"held_on": held_on.isoformat(), "body": body, "kind": kind, "topic": topic})
    return m


@transaction.atomic
def plan_create(*, actor, organization: Organization, year: int, body: str = "cell") -> int:
    """The year's plan (MTG-1/2/3): the planned meetings of `rules.year_plan` not there yet (same
    month and kind); returns how many were added."""
    _check_body(organization, body)
    if not 2000 <= year <= 2100:
        raise InvalidInput("Năm không hợp lệ.", field="year")
    have = {(d.month, k) for d, k in Meeting.objects.filter(organization=organization, body=body,
                                                             held_on__year=year).values_list("held_on", "kind")}
    members = list(attendee_members(organization, body))
    added = []
    for p in rules.year_plan(year, body, settings=rule_settings()):
        if (p.day.month, p.kind) in have:
            continue
        added.append(Meeting(organization=organization, org_path=organization.path, body=body, kind=p.kind,
                             held_on=p.day))
    Meeting.objects.bulk_create(added)  # SQLite ≥ 3.35 and PostgreSQL return the ids
    Attendance.objects.bulk_create([a for m in added for a in _attendee_rows(m, members)])
    audit_record(actor=actor, action="meeting.plan", obj=organization, org_path=organization.path,
                 after={"year": year, "body": body, "added": len(added)}, label=f"Kế hoạch sinh hoạt năm {year}")
    return len(added)


@transaction.atomic
def meeting_prepare(*, actor, meeting: Meeting, data: Mapping, committee_met_on: date | None = None,
                    theme_approved: bool | None = None, invite: bool = False) -> Meeting:
    """Preparation (MTG-4): texts, the cell committee's meeting, the invitation (members and the upper
    committee member who follows the cell: the upper member's name is needed to invite them)."""
    if meeting.state != PLANNED:
        raise InvalidInput("Buổi sinh hoạt đã ghi kết quả, không sửa phần chuẩn bị được nữa.")
    clean = clean_texts({k: data.get(k) for k in PREPARE_FIELDS if k in data}, _limits(PREPARE_FIELDS),
                        multiline=MULTILINE)
    if committee_met_on and committee_met_on > meeting.held_on:
        raise InvalidInput("Chi ủy họp chuẩn bị phải trước ngày sinh hoạt.", field="committee_met_on")
    before = {k: getattr(meeting, k) for k in clean}
    for k, v in clean.items():
        setattr(meeting, k, v)
    meeting.committee_met_on = committee_met_on if committee_met_on is not None else meeting.committee_met_on
    if theme_approved is not None:
        meeting.theme_approved = theme_approved
    if invite:
        if not meeting.topic or not meeting.place:
            raise InvalidInput("Cần nội dung chính và địa điểm trước khi gửi giấy mời (MTG-4).", field="place")
        meeting.invited_at = timezone.now()
    meeting.save()
    audit_record(actor=actor, action="meeting.prepare", obj=meeting, org_path=meeting.org_path,
                 before=before, after={**clean, "invited": bool(meeting.invited_at)})
    return meeting


def _uploads_dir() -> Path:
    root = Path(django_settings.VAR_DIR) / "uploads" / "meetings"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def bulletin_path(meeting: Meeting) -> Path | None:
    if not meeting.bulletin_file:
        return None
    path = (_uploads_dir() / meeting.bulletin_file).resolve()
    return path if path.parent == _uploads_dir().resolve() and path.is_file() else None


@transaction.atomic
def bulletin_attach(*, actor, meeting: Meeting, name: str, chunks: Iterable[bytes], size: int) -> Meeting:
    """Attach the monthly bulletin (MTG-3): PDF or Word, at most `BULLETIN_MAX_BYTES`, saved owner-only
    under var/uploads/meetings/ (the previous one replaced)."""
    label = clean_text(Path(name or "").name, field="bulletin", label="Tên tệp bản tin", max_length=255)
    ext = Path(label).suffix.lower()
    if ext not in BULLETIN_TYPES:
        raise InvalidInput("Bản tin phải là tệp PDF hoặc Word (.pdf, .docx, .doc).", field="bulletin")
    if size > BULLETIN_MAX_BYTES:
        raise InvalidInput(f"Tệp bản tin lớn hơn {BULLETIN_MAX_BYTES // (1024 * 1024)} MB.", field="bulletin")
    target = _uploads_dir() / f"{meeting.pk}-{timezone.now():%Y%m%d%H%M%S%f}{ext}"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    written, head = 0, b""
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if written > BULLETIN_MAX_BYTES:
                    raise InvalidInput(f"Tệp bản tin lớn hơn {BULLETIN_MAX_BYTES // (1024 * 1024)} MB.",
                                       field="bulletin")
                if len(head) < 8:
                    head += chunk[:8]
                out.write(chunk)
        if not head.startswith(BULLETIN_TYPES[ext]):
            raise InvalidInput("Nội dung tệp không phải PDF hoặc Word như tên tệp.", field="bulletin")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    old = bulletin_path(meeting)
    before = {"bulletin_name": meeting.bulletin_name}
    meeting.bulletin_name, meeting.bulletin_file = label, target.name
    meeting.save(update_fields=["bulletin_name", "bulletin_file"])
    if old is not None:
        transaction.on_commit(lambda: old.unlink(missing_ok=True))
    audit_record(actor=actor, action="meeting.bulletin", obj=meeting, org_path=meeting.org_path,
                 before=before, after={"bulletin_name": label, "bytes": written})
    return meeting


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, entries: Mapping[int, tuple[str, str]]) -> int:
    """Attendance on the day: {attendance row id: (status, reason)}; every status valid, a reason kept
    only for an absence with reason. Returns the rows changed."""
    rows = {a.pk: a for a in meeting.attendance.all()}
    errors = {}
    changed = []
    for pk, (status, reason) in entries.items():
        a = rows.get(pk)
        if a is None:
            raise InvalidInput("Đảng viên không có trong danh sách buổi sinh hoạt.", field=f"s{pk}")
        if status not in rules.STATUSES:
            errors[f"s{pk}"] = f"{a.member.full_name}: tình trạng dự họp không hợp lệ."
            continue
        try:
            reason = clean_text(reason, field=f"r{pk}", label=f"Lý do vắng của {a.member.full_name}",
                                max_length=255) if status == rules.Attendance.EXCUSED else ""
        except InvalidInput as exc:
            errors[f"r{pk}"] = exc.message
            continue
        if (a.status, a.reason) != (status, reason):
            a.status, a.reason = status, reason
            changed.append(a)
    if errors:
        raise InvalidInput(" ".join(errors.values()), field=next(iter(errors)), errors=errors)
    Attendance.objects.bulk_update(changed, ["status", "reason"])
    audit_record(actor=actor, action="meeting.attendance", obj=meeting, org_path=meeting.org_path,
                 after={"changed": len(changed), **_counts(rows.values())})
    return len(changed)


def _counts(rows) -> dict:
    out = {s: 0 for s in rules.STATUSES}
    for a in rows:
        if a.status in out:
            out[a.status] += 1
    return out


@transaction.atomic
def meeting_record(*, actor, meeting: Meeting, data: Mapping, minutes: int | None, votes_for: int | None,
                   votes_against: int | None) -> Meeting:
    """The record of the day (MTG-5/6/7): duration, chair, secretary, speakers, proceedings, the
    resolution and its vote counted on the base of `rules.resolution_base` from the attendance."""
    if meeting.state == MISSED:
        raise InvalidInput("Buổi sinh hoạt đã ghi là không tổ chức.")
    if meeting.held_on > timezone.localdate():
        raise InvalidInput("Chưa đến ngày sinh hoạt, chưa ghi kết quả được.", field="minutes")
    clean = clean_texts({k: data.get(k) for k in RECORD_FIELDS if k in data}, _limits(RECORD_FIELDS),
                        multiline=MULTILINE)
    if minutes is not None and not 1 <= minutes <= 24 * 60:
        raise InvalidInput("Thời gian sinh hoạt phải từ 1 đến 1.440 phút.", field="minutes")
    rows = list(meeting.attendance.all())
    if any(not a.status for a in rows):
        raise InvalidInput("Còn đảng viên chưa điểm danh.", field="minutes")
    base = rules.resolution_base(rules.Voter(a.official, a.status) for a in rows) if rows else None
    present_voters = sum(1 for a in rows if a.official and a.status == rules.Attendance.PRESENT)
    passed = None
    if votes_for is not None:
        try:
            vote = rules.resolution_vote(agree=votes_for, disagree=votes_against or 0, base=base or 0,
                                         present_voters=present_voters, settings=rule_settings())
        except ValueError as exc:
            raise InvalidInput(str(exc), field="votes_for") from None
        passed = vote.passed
    before = {k: getattr(meeting, k) for k in (*clean, "minutes", "state")}
    for k, v in clean.items():
        setattr(meeting, k, v)
    meeting.minutes, meeting.votes_for, meeting.votes_against = minutes, votes_for, votes_against
    meeting.vote_base, meeting.resolution_passed, meeting.state = base, passed, HELD
    meeting.save()
    audit_record(actor=actor, action="meeting.record", obj=meeting, org_path=meeting.org_path, before=before,
                 after={**clean, "minutes": minutes, "votes_for": votes_for, "votes_against": votes_against,
                        "vote_base": base, "state": HELD})
    return meeting


@transaction.atomic
def meeting_missed(*, actor, meeting: Meeting, missed: bool = True) -> Meeting:
    """Mark a planned meeting as not held (or back to planned)."""
    if meeting.state == HELD:
        raise InvalidInput("Buổi sinh hoạt đã ghi kết quả.")
    before = meeting.state
    meeting.state = MISSED if missed else PLANNED
    meeting.save(update_fields=["state"])
    audit_record(actor=actor, action="meeting.missed", obj=meeting, org_path=meeting.org_path,
                 before={"state": before}, after={"state": meeting.state})
    return meeting


@transaction.atomic
def reply_record(*, actor, attendance: Attendance, will_attend: bool, reason: str = "") -> Attendance:
    """A member answers the invitation before the meeting: "Tôi sẽ dự" or "Tôi không dự được, vì …"
    (the reason required)."""
    meeting = attendance.meeting
    if meeting.state != PLANNED or meeting.held_on < timezone.localdate():
        raise InvalidInput("Buổi sinh hoạt đã qua, không trả lời được nữa.", field="reply")
    reason = clean_text(reason, field="reason", label="Lý do", max_length=255)
    if not will_attend and not reason:
        raise InvalidInput("Xin ghi lý do không dự được.", field="reason")
    before = {"reply": attendance.reply, "reply_reason": attendance.reply_reason}
    attendance.reply = "yes" if will_attend else "no"
    attendance.reply_reason = "" if will_attend else reason
    attendance.replied_at = timezone.now()
    attendance.save(update_fields=["reply", "reply_reason", "replied_at"])
    audit_record(actor=actor, action="meeting.reply", obj=meeting, org_path=meeting.org_path, before=before,
                 after={"reply": attendance.reply, "reply_reason": attendance.reply_reason},
                 label=f"{attendance.member.full_name} — {meeting}")
    return attendance


@transaction.atomic
def demo_bulk(*, actor, meetings: list[Meeting], attendance: list[tuple[int, int, bool, str, str]], label: str) -> int:
    """The demo's meetings written at once, audited as one event: the meetings by bulk_create, then
    their attendance rows — (index of the meeting in `meetings`, member id, official, status, reason) —
    by one executemany: 90,000 model instances cost the demo most of its time, plain tuples do not."""
    Meeting.objects.bulk_create(meetings, batch_size=500)
    if meetings and meetings[0].pk is None:  # pragma: no cover - both databases return ids
        raise RuntimeError("bulk_create did not return ids")
    meta = Attendance._meta
    qn = connection.ops.quote_name
    cols = [meta.get_field(f).column for f in ("meeting", "member", "official", "reply", "reply_reason", "status",
                                               "reason")]
    sql = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    params = [(meetings[i].pk, member_id, official, "", "", status, reason)
              for i, member_id, official, status, reason in attendance]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start:start + 5000])
    root = meetings[0].organization if meetings else None
    if root is not None:
        audit_record(actor=actor, action="meeting.demo", obj=root, org_path="", label=label,
                     after={"meetings": len(meetings), "attendance": len(attendance)})
    return len(meetings)
