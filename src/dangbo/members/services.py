"""Writes to the member registry. Each validates, writes and records an audit event atomically.

A member's state only changes through `member_event_record`, which runs the event through the one
transition table in `members.rules` before anything is saved. Every text a user or a file can set
goes through `core.textcheck` here, and every problem is reported at once (`InvalidInput.errors`).

Duplicates and privacy (oracle routing): a personal ID number or a party card number already held
by another member is refused. The precise message ("already held by X") goes only to a user whose
scope covers that other record, and to the system (imports); anyone else gets a neutral message,
nothing is stored, and the conflict is routed to the office as a `member.conflict` audit event at
the nearest organisation covering both records — so a secretary cannot use the form to learn who
is a member elsewhere.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from dangbo.accounts.selectors import scope_of
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.core.textcheck import clean_text, clean_texts, model_limits
from dangbo.members import rules
from dangbo.members.badgedays import badge_day_keep
from dangbo.members.models import Member, MemberEvent
from dangbo.orgs.counts import counts_apply
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import is_cell
from dangbo.procedures import badgekept as badges
from dangbo.procedures import kept as probation
from dangbo.reports.tallies import member_tallied
from dangbo.text.collation import name_sort_string
from dangbo.text.vietnamese import fold, split_name, title_name

PROFILE_FIELDS = (
    "full_name", "sex", "birth_date", "place_of_birth", "home_town", "ethnicity", "religion",
    "national_id", "card_number", "education", "professional_level", "political_theory_level",
    "position", "workplace",
)
TEXT_FIELDS = tuple(f for f in PROFILE_FIELDS if f not in ("sex", "birth_date", "national_id"))
EVENT_TEXT_FIELDS = ("place", "decision_number", "note")
NOTE_MAX = 2000  # MemberEvent.note is a TextField: a limit of our own (a paragraph, not a file)
_ID_RE = re.compile(r"^\d{12}$")
MIN_ADMISSION_AGE = 18  # Điều lệ Đảng, Điều 1: công dân từ đủ 18 tuổi
PARTY_FOUNDED = date(1930, 2, 3)  # no admission, event or decision of the Party before this day
EARLIEST_BIRTH = date(1900, 1, 1)
DETAIL_KEYS_MAX = 10


def rule_settings() -> rules.MemberRuleSettings:
    """The med/low member rules as configured (settings.DANGBO_RULES), documented defaults otherwise."""
    return configured(rules.MemberRuleSettings)


def label(field: str) -> str:
    """The Vietnamese name of a member field, as the forms and messages show it."""
    return str(Member._meta.get_field(field).verbose_name)


class ConflictRouted(InvalidInput):
    """Refused with a neutral message because the value belongs to a member the user may not see;
    `routes` are the (field, other member) pairs to route to the office."""

    def __init__(self, message, *, field=None, errors=None, routes=()):
        super().__init__(message, field=field, errors=errors)
        self.routes = list(routes)


class _Problems:
    """Every problem of one write, so the user sees them all at once."""

    def __init__(self):
        self.errors: dict[str, str] = {}
        self.routes: list[tuple[str, Member]] = []

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def merge(self, exc: InvalidInput) -> None:
        for field, message in (exc.errors or {None: exc.message}).items():
            self.add(field or "body", message)

    def check(self) -> None:
        if self.errors:
            message = " ".join(dict.fromkeys(self.errors.values()))
            if self.routes:
                raise ConflictRouted(message, field=next(iter(self.errors)), errors=dict(self.errors),
                                     routes=self.routes)
            raise InvalidInput(message, field=next(iter(self.errors)), errors=dict(self.errors))


def _snapshot(member: Member) -> dict:
    data = {f: getattr(member, f) for f in PROFILE_FIELDS}
    data.update(organization=member.organization_id, state=member.state, away=member.away,
                suspended=member.suspended, admission_date=member.admission_date,
                ceremony_date=member.ceremony_date, dates_to_check=member.dates_to_check,
                official_date=member.official_date)
    return data


def _who(m: Member) -> str:
    year = f", sinh năm {m.birth_date.year}" if m.birth_date else ""
    return f"{m.full_name}{year}, {m.organization.name}"


def _duplicate(p: _Problems, field: str, other: Member | None, *, actor) -> None:
    """A value already held by `other`: precise for whoever may see `other`, neutral otherwise."""
    if other is None:
        return
    if actor is None or not getattr(actor, "is_authenticated", False) or scope_of(actor).covers_path(other.org_path):
        p.add(field, f"«{label(field)}» này đã có trong danh sách đảng viên ({_who(other)}).")
    else:
        p.add(field, f"Chưa ghi được «{label(field)}» này. Văn phòng Đảng ủy sẽ kiểm tra và trao đổi lại "
                     "với đồng chí; các thông tin khác chưa được lưu.")
        p.routes.append((field, other))


def _check_date(p: _Problems, field: str, value, *, lo: date, hi: date, what: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        p.add(field, f"«{what}» không phải là ngày hợp lệ.")
        return None
    if value < lo:
        p.add(field, f"«{what}» không thể trước ngày {lo:%d/%m/%Y}.")
        return None
    if value > hi:
        p.add(field, f"«{what}» không được ở tương lai." if hi <= date.today() else
                     f"«{what}» không thể sau ngày {hi:%d/%m/%Y}.")
        return None
    return value


def _clean_profile(p: _Problems, data: dict, *, today: date, actor=None, member: Member | None = None) -> dict:
    """The profile fields of `data` as they will be stored; problems go to `p`."""
    given = {f: data[f] for f in PROFILE_FIELDS if f in data}
    out: dict = {}
    texts = {k: v for k, v in given.items() if k in TEXT_FIELDS}
    try:
        texts = clean_texts(texts, model_limits(Member, TEXT_FIELDS))
    except InvalidInput as exc:
        p.merge(exc)
    for key, value in texts.items():
        if key not in p.errors:
            out[key] = value if isinstance(value, str) else ""
    if "full_name" in given and "full_name" not in p.errors:
        name = out.get("full_name") or ""
        if not name:
            p.add("full_name", f"Thiếu trường bắt buộc «{label('full_name')}».")
        elif len(name.split()) < 2:
            p.add("full_name", "Họ và tên phải có ít nhất họ và tên (hai từ).")
        else:
            out["full_name"] = title_name(name)
    if "sex" in given:
        if given["sex"] not in ("M", "F"):
            p.add("sex", "Giới tính phải là Nam hoặc Nữ.")
        else:
            out["sex"] = given["sex"]
    if "birth_date" in given:
        birth = _check_date(p, "birth_date", given["birth_date"], lo=EARLIEST_BIRTH, hi=today, what=label("birth_date"))
        if "birth_date" not in p.errors:
            out["birth_date"] = birth
    if "national_id" in given:
        raw = given["national_id"]
        if raw is not None and not isinstance(raw, str):
            p.add("national_id", "Số định danh cá nhân phải gồm đúng 12 chữ số.")
        else:
            nid = re.sub(r"[\s.\-]", "", raw or "")
            if nid and not _ID_RE.match(nid):
                p.add("national_id", "Số định danh cá nhân phải gồm đúng 12 chữ số.")
            else:
                out["national_id"] = nid or None
                if nid:
                    others = Member.objects.filter(national_id=nid).select_related("organization")
                    if member is not None:
                        others = others.exclude(pk=member.pk)
                    _duplicate(p, "national_id", others.first(), actor=actor)
    if out.get("card_number"):
        key = rules.card_key(out["card_number"])
        others = Member.objects.filter(card_key=key, state__in=rules.COUNTED_STATES).select_related("organization")
        if member is not None:
            others = others.exclude(pk=member.pk)
        _duplicate(p, "card_number", others.first(), actor=actor)
    return out


def _check_age(p: _Problems, birth: date | None, admission: date | None, *, field: str) -> None:
    if birth and admission and rules.party_age_years(birth, admission) < MIN_ADMISSION_AGE:
        p.add(field, "Người vào Đảng phải đủ 18 tuổi tại ngày quyết định kết nạp "
                     f"(ngày sinh {birth:%d/%m/%Y}, quyết định kết nạp {admission:%d/%m/%Y}).")


def _check_admission(p: _Problems, admission, ceremony, official, *, today: date) -> None:
    """MEM-1: decision date, ceremony date (not before the decision) and the official date (not
    before the 12 months of probation counted from the ceremony)."""
    if admission is None:
        p.add("admission_date", f"Thiếu «{label('admission_date')}».")
        return
    if _check_date(p, "admission_date", admission, lo=PARTY_FOUNDED, hi=today, what=label("admission_date")) is None:
        return
    if ceremony is not None:
        if _check_date(p, "ceremony_date", ceremony, lo=PARTY_FOUNDED, hi=today, what=label("ceremony_date")) is None:
            return
        if ceremony < admission:
            p.add("ceremony_date", f"«{label('ceremony_date')}» không thể trước ngày quyết định kết nạp "
                                   f"({admission:%d/%m/%Y}).")
            return
    if official is not None:
        start = ceremony or admission
        end = rules.probation_end(start, settings=rule_settings())
        if _check_date(p, "official_date", official, lo=PARTY_FOUNDED, hi=today, what="Ngày chính thức") is None:
            return
        if official < end:
            p.add("official_date", f"Ngày chính thức phải từ khi hết 12 tháng dự bị, tính từ ngày lễ kết nạp "
                                   f"{start:%d/%m/%Y}: từ {end:%d/%m/%Y} (MEM-1).")


def _apply_name(member: Member) -> None:
    member.surname, member.middle_name, member.given_name = split_name(member.full_name)
    member.name_folded = fold(member.full_name)
    member.given_folded = fold(member.given_name)
    member.name_sort = name_sort_string(member.surname, member.middle_name, member.given_name)


def _common_path(a: str, b: str) -> str:
    out = ""
    for x, y in zip(a.split("/")[:-1], b.split("/")[:-1], strict=False):
        if x != y:
            break
        out += x + "/"
    return out


def _route(exc: ConflictRouted, *, actor, where_path: str, obj) -> None:
    """Tell the office about refused duplicates: one `member.conflict` audit event at the nearest
    organisation covering both records (or one on each side when no organisation covers both,
    each naming only its own record). The values themselves are not logged."""
    with transaction.atomic():
        for field, other in exc.routes:
            common = _common_path(where_path, other.org_path)
            sides = [(common, other)] if common else [(other.org_path, other), (where_path, obj)]
            for path, about in sides:
                audit_record(actor=actor, action="member.conflict", obj=about, org_path=path,
                             label=f"Trùng «{label(field)}»: {about}",
                             after={"field": field, "label": label(field), "written_at": where_path,
                                    "member": getattr(obj, "pk", None) if isinstance(obj, Member) else None,
                                    "held_by": other.pk if common else None})


def member_create(*, actor, organization: Organization | None, profile: dict, admission_date: date | None,
                  ceremony_date: date | None = None, official_date: date | None = None,
                  decision_number: str = "", today: date | None = None, check_only: bool = False) -> Member | None:
    """Add a member admitted by decision on `admission_date`, whose ceremony was on `ceremony_date`
    (MEM-1), recognised on `official_date` if given.

    Without a ceremony date (imports: the rolls carry one date) the decision date is taken and the
    member is flagged `dates_to_check` for the office. `check_only`: report every problem of the
    values given (InvalidInput), write nothing and route no conflict (a form with errors of its own
    shows these beside them; `organization` may then be missing).
    """
    try:
        return _member_create(actor=actor, organization=organization, profile=profile,
                              admission_date=admission_date, ceremony_date=ceremony_date,
                              official_date=official_date, decision_number=decision_number, today=today,
                              check_only=check_only)
    except ConflictRouted as exc:
        if not check_only:
            _route(exc, actor=actor, where_path=organization.path, obj=organization)
        raise


@transaction.atomic
def _member_create(*, actor, organization, profile, admission_date, ceremony_date, official_date,
                   decision_number, today, check_only=False) -> Member | None:
    today = today or date.today()
    p = _Problems()
    if organization is None:
        p.add("organization", f"Chọn «{label('organization')}».")
    elif organization.valid_to is not None:
        p.add("organization", f"«{organization.name}» đã giải thể.")
    elif not is_cell(organization.kind):
        p.add("organization", f"«{organization.name}» không phải là chi bộ: đảng viên sinh hoạt ở chi bộ.")
    data = _clean_profile(p, profile, today=today, actor=actor)
    for required in ("full_name", "sex"):
        if not data.get(required) and required not in p.errors:
            p.add(required, f"Thiếu trường bắt buộc «{label(required)}».")
    _check_admission(p, admission_date, ceremony_date, official_date, today=today)
    if "admission_date" not in p.errors:
        _check_age(p, data.get("birth_date"), admission_date, field="admission_date")
    try:
        decision_number = clean_text(decision_number, field="decision_number", label="Số, ký hiệu quyết định",
                                     max_length=40)
    except InvalidInput as exc:
        p.merge(exc)
    p.check()
    if check_only:
        return None
    member = Member(organization=organization, org_path=organization.path, state="", **data)
    _apply_name(member)
    member.card_key = rules.card_key(member.card_number)
    member.admission_date = admission_date
    member.ceremony_date = ceremony_date or admission_date
    member.dates_to_check = ceremony_date is None
    member.save()
    _record(member, "admission", on=admission_date, decision_number=decision_number, decision_date=admission_date,
            details={"ceremony_date": member.ceremony_date.isoformat()}, today=today)
    if official_date is not None:
        _record(member, "recognition", on=official_date, today=today)
    audit_record(actor=actor, action="member.create", obj=member, org_path=member.org_path, after=_snapshot(member))
    return member


def member_update(*, actor, member: Member, profile: dict, admission_date: date | None = None,
                  ceremony_date: date | None = None, dates_checked: bool = False,
                  today: date | None = None, check_only: bool = False) -> Member | None:
    """Change profile fields (not state: that is what events are for) and, if given, correct the
    admission decision / ceremony dates (MEM-1). New dates, or `dates_checked` (the office compared
    them with the dossier), clear `dates_to_check`. `check_only`: as `member_create`'s."""
    try:
        return _member_update(actor=actor, member=member, profile=profile, admission_date=admission_date,
                              ceremony_date=ceremony_date, dates_checked=dates_checked, today=today,
                              check_only=check_only)
    except ConflictRouted as exc:
        if not check_only:
            _route(exc, actor=actor, where_path=member.org_path, obj=member)
        raise


@transaction.atomic
def _member_update(*, actor, member, profile, admission_date, ceremony_date, dates_checked, today,
                   check_only=False) -> Member | None:
    today = today or date.today()
    # one writer at a time; the locked row is also what the probation counts move from (the caller's
    # object may be older than the stored row)
    locked = None if check_only else Member.objects.select_for_update().filter(pk=member.pk).first()
    before = _snapshot(member)
    p = _Problems()
    data = _clean_profile(p, profile, today=today, actor=actor, member=member)
    dates_given = admission_date is not None or ceremony_date is not None or dates_checked
    new_adm = admission_date or member.admission_date
    new_cer = ceremony_date or (member.ceremony_date if admission_date is None else None) or new_adm
    if new_cer and new_adm and new_cer < new_adm and ceremony_date is None:
        new_cer = new_adm  # a later decision date drags an unchanged ceremony date along
    if dates_given:
        _check_admission(p, new_adm, new_cer, member.official_date, today=today)
        if member.official_date and "official_date" in p.errors:  # the ceremony date is what the user changed
            p.errors["ceremony_date"] = p.errors.pop("official_date").replace(
                "Ngày chính thức phải", f"Ngày chính thức đã ghi ({member.official_date:%d/%m/%Y}) phải")
    birth = data.get("birth_date", member.birth_date)
    if "admission_date" not in p.errors:
        _check_age(p, birth, new_adm, field="birth_date" if "birth_date" in data else "admission_date")
    admission_event = None
    if dates_given and not p.errors and new_adm != member.admission_date:
        events = list(member.events.order_by("date", "seq", "id"))
        admission_event = next((e for e in events if e.kind == "admission"), None)
        later = [e for e in events if e is not admission_event and e.seq > (admission_event.seq if admission_event else -1)]
        if later and new_adm > later[0].date:
            p.add("admission_date", f"«{label('admission_date')}» không thể sau sự kiện «{later[0].kind_label}» "
                                    f"({later[0].date:%d/%m/%Y}).")
    p.check()
    if check_only:
        return None
    for key, value in data.items():
        setattr(member, key, value)
    if "full_name" in data:
        _apply_name(member)
    member.card_key = rules.card_key(member.card_number)
    with member_tallied(member.pk):  # reports.tallies follow in this transaction
        if dates_given:
            if member.admission_date != new_adm or member.ceremony_date != new_cer:
                first = admission_event or member.events.filter(kind="admission").order_by("date", "seq").first()
                if first is not None:
                    first.date, first.decision_date = new_adm, new_adm
                    first.details = {**first.details, "ceremony_date": new_cer.isoformat()}
                    first.save(update_fields=["date", "decision_date", "details"])
            member.admission_date, member.ceremony_date, member.dates_to_check = new_adm, new_cer, False
        # only what this write owns: the caller's object may be older than the state its events left
        member.save(update_fields=[*data, "surname", "middle_name", "given_name", "name_folded", "given_folded",
                                   "name_sort", "card_key", "admission_date", "ceremony_date", "dates_to_check"])
    if dates_given:
        stored = badges.stored_key(member.pk)
        badge_day_keep(member)  # MEM-3: the admission date moves the next-badge day
        badges.moved(stored, badges.stored_key(member.pk))  # its count by award day (procedures.badgekept)
        if locked is not None:  # MEM-1 counts by start month (procedures.kept): only the dates moved
            probation.moved(probation.key(locked), probation.key_of(locked.organization_id, locked.state,
                                                                    new_cer, new_adm))
    after = _snapshot(member)
    changed = {k for k in after if after[k] != before[k]}
    audit_record(actor=actor, action="member.update", obj=member, org_path=member.org_path,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return member


def _clean_details(p: _Problems, details) -> dict:
    """An event's details: a flat mapping of a few short keys to plain values (texts checked)."""
    if details is None:
        return {}
    if not isinstance(details, dict) or len(details) > DETAIL_KEYS_MAX:
        p.add("details", "Thông tin chi tiết của sự kiện không hợp lệ.")
        return {}
    out = {}
    for key, value in details.items():
        if not isinstance(key, str) or not key or len(key) > 40 or not key.isidentifier():
            p.add("details", "Thông tin chi tiết của sự kiện có mục không hợp lệ.")
            continue
        if isinstance(value, str):
            try:
                value = clean_text(value, field="details", label=f"Chi tiết «{key}»", max_length=255)
            except InvalidInput as exc:
                p.merge(exc)
                continue
        elif value is not None and not isinstance(value, (bool, int, float)):
            p.add("details", f"Chi tiết «{key}» phải là một giá trị đơn (chữ, số, đúng/sai).")
            continue
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**6:
            p.add("details", f"Chi tiết «{key}» quá lớn.")
            continue
        out[key] = value
    return out


def _ceremony_of(p: _Problems, details: dict, on: date, today: date) -> date:
    """The ceremony date an admission event carries (MEM-1), the event's date when not given."""
    raw = details.get("ceremony_date")
    if raw in (None, ""):
        return on
    try:
        ceremony = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        p.add("details", "Ngày tổ chức lễ kết nạp không hợp lệ (yyyy-mm-dd).")
        return on
    if ceremony < on or ceremony > today:
        p.add("details", f"Ngày tổ chức lễ kết nạp phải từ ngày quyết định kết nạp ({on:%d/%m/%Y}) đến hôm nay.")
        return on
    return ceremony


def _record(member: Member, kind: str, *, on: date, to_org: Organization | None = None, place: str = "",
            end_date: date | None = None, decision_number: str = "", decision_date: date | None = None,
            details: dict | None = None, note: str = "", today: date | None = None,
            problems: _Problems | None = None, check_only: bool = False) -> MemberEvent | None:
    """Apply one event to the member through the transition table and save both (no audit).

    Every problem is collected first — the transition, the event's details, its dates, the place —
    so the user sees them all at once; nothing is changed (not even `member` in memory) unless there
    is none. With `check_only` nothing is written and None is returned."""
    today = today or date.today()
    p = problems or _Problems()
    details = _clean_details(p, details)
    last = member.events.order_by("-date", "-seq").first() if member.pk else None
    if on is not None and last and on < last.date:
        p.add("date", f"Ngày {on:%d/%m/%Y} trước sự kiện gần nhất ({last.kind_label}, {last.date:%d/%m/%Y}).")
    status = None
    try:
        status = rules.apply_status(
            rules.MemberStatus(member.state or None, member.away, member.suspended), kind, details)
    except rules.TransitionError as exc:
        p.add("kind", str(exc))
    except rules.EventDetailsError as exc:
        p.add("details", str(exc))
    cfg = rule_settings()
    if on is not None and decision_date is not None:
        problem = rules.decision_date_problem(kind, on, decision_date, settings=cfg)
        if problem:
            p.add("decision_date", problem)
    changes: dict = {}
    if to_org is not None and kind in ("transfer_internal", "temp_transfer_out") and not is_cell(to_org.kind):
        p.add("to_org", f"«{to_org.name}» không phải là chi bộ: đảng viên chỉ sinh hoạt ở chi bộ.")
    if kind == "transfer_internal":
        if to_org is None:
            p.add("to_org", "Chọn tổ chức đảng nơi đến.")
        elif to_org.pk == member.organization_id:
            p.add("to_org", "Nơi đến trùng với nơi đang sinh hoạt.")
        elif to_org.valid_to is not None:
            p.add("to_org", f"«{to_org.name}» đã giải thể.")
        else:
            changes.update(organization=to_org, org_path=to_org.path)
    if kind == "temp_transfer_out":
        if to_org is None and not place.strip():
            p.add("to_org", "Nhập nơi sinh hoạt tạm thời (tổ chức trong hệ thống hoặc tên nơi đến).")
        if to_org is not None and to_org.pk == member.organization_id:
            p.add("to_org", "Nơi sinh hoạt tạm thời trùng với nơi sinh hoạt chính thức.")
        if end_date is None:
            p.add("end_date", "Nhập thời hạn sinh hoạt tạm thời (đến ngày).")
        elif on is not None:
            problem = rules.temp_transfer_problem(on, end_date, study_in_country=bool(details.get("study")),
                                                  settings=cfg)
            if problem:
                p.add("end_date", problem)
        changes.update(temp_host=to_org, temp_host_name=to_org.name if to_org else place.strip())
    if kind == "temp_transfer_return":
        changes.update(temp_host=None, temp_host_name="")
    if kind == "transfer_out" and not place.strip() and to_org is None:
        p.add("place", "Nhập nơi chuyển sinh hoạt đến.")
    if kind == "admission" and on is not None:
        ceremony = _ceremony_of(p, details, on, today)
        details["ceremony_date"] = ceremony.isoformat()
        changes.update(ceremony_date=ceremony)
        if member.admission_date is None:
            changes.update(admission_date=on)
    if kind == "recognition" and on is not None:
        start = member.ceremony_date or member.admission_date
        if start is not None:
            end = rules.probation_end(start, settings=cfg)
            if on < end:
                p.add("date", f"Chưa hết 12 tháng dự bị: tính từ ngày lễ kết nạp {start:%d/%m/%Y}, "
                              f"công nhận chính thức từ ngày {end:%d/%m/%Y} (MEM-1).")
        changes.update(official_date=on)
    p.check()
    if check_only:
        return None
    from_org = member.organization
    old_org_id, old_state = member.organization_id, member.state
    was = probation.key(member)
    # MEM-3 counts by award day (procedures.badgekept), from the instance: its badge fields are the row's
    # (members.badgedays: a full save writes them), and two reads per event cost an import 25 %
    badge_was = badges.key_of(member.organization_id, member.badge_tier_on)
    for key, value in changes.items():
        setattr(member, key, value)
    member.state, member.away, member.suspended = status
    seq = (last.seq + 1) if last else 0
    with member_tallied(member.pk):  # reports.tallies (their monthly snapshots replay the event), same transaction
        member.save()
        event = MemberEvent.objects.create(
            member=member, kind=kind, date=on, end_date=end_date, from_org=from_org, to_org=to_org,
            place=place.strip(), decision_number=decision_number.strip(), decision_date=decision_date,
            details=details, note=note, seq=seq,
        )
    counts_apply(old_org_id, old_state, member.organization_id, member.state)  # orgs.counts, same transaction
    probation.moved(was, probation.key(member))  # MEM-1 counts by start month (procedures.kept), same transaction
    badge_day_keep(member)  # MEM-3: the stored next-badge day (members.badgedays), same transaction
    badges.moved(badge_was, badges.key_of(member.organization_id, member.badge_tier_on))  # organisation or day moved
    return event


@transaction.atomic
def member_event_record(*, actor, member: Member, kind: str, on: date, to_org: Organization | None = None,
                        place: str = "", end_date: date | None = None, decision_number: str = "",
                        decision_date: date | None = None, details: dict | None = None, note: str = "",
                        today: date | None = None, check_only: bool = False) -> MemberEvent | None:
    """Record an event of a member's life (transfer, exemption, discipline, badge, death …).

    An admission (re-admission) carries its ceremony date in `details["ceremony_date"]` (MEM-1;
    the event's date is the decision's); a recognition is refused before the 12 months of probation
    counted from the ceremony are over; a decision may not be dated after the event it decides
    (`rules.decision_date_problem`). Every problem is reported at once (`InvalidInput.errors`).
    `check_only`: validate exactly as a write would, write nothing (a form shows these problems
    beside its own)."""
    today = today or date.today()
    p = _Problems()
    if kind not in rules.EVENT_LABELS:
        p.add("kind", "Loại sự kiện không hợp lệ.")
    if on is None:
        p.add("date", "Nhập ngày của sự kiện.")
    else:
        _check_date(p, "date", on, lo=PARTY_FOUNDED, hi=today, what="Ngày của sự kiện")
        if end_date is not None:
            _check_date(p, "end_date", end_date, lo=on, hi=rules.add_years(on, 30), what="Đến ngày")
    _check_date(p, "decision_date", decision_date, lo=PARTY_FOUNDED, hi=today, what="Ngày quyết định")
    limits = model_limits(MemberEvent, EVENT_TEXT_FIELDS)
    limits["note"] = (limits["note"][0], NOTE_MAX)
    texts = {"place": place or "", "decision_number": decision_number or "", "note": note or ""}
    try:
        texts = clean_texts(texts, limits, multiline={"note"})
    except InvalidInput as exc:
        p.merge(exc)
    if kind not in rules.EVENT_LABELS:
        p.check()
    member = Member.objects.select_for_update().get(pk=member.pk) if not check_only else \
        Member.objects.get(pk=member.pk)
    before = _snapshot(member)
    dated = on if "date" not in p.errors else None
    event = _record(member, kind, on=dated, to_org=to_org, place=texts["place"], end_date=end_date,
                    decision_number=texts["decision_number"],
                    decision_date=decision_date if "decision_date" not in p.errors else None, details=details,
                    note=texts["note"], today=today, problems=p, check_only=check_only)
    if check_only:
        return None
    after = _snapshot(member)
    audit_record(actor=actor, action=f"member.{kind}", obj=member, org_path=member.org_path,
                 before={k: before[k] for k in after if after[k] != before[k]},
                 after={**{k: after[k] for k in after if after[k] != before[k]}, "event": event.pk,
                        "date": on, "to_org": to_org.pk if to_org else None, "place": texts["place"],
                        "end_date": end_date, "details": event.details})
    return event


def member_view_sensitive(*, actor, member: Member, where: str) -> None:
    """Record that full sensitive values (birth date, personal ID number) were shown to `actor`
    (`where`: "profile", "edit_form", "api"). Call only after the caller checked the right to see."""
    audit_record(actor=actor, action="member.view_sensitive", obj=member, org_path=member.org_path,
                 after={"where": where, "fields": ["birth_date", "national_id"]})
