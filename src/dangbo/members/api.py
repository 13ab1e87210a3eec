"""API routes for members, their events and search (thin: parse, call, return)."""

from datetime import date
from typing import Literal

from ninja import Field, Router, Schema, Status

from dangbo.accounts.selectors import require_manage
from dangbo.members import rules, selectors, services
from dangbo.orgs.selectors import org_get

router = Router(tags=["Đảng viên"])


class MemberBrief(Schema):
    id: int
    full_name: str
    sex: str
    organization_id: int
    organization: str
    state: str
    state_label: str
    away: bool


class MemberOut(MemberBrief):
    surname: str
    middle_name: str
    given_name: str
    place_of_birth: str
    home_town: str
    ethnicity: str
    religion: str
    card_number: str
    admission_date: date | None
    official_date: date | None
    education: str
    professional_level: str
    political_theory_level: str
    position: str
    workplace: str
    temp_host_name: str
    birth_year: int | None
    party_age: int | None


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: date
    end_date: date | None
    from_org_id: int | None
    to_org_id: int | None
    place: str
    decision_number: str
    decision_date: date | None
    details: dict
    note: str


class MemberIn(Schema):
    organization_id: int
    full_name: str = Field(..., max_length=120)
    sex: Literal["M", "F"]
    birth_date: date | None = None
    place_of_birth: str = ""
    home_town: str = ""
    ethnicity: str = "Kinh"
    religion: str = "Không"
    national_id: str | None = None
    card_number: str = ""
    admission_date: date
    official_date: date | None = None
    education: str = ""
    professional_level: str = ""
    political_theory_level: str = ""
    position: str = ""
    workplace: str = ""


class MemberPatch(Schema):
    full_name: str | None = Field(None, max_length=120)
    sex: Literal["M", "F"] | None = None
    birth_date: date | None = None
    place_of_birth: str | None = None
    home_town: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    national_id: str | None = None
    card_number: str | None = None
    education: str | None = None
    professional_level: str | None = None
    political_theory_level: str | None = None
    position: str | None = None
    workplace: str | None = None


class EventIn(Schema):
    kind: str
    date: date
    to_org_id: int | None = None
    place: str = ""
    end_date: date | None = None
    decision_number: str = ""
    decision_date: date | None = None
    details: dict = {}
    note: str = ""


def _brief(m) -> dict:
    return {"id": m.id, "full_name": m.full_name, "sex": m.sex, "organization_id": m.organization_id,
            "organization": m.organization.name, "state": m.state, "state_label": m.state_label, "away": m.away}


def _full(m) -> dict:
    data = _brief(m)
    for f in ("surname", "middle_name", "given_name", "place_of_birth", "home_town", "ethnicity", "religion",
              "card_number", "admission_date", "official_date", "education", "professional_level",
              "political_theory_level", "position", "workplace", "temp_host_name"):
        data[f] = getattr(m, f)
    # The birth date itself is sensitive (never in logs or URLs); the API gives the year only.
    data["birth_year"] = m.birth_date.year if m.birth_date else None
    data["party_age"] = rules.party_age_years(m.admission_date, date.today()) if m.admission_date else None
    return data


@router.get("/", response=list[MemberBrief], summary="Danh sách đảng viên trong phạm vi")
def member_list(request, org_id: int | None = None, state: str | None = None, offset: int = 0, limit: int = 100):
    qs = selectors.member_list(user=request.user).select_related("organization")
    if org_id is not None:
        org = org_get(user=request.user, org_id=org_id)
        qs = qs.filter(org_path__startswith=org.path)
    if state:
        qs = qs.filter(state=state)
    limit = max(1, min(limit, 500))
    return [_brief(m) for m in qs[offset: offset + limit]]


@router.get("/search", response=list[MemberBrief], summary="Tìm đảng viên theo tên (có dấu hoặc không dấu)")
def member_search(request, q: str, limit: int = 50):
    return [_brief(m) for m in selectors.member_search(user=request.user, query=q, limit=max(1, min(limit, 200)))]


@router.get("/{member_id}", response=MemberOut, summary="Hồ sơ một đảng viên")
def member_detail(request, member_id: int):
    return _full(selectors.member_get(user=request.user, member_id=member_id))


@router.get("/{member_id}/events", response=list[EventOut], summary="Các sự kiện trong đời đảng viên")
def member_events(request, member_id: int):
    member = selectors.member_get(user=request.user, member_id=member_id)
    return list(member.events.all())


@router.post("/", response={201: MemberOut}, summary="Thêm đảng viên (kết nạp)")
def member_create(request, payload: MemberIn):
    org = org_get(user=request.user, org_id=payload.organization_id)
    require_manage(request.user, org.path)
    data = payload.dict()
    member = services.member_create(
        actor=request.user, organization=org, profile={k: data[k] for k in services.PROFILE_FIELDS},
        admission_date=data["admission_date"], official_date=data["official_date"],
    )
    return Status(201, _full(member))


@router.patch("/{member_id}", response=MemberOut, summary="Sửa hồ sơ đảng viên")
def member_update(request, member_id: int, payload: MemberPatch):
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    member = services.member_update(actor=request.user, member=member, profile=payload.dict(exclude_unset=True))
    return _full(member)


@router.post("/{member_id}/events", response={201: EventOut}, summary="Ghi một sự kiện (chuyển sinh hoạt, miễn, kỷ luật …)")
def member_event(request, member_id: int, payload: EventIn):
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    # a destination outside the user's scope is named in `place`, not by id
    to_org = org_get(user=request.user, org_id=payload.to_org_id) if payload.to_org_id is not None else None
    event = services.member_event_record(
        actor=request.user, member=member, kind=payload.kind, on=payload.date, to_org=to_org, place=payload.place,
        end_date=payload.end_date, decision_number=payload.decision_number, decision_date=payload.decision_date,
        details=payload.details, note=payload.note,
    )
    return Status(201, event)
