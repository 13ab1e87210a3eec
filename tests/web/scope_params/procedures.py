"""Scope walker parameters of the member procedures: an admission file in a cell of each tree
(A2 of the committee, X1 of the outsider committee) and 987654. Staff covering the cell may open it;
a member opens none (the procedures are the committee's work)."""

from datetime import date


def provide(world, congresses, role, seen_orgs, seen_members):
    from dangbo.procedures.services import applicant_create

    files = {org: applicant_create(actor=None, organization=org, full_name=f"Người xin vào Đảng {org.code}", sex="F",
                                   birth_date=date(2001, 1, 1)) for org in (world.a2, world.x1)}
    visible = {a.id for org, a in files.items() if org in seen_orgs and role != "member"}
    return {"applicant_id": [a.id for a in files.values()] + [987654]}, {"applicant_id": visible}
