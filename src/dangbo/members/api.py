"""API routes for members, their events and search (thin: parse, call, return).

Every body and parameter carries the model's limits (lengths, date bounds, id range, the lists of
allowed values), so bad input is a Vietnamese 422 naming the field and never reaches the database;
the services check again (text characters, duplicates, the rules) for every other caller.
"""

import datetime as dt
from datetime import date
from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status

from dangbo.accounts.selectors import require_manage
from dangbo.apierrors import MAX_ID, StrictSchema
from dangbo.core.errors import InvalidInput
from dangbo.members import rules, selectors, services
from dangbo.members.models import Member, MemberEvent
from dangbo.orgs.selectors import org_get

router = Router(tags=["Đảng viên"])

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
StateCode = Literal[rules.STATES]  # type: ignore[valid-type]
EventKindCode = Literal[rules.EVENT_KINDS]  # type: ignore[valid-type]


def _title(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _text(name: str, default=..., *, model=Member, max_length: int | None = None):
    """A text field with the model's own label and length limit."""
    return Field(default, title=_title(model, name),
                 max_length=max_length or model._meta.get_field(name).max_length)


def _day(name: str | None = None, default=..., *, title: str = "", model=Member):
    return Field(default, title=title or _title(model, name), ge=EARLIEST, le=LATEST)


class MemberBrief(Schema):
    id: int
    full_name: str
    sex: str
    birth_year: int | None
    organization_id: int
    organization: str
    state: str
    state_label: str
    away: bool
    suspended: bool = Field(title="Đang bị đình chỉ sinh hoạt đảng")
    card_tail: str = Field(title="4 ký tự cuối của số thẻ đảng viên (phân biệt người trùng tên)")


class MemberOut(MemberBrief):
    surname: str
    middle_name: str
    given_name: str
    place_of_birth: str
    home_town: str
    ethnicity: str
    religion: str
    national_id_masked: str = Field(title="Số định danh cá nhân (chỉ 3 số cuối)")
    card_number: str
    admission_date: date | None = Field(title="Ngày quyết định kết nạp")
    ceremony_date: date | None = Field(title="Ngày tổ chức lễ kết nạp")
    dates_to_check: bool = Field(title="Cần kiểm tra ngày kết nạp")
    official_date: date | None
    probation_end: date | None = Field(title="Ngày hết 12 tháng dự bị")
    recognition_deadline: date | None = Field(title="Hạn xét công nhận chính thức")
    education: str
    professional_level: str
    political_theory_level: str
    position: str
    workplace: str
    temp_host_name: str
    party_age: int | None
    next_badge_tier: int | None = Field(title="Huy hiệu Đảng kế tiếp (năm tuổi Đảng)")
    next_badge_date: date | None = Field(title="Ngày dự kiến trao Huy hiệu Đảng")


class SensitiveOut(Schema):
    birth_date: date | None = Field(title="Ngày sinh")
    national_id: str | None = Field(title="Số định danh cá nhân")


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: dt.date
    end_date: dt.date | None
    from_org_id: int | None
    to_org_id: int | None
    place: str
    decision_number: str
    decision_date: dt.date | None
    details: dict
    note: str


class MemberIn(StrictSchema):
    organization_id: int = Field(..., ge=1, le=MAX_ID, title="Chi bộ sinh hoạt")
    full_name: str = _text("full_name")
    sex: Literal["M", "F"] = Field(..., title="Giới tính")
    birth_date: date | None = _day("birth_date", None)
    place_of_birth: str = _text("place_of_birth", "")
    home_town: str = _text("home_town", "")
    ethnicity: str = _text("ethnicity", "Kinh")
    religion: str = _text("religion", "Không")
    national_id: str | None = _text("national_id", None, max_length=20)
    card_number: str = _text("card_number", "")
    admission_date: date = _day("admission_date")
    ceremony_date: date | None = _day("ceremony_date", None)
    official_date: date | None = _day(None, None, title="Ngày chính thức")
    decision_number: str = Field("", max_length=40, title="Số, ký hiệu quyết định kết nạp")
    education: str = _text("education", "")
    professional_level: str = _text("professional_level", "")
    political_theory_level: str = _text("political_theory_level", "")
    position: str = _text("position", "")
    workplace: str = _text("workplace", "")


class MemberPatch(StrictSchema):
    """Only the fields sent change. Nullable only where a value may be cleared (birth date, ID)."""

    full_name: str = _text("full_name", None)
    sex: Literal["M", "F"] = Field(None, title="Giới tính")
    birth_date: date | None = _day("birth_date", None)
    place_of_birth: str = _text("place_of_birth", None)
    home_town: str = _text("home_town", None)
    ethnicity: str = _text("ethnicity", None)
    religion: str = _text("religion", None)
    national_id: str | None = _text("national_id", None, max_length=20)
    card_number: str = _text("card_number", None)
    education: str = _text("education", None)
    professional_level: str = _text("professional_level", None)
    political_theory_level: str = _text("political_theory_level", None)
    position: str = _text("position", None)
    workplace: str = _text("workplace", None)
    admission_date: date = _day("admission_date", None)
    ceremony_date: date = _day("ceremony_date", None)
    dates_checked: bool = Field(False, title="Đã đối chiếu hai ngày kết nạp với hồ sơ")


DetailValue = str | int | bool | None


class EventIn(StrictSchema):
    kind: EventKindCode = Field(..., title="Sự kiện")
    date: dt.date = _day(None, title="Ngày")
    to_org_id: int | None = Field(None, ge=1, le=MAX_ID, title="Tổ chức đảng nơi đến")
    place: str = _text("place", "", model=MemberEvent)
    end_date: dt.date | None = _day(None, None, title="Đến ngày")
    decision_number: str = _text("decision_number", "", model=MemberEvent)
    decision_date: dt.date | None = _day(None, None, title="Ngày quyết định")
    details: dict[str, DetailValue] = Field({}, max_length=services.DETAIL_KEYS_MAX, title="Chi tiết",
                                            description="kỷ luật: {\"level\"}; huy hiệu: {\"tier\"}; chuyển đến: "
                                                        "{\"status\"}; kết nạp: {\"ceremony_date\"}")
    note: str = Field("", max_length=services.NOTE_MAX, title="Ghi chú")


def _brief(m) -> dict:
    return {"id": m.id, "full_name": m.full_name, "sex": m.sex, "birth_year": m.birth_date.year if m.birth_date else None,
            "organization_id": m.organization_id, "organization": m.organization.name, "state": m.state,
            "state_label": m.state_label, "away": m.away, "suspended": m.suspended, "card_tail": m.card_tail}


def _full(m) -> dict:
    data = _brief(m)
    for f in ("surname", "middle_name", "given_name", "place_of_birth", "home_town", "ethnicity", "religion",
              "card_number", "admission_date", "ceremony_date", "dates_to_check", "official_date", "education",
              "professional_level", "political_theory_level", "position", "workplace", "temp_host_name"):
        data[f] = getattr(m, f)
    # The birth date and ID number are sensitive: the year and the last 3 digits here; the full
    # values at /sensitive, for the office (audited) and the member themself.
    data["national_id_masked"] = selectors.masked_id(m.national_id)
    dates = selectors.member_dates(m)
    badge = dates.pop("badge")
    data.update(dates, next_badge_tier=badge.tier if badge else None, next_badge_date=badge.award_date if badge else None)
    return data


@router.get("/", response=list[MemberBrief], summary="Danh sách đảng viên trong phạm vi")
def member_list(request, org_id: int | None = Query(None, ge=1, le=MAX_ID),
                state: StateCode | None = None,
                dates_to_check: bool | None = Query(None, description="chỉ những đảng viên cần kiểm tra ngày kết nạp"),
                offset: int = Query(0, ge=0, le=10_000_000), limit: int = Query(100, ge=1, le=500)):
    qs = selectors.member_list(user=request.user).select_related("organization")
    if org_id is not None:
        org = org_get(user=request.user, org_id=org_id)
        qs = qs.filter(org_path__startswith=org.path)
    if state:
        qs = qs.filter(state=state)
    if dates_to_check is not None:
        qs = qs.filter(dates_to_check=dates_to_check)
    return [_brief(m) for m in qs[offset: offset + limit]]


class SearchPage(Schema):
    count: int = Field(title="Số đảng viên tìm thấy (tối đa 1.000)")
    more: bool = Field(title="Còn nhiều hơn số đã đếm: hãy gõ thêm để thu hẹp")
    page: int = Field(title="Trang")
    pages: int = Field(title="Số trang")
    results: list[MemberBrief]


SEARCH_HELP = ("Theo bất kỳ đoạn liền nhau nào của họ tên, có dấu hoặc không dấu: tên, tên đệm và tên "
               "(\"văn hùng\"), họ và tên đệm, họ tên đầy đủ; từ cuối có thể gõ dở.")


@router.get("/search", response=list[MemberBrief], summary="Tìm đảng viên theo tên (có dấu hoặc không dấu)",
            description=SEARCH_HELP)
def member_search(request, q: str = Query(..., max_length=120), limit: int = Query(50, ge=1, le=200),
                  offset: int = Query(0, ge=0, le=selectors.SEARCH_COUNT_CAP)):
    results = selectors.member_search_results(user=request.user, query=q)
    return [_brief(m) for m in results[offset: offset + limit]]


@router.get("/search/page", response=SearchPage, summary="Tìm đảng viên theo tên, từng trang 50 người, có số kết quả",
            description=SEARCH_HELP)
def member_search_page(request, q: str = Query(..., max_length=120),
                       page: int = Query(1, ge=1, le=selectors.SEARCH_COUNT_CAP)):
    from django.core.paginator import Paginator

    paginator = Paginator(selectors.member_search_results(user=request.user, query=q), 50)
    current = paginator.get_page(page)
    return {"count": paginator.count, "more": paginator.object_list.capped, "page": current.number,
            "pages": paginator.num_pages, "results": [_brief(m) for m in current.object_list]}


@router.get("/{member_id}", response=MemberOut, summary="Hồ sơ một đảng viên")
def member_detail(request, member_id: int = Path(..., ge=1, le=MAX_ID)):
    return _full(selectors.member_get(user=request.user, member_id=member_id))


@router.get("/{member_id}/sensitive", response=SensitiveOut,
            summary="Ngày sinh và số định danh đầy đủ (Văn phòng — được ghi nhật ký; hoặc chính đảng viên)")
def member_sensitive(request, member_id: int = Path(..., ge=1, le=MAX_ID)):
    from django.core.exceptions import PermissionDenied

    member = selectors.member_get(user=request.user, member_id=member_id)
    access = selectors.sensitive_access(user=request.user, member=member)
    if access is None:
        raise PermissionDenied("Chỉ Văn phòng Đảng ủy hoặc chính đảng viên được xem đầy đủ ngày sinh, số định danh.")
    if access == "office":
        services.member_view_sensitive(actor=request.user, member=member, where="api")
    return {"birth_date": member.birth_date, "national_id": member.national_id}


@router.get("/{member_id}/events", response=list[EventOut], summary="Các sự kiện trong đời đảng viên")
def member_events(request, member_id: int = Path(..., ge=1, le=MAX_ID)):
    member = selectors.member_get(user=request.user, member_id=member_id)
    return list(member.events.all())


@router.post("/", response={201: MemberOut}, summary="Thêm đảng viên (kết nạp)")
def member_create(request, payload: MemberIn):
    org = org_get(user=request.user, org_id=payload.organization_id)
    require_manage(request.user, org.path)
    data = payload.dict()
    member = services.member_create(
        actor=request.user, organization=org, profile={k: data[k] for k in services.PROFILE_FIELDS},
        admission_date=data["admission_date"], ceremony_date=data["ceremony_date"],
        official_date=data["official_date"], decision_number=data["decision_number"],
    )
    return Status(201, _full(member))


@router.patch("/{member_id}", response=MemberOut, summary="Sửa hồ sơ đảng viên")
def member_update(request, payload: MemberPatch, member_id: int = Path(..., ge=1, le=MAX_ID)):
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    data = payload.dict(exclude_unset=True)
    dates = {k: data.pop(k) for k in ("admission_date", "ceremony_date", "dates_checked") if k in data}
    for key in ("full_name", "sex", "admission_date", "ceremony_date"):
        if key in payload.model_fields_set and getattr(payload, key) is None:
            raise InvalidInput(f"Trường «{MemberPatch.model_fields[key].title}» không được để trống.", field=key)
    member = services.member_update(actor=request.user, member=member, profile=data, **dates)
    return _full(member)


@router.post("/{member_id}/events", response={201: EventOut}, summary="Ghi một sự kiện (chuyển sinh hoạt, miễn, kỷ luật …)")
def member_event(request, payload: EventIn, member_id: int = Path(..., ge=1, le=MAX_ID)):
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
