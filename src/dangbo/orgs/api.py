"""API routes for the organisation tree (thin: parse, call a selector or service, return)."""

from datetime import date

from ninja import Router, Schema

from dangbo.orgs import selectors

router = Router(tags=["Tổ chức đảng"])


class OrgEventOut(Schema):
    kind: str
    kind_label: str
    date: date
    decision_number: str
    decision_date: date | None
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


class OrgDetailOut(OrgOut):
    events: list[OrgEventOut]


def _out(org, counts=None) -> dict:
    data = {
        "id": org.id, "code": org.code, "name": org.name, "kind": org.kind, "kind_label": org.kind_label,
        "parent_id": org.parent_id, "valid_from": org.valid_from, "valid_to": org.valid_to,
    }
    if counts:
        data.update(official=counts["official"], probationary=counts["probationary"])
    return data


@router.get("/", response=list[OrgOut], summary="Cây tổ chức đảng trong phạm vi, kèm số đảng viên")
def org_tree(request):
    return [_out(row["org"], row) for row in selectors.org_tree(user=request.user)]


@router.get("/{org_id}", response=OrgDetailOut, summary="Một tổ chức đảng và lịch sử của nó")
def org_detail(request, org_id: int):
    org = selectors.org_get(user=request.user, org_id=org_id)
    counts = selectors.org_member_counts(org=org)
    events = [
        {"kind": e.kind, "kind_label": e.kind_label, "date": e.date, "decision_number": e.decision_number,
         "decision_date": e.decision_date, "related": [r.id for r in e.related.all()], "details": e.details,
         "note": e.note}
        for e in org.events.prefetch_related("related")
    ]
    return {**_out(org, counts), "events": events}
