"""Writes of the member procedures: an applicant's admission file, one step at a time (ADM-1..7).

Each step validates its rule (`procedures.rules`), writes and records an audit event in one
transaction; a refused step changes nothing. The ceremony makes the applicant a probationary member
through `members.services.member_create` (decision date = admission date, MEM-1). Permission
(which user may act on which cell) is checked in the views through `accounts.selectors`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.db import transaction

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_text, clean_texts, model_limits
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.members.services import PROFILE_FIELDS, member_create, member_event_record
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import is_cell
from dangbo.procedures import rules, transfer
from dangbo.procedures.models import (
    HOLD_KINDS,
    STEPS,
    Applicant,
    EarlyBadge,
    MemberHold,
    TransferImport,
    TransferLetter,
)
from dangbo.workdays.selectors import calendar_days

DATE_MIN = date(1900, 1, 1)


def admission_settings() -> rules.AdmissionRuleSettings:
    return configured(rules.AdmissionRuleSettings)


def _label(field: str) -> str:
    return str(Applicant._meta.get_field(field).verbose_name)


def _day(value, field: str, *, today: date) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"Trường «{_label(field)}» là bắt buộc.", field=field)
    if not DATE_MIN <= value <= today:
        raise InvalidInput(f"Trường «{_label(field)}»: ngày {value:%d/%m/%Y} không thể sau hôm nay "
                           f"({today:%d/%m/%Y}) hay trước năm 1900.", field=field)
    return value


def _after(applicant: Applicant, field: str, on: date, step: str) -> None:
    """ADM-3: `step` is the file's next step and `on` is not before the previous step's date."""
    if applicant.step != step:
        label = dict((k, v) for k, v, _c in STEPS).get(applicant.step, "đã kết nạp")
        raise InvalidInput(f"Hồ sơ đang ở bước «{label}»; chưa làm được bước này.", field=field)
    index = [k for k, _l, _c in STEPS].index(step)
    if index:
        prev_column = STEPS[index - 1][2]
        problem = rules.order_problem(getattr(applicant, prev_column), on, _label(prev_column).lower(),
                                      _label(field).lower())
        if problem:
            raise InvalidInput(problem, field=field)


def _saved(applicant: Applicant) -> Applicant:
    applicant.save()
    return applicant


def applicant_create(*, actor, organization: Organization, full_name: str, sex: str, birth_date: date,
                     over_limit_consent: bool = False, today: date | None = None) -> Applicant:
    """Open an admission file at a cell (ORG-1: members hold activities in a cell)."""
    today = today or date.today()
    data = clean_texts({"full_name": full_name}, model_limits(Applicant, ["full_name"]))
    if not data["full_name"]:
        raise InvalidInput(f"Trường «{_label('full_name')}» là bắt buộc.", field="full_name")
    if sex not in ("M", "F"):
        raise InvalidInput(f"Trường «{_label('sex')}»: chọn Nam hoặc Nữ.", field="sex")
    _day(birth_date, "birth_date", today=today)
    if organization is None or not is_cell(organization.kind) or organization.valid_to is not None:
        raise InvalidInput("Chọn một chi bộ đang hoạt động: người xin vào Đảng sinh hoạt ở chi bộ.",
                           field="organization")
    with transaction.atomic():
        a = Applicant(organization=organization, org_path=organization.path, full_name=data["full_name"], sex=sex,
                      birth_date=birth_date, over_limit_consent=bool(over_limit_consent))
        _saved(a)
        audit_record(actor=actor, action="procedure.applicant_create", obj=a, org_path=a.org_path,
                     after={"full_name": a.full_name, "birth_date": birth_date, "organization": organization.name})
        return a


def step_course(*, actor, applicant: Applicant, course_date: date, course_number: str = "",
                today: date | None = None) -> Applicant:
    """ADM-7: the Party-awareness course certificate (valid 60 months, checked again at the cell's vote)."""
    today = today or date.today()
    _day(course_date, "course_date", today=today)
    number = clean_text(course_number, field="course_number", label=_label("course_number"), max_length=40)
    problem = rules.course_problem(course_date, today, settings=admission_settings())
    if problem:
        raise InvalidInput(problem, field="course_date")
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "course_date", course_date, "course")
        a.course_date, a.course_number = course_date, number
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_course", obj=a, org_path=a.org_path,
                     after={"course_date": course_date, "course_number": number})
        return a


def step_application(*, actor, applicant: Applicant, application_date: date, today: date | None = None) -> Applicant:
    """ADM-2 (a voluntary application, Mẫu 1-KNĐ), ADM-3 (it comes first)."""
    today = today or date.today()
    _day(application_date, "application_date", today=today)
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "application_date", application_date, "application")
        a.application_date = application_date
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_application", obj=a, org_path=a.org_path,
                     after={"application_date": application_date})
        return a


def step_background(*, actor, applicant: Applicant, background_date: date, verified_date: date,
                    today: date | None = None) -> Applicant:
    """ADM-3 — HD 06-HD/TW §3 (med): the background form after the application, its check after the form."""
    today = today or date.today()
    _day(background_date, "background_date", today=today)
    _day(verified_date, "verified_date", today=today)
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if a.step != "background":
            _after(a, "background_date", background_date, "background")
        problem = rules.order_problem(a.application_date, background_date, _label("application_date").lower(),
                                      _label("background_date").lower())
        problem = problem or rules.order_problem(background_date, verified_date, _label("background_date").lower(),
                                                 _label("verified_date").lower())
        if problem:
            raise InvalidInput(problem, field="verified_date" if a.application_date and
                               background_date >= a.application_date else "background_date")
        a.background_date, a.verified_date = background_date, verified_date
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_background", obj=a, org_path=a.org_path,
                     after={"background_date": background_date, "verified_date": verified_date})
        return a


def _introducer(item: dict, index: int, *, scope_path: str, on: date) -> tuple[dict, rules.Introducer]:
    kind = item.get("kind")
    field = f"introducer_{index}"
    if kind not in rules.INTRODUCER_KINDS:
        raise InvalidInput(f"Người giới thiệu thứ {index}: chọn loại người giới thiệu.", field=field)
    if kind != "member":
        return {"kind": kind, "name": rules.INTRODUCER_KINDS[kind]}, rules.Introducer(kind)
    member = Member.objects.filter(pk=item.get("member_id"), org_path__startswith=scope_path).first()
    if member is None:
        raise InvalidInput(f"Người giới thiệu thứ {index}: chọn một đảng viên của đảng bộ.", field=field)
    months = item.get("months")
    if not isinstance(months, int) or not 0 <= months <= 1200:
        raise InvalidInput(f"Người giới thiệu thứ {index}: ghi số tháng công tác cùng (số nguyên).", field=field)
    official = member.state in member_rules.OFFICIAL_STATES and not (
        member.official_date and member.official_date > on)
    return ({"kind": kind, "member_id": member.id, "name": member.full_name, "months": months},
            rules.Introducer(kind, official=official, months_together=months, name=member.full_name))


def step_introducers(*, actor, applicant: Applicant, introduced_date: date, introducers: list[dict],
                     today: date | None = None) -> Applicant:
    """ADM-2 — Điều lệ Đảng Điều 4 (high), 294-QĐ/TW §3.2.1 (med): two official members who worked with
    the applicant ≥ 12 months, or the Youth Union / trade union committee and one official member.
    `introducers`: [{"kind": "member", "member_id", "months"} | {"kind": "youth_union" | "trade_union"}]."""
    today = today or date.today()
    _day(introduced_date, "introduced_date", today=today)
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "introduced_date", introduced_date, "introducers")
        root = a.org_path.split("/")[0] + "/"  # introducers from the same committee
        pairs = [_introducer(item, i, scope_path=root, on=introduced_date)
                 for i, item in enumerate(introducers or [], start=1)]
        problem = rules.introducers_problem([p for _s, p in pairs], settings=admission_settings())
        if problem:
            raise InvalidInput(problem, field="introducers")
        ids = [s.get("member_id") for s, _p in pairs if s.get("member_id")]
        if len(set(ids)) != len(ids):
            raise InvalidInput("Hai người giới thiệu phải là hai người khác nhau.", field="introducers")
        a.introducers, a.introduced_date = [s for s, _p in pairs], introduced_date
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_introducers", obj=a, org_path=a.org_path,
                     after={"introduced_date": introduced_date, "introducers": [s["name"] for s, _p in pairs]})
        return a


def step_cell(*, actor, applicant: Applicant, resolution_date: date, official_count: int, votes_for: int,
              today: date | None = None) -> Applicant:
    """ADM-4 (≥ 2/3 of the cell's official members), ADM-1 (age on the day the cell considers), ADM-7
    (the course certificate still valid that day)."""
    today = today or date.today()
    _day(resolution_date, "cell_resolution_date", today=today)
    cfg = admission_settings()
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "cell_resolution_date", resolution_date, "cell")
        for field, problem in (
                ("cell_votes_for", rules.vote_problem(votes_for, official_count, "chi bộ")),
                ("cell_resolution_date", rules.age_problem(a.birth_date, resolution_date,
                                                           over_limit_consent=a.over_limit_consent, settings=cfg)),
                ("cell_resolution_date", rules.course_problem(a.course_date, resolution_date, settings=cfg))):
            if problem:
                raise InvalidInput(problem, field=field)
        a.cell_resolution_date, a.cell_official_count, a.cell_votes_for = resolution_date, official_count, votes_for
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_cell", obj=a, org_path=a.org_path,
                     after={"cell_resolution_date": resolution_date, "cell_official_count": official_count,
                            "cell_votes_for": votes_for})
        return a


def step_committee(*, actor, applicant: Applicant, resolution_date: date, member_count: int, votes_for: int,
                   today: date | None = None) -> Applicant:
    """ADM-4 — Điều lệ Đảng Điều 4.3 (high): the grassroots committee ≥ 2/3 of its members."""
    today = today or date.today()
    _day(resolution_date, "committee_resolution_date", today=today)
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "committee_resolution_date", resolution_date, "committee")
        problem = rules.vote_problem(votes_for, member_count, "đảng ủy cơ sở")
        if problem:
            raise InvalidInput(problem, field="committee_votes_for")
        a.committee_resolution_date, a.committee_member_count = resolution_date, member_count
        a.committee_votes_for = votes_for
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_committee", obj=a, org_path=a.org_path,
                     after={"committee_resolution_date": resolution_date, "committee_member_count": member_count,
                            "committee_votes_for": votes_for})
        return a


def step_decision(*, actor, applicant: Applicant, decision_number: str, decision_date: date, received_date: date,
                  today: date | None = None) -> Applicant:
    """ADM-4: the decision after the committee's resolution; the day the cell receives it starts the
    ADM-5 count."""
    today = today or date.today()
    _day(decision_date, "decision_date", today=today)
    _day(received_date, "decision_received_date", today=today)
    number = clean_text(decision_number, field="decision_number", label=_label("decision_number"), max_length=40)
    if not number:
        raise InvalidInput(f"Trường «{_label('decision_number')}» là bắt buộc.", field="decision_number")
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "decision_date", decision_date, "decision")
        problem = rules.order_problem(decision_date, received_date, _label("decision_date").lower(),
                                      _label("decision_received_date").lower())
        if problem:
            raise InvalidInput(problem, field="decision_received_date")
        a.decision_number, a.decision_date, a.decision_received_date = number, decision_date, received_date
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_decision", obj=a, org_path=a.org_path,
                     after={"decision_number": number, "decision_date": decision_date,
                            "decision_received_date": received_date})
        return a


def ceremony_deadline(applicant: Applicant) -> date | None:
    """ADM-5: the last day for the ceremony (30 working days after the decision is received)."""
    if applicant.decision_received_date is None:
        return None
    start = applicant.decision_received_date
    off, worked = calendar_days(start, start + timedelta(days=120))
    return rules.ceremony_deadline(start, off, worked, settings=admission_settings())


def step_ceremony(*, actor, applicant: Applicant, ceremony_date: date, today: date | None = None) -> Applicant:
    """ADM-5 — 294-QĐ/TW Điều 5.4 (med): the ceremony within 30 working days of receiving the decision;
    then the probationary member in the registry (MEM-1: decision date = admission date, probation
    from the ceremony), written by `members.services.member_create`."""
    today = today or date.today()
    _day(ceremony_date, "ceremony_date", today=today)
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        _after(a, "ceremony_date", ceremony_date, "ceremony")
        if ceremony_date < a.decision_received_date:
            raise InvalidInput(f"Lễ kết nạp ({ceremony_date:%d/%m/%Y}) trước ngày chi bộ nhận quyết định "
                               f"({a.decision_received_date:%d/%m/%Y}).", field="ceremony_date")
        last = ceremony_deadline(a)
        if ceremony_date > last:
            raise InvalidInput(f"Lễ kết nạp phải tổ chức trong 30 ngày làm việc kể từ ngày nhận quyết định, tức "
                               f"chậm nhất {last:%d/%m/%Y}; ngày {ceremony_date:%d/%m/%Y} đã quá hạn. Cấp ủy "
                               "có thẩm quyền phải xem xét lại quyết định.", field="ceremony_date")
        member = member_create(actor=actor, organization=a.organization, today=today,
                               profile={"full_name": a.full_name, "sex": a.sex, "birth_date": a.birth_date},
                               admission_date=a.decision_date, ceremony_date=ceremony_date,
                               decision_number=a.decision_number)
        a.ceremony_date, a.member = ceremony_date, member
        _saved(a)
        audit_record(actor=actor, action="procedure.admission_ceremony", obj=a, org_path=a.org_path,
                     after={"ceremony_date": ceremony_date, "member": member.full_name})
        return a


# --------------------------------------------------------------------------------------------------
# Transfers between two installations (MEM-5): the signed transfer file
# --------------------------------------------------------------------------------------------------

#: history events replayed on the receiving side (the others stay in the kept file)
REPLAYED = ("badge", "discipline")


def _iso(d):
    return d.isoformat() if d else None


def own_fingerprint(*, var_dir, org_path: str) -> str:
    """The fingerprint of the signing key of the committee holding `org_path` (its root), which the
    sending office tells the receiving office to compare (the key is created on first use)."""
    root = Organization.objects.get(path=org_path.split("/")[0] + "/")
    return transfer.own_fingerprint(var_dir, root.id)


def transfer_export(*, actor, member: Member, letter_number: str, destination: str, var_dir) -> bytes:
    """The signed transfer file of `member` (record and whole history), audited. The sending cell
    records the transfer out itself (members' event form)."""
    number = clean_text(letter_number, field="letter_number", label="Số giấy giới thiệu", max_length=40)
    place = clean_text(destination, field="destination", label="Nơi chuyển đến", max_length=255)
    if not number:
        raise InvalidInput("Trường «Số giấy giới thiệu» là bắt buộc.", field="letter_number")
    if member.state not in (member_rules.PROBATIONARY, *member_rules.OFFICIAL_STATES):
        raise InvalidInput("Chỉ chuyển sinh hoạt đảng viên đang sinh hoạt.", field="member")
    root = Organization.objects.get(path=member.org_path.split("/")[0] + "/")
    profile = {f: getattr(member, f) for f in PROFILE_FIELDS}
    profile["birth_date"] = _iso(profile["birth_date"])
    payload = {
        "from_committee": root.name, "from_org": member.organization.name, "letter_number": number,
        "destination": place, "issued": date.today().isoformat(),
        "member": {**profile, "state": member.state, "admission_date": _iso(member.admission_date),
                   "ceremony_date": _iso(member.ceremony_date),
                   "official_date": _iso(getattr(member, "official_date", None))},
        "events": [{"kind": e.kind, "date": _iso(e.date), "end_date": _iso(e.end_date), "place": e.place,
                    "decision_number": e.decision_number, "decision_date": _iso(e.decision_date),
                    "details": e.details, "note": e.note} for e in member.events.order_by("seq", "id")],
    }
    data = transfer.sign(payload, transfer.committee_key(var_dir, root.id))
    with transaction.atomic():
        audit_record(actor=actor, action="procedure.transfer_export", obj=member, org_path=member.org_path,
                     after={"letter_number": number, "destination": place})
    return data


def transfer_import(*, actor, data: bytes, organization: Organization, today: date | None = None) -> Member:
    """Verify a transfer file and add its member to `organization` (a cell) with their dates, badges
    and disciplines; the whole file and the signer's fingerprint are kept (`TransferImport`). A file
    whose signature fails is refused (transfer.TransferFileError → InvalidInput); nothing is written."""
    try:
        payload, print_ = transfer.verify(data)
    except transfer.TransferFileError as exc:
        raise InvalidInput(str(exc), field="file") from None
    doc = json.loads(data.decode("utf-8"))
    m = payload.get("member") or {}

    def day(v):
        return date.fromisoformat(v) if v else None

    try:
        profile = {f: m.get(f) for f in PROFILE_FIELDS if m.get(f) not in (None, "")}
        profile["birth_date"] = day(m.get("birth_date"))
        admission, ceremony, official = day(m.get("admission_date")), day(m.get("ceremony_date")), \
            day(m.get("official_date"))
        events = [(e["kind"], day(e["date"]), e) for e in payload.get("events", []) if e.get("kind") in REPLAYED]
    except (TypeError, ValueError, KeyError, AttributeError):
        raise InvalidInput("Tệp chuyển sinh hoạt có chữ ký đúng nhưng nội dung không đọc được.", field="file") from None
    with transaction.atomic():
        member = member_create(actor=actor, organization=organization, profile=profile, admission_date=admission,
                               ceremony_date=ceremony, official_date=official, today=today)
        for kind, on, e in sorted(events, key=lambda x: x[1]):
            member_event_record(actor=actor, member=member, kind=kind, on=on, details=e.get("details") or {},
                                decision_number=e.get("decision_number") or "", decision_date=day(e.get("decision_date")),
                                note=(e.get("note") or "")[:4000], today=today)
        TransferImport.objects.create(member=member, org_path=member.org_path,
                                      from_committee=str(payload.get("from_committee", ""))[:255],
                                      letter_number=str(payload.get("letter_number", ""))[:40], fingerprint=print_,
                                      payload=payload, signature=doc["signature"], public_key=doc["public_key"])
        audit_record(actor=actor, action="procedure.transfer_import", obj=member, org_path=member.org_path,
                     after={"from_committee": payload.get("from_committee"), "fingerprint": print_,
                            "letter_number": payload.get("letter_number")})
    return member


# --------------------------------------------------------------------------------------------------
# Transfers inside the installation (MEM-5): holds, the numbered introduction letter, confirmation
# --------------------------------------------------------------------------------------------------

HOLD_LABELS = dict(HOLD_KINDS)


def _refuse(errors: dict[str, str]) -> InvalidInput:
    return InvalidInput(" ".join(errors.values()), errors=errors)


def hold_record(*, actor, member: Member, kind: str, decision: str, start_date: date,
                end_date: date | None = None, today: date | None = None) -> MemberHold:
    """MEM-5: the member is under inspection or a complaint of theirs is being handled from
    `start_date` (to `end_date`, or until `hold_end`); no transfer letter meanwhile. Audited."""
    today = today or date.today()
    errors = {}
    if kind not in HOLD_LABELS:
        errors["kind"] = "Chọn lý do: đang bị kiểm tra hoặc đang giải quyết khiếu nại."
    try:
        decision = clean_text(decision, field="decision", label="Quyết định, văn bản",
                              max_length=MemberHold._meta.get_field("decision").max_length)
    except InvalidInput as exc:
        errors.update(exc.errors)
    else:
        if not decision:
            errors["decision"] = "Nhập số, ngày của quyết định hoặc văn bản."
    if start_date is None or not DATE_MIN <= start_date <= today:
        errors["start_date"] = "Từ ngày: nhập ngày đã qua hoặc hôm nay."
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = "Đến ngày không được trước từ ngày."
    if errors:
        raise _refuse(errors)
    with transaction.atomic():
        hold = MemberHold.objects.create(member=member, org_path=member.org_path, kind=kind, decision=decision,
                                         start_date=start_date, end_date=end_date)
        audit_record(actor=actor, action="procedure.hold_record", obj=member, org_path=member.org_path,
                     after={"kind": kind, "decision": decision, "start_date": start_date, "end_date": end_date})
    return hold


def hold_end(*, actor, hold: MemberHold, end_date: date) -> MemberHold:
    """The inspection or complaint is over on `end_date`. Audited."""
    if end_date is None or end_date < hold.start_date:
        raise _refuse({"end_date": "Đến ngày không được trước từ ngày."})
    with transaction.atomic():
        hold.end_date = end_date
        hold.save(update_fields=["end_date"])
        audit_record(actor=actor, action="procedure.hold_end", obj=hold.member, org_path=hold.org_path,
                     after={"end_date": end_date})
    return hold


def _event_args(letter_kind: str, to_org: Organization, end_date, study: bool) -> dict:
    if letter_kind == "temporary":
        return {"kind": "temp_transfer_out", "to_org": to_org, "end_date": end_date,
                "details": {"study": True} if study else {}}
    return {"kind": "transfer_internal", "to_org": to_org}


def letter_issue(*, actor, member: Member, kind: str, to_org: Organization, letter_date: date,
                 end_date: date | None = None, study: bool = False, today: date | None = None) -> TransferLetter:
    """MEM-5: the numbered introduction letter (number per committee and year) of an official or
    temporary transfer to a cell of the tree, with its deadlines (30 working days to present it, 60
    to complete). Refused while the member is under inspection or a complaint is handled
    (`rules.hold_in_force`), and whatever the members service would refuse when the receiving cell
    confirms (temporary periods 3 to under 12 months, study up to 24). Audited; nothing half-written."""
    today = today or date.today()
    errors = {}
    if kind not in ("official", "temporary"):
        errors["kind"] = "Chọn chuyển sinh hoạt chính thức hoặc tạm thời."
    if kind == "temporary" and end_date is None:
        errors["end_date"] = "Nhập ngày hết thời hạn sinh hoạt tạm thời."
    if letter_date is None or not DATE_MIN <= letter_date <= today:
        errors["letter_date"] = "Ngày giới thiệu: nhập ngày đã qua hoặc hôm nay."
    if errors:
        raise _refuse(errors)
    waiting = member.transfer_letters.filter(confirmed_date__isnull=True, withdrawn_date__isnull=True).first()
    if waiting is not None:
        raise _refuse({"member": f"{member.full_name} đã có giấy giới thiệu số {waiting.label} chưa được chi bộ "
                                 "nơi đến nhận."})
    holds = member.procedure_holds.values_list("kind", "start_date", "end_date")
    hold = rules.hold_in_force(holds, letter_date)
    if hold is not None:
        since = f"từ {hold[1]:%d/%m/%Y}" + (f" đến {hold[2]:%d/%m/%Y}" if hold[2] else "")
        raise _refuse({"member": f"{member.full_name} {HOLD_LABELS[hold[0]].lower()} ({since}): chưa được "
                                      "chuyển sinh hoạt (Quy định 294-QĐ/TW §6.3)."})
    member_event_record(actor=actor, member=member, on=letter_date, today=today, check_only=True,
                        **_event_args(kind, to_org, end_date, study))
    off, worked = calendar_days(letter_date, letter_date + timedelta(days=200))
    deadlines = rules.transfer_deadlines(letter_date, off, worked, settings=configured(member_rules.MemberRuleSettings))
    committee = member.org_path.split("/", 1)[0] + "/"
    with transaction.atomic():
        last = TransferLetter.objects.select_for_update().filter(committee_path=committee, year=letter_date.year) \
            .order_by("-number").values_list("number", flat=True).first() or 0
        letter = TransferLetter.objects.create(
            member=member, org_path=member.org_path, from_org=member.organization, committee_path=committee,
            kind=kind, to_org=to_org, year=letter_date.year, number=last + 1, letter_date=letter_date,
            end_date=end_date if kind == "temporary" else None, study=study and kind == "temporary",
            present_by=deadlines.present_by, complete_by=deadlines.complete_by)
        audit_record(actor=actor, action="procedure.letter_issue", obj=member, org_path=member.org_path,
                     after={"letter": letter.label, "kind": kind, "to_org": to_org.pk, "letter_date": letter_date,
                            "end_date": letter.end_date})
    return letter


def letter_confirm(*, actor, letter: TransferLetter, received_date: date, today: date | None = None) -> TransferLetter:
    """MEM-5: the receiving cell confirms the member presented the letter on `received_date`; the
    member's transfer event is recorded then (members service), in the same transaction. The caller
    checks that `actor` manages the receiving cell."""
    today = today or date.today()
    if letter.confirmed_date is not None:
        raise _refuse({"received_date": f"Giấy giới thiệu số {letter.label} đã được xác nhận."})
    if letter.withdrawn_date is not None:
        raise _refuse({"received_date": f"Giấy giới thiệu số {letter.label} đã bị thu hồi ngày "
                                        f"{letter.withdrawn_date:%d/%m/%Y}."})
    if received_date is None or not letter.letter_date <= received_date <= today:
        raise _refuse({"received_date": "Ngày nhận phải từ ngày giới thiệu đến hôm nay."})
    with transaction.atomic():
        letter = TransferLetter.objects.select_for_update().get(pk=letter.pk)
        member_event_record(actor=actor, member=letter.member, on=received_date, today=today,
                            decision_number=letter.label, decision_date=letter.letter_date,
                            **_event_args(letter.kind, letter.to_org, letter.end_date, letter.study))
        letter.confirmed_date = received_date
        letter.save(update_fields=["confirmed_date"])
        audit_record(actor=actor, action="procedure.letter_confirm", obj=letter.member,
                     org_path=letter.to_org.path, after={"letter": letter.label, "received_date": received_date})
    return letter


def letter_withdraw(*, actor, letter: TransferLetter, withdrawn_date: date, reason: str,
                    today: date | None = None) -> TransferLetter:
    """MEM-5: the issuing office withdraws a letter the receiving cell has not confirmed (issued in
    error, or the member does not go). Its number stays taken — the series is never renumbered or
    reused — and the member may be given a new letter. The caller checks that `actor` manages the
    member's organisation. Audited; refused when already confirmed or withdrawn."""
    today = today or date.today()
    reason = clean_text(reason, field="withdraw_reason", label="Lý do thu hồi", max_length=255)
    errors = {}
    if not reason:
        errors["withdraw_reason"] = "Nhập lý do thu hồi."
    if withdrawn_date is None or not letter.letter_date <= withdrawn_date <= today:
        errors["withdrawn_date"] = "Ngày thu hồi phải từ ngày giới thiệu đến hôm nay."
    if errors:
        raise _refuse(errors)
    with transaction.atomic():
        letter = TransferLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.confirmed_date is not None:
            raise _refuse({"withdrawn_date": f"Giấy giới thiệu số {letter.label} đã được chi bộ nơi đến nhận "
                                             f"ngày {letter.confirmed_date:%d/%m/%Y}: không thu hồi được."})
        if letter.withdrawn_date is not None:
            raise _refuse({"withdrawn_date": f"Giấy giới thiệu số {letter.label} đã bị thu hồi."})
        letter.withdrawn_date, letter.withdraw_reason = withdrawn_date, reason
        letter.save(update_fields=["withdrawn_date", "withdraw_reason"])
        audit_record(actor=actor, action="procedure.letter_withdraw", obj=letter.member, org_path=letter.org_path,
                     after={"letter": letter.label, "withdrawn_date": withdrawn_date, "reason": reason})
    return letter


# --------------------------------------------------------------------------------------------------
# Early badge awards for serious illness (MEM-3)
# --------------------------------------------------------------------------------------------------


def early_badge_propose(*, actor, member: Member, months: int, reason: str, cell_resolution: str,
                        proposed_date: date, today: date | None = None) -> EarlyBadge:
    """MEM-3 — HD 01-HD/TW §18, carried into HD 06-HD/TW (med, setting `early_award_max_months`): the
    cell proposes awarding the member's next badge tier up to 12 months early (30–65 years) or 24
    (70–90) for serious illness; the badge list then offers it on the earlier occasion. Audited."""
    today = today or date.today()
    cfg = configured(member_rules.MemberRuleSettings)
    errors = {}
    texts = {}
    for field, label, value in (("reason", "Tình trạng bệnh hiểm nghèo", reason),
                                ("cell_resolution", "Đề nghị của chi bộ", cell_resolution)):
        try:
            texts[field] = clean_text(value, field=field, label=label,
                                      max_length=EarlyBadge._meta.get_field(field).max_length)
        except InvalidInput as exc:
            errors.update(exc.errors)
        else:
            if not texts[field]:
                errors[field] = f"Nhập {label.lower()}."
    if proposed_date is None or not DATE_MIN <= proposed_date <= today:
        errors["proposed_date"] = "Ngày chi bộ đề nghị: nhập ngày đã qua hoặc hôm nay."
    if member.state not in member_rules.OFFICIAL_STATES or member.admission_date is None:
        errors["member"] = "Chỉ xét tặng Huy hiệu Đảng cho đảng viên chính thức có ngày vào Đảng."
    if errors:
        raise _refuse(errors)
    awarded = [e.details.get("tier") for e in member.events.filter(kind="badge") if e.details.get("tier")]
    due = member_rules.next_badge(member.admission_date, awarded_tiers=awarded, on_date=today, settings=cfg)
    if due is None:
        raise _refuse({"member": f"{member.full_name} đã nhận mọi mốc Huy hiệu Đảng."})
    limit = member_rules.max_early_months(due.tier, settings=cfg)
    if not isinstance(months, int) or not 1 <= months <= limit:
        raise _refuse({"months": f"Huy hiệu {due.tier} năm tuổi Đảng chỉ được xét sớm từ 1 đến {limit} tháng."})
    with transaction.atomic():
        early = EarlyBadge.objects.create(member=member, org_path=member.org_path, tier=due.tier, months=months,
                                          reason=texts["reason"], cell_resolution=texts["cell_resolution"],
                                          proposed_date=proposed_date)
        audit_record(actor=actor, action="procedure.early_badge", obj=member, org_path=member.org_path,
                     after={"tier": due.tier, "months": months, "cell_resolution": texts["cell_resolution"],
                            "proposed_date": proposed_date})
    return early
