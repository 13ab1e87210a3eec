"""Writes to the member registry. Each validates, writes and records an audit event atomically.

A member's state only changes through `member_event_record`, which runs the event through the one
transition table in `members.rules` before anything is saved.
"""

import re
from datetime import date

from django.db import transaction

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.members import rules
from dangbo.members.models import Member, MemberEvent
from dangbo.orgs.counts import counts_apply
from dangbo.orgs.models import Organization
from dangbo.text.collation import name_sort_string
from dangbo.text.vietnamese import fold, nfc, split_name, title_name

PROFILE_FIELDS = (
    "full_name", "sex", "birth_date", "place_of_birth", "home_town", "ethnicity", "religion",
    "national_id", "card_number", "education", "professional_level", "political_theory_level",
    "position", "workplace",
)
_ID_RE = re.compile(r"^\d{12}$")
MIN_ADMISSION_AGE = 18  # Điều lệ Đảng, Điều 1: công dân từ đủ 18 tuổi


def rule_settings() -> rules.MemberRuleSettings:
    """The med/low member rules as configured (settings.DANGBO_RULES), documented defaults otherwise."""
    return configured(rules.MemberRuleSettings)


def _snapshot(member: Member) -> dict:
    data = {f: getattr(member, f) for f in PROFILE_FIELDS}
    data.update(organization=member.organization_id, state=member.state, away=member.away,
                suspended=member.suspended,
                admission_date=member.admission_date, official_date=member.official_date)
    return data


def _clean_profile(data: dict, *, today: date, exclude_pk: int | None = None) -> dict:
    out = {}
    for f in PROFILE_FIELDS:
        if f not in data:
            continue
        value = data[f]
        if isinstance(value, str):
            value = nfc(value)
        out[f] = value
    if "full_name" in out:
        name = out["full_name"] or ""
        if len(name.split()) < 2:
            raise InvalidInput("Họ và tên phải có ít nhất họ và tên (hai từ).", field="full_name")
        out["full_name"] = title_name(name)
    if "sex" in out and out["sex"] not in ("M", "F"):
        raise InvalidInput("Giới tính phải là Nam hoặc Nữ.", field="sex")
    if out.get("birth_date") and out["birth_date"] > today:
        raise InvalidInput("Ngày sinh không được ở tương lai.", field="birth_date")
    if "national_id" in out:
        nid = re.sub(r"[\s.\-]", "", out["national_id"] or "")
        if nid and not _ID_RE.match(nid):
            raise InvalidInput("Số định danh cá nhân phải gồm đúng 12 chữ số.", field="national_id")
        if nid and Member.objects.filter(national_id=nid).exclude(pk=exclude_pk).exists():
            raise InvalidInput("Số định danh cá nhân này đã có trong danh sách đảng viên.", field="national_id")
        out["national_id"] = nid or None
    return out


def _apply_name(member: Member) -> None:
    member.surname, member.middle_name, member.given_name = split_name(member.full_name)
    member.name_folded = fold(member.full_name)
    member.given_folded = fold(member.given_name)
    member.name_sort = name_sort_string(member.surname, member.middle_name, member.given_name)


@transaction.atomic
def member_create(*, actor, organization: Organization, profile: dict, admission_date: date,
                  official_date: date | None = None, decision_number: str = "",
                  today: date | None = None) -> Member:
    """Add a member admitted on `admission_date` (MEM-1), recognised on `official_date` if given."""
    today = today or date.today()
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    data = _clean_profile(profile, today=today)
    for required in ("full_name", "sex"):
        if not data.get(required):
            raise InvalidInput(f"Thiếu trường bắt buộc «{Member._meta.get_field(required).verbose_name}».", field=required)
    if admission_date is None:
        raise InvalidInput("Thiếu ngày vào Đảng.", field="admission_date")
    if admission_date > today:
        raise InvalidInput("Ngày vào Đảng không được ở tương lai.", field="admission_date")
    birth = data.get("birth_date")
    if birth and rules.party_age_years(birth, admission_date) < MIN_ADMISSION_AGE:
        raise InvalidInput("Người vào Đảng phải đủ 18 tuổi tại ngày kết nạp.", field="admission_date")
    if official_date is not None:
        if official_date < rules.probation_end(admission_date):
            raise InvalidInput("Ngày chính thức phải sau khi hết 12 tháng dự bị (MEM-1).", field="official_date")
        if official_date > today:
            raise InvalidInput("Ngày chính thức không được ở tương lai.", field="official_date")
    member = Member(organization=organization, org_path=organization.path, state="", **data)
    _apply_name(member)
    member.admission_date = admission_date
    member.save()
    _record(member, "admission", on=admission_date, decision_number=decision_number)
    if official_date is not None:
        _record(member, "recognition", on=official_date)
    audit_record(actor=actor, action="member.create", obj=member, org_path=member.org_path, after=_snapshot(member))
    return member


@transaction.atomic
def member_update(*, actor, member: Member, profile: dict, today: date | None = None) -> Member:
    """Change profile fields (not state: that is what events are for)."""
    before = _snapshot(member)
    data = _clean_profile(profile, today=today or date.today(), exclude_pk=member.pk)
    for key, value in data.items():
        setattr(member, key, value)
    if "full_name" in data:
        _apply_name(member)
    member.save()
    after = _snapshot(member)
    changed = {k for k in after if after[k] != before[k]}
    audit_record(actor=actor, action="member.update", obj=member, org_path=member.org_path,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return member


def _record(member: Member, kind: str, *, on: date, to_org: Organization | None = None, place: str = "",
            end_date: date | None = None, decision_number: str = "", decision_date: date | None = None,
            details: dict | None = None, note: str = "") -> MemberEvent:
    """Apply one event to the member through the transition table and save both (no audit)."""
    details = dict(details or {})
    last = member.events.order_by("-date", "-seq").first() if member.pk else None
    if last and on < last.date:
        raise InvalidInput(
            f"Ngày {on:%d/%m/%Y} trước sự kiện gần nhất ({last.kind_label}, {last.date:%d/%m/%Y}).", field="date"
        )
    try:
        state, away, suspended = rules.apply_status(
            rules.MemberStatus(member.state or None, member.away, member.suspended), kind, details)
    except rules.TransitionError as exc:
        raise InvalidInput(str(exc), field="kind") from exc
    except rules.EventDetailsError as exc:
        raise InvalidInput(str(exc), field="details") from exc
    from_org = member.organization
    old_org_id, old_state = member.organization_id, member.state
    if kind in ("transfer_internal",):
        if to_org is None:
            raise InvalidInput("Chọn tổ chức đảng nơi đến.", field="to_org")
        if to_org.pk == member.organization_id:
            raise InvalidInput("Nơi đến trùng với nơi đang sinh hoạt.", field="to_org")
        if to_org.valid_to is not None:
            raise InvalidInput(f"«{to_org.name}» đã giải thể.", field="to_org")
        member.organization, member.org_path = to_org, to_org.path
    if kind == "temp_transfer_out":
        if to_org is None and not place.strip():
            raise InvalidInput("Nhập nơi sinh hoạt tạm thời (tổ chức trong hệ thống hoặc tên nơi đến).", field="to_org")
        if to_org is not None and to_org.pk == member.organization_id:
            raise InvalidInput("Nơi sinh hoạt tạm thời trùng với nơi sinh hoạt chính thức.", field="to_org")
        if end_date is None:
            raise InvalidInput("Nhập thời hạn sinh hoạt tạm thời (đến ngày).", field="end_date")
        problem = rules.temp_transfer_problem(on, end_date, study_in_country=bool(details.get("study")),
                                              settings=rule_settings())
        if problem:
            raise InvalidInput(problem, field="end_date")
        member.temp_host, member.temp_host_name = to_org, (to_org.name if to_org else place.strip())
    if kind == "temp_transfer_return":
        member.temp_host, member.temp_host_name = None, ""
    if kind in ("transfer_out",) and not place.strip() and to_org is None:
        raise InvalidInput("Nhập nơi chuyển sinh hoạt đến.", field="place")
    if kind == "recognition":
        member.official_date = on
    member.state, member.away, member.suspended = state, away, suspended
    member.save()
    counts_apply(old_org_id, old_state, member.organization_id, member.state)  # orgs.counts, same transaction
    seq = (last.seq + 1) if last else 0
    return MemberEvent.objects.create(
        member=member, kind=kind, date=on, end_date=end_date, from_org=from_org, to_org=to_org, place=place.strip(),
        decision_number=decision_number.strip(), decision_date=decision_date, details=details, note=note, seq=seq,
    )


@transaction.atomic
def member_event_record(*, actor, member: Member, kind: str, on: date, to_org: Organization | None = None,
                        place: str = "", end_date: date | None = None, decision_number: str = "",
                        decision_date: date | None = None, details: dict | None = None, note: str = "",
                        today: date | None = None) -> MemberEvent:
    """Record an event of a member's life (transfer, exemption, discipline, badge, death …)."""
    if kind not in rules.EVENT_LABELS:
        raise InvalidInput("Loại sự kiện không hợp lệ.", field="kind")
    if on is None:
        raise InvalidInput("Nhập ngày của sự kiện.", field="date")
    if on > (today or date.today()):
        raise InvalidInput("Ngày của sự kiện không được ở tương lai.", field="date")
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = _snapshot(member)
    event = _record(member, kind, on=on, to_org=to_org, place=place, end_date=end_date,
                    decision_number=decision_number, decision_date=decision_date, details=details, note=note)
    after = _snapshot(member)
    audit_record(actor=actor, action=f"member.{kind}", obj=member, org_path=member.org_path,
                 before={k: before[k] for k in after if after[k] != before[k]},
                 after={**{k: after[k] for k in after if after[k] != before[k]}, "event": event.pk,
                        "date": on, "to_org": to_org.pk if to_org else None, "place": place, "end_date": end_date,
                        "details": details or {}})
    return event
