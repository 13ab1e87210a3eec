"""Fees' path parameters for the scope walker: organisations (ledger, settlement), members (their
fee page) and payments (receipts) of both trees, plus one that does not exist (987654).

Visible: organisations to staff covering them (never to a member); a member's fee page to staff
covering the member and to the member themself; a receipt likewise."""

from datetime import date

from dangbo.fees.services import declaration_set, payment_record


def provide(world, congresses, role, seen_orgs, seen_members):
    w = world
    orgs = (w.root, w.a, w.a1, w.a2, w.b, w.other, w.x1)
    people = (w.hung, w.lan, w.hoa, w.stranger)
    payments = {}
    for m in people:
        declaration_set(actor=None, member=m, category="insured", base=6_000_000, from_month="2026-01")
        payments[payment_record(actor=None, member=m, month="2026-02", method="cash", paid_on=date(2026, 2, 10))] = m
    staff = role in ("office", "secretary", "outsider")
    ids = {"fee_org_id": [o.id for o in orgs] + [987654], "fee_member_id": [m.id for m in people] + [987654],
           "fee_payment_id": [p.id for p in payments] + [987654]}
    visible = {"fee_org_id": {o.id for o in orgs if o in seen_orgs and staff},
               "fee_member_id": {m.id for m in people if m in seen_members},
               "fee_payment_id": {p.id for p, m in payments.items() if m in seen_members}}
    return ids, visible
