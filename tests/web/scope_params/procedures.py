"""Scope walker parameters of the member procedures: an admission file in a cell of each tree
(A2 of the committee, X1 of the outsider committee) and 987654. Staff covering the cell may open it;
a member opens none (the procedures are the committee's work)."""

from datetime import date


def provide(world, congresses, role, seen_orgs, seen_members):
    from dangbo.procedures.services import applicant_create

    files = {org: applicant_create(actor=None, organization=org, full_name=f"Người xin vào Đảng {org.code}", sex="F",
                                   birth_date=date(2001, 1, 1)) for org in (world.a2, world.x1)}
    visible = {a.id for org, a in files.items() if org in seen_orgs and role != "member"}
    # a transfer letter inside each tree (A1 → A2; X1 → X1's own tree has one cell: to itself is refused,
    # so the outsider tree's letter is written directly)
    from dangbo.procedures.models import TransferLetter
    from dangbo.procedures.services import letter_issue

    letters = {world.a2: letter_issue(actor=None, member=world.hung, kind="official", to_org=world.a2,
                                      letter_date=date.today())}
    letters[world.x1] = TransferLetter.objects.create(
        member=world.stranger, org_path=world.x1.path, from_org=world.x1, committee_path=world.other.path,
        kind="official", to_org=world.x1, year=2026, number=1, letter_date=date(2026, 1, 5),
        present_by=date(2026, 2, 13), complete_by=date(2026, 3, 27))
    seen_letters = {t.id for org, t in letters.items() if org in seen_orgs and role != "member"}
    # an inspection of a member of each tree (ended from the letters page)
    from dangbo.procedures.services import hold_record

    holds = {org: hold_record(actor=None, member=m, kind="inspection", decision="1-QĐ/UBKT",
                              start_date=date(2026, 1, 5)) for org, m in ((world.a1, world.hung), (world.x1, world.stranger))}
    seen_holds = {h.id for org, h in holds.items() if org in seen_orgs and role != "member"}
    return ({"applicant_id": [a.id for a in files.values()] + [987654],
             "letter_id": [t.id for t in letters.values()] + [987654],
             "hold_id": [h.id for h in holds.values()] + [987654]},
            {"applicant_id": visible, "letter_id": seen_letters, "hold_id": seen_holds})
