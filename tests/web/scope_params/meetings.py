"""Scope walker parameters of the meetings app: a meeting of cell A1 (committee tree, under
grassroots committee A), one of A2 (Lan's cell) and one of X1 (the other tree), plus 987654.
Visible: staff covering the meeting's cell; a member the meetings of their own cell (bulletin)."""

from datetime import date


def provide(world, congresses, role, seen_orgs, seen_members):
    from dangbo.meetings.services import meeting_create

    meetings = {meeting_create(actor=None, organization=o, held_on=date(2026, 3, 3), topic=f"Nội dung {o.code}"): o
                for o in (world.a1, world.a2, world.x1)}
    if role == "member":
        visible = {m.id for m, o in meetings.items() if o == world.a2}
    else:
        visible = {m.id for m, o in meetings.items() if o in seen_orgs}
    # committee rolls: organisations that have a committee (cells, grassroots committees), to staff
    # covering them; a committee member seated in each tree so the page has names to leak
    from dangbo.meetings.services import seat_add

    for org, m in ((world.a, world.hung), (world.x1, world.stranger)):
        seat_add(actor=None, organization=org, body="grassroots_committee" if org.kind == "grassroots_committee"
                 else "cell_committee", member=m, since=date(2025, 1, 1))
    orgs = (world.root, world.a, world.a1, world.a2, world.b, world.other, world.x1)
    staff = role in ("office", "secretary", "outsider")
    committees = {o.id for o in orgs if o in seen_orgs and staff and o.kind != "committee"}
    return ({"meeting_id": [m.id for m in meetings] + [987654], "committee_org_id": [o.id for o in orgs] + [987654]},
            {"meeting_id": visible, "committee_org_id": committees})
