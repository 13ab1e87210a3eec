"""API routes for the organisation tree (thin: parse, call a selector or service, return)."""

import datetime as dt
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Literal

from ninja import Field, Path, Query, Router, Schema, Status

from dangbo.accounts.selectors import require_manage
from dangbo.apierrors import MAX_ID, StrictSchema
from dangbo.core.errors import InvalidInput
from dangbo.orgs import selectors, services

router = Router(tags=["Tổ chức đảng"])


EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _day(default=..., title: str = ""):
    return Field(default, ge=EARLIEST, le=LATEST, title=title)


class OrgEventOut(Schema):
    kind: str
    kind_label: str
    date: dt.date
    decision_number: str
    decision_date: dt.date | None
    related: list[int]
    details: dict
    note: str


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    official: int = 0
    probationary: int = 0
    hidden: int = 0  # GET /api/orgs/: organisations below this one not listed (a tree cut at a level)


class OrgDetailOut(OrgOut):
    events: list[OrgEventOut]


OrgKind = Literal["committee", "grassroots_committee", "grassroots_cell", "sub_committee", "cell"]


class OrgIn(StrictSchema):
    """Found an organisation (ORG-1) under `parent_id`, citing its decision (ORG-3)."""

    code: str = Field(..., max_length=40, title="Mã")
    name: str = Field(..., max_length=255, title="Tên")
    kind: OrgKind
    parent_id: int = Field(..., ge=1, le=MAX_ID, title="Trực thuộc")
    date: dt.date = _day(title="Ngày hiệu lực")
    decision_number: str = Field("", max_length=40, title="Số, ký hiệu quyết định")
    decision_date: dt.date | None = _day(None, title="Ngày quyết định")
    note: str = Field("", max_length=services.NOTE_MAX, title="Ghi chú")


class OrgPartIn(StrictSchema):
    code: str = Field(..., max_length=40, title="Mã")
    name: str = Field(..., max_length=255, title="Tên")
    kind: OrgKind


class OrgEventIn(StrictSchema):
    """One event of an organisation, citing its decision (ORG-3).

    rename: `name`. move: `parent_id`. dissolve: nothing more. merge: this organisation with `sources`
    into `result`, under `parent_id` (default: this organisation's parent). split: into `parts`,
    under `parent_id` (default: this organisation's parent).
    """

    kind: Literal["rename", "dissolve", "move", "merge", "split"]
    date: dt.date = _day(title="Ngày hiệu lực")
    decision_number: str = Field("", max_length=40, title="Số, ký hiệu quyết định")
    decision_date: dt.date | None = _day(None, title="Ngày quyết định")
    note: str = Field("", max_length=services.NOTE_MAX, title="Ghi chú")
    name: str = Field("", max_length=255, title="Tên mới")
    parent_id: int | None = Field(None, ge=1, le=MAX_ID, title="Trực thuộc")
    sources: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field([], max_length=50, title="Các tổ chức hợp nhất")
    result: OrgPartIn | None = None
    parts: list[OrgPartIn] = Field([], max_length=50, title="Các tổ chức mới")


class OrgChangeOut(Schema):
    org: OrgOut
    created: list[OrgOut]


def _out(org, counts=None) -> dict:
    data = {
        "id": org.id, "code": org.code, "name": org.name, "kind": org.kind, "kind_label": org.kind_label,
        "parent_id": org.parent_id, "valid_from": org.valid_from, "valid_to": org.valid_to,
    }
    if counts:
        data.update(official=counts["official"], probationary=counts["probationary"])
    return data


#: GET /api/orgs/ lists a tree of at most this many organisations whole (a province has ≈ 850); a
#: larger one (the nation's 53,000: 3.5 s) only down to the deepest level that keeps it within this.
API_TREE_ROWS = 5000


def _levels_that_fit(levels: list[int], wanted: int | None) -> int | None:
    """How many levels below the top to list: all (None) when the tree fits in API_TREE_ROWS and no
    `levels` is asked; else the asked number, cut to what fits — at least one level below the top."""
    shown, rows = 0, levels[0] if levels else 0
    while shown + 1 < len(levels) and (shown < 1 or rows + levels[shown + 1] <= API_TREE_ROWS):
        shown += 1
        rows += levels[shown]
    if wanted is None:
        return None if shown == len(levels) - 1 and rows <= API_TREE_ROWS else shown
    return min(wanted, shown)


@router.get("/", response=list[OrgOut], summary="Cây tổ chức đảng trong phạm vi, kèm số đảng viên")
def org_tree(request, root: int | None = Query(None, ge=1, le=MAX_ID, description="bắt đầu cây tại tổ chức này"),
             levels: int | None = Query(None, ge=0, le=50, description="số cấp dưới gốc được liệt kê")):
    """The tree of the user's scope (or from `root`, inside it), each organisation with the members
    of its whole subtree. A tree of more than API_TREE_ROWS organisations is listed down to the
    deepest level that fits; `hidden` > 0 on a row says how many organisations lie below it unlisted
    (ask again with `root=<its id>`)."""
    start = selectors.org_get(user=request.user, org_id=root) if root else None
    max_level = _levels_that_fit(selectors.org_tree_levels(user=request.user, root=start), levels)
    rows = [_tree_row(row) for row in selectors.org_tree(user=request.user, root=start, max_level=max_level)]
    # Rendered as django-ninja renders a validated `list[OrgOut]` (same bytes), without validating each
    # row: 183 of 300 ms of a province's request went there (docs/PERFORMANCE.md, issue 14). `response=`
    # above still documents the shape; tests/web/test_api_tree.py checks the bytes against the schema's.
    from dangbo.api import api  # the API this router is mounted on (imports this module)

    return api.create_response(request, rows, status=200)


def _tree_row(row) -> dict:
    """`OrgOut`'s fields in its order, from a row of `selectors.org_tree`."""
    org = row["org"]
    return {"id": org.id, "code": org.code, "name": org.name, "kind": org.kind, "kind_label": org.kind_label,
            "parent_id": org.parent_id, "valid_from": org.valid_from, "valid_to": org.valid_to,
            "official": int(row.get("official") or 0), "probationary": int(row.get("probationary") or 0),
            "hidden": int(row["hidden"])}


@router.get("/{org_id}", response=OrgDetailOut, summary="Một tổ chức đảng và lịch sử của nó")
def org_detail(request, org_id: int = Path(..., ge=1, le=MAX_ID)):
    org = selectors.org_get(user=request.user, org_id=org_id)
    return _detail(org)


def _detail(org) -> dict:
    counts = selectors.org_member_counts(org=org)
    events = [
        {"kind": e.kind, "kind_label": e.kind_label, "date": e.date, "decision_number": e.decision_number,
         "decision_date": e.decision_date, "related": [r.id for r in e.related.all()], "details": e.details,
         "note": e.note}
        for e in org.events.prefetch_related("related")
    ]
    return {**_out(org, counts), "events": events}


def _manageable(request, org_id: int):
    """An organisation the user sees (404 otherwise) and may change (403 otherwise)."""
    org = selectors.org_get(user=request.user, org_id=org_id)
    require_manage(request.user, org.path)
    return org


@router.post("/", response={201: OrgDetailOut}, summary="Thành lập tổ chức đảng (trực thuộc một tổ chức trong phạm vi)")
def org_found(request, payload: OrgIn):
    parent = _manageable(request, payload.parent_id)
    with _api_fields():
        org = services.org_found(
            actor=request.user, code=payload.code, name=payload.name, kind=payload.kind, parent=parent,
            on=payload.date, decision_number=payload.decision_number, decision_date=payload.decision_date,
            note=payload.note, require_decision=True,
        )
    return Status(201, _detail(org))


@router.post("/{org_id}/events", response={201: OrgChangeOut},
             summary="Ghi sự kiện tổ chức: đổi tên, giải thể, điều chỉnh trực thuộc, hợp nhất, chia tách")
def org_event(request, payload: OrgEventIn, org_id: int = Path(..., ge=1, le=MAX_ID)):
    org = _manageable(request, org_id)
    sources = [_manageable(request, i) for i in payload.sources if i != org.id]
    parent = None
    if payload.parent_id is not None:
        parent = _manageable(request, payload.parent_id)
    elif payload.kind in ("merge", "split"):
        if org.parent_id is None:  # new organisations at the root would fall outside everyone's scope
            require_manage(request.user, "")
        parent = _manageable(request, org.parent_id)  # the new organisations stay where this one was
    with _api_fields():
        org, created = services.org_event_record(
            actor=request.user, org=org, kind=payload.kind, on=payload.date, decision_number=payload.decision_number,
            decision_date=payload.decision_date, note=payload.note, name=payload.name, parent=parent,
            sources=sources, result=payload.result.dict() if payload.result else None,
            parts=[p.dict() for p in payload.parts], require_decision=True,
        )
    return Status(201, {"org": _out(org), "created": [_out(o) for o in created]})


@contextmanager
def _api_fields():
    """Name a service's field as the request body names it (parent → parent_id)."""
    try:
        yield
    except InvalidInput as exc:
        if exc.field in _BODY_FIELDS:
            raise InvalidInput(exc.message, field=_BODY_FIELDS[exc.field]) from exc
        raise


_BODY_FIELDS = {"parent": "parent_id"}
